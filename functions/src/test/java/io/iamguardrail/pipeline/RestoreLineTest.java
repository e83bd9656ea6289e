package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.remediation.Backup;
import io.iamguardrail.remediation.BackupStore;
import io.iamguardrail.remediation.DeleteInlinePolicy;
import io.iamguardrail.remediation.Executor;
import io.iamguardrail.remediation.PastedCommand;
import io.iamguardrail.remediation.Plan;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RateGuard;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert's `restore` line, pasted: the backup id starts with the event's id and the bucket is the operator's, and
 * neither may run anything in the shell of the person undoing a remediation.
 */
class RestoreLineTest {

    static final PrincipalRef ROLE = new PrincipalRef(PrincipalRef.Kind.ROLE, "app");

    @TempDir
    Path folder;

    final FakeIamPort iam = new FakeIamPort().principal(PrincipalRef.Kind.ROLE, "app", "/");
    final Map<String, Backup> saved = new HashMap<>();

    BackupStore store(String bucket) {
        return new BackupStore() {
            public String nextId(String eventId) {
                return eventId + "/1";
            }

            public void save(Backup b) {
                saved.put(b.id(), b);
            }

            public io.iamguardrail.remediation.StoredBackup load(String id) {
                return new io.iamguardrail.remediation.StoredBackup(saved.get(id), new byte[0], Optional.empty());
            }

            public String location(String id) {
                return "memory:" + id;
            }

            public List<String> cliArguments() {
                return List.of("--backup-bucket", bucket);
            }
        };
    }

    RemediationReport remediate(String eventId, String bucket) {
        iam.inline.put(ROLE + "/all", EventEvaluatorTest.ADMIN);
        GuardrailConfig config = GuardrailConfig.defaults().withMode(GuardrailConfig.Mode.REMEDIATE);
        Executor executor = new Executor(new Planner(config, Clock.systemUTC()), iam, store(bucket),
                SnapshotStore.inMemory(), RateGuard.inMemory(10, Clock.systemUTC()), Clock.systemUTC(), new FakeAssessor(),
                io.iamguardrail.remediation.EventGate.open(Clock.systemUTC()));
        Plan plan = new Plan(List.of(new DeleteInlinePolicy(ROLE, "all")), List.of("ADMIN_ACCESS"),
                Optional.empty(), false, Optional.empty());
        return executor.execute(plan, eventId);
    }

    @Test
    void aPlainBackupIdReadsAsBefore() {
        assertThat(remediate("e1", "b").undoCommand())
                .hasValue("java -jar functions/target/iam-guardrail.jar restore e1/1 --backup-bucket b");
    }

    @Test
    void aForgedEventIdInTheBackupIdArrivesIntactAndRunsNothing() throws Exception {
        for (String eventId : List.of("$(id>pwned)", "`id>pwned`", "e1;id>pwned", "e1 | id>pwned", "it's\"$(id>pwned)\"")) {
            RemediationReport r = remediate(eventId, "guardrail-backups");
            String line = r.undoCommand().orElseThrow();

            assertThat(PastedCommand.words(line, folder)).as(line).containsExactly("java", "-jar",
                    "functions/target/iam-guardrail.jar", "restore", eventId + "/1", "--backup-bucket", "guardrail-backups");
            assertThat(Files.exists(folder.resolve("pwned"))).as("`%s` ran something", line).isFalse();
        }
    }
}
