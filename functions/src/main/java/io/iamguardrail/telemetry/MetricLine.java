package io.iamguardrail.telemetry;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One CloudWatch embedded-metric-format document, in the shape Powertools Metrics writes: namespace
 * {@value FunctionLog#NAMESPACE}, every dimension set led by {@code service}, the dimension values and metric values
 * at the root. A document holds one value per dimension, so a metric per rule, say, is a document per rule.
 * Dimension values are closed vocabularies (verdicts, event names the guardrail knows, rule ids, statuses): each
 * distinct value is a metric CloudWatch bills, so nothing taken from an event goes into one unchecked.
 */
public final class MetricLine {

    /** The units used here (CloudWatch's names). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }
    }

    /** One metric and its value. */
    public record Metric(String name, Unit unit, long value) {
        public static Metric count(String name, long value) {
            return new Metric(name, Unit.COUNT, value);
        }

        public static Metric millis(String name, long value) {
            return new Metric(name, Unit.MILLISECONDS, value);
        }
    }

    /** Metrics published under each of its dimension sets ({@code service} is added in front of each). */
    private record Group(List<List<String>> dimensionSets, List<Metric> metrics) {
    }

    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final List<Group> groups = new ArrayList<>();
    private final Set<String> names = new LinkedHashSet<>();

    /** Sets the value of a dimension that a group names. */
    public MetricLine dimension(String name, String value) {
        if (name.equals("service") || value == null || value.isEmpty()) {
            throw new IllegalArgumentException("expected a dimension other than service with a value but found "
                    + name + "=" + value);
        }
        dimensions.put(name, value);
        return this;
    }

    /** {@code metrics} under the dimension set {@code service} + {@code dimensions}. */
    public MetricLine group(List<String> dimensions, Metric... metrics) {
        return group(List.of(dimensions), List.of(metrics));
    }

    /** {@code metrics} under each of {@code dimensionSets}, each led by {@code service}. */
    public MetricLine group(List<List<String>> dimensionSets, List<Metric> metrics) {
        for (List<String> set : dimensionSets) {
            for (String d : set) {
                if (!dimensions.containsKey(d)) {
                    throw new IllegalStateException("expected a value for dimension " + d + " before a group names it"
                            + " but only " + dimensions.keySet() + " are set");
                }
            }
        }
        for (Metric m : metrics) {
            if (!names.add(m.name()) || dimensions.containsKey(m.name())) {
                throw new IllegalStateException("expected each metric once per document but " + m.name() + " repeats");
            }
        }
        groups.add(new Group(List.copyOf(dimensionSets), List.copyOf(metrics)));
        return this;
    }

    public boolean isEmpty() {
        return groups.isEmpty();
    }

    /** The document's fields, inside the object {@code g} has started. */
    void write(JsonGenerator g, String namespace, String service, long timestampMillis) throws IOException {
        g.writeObjectFieldStart("_aws");
        g.writeNumberField("Timestamp", timestampMillis);
        g.writeArrayFieldStart("CloudWatchMetrics");
        for (Group group : groups) {
            g.writeStartObject();
            g.writeStringField("Namespace", namespace);
            g.writeArrayFieldStart("Dimensions");
            for (List<String> set : group.dimensionSets()) {
                g.writeStartArray();
                g.writeString("service");
                for (String d : set) {
                    g.writeString(d);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("Metrics");
            for (Metric m : group.metrics()) {
                g.writeStartObject();
                g.writeStringField("Name", m.name());
                g.writeStringField("Unit", m.unit().cloudWatch);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeStringField("service", service);
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            g.writeStringField(d.getKey(), d.getValue());
        }
        for (Group group : groups) {
            for (Metric m : group.metrics()) {
                g.writeNumberField(m.name(), m.value());
            }
        }
    }
}
