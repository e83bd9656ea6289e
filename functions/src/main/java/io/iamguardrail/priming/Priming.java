package io.iamguardrail.priming;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.pipeline.AlertBuilder;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.state.OfflineState;
import org.crac.Context;
import org.crac.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * SnapStart priming: before the snapshot, run a bundled risky event through the whole offline path (decode, rules,
 * alert rendering), so that the snapshot already holds the loaded catalogue, the loaded classes and the warmed code
 * the first real invocation would otherwise pay for. Then the bundled samples (an administrator attachment, the
 * ReadOnlyAccess attachment, trust policies, a NotAction grant, a privilege escalation) round after round until the
 * rules' code is compiled: one event leaves most of the engine's paths interpreted, and the first real event of
 * another kind paid 10-50 ms for it. This offline part makes no network call: a snapshot must not hold connections.
 */
public final class Priming implements Resource {

    static final String EVENT = "/priming/event.json";

    /** Copies of events/ samples that together take the engine through its costliest paths. */
    public static final List<String> SAMPLES = List.of("attach-role-policy-admin",
            "attach-role-policy-readonly", "update-assume-role-policy-any-principal", "create-policy-version-privesc",
            "put-role-policy-not-action", "create-access-key-for-other-user", "create-role-github-oidc-no-sub",
            "put-group-policy-iam-star");

    /**
     * Rounds over the samples: C1, Lambda's compiler for Java 17 and later, compiles a method after about 200
     * calls, and a round calls most rule methods a few times. Bounded by {@link #SAMPLE_BUDGET_NANOS} as well.
     */
    static final int SAMPLE_ROUNDS = 200;
    /** Priming runs before the snapshot, off the request path, but it must not stretch a deployment. */
    static final long SAMPLE_BUDGET_NANOS = 2_000_000_000L;

    /** A cheap, read-only call that takes an SDK client through its whole request path once. */
    public record ClientWarmup(String name, Runnable call) {
    }

    private final GuardrailConfig config;
    private final PrintStream log;
    private final List<ClientWarmup> clients;
    private volatile Optional<Verdict> primed = Optional.empty();

    public Priming(GuardrailConfig config, PrintStream log) {
        this(config, log, List.of());
    }

    public Priming(GuardrailConfig config, PrintStream log, List<ClientWarmup> clients) {
        this.config = config;
        this.log = log;
        this.clients = List.copyOf(clients);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime("beforeCheckpoint");
    }

    /**
     * Runs the bundled event offline, then each client warm-up. A failed warm-up (no permission, emulator down) is
     * logged and skipped: priming must never stop the function from starting.
     */
    public void prime(String phase) {
        long start = System.nanoTime();
        byte[] event = bundledEvent();
        EventEvaluator evaluator = new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), config,
                Optional.empty());
        Decision decision = evaluator.evaluate(EventDecoder.decode(event).event().orElseThrow(
                () -> new IllegalStateException("the bundled priming event " + EVENT + " does not decode")));
        render(decision);
        int rounds = warmOnSamples(evaluator);
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
        boolean shrinks = SnapshotHeap.shrinkOnNextCollection();
        if (phase.equals("init")) {
            // Priming leaves the garbage of a few hundred evaluations. Before a snapshot the runtime client collects
            // it (after the hooks); priming in init has no snapshot after it, so it collects here, and the heap-free
            // ratios just set let the collection give the emptied heap back.
            System.gc();
        }
        log.printf("{\"priming\":\"%s\",\"verdict\":\"%s\",\"sampleRounds\":%d,\"offlineMillis\":%d,\"clients\":[%s],"
                + "\"heapShrinks\":%s,\"millis\":%d}%n", phase, decision.verdict(), rounds, (offline - start) / 1_000_000,
                warmed, shrinks, (System.nanoTime() - start) / 1_000_000);
    }

    private void render(Decision decision) {
        if (decision.verdict() == Verdict.ALERT) {
            AlertBuilder.build(decision, new PlanOnly(
                    new Planner(config, Clock.systemUTC())).remediate(decision));
        }
    }

    /** Evaluates and renders every sample, round after round; gives the rounds run. */
    private int warmOnSamples(EventEvaluator evaluator) {
        List<CloudTrailEvent> samples = SAMPLES.stream().map(name -> EventDecoder.decode(
                resource("/priming/samples/" + name + ".json")).event().orElseThrow(() -> new IllegalStateException(
                "the priming sample " + name + " does not decode"))).toList();
        long deadline = System.nanoTime() + SAMPLE_BUDGET_NANOS;
        int rounds = 0;
        while (rounds < SAMPLE_ROUNDS && System.nanoTime() < deadline) {
            for (CloudTrailEvent sample : samples) {
                render(evaluator.evaluate(sample));
            }
            rounds++;
        }
        return rounds;
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        log.printf("{\"priming\":\"afterRestore\",\"primed\":%s}%n", primed.isPresent());
    }

    public Optional<Verdict> primed() {
        return primed;
    }

    public static byte[] bundledEvent() {
        return resource(EVENT);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Priming.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the priming event " + name + " is missing from the package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
