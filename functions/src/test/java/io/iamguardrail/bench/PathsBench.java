package io.iamguardrail.bench;

import com.sun.management.ThreadMXBean;
import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.rules.Rules;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The privilege graph's cost at IAM's quota scale ({@link QuotaAccount}): the offline audit with PRIVILEGE_PATH and
 * without it, alternating, in one warm JVM; wall time, this thread's CPU time and its allocation per run, medians of
 * the measured runs, and the heap the paths keep. Run by bench/paths.sh; a measurement, never a test.
 * Usage: PathsBench [WARMUP] [MEASURED]
 */
public final class PathsBench {

    private PathsBench() {
    }

    private record Run(long wallMs, long cpuMs, long allocatedMb, AuditReport report) {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        AccountSnapshot account = QuotaAccount.generate(19);
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T04:00:00Z"), ZoneOffset.UTC);
        GuardrailConfig off = new ConfigLoader(Rules.configurableIds()).load("rules:\n  PRIVILEGE_PATH: { enabled: false }\n",
                "bench.yaml");
        Audit with = new Audit(GuardrailConfig.defaults(), AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90, 1000, clock);
        Audit without = new Audit(off, AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90, 1000, clock);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[][] figures = new long[2][];
        long[][] wall = {new long[measured], new long[measured]};
        long[][] cpu = {new long[measured], new long[measured]};
        long[][] alloc = {new long[measured], new long[measured]};
        AuditReport last = null;
        for (int round = 0; round < warmup + measured; round++) {
            for (int mode = 0; mode < 2; mode++) {
                Run run = run(mode == 0 ? without : with, account, threads);
                if (round >= warmup) {
                    wall[mode][round - warmup] = run.wallMs();
                    cpu[mode][round - warmup] = run.cpuMs();
                    alloc[mode][round - warmup] = run.allocatedMb();
                }
                if (mode == 1) {
                    last = run.report();
                }
            }
        }
        figures[0] = new long[]{median(wall[0]), median(cpu[0]), median(alloc[0])};
        figures[1] = new long[]{median(wall[1]), median(cpu[1]), median(alloc[1])};
        long hops = last.paths().stream().mapToLong(p -> p.hops().size()).sum();
        long critical = last.paths().stream().filter(p -> p.severity().name().equals("CRITICAL")).count();
        long potential = last.paths().stream().filter(PrivilegePath::potential).count();
        System.out.printf("account: %d roles, %d users, %d groups, %d customer-managed policies%n", account.roles().size(),
                account.users().size(), account.groups().size(), account.policies().size());
        System.out.printf("paths found: %d (%d critical, %d with a potential hop), %d hops in them, longest %d%n",
                last.paths().size(), critical, potential, hops,
                last.paths().stream().mapToInt(p -> p.hops().size()).max().orElse(0));
        System.out.printf("%-34s %8s %8s %12s%n", "median of " + measured + " warm runs", "wall ms", "CPU ms", "allocated MB");
        System.out.printf("%-34s %8d %8d %12d%n", "audit without PRIVILEGE_PATH", figures[0][0], figures[0][1], figures[0][2]);
        System.out.printf("%-34s %8d %8d %12d%n", "audit with PRIVILEGE_PATH", figures[1][0], figures[1][1], figures[1][2]);
        System.out.printf("%-34s %8d %8d %12d   (x%.2f the audit's wall time)%n", "the graph's share (difference)",
                figures[1][0] - figures[0][0], figures[1][1] - figures[0][1], figures[1][2] - figures[0][2],
                figures[1][0] / (double) Math.max(1, figures[0][0]));
        System.gc();
        long held = used();
        last = null;
        System.gc();
        System.out.printf("heap held by the last report with its paths: %d MB%n", Math.max(0, held - used()) / (1 << 20));
    }

    private static Run run(Audit audit, AccountSnapshot account, ThreadMXBean threads) {
        long id = Thread.currentThread().getId();
        long a0 = threads.getThreadAllocatedBytes(id);
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        AuditReport report = audit.run(account, Optional.empty());
        long t1 = System.nanoTime();
        return new Run((t1 - t0) / 1_000_000, (threads.getCurrentThreadCpuTime() - c0) / 1_000_000,
                (threads.getThreadAllocatedBytes(id) - a0) >> 20, report);
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
