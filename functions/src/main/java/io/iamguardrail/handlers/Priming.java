package io.iamguardrail.handlers;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.pipeline.AlertBuilder;
import io.iamguardrail.pipeline.Decision;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.Verdict;
import io.iamguardrail.state.OfflineState;
import org.crac.Context;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * SnapStart priming: before the snapshot, run a bundled risky event through the whole offline path (decode, rules,
 * alert rendering), so that the snapshot already holds the loaded catalogue, the loaded classes and the warmed code
 * the first real invocation would otherwise pay for. No network call is made: a snapshot must not hold connections.
 */
final class Priming implements Resource {

    static final String EVENT = "/priming/event.json";

    /** A cheap, read-only call that takes an SDK client through its whole request path once. */
    record ClientWarmup(String name, Runnable call) {
    }

    private final GuardrailConfig config;
    private final PrintStream log;
    private final java.util.List<ClientWarmup> clients;
    private volatile Optional<Verdict> primed = Optional.empty();

    Priming(GuardrailConfig config, PrintStream log) {
        this(config, log, java.util.List.of());
    }

    Priming(GuardrailConfig config, PrintStream log, java.util.List<ClientWarmup> clients) {
        this.config = config;
        this.log = log;
        this.clients = java.util.List.copyOf(clients);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime("beforeCheckpoint");
    }

    /**
     * Runs the bundled event offline, then each client warm-up. A failed warm-up (no permission, emulator down) is
     * logged and skipped: priming must never stop the function from starting.
     */
    void prime(String phase) {
        long start = System.nanoTime();
        byte[] event = bundledEvent();
        EventEvaluator evaluator = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), config,
                Optional.empty());
        Decision decision = evaluator.evaluate(EventDecoder.decode(event).event().orElseThrow(
                () -> new IllegalStateException("the bundled priming event " + EVENT + " does not decode")));
        if (decision.verdict() == Verdict.ALERT) {
            AlertBuilder.build(decision, new io.iamguardrail.remediation.PlanOnly(
                    new io.iamguardrail.remediation.Planner(config, java.time.Clock.systemUTC())).remediate(decision));
        }
        long offline = System.nanoTime();
        StringBuilder warmed = new StringBuilder();
        for (ClientWarmup w : clients) {
            try {
                w.call().run();
                warmed.append(warmed.length() == 0 ? "" : ",").append('"').append(w.name()).append('"');
            } catch (RuntimeException e) {
                log.printf("{\"priming\":\"%s\",\"client\":\"%s\",\"skipped\":\"%s\"}%n", phase, w.name(),
                        e.getClass().getSimpleName());
            }
        }
        primed = Optional.of(decision.verdict());
        log.printf("{\"priming\":\"%s\",\"verdict\":\"%s\",\"offlineMillis\":%d,\"clients\":[%s],\"millis\":%d}%n",
                phase, decision.verdict(), (offline - start) / 1_000_000, warmed, (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        log.printf("{\"priming\":\"afterRestore\",\"primed\":%s}%n", primed.isPresent());
    }

    Optional<Verdict> primed() {
        return primed;
    }

    static byte[] bundledEvent() {
        try (InputStream in = Priming.class.getResourceAsStream(EVENT)) {
            if (in == null) {
                throw new IllegalStateException("the priming event " + EVENT + " is missing from the package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
