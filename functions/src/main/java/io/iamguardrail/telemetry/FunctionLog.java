package io.iamguardrail.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function's structured log: one JSON line per entry with Powertools Logging's keys ({@code timestamp},
 * {@code level}, {@code service}, {@code message}, {@code function_name}, {@code function_version},
 * {@code function_memory_size}, {@code function_request_id}, {@code cold_start}, {@code xray_trace_id}) and the entry's
 * own fields, and its embedded-metric-format documents ({@link MetricLine}) with the request and trace ids beside
 * them. Lines below the function's level ({@link LogLevel#of}) are not written; metric documents always are.
 * Written with Jackson's generator, so a value from an event can never break out of its field.
 */
public final class FunctionLog {

    /** The CloudWatch namespace of every metric of the guardrail. */
    public static final String NAMESPACE = "IamGuardrail";

    private static final JsonFactory JSON = new JsonFactory();

    /** An entry's own fields, written after the standard keys. */
    public interface Fields {
        void write(JsonGenerator g) throws IOException;

        Fields NONE = g -> { };
    }

    private final String service;
    private final Map<String, String> env;
    private final LogLevel threshold;
    private final PrintStream out;
    private final Clock clock;
    private final Invocations invocations;

    /**
     * @param service the {@code service} key and metric dimension, unless {@code POWERTOOLS_SERVICE_NAME} names one
     * @param env     the function's environment: its name, version and memory size, and the log level
     */
    public FunctionLog(String service, Map<String, String> env, PrintStream out, Clock clock, Invocations invocations) {
        String named = env.get("POWERTOOLS_SERVICE_NAME");
        this.service = named == null || named.isBlank() ? service : named.trim();
        this.env = Map.copyOf(env);
        this.threshold = LogLevel.of(env);
        this.out = out;
        this.clock = clock;
        this.invocations = invocations;
    }

    /** The Lambda function's log: its environment, the system clock, this process's invocations. */
    public static FunctionLog standard(String service, PrintStream out) {
        return new FunctionLog(service, System.getenv(), out, Clock.systemUTC(), Invocations.PROCESS);
    }

    /** A log that writes nothing (the CLI prints its own report). */
    public static FunctionLog silent(String service) {
        return new FunctionLog(service, Map.of(), new PrintStream(OutputStream.nullOutputStream()), Clock.systemUTC(),
                new Invocations(Optional::empty));
    }

    public String service() {
        return service;
    }

    /**
     * Starts an invocation: its request id and trace id go on every line until the next one. The container's first
     * also publishes the {@code ColdStart} metric, as Powertools Metrics does.
     */
    public Invocations.Current begin(String requestId) {
        Invocations.Current now = invocations.begin(requestId);
        if (now.coldStart()) {
            metrics(new MetricLine().group(List.of(), MetricLine.Metric.count("ColdStart", 1)));
        }
        return now;
    }

    public boolean enabled(LogLevel level) {
        return level.atLeast(threshold);
    }

    /** An entry of the current invocation, when {@code level} is enabled. */
    public void log(LogLevel level, String message, Fields fields) {
        log(level, message, Optional.empty(), fields);
    }

    /** An entry naming {@code requestId} as its request (the one the caller was given) rather than the current one. */
    public void log(LogLevel level, String message, Optional<String> requestId, Fields fields) {
        if (!enabled(level)) {
            return;
        }
        Invocations.Current now = invocations.current();
        out.println(line(g -> {
            g.writeStringField("timestamp", Instant.ofEpochMilli(clock.millis()).truncatedTo(ChronoUnit.MILLIS).toString());
            g.writeStringField("level", level.name());
            g.writeStringField("service", service);
            g.writeStringField("message", message);
            function(g);
            Optional<String> request = requestId.or(now::requestId);
            if (request.isPresent()) {
                g.writeStringField("function_request_id", request.get());
            }
            g.writeBooleanField("cold_start", now.coldStart());
            if (now.traceId().isPresent()) {
                g.writeStringField("xray_trace_id", now.traceId().get());
            }
            fields.write(g);
        }));
        out.flush();
    }

    /** One embedded-metric-format document, with the current invocation's request and trace ids as properties. */
    public void metrics(MetricLine metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        Invocations.Current now = invocations.current();
        out.println(line(g -> {
            metrics.write(g, NAMESPACE, service, clock.millis());
            if (now.requestId().isPresent()) {
                g.writeStringField("function_request_id", now.requestId().get());
            }
            if (now.traceId().isPresent()) {
                g.writeStringField("xray_trace_id", now.traceId().get());
            }
        }));
        out.flush();
    }

    private void function(JsonGenerator g) throws IOException {
        String name = env.get("AWS_LAMBDA_FUNCTION_NAME");
        if (name != null) {
            g.writeStringField("function_name", name);
        }
        String version = env.get("AWS_LAMBDA_FUNCTION_VERSION");
        if (version != null) {
            g.writeStringField("function_version", version);
        }
        String memory = env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        if (memory != null && memory.matches("\\d{1,6}")) {
            g.writeNumberField("function_memory_size", Integer.parseInt(memory));
        }
    }

    private static String line(Fields fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
