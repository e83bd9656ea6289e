package io.iamguardrail.telemetry;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The invocation a function is handling, as its log lines and metrics name it: Lambda's request id, the X-Ray trace
 * id and whether it is the container's first (a cold start, also after a SnapStart restore: the snapshot is taken
 * before any invocation). A Lambda container handles one invocation at a time, so the process has one current
 * invocation ({@link #PROCESS}); tests make their own.
 */
public final class Invocations {

    /** The system property the Java runtime sets to each invocation's trace header (its environment cannot change). */
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
    static final String TRACE_VARIABLE = "_X_AMZN_TRACE_ID";

    /** This process's invocations, their trace header from the runtime's property, else the environment variable. */
    public static final Invocations PROCESS = new Invocations(() -> Optional.ofNullable(System.getProperty(TRACE_PROPERTY))
            .filter(h -> !h.isBlank()).or(() -> Optional.ofNullable(System.getenv(TRACE_VARIABLE))));

    /** What the log lines of one invocation carry. */
    public record Current(Optional<String> requestId, Optional<String> traceId, boolean coldStart) {
        /** Before the first invocation (init, priming, a CLI run). */
        static final Current NONE = new Current(Optional.empty(), Optional.empty(), false);
    }

    private final Supplier<Optional<String>> traceHeader;
    private boolean started;
    private volatile Current current = Current.NONE;

    public Invocations(Supplier<Optional<String>> traceHeader) {
        this.traceHeader = traceHeader;
    }

    /** A new invocation: the first one of the container is the cold start. */
    public synchronized Current begin(String requestId) {
        boolean cold = !started;
        started = true;
        current = new Current(Optional.ofNullable(requestId), traceHeader.get().flatMap(Invocations::rootOf), cold);
        return current;
    }

    public Current current() {
        return current;
    }

    /**
     * The trace id of a trace header ({@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=...;Sampled=1}), as
     * Powertools logs it: the {@code Root} value alone.
     */
    static Optional<String> rootOf(String header) {
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith("Root=") && p.length() > "Root=".length()) {
                return Optional.of(p.substring("Root=".length()));
            }
        }
        return Optional.empty();
    }
}
