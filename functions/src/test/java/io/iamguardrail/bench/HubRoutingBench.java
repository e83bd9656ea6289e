package io.iamguardrail.bench;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.pipeline.AccountRouter;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.Guardrail;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Invocation;
import io.iamguardrail.state.OfflineState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a hub's routing adds to each event: the same offline pipeline over the samples of events/, once as the
 * guardrail of their account and once as a hub's member account (the router decodes the event, checks the envelope
 * and recipient, asks the organization, picks the account's service). Prints the median of the per-event p50s side by
 * side and their ratio. Run by bench/hub.sh; a measurement, never a test.
 */
public final class HubRoutingBench {

    static final String SAMPLES_ACCOUNT = "123456789012";
    static final String HUB = "210987654321";

    private HubRoutingBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "events");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        List<byte[]> events = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json") && !p.endsWith("manifest.json")).sorted().toList()) {
                events.add(Files.readAllBytes(f));
            }
        }
        Guardrail single = service();
        AccountRouter hub = new AccountRouter(service(), Organization.of(List.of(
                new MemberAccount(SAMPLES_ACCOUNT, "workloads-a"))), member -> service(), DecisionLog.silent());
        Invocation asSingle = new Invocation("bench", Optional.of(SAMPLES_ACCOUNT), Instant.now().plusSeconds(3600));
        Invocation asHub = new Invocation("bench", Optional.of(HUB), Instant.now().plusSeconds(3600));
        List<byte[]> judged = new ArrayList<>();
        for (byte[] e : events) {
            // Only the events both judge alike: the rest (another account, no recipient) stop early in both.
            if (single.process(e, asSingle).decision().verdict() == hub.process(e, asHub).decision().verdict()
                    && single.process(e, asSingle).decision().verdict() != Verdict.SKIPPED) {
                judged.add(e);
            }
        }
        double singleP50 = medianP50(single, asSingle, judged, warmup, measured);
        double hubP50 = medianP50(hub, asHub, judged, warmup, measured);
        System.out.printf("hub routing, offline pipeline, warm JVM: %d of %d samples judged alike, %d warm-up rounds,"
                + " %d measured%n", judged.size(), events.size(), warmup, measured);
        System.out.printf("  %-40s %12s%n", "", "median p50 us");
        System.out.printf("  %-40s %12.1f%n", "single account", singleP50);
        System.out.printf("  %-40s %12.1f%n", "hub, member account", hubP50);
        System.out.printf("  %-40s %12.2f%n", "ratio hub / single", hubP50 / singleP50);
    }

    private static GuardrailService service() {
        return new GuardrailService(new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                GuardrailConfig.defaults(), Optional.empty()), alert -> "bench", EventLedger.NONE, DecisionLog.silent(),
                () -> 0L);
    }

    /** The median over events of each event's p50, in microseconds. */
    private static double medianP50(Guardrail g, Invocation invocation, List<byte[]> events, int warmup, int measured) {
        for (int round = 0; round < warmup; round++) {
            for (byte[] e : events) {
                g.process(e, invocation);
            }
        }
        long[][] samples = new long[events.size()][measured];
        for (int round = 0; round < measured; round++) {
            for (int i = 0; i < events.size(); i++) {
                long s = System.nanoTime();
                g.process(events.get(i), invocation);
                samples[i][round] = System.nanoTime() - s;
            }
        }
        double[] p50s = new double[events.size()];
        for (int i = 0; i < events.size(); i++) {
            long[] s = samples[i].clone();
            Arrays.sort(s);
            p50s[i] = s[s.length / 2] / 1e3;
        }
        Arrays.sort(p50s);
        return p50s[p50s.length / 2];
    }
}
