package io.iamguardrail.bench;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.state.OfflineState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Warm per-event latency of the evaluator's whole pipeline in offline mode (decode, state from the event and the
 * bundled snapshot, rules, alert rendering; the publish is a no-op): p50 and p99 per sample of a folder of events,
 * after warm-up rounds. Run by bench/events.sh; a measurement, never a test.
 */
public final class EventBench {

    private EventBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "events");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("manifest.json"))
                    .sorted().toList();
        }
        List<byte[]> events = new ArrayList<>();
        for (Path f : files) {
            events.add(Files.readAllBytes(f));
        }
        long t0 = System.nanoTime();
        GuardrailService service = new GuardrailService(new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                GuardrailConfig.defaults(), Optional.empty()), alert -> "bench", EventLedger.NONE, DecisionLog.silent(),
                () -> 0L);
        long init = System.nanoTime() - t0;
        long first = 0;
        for (int round = 0; round < warmup; round++) {
            long s = System.nanoTime();
            for (byte[] e : events) {
                service.process(e, "bench");
            }
            if (round == 0) {
                first = System.nanoTime() - s;
            }
        }
        long[][] samples = new long[events.size()][measured];
        for (int round = 0; round < measured; round++) {
            for (int i = 0; i < events.size(); i++) {
                long s = System.nanoTime();
                service.process(events.get(i), "bench");
                samples[i][round] = System.nanoTime() - s;
            }
        }
        System.out.printf("evaluator pipeline, offline, warm JVM: %d events, %d warm-up rounds, %d measured%n",
                events.size(), warmup, measured);
        System.out.printf("  service construction: %.1f ms; first round over all events (cold JIT): %.1f ms%n",
                init / 1e6, first / 1e6);
        System.out.printf("  %-58s %10s %10s%n", "event", "p50 us", "p99 us");
        long[] p50s = new long[events.size()];
        for (int i = 0; i < events.size(); i++) {
            long[] s = samples[i].clone();
            Arrays.sort(s);
            p50s[i] = s[s.length / 2];
            System.out.printf("  %-58s %10.1f %10.1f%n", files.get(i).getFileName(), s[s.length / 2] / 1e3,
                    s[(int) (s.length * 0.99)] / 1e3);
        }
        Arrays.sort(p50s);
        System.out.printf("  %-58s %10.1f %10.1f%n", "median over events / worst event p50", p50s[p50s.length / 2] / 1e3,
                p50s[p50s.length - 1] / 1e3);
    }
}
