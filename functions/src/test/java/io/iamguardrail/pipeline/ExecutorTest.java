package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.remediation.Backup;
import io.iamguardrail.remediation.BackupIntegrity;
import io.iamguardrail.remediation.BackupStore;
import io.iamguardrail.remediation.DeactivateAccessKey;
import io.iamguardrail.remediation.DeleteInlinePolicy;
import io.iamguardrail.remediation.DetachPolicy;
import io.iamguardrail.remediation.EventGate;
import io.iamguardrail.remediation.Executor;
import io.iamguardrail.remediation.Plan;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.Quarantine;
import io.iamguardrail.remediation.RateGuard;
import io.iamguardrail.remediation.RemediationAction;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.remediation.Remediations;
import io.iamguardrail.remediation.RemoveFromGroup;
import io.iamguardrail.remediation.RestoreBoundary;
import io.iamguardrail.remediation.RestoreDefaultVersion;
import io.iamguardrail.remediation.RestoreTrustPolicy;
import io.iamguardrail.remediation.Restorer;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.remediation.StoredBackup;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.EventEvaluatorTest.ADMIN;
import static io.iamguardrail.pipeline.EventEvaluatorTest.LAMBDA_TRUST;
import static org.assertj.core.api.Assertions.assertThat;

/** The remediation executor with an in-memory IAM: permissions, order of steps, failures reported, never silent. */
class ExecutorTest {

    static final String Q = "arn:aws:iam::123456789012:policy/iam-guardrail-quarantine";
    static final String POLICY = "arn:aws:iam::123456789012:policy/app";
    static final PrincipalRef ROLE = new PrincipalRef(PrincipalRef.Kind.ROLE, "app");
    static final PrincipalRef USER = new PrincipalRef(PrincipalRef.Kind.USER, "bob");
    static final PrincipalRef GROUP = new PrincipalRef(PrincipalRef.Kind.GROUP, "ops");

    final FakeIamPort iam = new FakeIamPort().principal(PrincipalRef.Kind.ROLE, "app", "/")
            .principal(PrincipalRef.Kind.USER, "bob", "/").principal(PrincipalRef.Kind.GROUP, "ops", "/");
    final Map<String, Backup> saved = new HashMap<>();
    final SnapshotStore snapshots = SnapshotStore.inMemory();
    final FakeAssessor assessor = new FakeAssessor();

    final BackupStore memory = new BackupStore() {
        public String nextId(String eventId) {
            return eventId + "/1";
        }

        public void save(Backup b) {
            saved.put(b.id(), b);
        }

        public StoredBackup load(String id) {
            return new StoredBackup(saved.get(id), new byte[0], Optional.empty());
        }

        public String location(String id) {
            return "memory:" + id;
        }

        public List<String> cliArguments() {
            return List.of("--backup-bucket", "b");
        }
    };

    Executor executor(BackupStore store, int perMinute) {
        GuardrailConfig config = GuardrailConfig.defaults().withMode(GuardrailConfig.Mode.REMEDIATE)
                .withRemediation(GuardrailConfig.Remediation.defaults().withQuarantinePolicy(Q));
        return new Executor(new Planner(config, Clock.systemUTC()), iam, store, snapshots,
                RateGuard.inMemory(perMinute, Clock.systemUTC()), Clock.systemUTC(), assessor, EventGate.open(Clock.systemUTC()));
    }

    static Plan plan(RemediationAction a) {
        return new Plan(List.of(a), List.of("ADMIN_ACCESS"), Optional.empty(), false, Optional.empty());
    }

    /** Each action, in a state where it has something to do. */
    List<RemediationAction> riskyState() {
        List<RemediationAction> actions = new ArrayList<>();
        for (PrincipalRef ref : List.of(ROLE, USER, GROUP)) {
            iam.attached.get(ref).add("arn:aws:iam::aws:policy/AdministratorAccess");
            actions.add(new DetachPolicy(ref, "arn:aws:iam::aws:policy/AdministratorAccess"));
            iam.inline.put(ref + "/all", ADMIN);
            actions.add(new DeleteInlinePolicy(ref, "all"));
        }
        iam.defaults.put(POLICY, "v2");
        iam.versions.put(POLICY, List.of("v2", "v1"));
        snapshots.recordCleanDefaultVersion(POLICY, iam.policyId(POLICY).orElseThrow(), "v1");
        assessor.holders.put(POLICY, List.of(ROLE));
        actions.add(new RestoreDefaultVersion(POLICY, "v2", Optional.empty()));
        iam.trust.put("app", ADMIN);
        snapshots.recordTrustPolicy(iam.principals.get(ROLE), LAMBDA_TRUST);
        actions.add(new RestoreTrustPolicy("app"));
        iam.keys.put("bob/AKIAEXAMPLE", "Active");
        actions.add(new DeactivateAccessKey("bob", "AKIAEXAMPLE"));
        iam.groups.put("bob", new java.util.LinkedHashSet<>(List.of("ops")));
        actions.add(new RemoveFromGroup("bob", "ops"));
        snapshots.recordBoundary(iam.principals.get(USER), "arn:aws:iam::123456789012:policy/boundary");
        actions.add(new RestoreBoundary(USER));
        return actions;
    }

    @Test
    void everyActionCallsOnlyTheIamActionsItDeclaresAndTheTemplateGrants() {
        for (RemediationAction a : riskyState()) {
            iam.calls.clear();
            RemediationReport r = executor(memory, 100).execute(plan(a), "evt-" + a.kind());
            assertThat(r.status()).as(a + ": " + r).isEqualTo(RemediationReport.Status.DONE);
            assertThat(a.requiredPermissions()).as(a.kind()).containsAll(iam.calls);
            assertThat(Remediations.requiredIamActions()).containsAll(iam.calls);
        }
        // A quarantine of each kind, too (and a restore of trust without a snapshot becomes one).
        for (PrincipalRef ref : List.of(ROLE, USER, GROUP)) {
            iam.calls.clear();
            RemediationAction q = new Quarantine(ref, Q);
            assertThat(executor(memory, 100).execute(plan(q), "evt-q-" + ref.name()).status()).isEqualTo(RemediationReport.Status.DONE);
            assertThat(q.requiredPermissions()).containsAll(iam.calls);
        }
        assertThat(Remediations.requiredIamActions()).contains("s3:PutObject", "s3:ListBucket", "dynamodb:GetItem",
                "dynamodb:UpdateItem", "kms:GenerateMac", "kms:VerifyMac", "cloudtrail:LookupEvents")
                .allSatisfy(x -> assertThat(x).matches("(iam|s3|dynamodb|kms|cloudtrail):[A-Z][A-Za-z]+"));
    }

    @Test
    void everyBackupTheExecutorWritesPassesRestoresChecks() {
        for (RemediationAction a : riskyState()) {
            executor(memory, 100).execute(plan(a), "evt-" + a.kind());
            Backup b = saved.get("evt-" + a.kind() + "/1");
            StoredBackup stored = new StoredBackup(b, new byte[0], Optional.empty());
            assertThat(BackupIntegrity.problems(b.id(), stored, Signer.NONE, true)).as(a.kind()).isEmpty();
        }
    }

    @Test
    void everyActionTakenIsPutBackByRestoreAndASecondRestoreFindsItInPlace() {
        for (RemediationAction a : riskyState()) {
            assertThat(executor(memory, 100).execute(plan(a), "evt-" + a.kind()).status()).as(a.kind())
                    .isEqualTo(RemediationReport.Status.DONE);
            Backup b = saved.get("evt-" + a.kind() + "/1");

            Restorer.Result first = new Restorer(iam).restore(b, false);
            assertThat(first.ok()).as(a.kind() + ": " + first.steps()).isTrue();
            assertThat(first.steps()).extracting(Restorer.Step::status).containsOnly(Restorer.Status.RESTORED);
            Restorer.Result again = new Restorer(iam).restore(b, false);
            assertThat(again.steps()).as(a.kind()).extracting(Restorer.Step::status)
                    .containsOnly(Restorer.Status.ALREADY_IN_PLACE);
        }
    }

    @Test
    void theBackupHoldsWhatWasThereBeforeTheActionActs() {
        iam.inline.put(ROLE + "/all", ADMIN);
        RemediationReport r = executor(memory, 10).execute(plan(new DeleteInlinePolicy(ROLE, "all")), "e1");
        assertThat(r.backupId()).hasValue("e1/1");
        assertThat(saved.get("e1/1").entries().get(0).values()).containsEntry("document", ADMIN)
                .containsEntry("principalKind", "ROLE").containsEntry("principalName", "app").containsEntry("policyName", "all");
        assertThat(r.undoCommand()).hasValue("java -jar functions/target/iam-guardrail.jar restore e1/1 --backup-bucket b");
    }

    @Test
    void noBackupNoAction() {
        iam.attached.get(ROLE).add(POLICY);
        BackupStore broken = new BackupStore() {
            public String nextId(String eventId) {
                return eventId + "/1";
            }

            public void save(Backup b) {
                throw new IllegalStateException("AccessDenied: s3:PutObject");
            }

            public StoredBackup load(String id) {
                throw new IllegalArgumentException(id);
            }

            public String location(String id) {
                return id;
            }

            public List<String> cliArguments() {
                return List.of();
            }
        };
        RemediationReport r = executor(broken, 10).execute(plan(new DetachPolicy(ROLE, POLICY)), "e2");
        assertThat(r.status()).isEqualTo(RemediationReport.Status.FAILED);
        assertThat(r.actions().get(0).detail()).isEqualTo("not done: the backup could not be written (IllegalStateException:"
                + " AccessDenied: s3:PutObject)");
        assertThat(iam.wroteAnything()).isFalse();
        assertThat(iam.attached.get(ROLE)).contains(POLICY);
    }

    @Test
    void aFailedRemediationIsItsOwnLoudAlert() {
        FakeIamState state = new FakeIamState().role("app", LAMBDA_TRUST, Map.of(), List.of())
                .policy("arn:aws:iam::aws:policy/AdministratorAccess", "v1", ADMIN, true);
        iam.attached.get(ROLE).add("arn:aws:iam::aws:policy/AdministratorAccess");
        iam.failing.add("iam:DetachRolePolicy");
        GuardrailConfig config = GuardrailConfig.defaults().withMode(GuardrailConfig.Mode.REMEDIATE);
        Executor executor = new Executor(new Planner(config, Clock.systemUTC()), iam, memory, snapshots,
                RateGuard.inMemory(10, Clock.systemUTC()), Clock.systemUTC(), assessor, EventGate.open(Clock.systemUTC()));
        List<Alert> published = new ArrayList<>();
        GuardrailService service = new GuardrailService(new EventEvaluator(state, config, Optional.empty()), a -> {
            published.add(a);
            return "m";
        }, EventLedger.NONE, DecisionLog.silent(), () -> 0, executor);
        GuardrailService.Outcome o = service.process(Events.json("AttachRolePolicy",
                "{\"roleName\":\"app\",\"policyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}").getBytes(StandardCharsets.UTF_8), "t");
        assertThat(o.remediation().orElseThrow().status()).isEqualTo(RemediationReport.Status.FAILED);
        assertThat(published).singleElement().satisfies(a -> {
            assertThat(a.subject()).startsWith("[CRITICAL] REMEDIATION FAILED: ");
            assertThat(a.email()).contains("FAILED DETACH_POLICY arn:aws:iam::aws:policy/AdministratorAccess: the call failed:"
                    + " IllegalStateException: AccessDenied: iam:DetachRolePolicy");
            assertThat(a.json()).containsPattern("\"notes\":\\[[^\\]]*\"automatic remediation FAILED: ");
        });
    }

    @Test
    void aLastKnownGoodTrustThatWouldAlertNowIsNeverWrittenTheRoleIsQuarantinedInstead() {
        // A planted (or since-outdated) snapshot: restoring it would open the role to everyone.
        String anyone = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}]}";
        iam.trust.put("app", ADMIN);
        snapshots.recordTrustPolicy(iam.principals.get(ROLE), anyone);
        assessor.risky(ROLE, new io.iamguardrail.remediation.Assessor.Trust(anyone), "TRUST_ANY_PRINCIPAL (CRITICAL): anyone");
        RemediationReport r = executor(memory, 10).execute(plan(new RestoreTrustPolicy("app")), "e-trust");
        assertThat(iam.calls).doesNotContain("iam:UpdateAssumeRolePolicy");
        assertThat(iam.attached.get(ROLE)).contains(Q);
        assertThat(r.summary()).contains("the last known good trust policy of role app would alert now"
                + " (TRUST_ANY_PRINCIPAL (CRITICAL): anyone): quarantined instead");
        assertThat(r.status()).isEqualTo(RemediationReport.Status.DONE);
    }

    @Test
    void doneMeansThePrincipalNoLongerAlertsOtherwisePartialWithWhatRemains() {
        iam.attached.get(ROLE).add(POLICY);
        assessor.risky(ROLE, new io.iamguardrail.remediation.Assessor.AsIs(),
                "ADMIN_ACCESS (CRITICAL): inline policy `legacy` allows every action");
        RemediationReport r = executor(memory, 10).execute(plan(new DetachPolicy(ROLE, POLICY)), "e-partial");
        assertThat(iam.attached.get(ROLE)).doesNotContain(POLICY);
        assertThat(r.status()).isEqualTo(RemediationReport.Status.PARTIAL);
        assertThat(r.summary()).endsWith("still at or above MEDIUM after acting: role app: ADMIN_ACCESS (CRITICAL): inline"
                + " policy `legacy` allows every action");
    }

    @Test
    void aQuarantinedPrincipalIsJudgedOnWhatItMayDoNotOnWhoMayAssumeIt() {
        executor(memory, 10).execute(plan(new Quarantine(ROLE, Q)), "e-q");
        assertThat(assessor.asked).containsExactly(FakeAssessor.key(ROLE, new io.iamguardrail.remediation.Assessor.PermissionsOnly()));
    }

    @Test
    void overTheBudgetARemediationIsDeferredNotDroppedAndLowerSeveritiesYieldFirst() {
        iam.attached.get(ROLE).add(POLICY);
        iam.attached.get(USER).add(POLICY);
        Executor executor = executor(memory, 2);
        RemediationReport high = executor.execute(plan(new DetachPolicy(ROLE, POLICY)), "e-h1",
                io.iamguardrail.config.Severity.HIGH, io.iamguardrail.remediation.Remediator.Journal.NONE);
        assertThat(high.status()).isEqualTo(RemediationReport.Status.DONE);
        RemediationReport secondHigh = executor.execute(plan(new DetachPolicy(USER, POLICY)), "e-h2",
                io.iamguardrail.config.Severity.HIGH, io.iamguardrail.remediation.Remediator.Journal.NONE);
        assertThat(secondHigh.status()).as("HIGH may use half of 2").isEqualTo(RemediationReport.Status.DEFERRED);
        assertThat(iam.attached.get(USER)).contains(POLICY);
        RemediationReport critical = executor.execute(plan(new DetachPolicy(USER, POLICY)), "e-c");
        assertThat(critical.status()).as("CRITICAL may use the rest").isEqualTo(RemediationReport.Status.DONE);
    }

    @Test
    void whatIsAboutToBeDoneIsWrittenDownBeforeActing() {
        iam.attached.get(ROLE).add(POLICY);
        List<String> seen = new ArrayList<>();
        executor(memory, 10).execute(plan(new DetachPolicy(ROLE, POLICY)), "e-j",
                io.iamguardrail.config.Severity.CRITICAL, planned -> {
                    seen.add(planned.status() + " " + planned.backupId().orElse("") + " attached="
                            + iam.attached.get(ROLE).contains(POLICY));
                });
        assertThat(seen).containsExactly("IN_PROGRESS e-j/1 attached=true");
    }

    @Test
    void aRemovedBoundaryWithNothingTrustworthyOnRecordIsQuarantinedNotLeftRemoved() {
        RemediationReport r = executor(memory, 10).execute(plan(new RestoreBoundary(USER)), "e-b");
        assertThat(iam.attached.get(USER)).contains(Q);
        assertThat(r.summary()).contains("no last known permissions boundary of user bob is recorded: quarantined instead");
        assertThat(r.status()).isEqualTo(RemediationReport.Status.DONE);
    }

    @Test
    void theGuardrailNeverTakesItsOwnQuarantineOff() {
        // A replayed event of the guardrail's own quarantine (AttachRolePolicy of the quarantine policy) plans a detach.
        iam.attached.get(ROLE).add(Q);
        RemediationReport r = executor(memory, 10).execute(plan(new DetachPolicy(ROLE, Q)), "e-unq");
        assertThat(iam.attached.get(ROLE)).contains(Q);
        assertThat(r.actions()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(RemediationReport.Status.SKIPPED);
            assertThat(a.detail()).startsWith("guardrail's quarantine: ");
        });
    }
}
