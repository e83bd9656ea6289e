package io.iamguardrail.bench;

import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.AuditHtml;
import io.iamguardrail.audit.AuditJson;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.organization.AccountReports;
import io.iamguardrail.audit.organization.AccountRow;
import io.iamguardrail.audit.organization.OrganizationHtml;
import io.iamguardrail.audit.organization.OrganizationJson;
import io.iamguardrail.audit.organization.OrganizationReport;
import io.iamguardrail.audit.organization.RollUp;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.cli.FolderReports;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.organization.MemberAccount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The roll-up of an organization's per-account reports: ACCOUNTS accounts, each audited for real (the same sweep as
 * the hub's) over 5 to 60 roles whose inline policies are AWS managed policies of the corpus, one in a hundred failed
 * (failed.json) and one in a hundred without any file (expected, missing). The reports are written into DIR once;
 * then the roll-up (read every report, build the organization report, write its JSON and HTML) is timed ROUNDS times.
 * Run by bench/rollup.sh; a measurement, never a test. Usage: RollUpBench CORPUS_DIR DIR [ACCOUNTS] [ROUNDS]
 */
public final class RollUpBench {

    private RollUpBench() {
    }

    public static void main(String[] args) throws IOException {
        Path corpus = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        int accounts = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        List<String> docs = new ArrayList<>();
        try (Stream<Path> s = Files.list(corpus)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                docs.add(Files.readString(f));
            }
        }
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);
        Random random = new Random(1000);
        List<MemberAccount> expected = new ArrayList<>();
        long written = 0;
        long generate = System.nanoTime();
        long principals = 0;
        for (int i = 0; i < accounts; i++) {
            String id = String.format("%012d", 100_000_000_000L + i * 7919L);
            expected.add(new MemberAccount(id, "workloads-" + i));
            Path folder = dir.resolve(id);
            if (i % 100 == 42) {
                continue; // its invocation timed out: nothing was written
            }
            Files.createDirectories(folder);
            if (i % 100 == 7) {
                Files.writeString(folder.resolve("failed.json"), AccountReports.failureJson(expected.get(i), "2026-12-07",
                        clock.instant(), "StsException: User: arn:aws:sts::210987654321:assumed-role/iam-guardrail-audit/fn"
                                + " is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + id
                                + ":role/iam-guardrail-member"));
                continue;
            }
            List<AccountSnapshot.Role> roles = new ArrayList<>();
            for (int r = 0, n = 5 + random.nextInt(56); r < n; r++) {
                String trust = r % 9 == 0 ? "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}"
                        : "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                        + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
                roles.add(new AccountSnapshot.Role("service-" + r, "arn:aws:iam::" + id + ":role/service-" + r, "/",
                        Optional.of(Instant.parse("2026-01-01T00:00:00Z")), trust,
                        Map.of("inline", docs.get(random.nextInt(docs.size()))), List.of(), Optional.empty(),
                        Optional.of(Instant.parse("2026-12-01T00:00:00Z"))));
            }
            principals += roles.size();
            AuditReport report = new Audit(GuardrailConfig.defaults().withAccountId(id), AccessAdvisor.NONE,
                    ManagedPolicySnapshot.bundled(), 90, 1000, clock).run(new AccountSnapshot(Optional.of(id), roles,
                    List.of(), List.of(), Map.of()), Optional.empty());
            String json = AuditJson.write(report, "bench");
            written += json.length();
            Files.writeString(folder.resolve("report.json"), json);
            Files.writeString(folder.resolve("report.html"), AuditHtml.write(report));
        }
        generate = System.nanoTime() - generate;
        System.out.printf("roll-up: %d accounts (%d principals audited for the reports, %.1f s; %d MB of report.json)%n",
                accounts, principals, generate / 1e9, written / (1024 * 1024));

        long[] totals = new long[rounds];
        long[] read = new long[rounds];
        OrganizationReport report = null;
        int bytes = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            report = RollUp.of("2026-12-07", expected, new FolderReports(dir), clock.instant());
            read[round] = System.nanoTime() - start;
            String json = OrganizationJson.write(report, "bench");
            String html = OrganizationHtml.write(report);
            bytes = json.length() + html.length();
            totals[round] = System.nanoTime() - start;
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long used = rt.totalMemory() - rt.freeMemory();
        System.out.printf("  accounts audited / failed / missing  : %d / %d / %d, %d findings%n",
                report.with(AccountRow.Status.AUDITED).size(),
                report.with(AccountRow.Status.FAILED).size(),
                report.with(AccountRow.Status.MISSING).size(), report.findings());
        System.out.printf("  first round (cold JIT, cold cache)   : %8.0f ms (reading %.0f ms)%n", totals[0] / 1e6, read[0] / 1e6);
        long[] warm = Arrays.copyOfRange(totals, 1, rounds);
        Arrays.sort(warm);
        long[] warmRead = Arrays.copyOfRange(read, 1, rounds);
        Arrays.sort(warmRead);
        if (warm.length > 0) {
            System.out.printf("  later rounds, median                 : %8.0f ms (reading %.0f ms) = %.2f ms per account%n",
                    warm[warm.length / 2] / 1e6, warmRead[warmRead.length / 2] / 1e6, warm[warm.length / 2] / 1e6 / accounts);
        }
        System.out.printf("  organization report, JSON + HTML     : %8d KB%n", bytes / 1024);
        System.out.printf("  heap in use after the roll-up        : %8d MB (max heap %d MB)%n", used / (1024 * 1024),
                rt.maxMemory() / (1024 * 1024));
    }
}
