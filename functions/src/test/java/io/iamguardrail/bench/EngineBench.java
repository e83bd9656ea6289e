package io.iamguardrail.bench;

import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Engine throughput on a folder of policies in a warm JVM: parse + all rules per policy. The first round is reported
 * apart (cold JIT); the next WARMUP rounds let the JIT reach its steady state and are not counted; medians are over
 * the MEASURED rounds after them, per-policy times from the last. Run by bench/engine.sh; a measurement,
 * never a test. Usage: EngineBench [DIR] [WARMUP] [MEASURED]
 */
public final class EngineBench {

    private EngineBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/corpus/aws-managed-policies");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int rounds = 1 + warmup + measured;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        List<byte[]> docs = new ArrayList<>();
        for (Path f : files) {
            docs.add(Files.readAllBytes(f));
        }
        long t0 = System.nanoTime();
        Engine engine = Rules.engine().build();
        long init = System.nanoTime() - t0;
        long[] perPolicy = new long[docs.size()];
        long[] totals = new long[rounds];
        // CPU time of this thread next to wall time: on a machine shared with other builds, wall time measures the
        // neighbours as much as the engine.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] cpu = new long[rounds];
        int findings = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long cpuStart = threads.getCurrentThreadCpuTime();
            findings = 0;
            for (int i = 0; i < docs.size(); i++) {
                long s = System.nanoTime();
                SourcedPolicy p = new SourcedPolicy("p", "p", SourcedPolicy.Origin.STANDALONE, PolicyParser.parse(docs.get(i), null));
                findings += engine.evaluate(Subject.of(p)).findings().size();
                long e = System.nanoTime() - s;
                if (round == rounds - 1) {
                    perPolicy[i] = e;
                }
            }
            totals[round] = System.nanoTime() - start;
            cpu[round] = threads.getCurrentThreadCpuTime() - cpuStart;
        }
        long[] parseOnly = new long[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            for (byte[] doc : docs) {
                PolicyParser.parse(doc, null);
            }
            parseOnly[round] = System.nanoTime() - start;
        }
        Arrays.sort(parseOnly);
        long[] sorted = perPolicy.clone();
        Arrays.sort(sorted);
        long[] sortedTotals = Arrays.copyOfRange(totals, rounds - measured, rounds);
        Arrays.sort(sortedTotals);
        double medianMs = sortedTotals[measured / 2] / 1e6;
        cpu = Arrays.copyOfRange(cpu, rounds - measured, rounds);
        Arrays.sort(cpu);
        System.out.printf("engine: %d policies, %d findings; 1 cold round, %d warm-up rounds, %d measured%n", docs.size(),
                findings, warmup, measured);
        System.out.printf("  catalogue + knowledge + rules load : %8.1f ms%n", init / 1e6);
        System.out.printf("  first round (cold JIT)             : %8.1f ms%n", totals[0] / 1e6);
        System.out.printf("  warm round, median                 : %8.1f ms  (%.0f policies/s)%n", medianMs, docs.size() / (medianMs / 1000));
        System.out.printf("  warm round, median CPU time        : %8.1f ms%n", cpu[measured / 2] / 1e6);
        System.out.printf("  fastest warm round, wall / CPU     : %8.1f / %.1f ms%n", sortedTotals[0] / 1e6, cpu[0] / 1e6);
        System.out.printf("  of which parsing alone, median     : %8.1f ms%n", parseOnly[rounds / 2] / 1e6);
        System.out.printf("  per policy p50 / p99 / max         : %8.1f / %.1f / %.1f us%n", sorted[sorted.length / 2] / 1e3,
                sorted[(int) (sorted.length * 0.99)] / 1e3, sorted[sorted.length - 1] / 1e3);
        System.out.println("  slowest ten policies (last round):");
        Integer[] idx = new Integer[docs.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingLong((Integer i) -> perPolicy[i]).reversed());
        for (int k = 0; k < Math.min(10, idx.length); k++) {
            System.out.printf("    %8.1f us  %6d bytes  %s%n", perPolicy[idx[k]] / 1e3, docs.get(idx[k]).length,
                    files.get(idx[k]).getFileName());
        }
    }
}
