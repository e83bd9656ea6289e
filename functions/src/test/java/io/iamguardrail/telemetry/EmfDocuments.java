package io.iamguardrail.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a function's log output as CloudWatch does: each line is a log entry (JSON with {@code level}) or an
 * embedded-metric-format document, which must satisfy the EMF specification for CloudWatch to extract its metrics.
 */
public final class EmfDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EmfDocuments() {
    }

    /** Every line of {@code output}, each parsed (a line that is not JSON fails the test: Logs Insights would lose it). */
    public static List<JsonNode> lines(String output) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : output.lines().filter(l -> !l.isBlank()).toList()) {
            try {
                out.add(JSON.readTree(line));
            } catch (JsonProcessingException e) {
                throw new AssertionError("expected every log line to be JSON but found: " + line, e);
            }
        }
        return out;
    }

    /** The log entries (not metric documents) whose {@code message} is {@code message}. */
    public static List<JsonNode> entries(String output, String message) {
        return lines(output).stream().filter(n -> !n.has("_aws") && n.path("message").asText().equals(message)).toList();
    }

    /** The metric documents, each checked against the EMF specification. */
    public static List<JsonNode> metrics(String output) {
        List<JsonNode> docs = lines(output).stream().filter(n -> n.has("_aws")).toList();
        docs.forEach(EmfDocuments::assertValid);
        return docs;
    }

    /** The value of {@code metric} published with {@code dimensions} (name, value, ...) in one of {@code docs}. */
    public static Optional<Long> value(List<JsonNode> docs, String metric, String... dimensions) {
        for (JsonNode doc : docs) {
            for (JsonNode directive : doc.path("_aws").path("CloudWatchMetrics")) {
                boolean named = false;
                for (JsonNode m : directive.path("Metrics")) {
                    named |= m.path("Name").asText().equals(metric);
                }
                if (!named) {
                    continue;
                }
                for (JsonNode set : directive.path("Dimensions")) {
                    if (set.size() != dimensions.length / 2 + 1 || !set.path(0).asText().equals("service")) {
                        continue;
                    }
                    boolean matches = true;
                    for (int i = 0; i < dimensions.length; i += 2) {
                        matches &= set.path(i / 2 + 1).asText().equals(dimensions[i])
                                && doc.path(dimensions[i]).asText().equals(dimensions[i + 1]);
                    }
                    if (matches) {
                        return Optional.of(doc.path(metric).asLong());
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The EMF specification's rules: {@code _aws.Timestamp} in milliseconds, directives with a namespace, dimension
     * sets of at most 30 names each present at the root as a string, metrics each present at the root as a number.
     */
    static void assertValid(JsonNode doc) {
        JsonNode aws = doc.path("_aws");
        assertThat(aws.path("Timestamp").isIntegralNumber()).as("Timestamp in %s", doc).isTrue();
        assertThat(aws.path("CloudWatchMetrics").isArray() && !aws.path("CloudWatchMetrics").isEmpty())
                .as("CloudWatchMetrics in %s", doc).isTrue();
        for (JsonNode directive : aws.path("CloudWatchMetrics")) {
            assertThat(directive.path("Namespace").asText()).as("Namespace in %s", doc).isEqualTo("IamGuardrail");
            assertThat(directive.path("Dimensions").isArray()).as("Dimensions in %s", doc).isTrue();
            for (JsonNode set : directive.path("Dimensions")) {
                assertThat(set.size()).as("dimension set %s", set).isBetween(1, 30);
                assertThat(set.path(0).asText()).as("dimension set %s leads with service", set).isEqualTo("service");
                for (JsonNode name : set) {
                    assertThat(doc.path(name.asText()).isTextual()).as("dimension %s at the root of %s", name, doc).isTrue();
                }
            }
            assertThat(directive.path("Metrics").isArray() && !directive.path("Metrics").isEmpty()).isTrue();
            for (JsonNode m : directive.path("Metrics")) {
                assertThat(doc.path(m.path("Name").asText()).isNumber()).as("metric %s at the root of %s", m, doc).isTrue();
                assertThat(m.path("Unit").asText()).isIn("Count", "Milliseconds");
            }
        }
    }
}
