package io.iamguardrail.wiring;

import io.iamguardrail.aws.AccountScope;
import io.iamguardrail.aws.AwsIamPort;
import io.iamguardrail.aws.CloudTrailConfirmation;
import io.iamguardrail.aws.DynamoDbAlertedFindings;
import io.iamguardrail.aws.DynamoDbEventLedger;
import io.iamguardrail.aws.DynamoDbOwnChanges;
import io.iamguardrail.aws.DynamoDbRateGuard;
import io.iamguardrail.aws.DynamoDbSnapshotStore;
import io.iamguardrail.aws.KmsSigner;
import io.iamguardrail.aws.LiveIamState;
import io.iamguardrail.aws.ReadRate;
import io.iamguardrail.aws.S3BackupStore;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.pipeline.AlertPublisher;
import io.iamguardrail.pipeline.AlertedFindings;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailIdentity;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.LiveAssessor;
import io.iamguardrail.pipeline.OperationsCopy;
import io.iamguardrail.remediation.EventGate;
import io.iamguardrail.remediation.Executor;
import io.iamguardrail.remediation.OwnChanges;
import io.iamguardrail.remediation.PlanOnly;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.remediation.RateGuard;
import io.iamguardrail.remediation.RecordingIamPort;
import io.iamguardrail.remediation.Remediator;
import io.iamguardrail.remediation.Signer;
import io.iamguardrail.remediation.SnapshotStore;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.OfflineState;
import io.iamguardrail.state.ReadOnce;

import java.time.Clock;
import java.util.Optional;

/**
 * The one composition root of the evaluator: the function, {@code replay} and {@code invoke} all build their use
 * case here, so that what they check, record and may write cannot drift apart.
 */
public final class EvaluatorWiring {

    private static final Clock CLOCK = Clock.systemUTC();

    private EvaluatorWiring() {
    }

    /** Reading IAM, publishing to the topic, remediating when the mode and a backup bucket allow it. */
    public static GuardrailService live(EvaluatorSetup s, AwsClients clients, DecisionLog log) {
        return live(s, clients, log, Optional.empty());
    }

    /**
     * For a hub's {@code member} account: {@code clients} read IAM and CloudTrail in that account, and the records
     * it keeps in the hub's table and bucket carry its id ({@link AccountScope}); its alerts name it.
     */
    static GuardrailService live(EvaluatorSetup s, AwsClients clients, DecisionLog log,
                                 Optional<MemberAccount> member) {
        AccountScope scope = member.map(m -> AccountScope.member(m.id())).orElse(AccountScope.OWN);
        LiveIamState state = new LiveIamState(clients.iam(), ManagedPolicySnapshot.bundled(), 400, CLOCK,
                ReadRate.perSecond(s.iamReadsPerSecond()));
        boolean function = s.scope() == EvaluatorSetup.Scope.FUNCTION;
        // Without a topic nothing is published, so nothing is recorded as processed either.
        EventLedger ledger = s.table().filter(t -> function || s.topicArn().isPresent())
                .<EventLedger>map(t -> new DynamoDbEventLedger(clients.dynamo(), t, CLOCK)).orElse(EventLedger.NONE);
        AlertedFindings alerted = s.table().filter(t -> function)
                .<AlertedFindings>map(t -> new DynamoDbAlertedFindings(clients.dynamo(), t, CLOCK))
                .orElse(AlertedFindings.NONE);
        OwnChanges own = s.table().filter(t -> function)
                .<OwnChanges>map(t -> new DynamoDbOwnChanges(clients.dynamo(), t, CLOCK, scope))
                .orElseGet(() -> OwnChanges.inMemory(CLOCK));
        // The evaluator reads once per batch; the remediation's verification always reads IAM itself.
        ReadOnce reads = new ReadOnce(state);
        EventEvaluator evaluator = evaluator(s, reads, own);
        return new GuardrailService(evaluator, publisher(s, clients), ledger, log, state::calls,
                remediator(s, clients, own, new LiveAssessor(state, evaluator), scope), alerted,
                member.map(MemberAccount::name), reads);
    }

    /**
     * State from the event and the bundled AWS managed policies; nothing read from AWS, nothing written.
     * {@code why} is what the alert says instead of acting, when it should say it.
     */
    public static GuardrailService offline(EvaluatorSetup s, AlertPublisher publisher, DecisionLog log,
                                           Optional<String> why) {
        EventEvaluator evaluator = evaluator(s, new OfflineState(ManagedPolicySnapshot.bundled()),
                OwnChanges.inMemory(CLOCK));
        return new GuardrailService(evaluator, publisher, EventLedger.NONE, log, () -> 0,
                new PlanOnly(new Planner(s.config(), CLOCK), why));
    }

    private static EventEvaluator evaluator(EvaluatorSetup s, IamState state, OwnChanges own) {
        return new EventEvaluator(state, s.config(), GuardrailIdentity.of(s.guardrailRoleArn(), s.guardrailRoleArns(),
                own), s.stack());
    }

    private static AlertPublisher publisher(EvaluatorSetup s, AwsClients clients) {
        if (s.topicArn().isEmpty()) {
            return alert -> "not published (no topic)";
        }
        AlertPublisher alerts = new SnsAlertPublisher(clients.sns(), s.topicArn().get());
        return s.operationsTopicArn().<AlertPublisher>map(ops -> new OperationsCopy(alerts,
                new SnsAlertPublisher(clients.sns(), ops))).orElse(alerts);
    }

    /**
     * REMEDIATE acts only with a backup store. Without a MAC key backups are written unsigned (restore refuses them
     * unless told otherwise) and no snapshot is kept in the table: a snapshot nobody can verify is never written back.
     */
    private static Remediator remediator(EvaluatorSetup s, AwsClients clients, OwnChanges own, LiveAssessor assessor,
                                         AccountScope scope) {
        GuardrailConfig config = s.config();
        Planner planner = new Planner(config, CLOCK);
        if (config.mode() != GuardrailConfig.Mode.REMEDIATE) {
            return new PlanOnly(planner);
        }
        if (s.backupBucket().isEmpty()) {
            return new PlanOnly(planner, Optional.of("no backup store: BACKUP_BUCKET is not set"));
        }
        boolean function = s.scope() == EvaluatorSetup.Scope.FUNCTION;
        Signer signer = s.macKeyId().<Signer>map(key -> new KmsSigner(clients.kms().get(), key)).orElse(Signer.NONE);
        int max = config.remediation().maxPerMinute();
        SnapshotStore snapshots = s.table().filter(t -> signer.keyId().isPresent())
                .<SnapshotStore>map(t -> new DynamoDbSnapshotStore(clients.dynamo(), t, signer, CLOCK, scope))
                .orElseGet(() -> function ? SnapshotStore.NONE : SnapshotStore.inMemory());
        RateGuard rate = s.table().filter(t -> function)
                .<RateGuard>map(t -> new DynamoDbRateGuard(clients.dynamo(), t, max, CLOCK, scope))
                .orElseGet(() -> RateGuard.inMemory(max, CLOCK));
        EventGate gate = new EventGate(CLOCK, s.maxEventAge(), s.confirmWithCloudTrail()
                ? Optional.of(new CloudTrailConfirmation(clients.cloudTrail().get())) : Optional.empty());
        return new Executor(planner, new RecordingIamPort(new AwsIamPort(clients.iam()), own),
                new S3BackupStore(clients.s3().get(), s.backupBucket().get(), signer, scope), snapshots, rate, CLOCK, assessor,
                gate);
    }
}
