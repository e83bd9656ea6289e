package io.iamguardrail.bench;

import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.audit.AuditHtml;
import io.iamguardrail.audit.AuditJson;
import io.iamguardrail.audit.AuditReport;
import io.iamguardrail.audit.AuthorizationDetailsReader;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The live heap after each phase of one account's audit, as the audit function holds it: the account read, the sweep,
 * the JSON of the report while it is uploaded, then its HTML (the store asks for one text after the other and encodes
 * each as it sends it). Run by bench/audit-heap.sh; a measurement, never a
 * test. Usage: AuditHeapPhases DETAILS_FILE
 */
public final class AuditHeapPhases {

    private AuditHeapPhases() {
    }

    public static void main(String[] args) throws Exception {
        ManagedPolicySnapshot bundled = ManagedPolicySnapshot.bundled();
        print("catalogue and managed policies loaded", 0);
        AccountSnapshot account = AuthorizationDetailsReader.read(Files.readAllBytes(Path.of(args[0])), args[0]);
        print("account read (" + account.roles().size() + " roles)", 0);
        long t = System.nanoTime();
        AuditReport report = new Audit(GuardrailConfig.defaults(), AccessAdvisor.NONE, bundled, 90, 1000,
                Clock.systemUTC()).run(account, Optional.empty());
        print("swept (" + report.findingCount() + " findings)", System.nanoTime() - t);
        t = System.nanoTime();
        String json = AuditJson.write(report, "bench");
        print("JSON written (" + json.length() / 1024 + " K chars), being uploaded", System.nanoTime() - t);
        int jsonLength = json.length();
        // The store uploads it encoded chunk by chunk, then drops it before the HTML is written.
        json = null;
        t = System.nanoTime();
        String html = AuditHtml.write(report);
        print("HTML written (" + html.length() / 1024 + " K chars), being uploaded", System.nanoTime() - t);
        if (jsonLength == 0 || html.isEmpty() || account.roles().isEmpty()) {
            throw new IllegalStateException("nothing was audited");
        }
    }

    private static void print(String phase, long nanos) {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf("  %-44s live heap %5d MB%s%n", phase, (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024),
                nanos == 0 ? "" : String.format("  (%d ms)", nanos / 1_000_000));
    }
}
