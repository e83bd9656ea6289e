package io.iamguardrail.wiring;

import io.iamguardrail.aws.Clients;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.organization.MemberStack;
import io.iamguardrail.organization.Organization;
import io.iamguardrail.pipeline.AccountRouter;
import io.iamguardrail.pipeline.BatchEnd;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.Guardrail;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Invocation;
import io.iamguardrail.tamper.OwnStack;
import io.iamguardrail.tamper.StackResources;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.iam.IamClient;

import java.util.Optional;
import java.util.function.Function;

/**
 * The evaluator of a hub, composed from {@link EvaluatorWiring}'s one-account services: the hub's own account with
 * the function's clients, and each member account, on its first event, with IAM and CloudTrail clients that sign with
 * that account's member-role session. Its table, bucket, key and topics stay the hub's.
 */
public final class HubWiring {

    private HubWiring() {
    }

    /**
     * How a hub reaches its members.
     *
     * @param partition the partition of the member roles' ARNs
     * @param clients   the clients a member account is read and changed with, given its session's credentials
     */
    public record Hub(Organization organization, MemberSessions sessions, MemberRole role, String partition,
                      MemberClients clients) {
    }

    /** The IAM and CloudTrail clients of one member account, signing with the credentials given. */
    public record MemberClients(Function<AwsCredentialsProvider, IamClient> iam,
                                Function<AwsCredentialsProvider, CloudTrailClient> cloudTrail) {

        /** The production settings ({@link Clients}), the member session's credentials. */
        public static MemberClients standard() {
            return new MemberClients(c -> Clients.iamBuilder().credentialsProvider(c).build(),
                    c -> Clients.cloudTrailBuilder().credentialsProvider(c).build());
        }
    }

    public static AccountRouter live(EvaluatorSetup s, AwsClients own, DecisionLog log, Hub hub) {
        return new AccountRouter(EvaluatorWiring.live(s, own, log), hub.organization(),
                member -> member(s, own, log, hub, member), log);
    }

    /** One member account's service, opening (or renewing) the member session in the event's name first. */
    private static Guardrail member(EvaluatorSetup s, AwsClients own, DecisionLog log, Hub hub, MemberAccount member) {
        String account = member.id();
        AwsCredentialsProvider credentials = hub.sessions().credentials(account);
        AwsClients clients = new AwsClients(hub.clients().iam().apply(credentials), own.sns(), own.dynamo(), own.s3(),
                own.kms(), () -> hub.clients().cloudTrail().apply(credentials));
        GuardrailService service = EvaluatorWiring.live(memberSetup(s, hub, account), clients, log,
                Optional.of(member));
        return new Guardrail() {
            @Override
            public GuardrailService.Outcome process(EventDecoder.Decoded decoded, Invocation invocation) {
                Optional<CloudTrailEvent> event = decoded.event();
                String eventId = event.map(CloudTrailEvent::eventId).orElse("unknown");
                try {
                    hub.sessions().open(account, "event-" + eventId);
                } catch (RuntimeException e) {
                    // Nothing can be read in the account: the event is not judged, and the delivery fails.
                    Decision d = Decision.error(eventId, event.map(CloudTrailEvent::eventName).orElse("unknown"),
                            "could not assume "
                            + hub.role().arnIn(hub.partition(), account) + " in member account " + account + ": "
                            + e.getClass().getSimpleName() + ": " + e.getMessage());
                    log.record(d, invocation.requestId(), 0, Optional.empty());
                    return new GuardrailService.Outcome(d, Optional.empty(), Optional.empty());
                }
                return service.process(decoded, invocation);
            }

            @Override
            public GuardrailConfig config() {
                return service.config();
            }

            @Override
            public void beginBatch(List<EventDecoder.Decoded> events, Invocation invocation) {
                service.beginBatch(events, invocation);
            }

            @Override
            public BatchEnd endBatch() {
                return service.endBatch();
            }
        };
    }

    /**
     * In a member account the guardrail is its member role: the loop guard and the misuse rule know that role, and a
     * change to it, or to the member stack's forwarding rules, role and policies, is a change to the guardrail. The
     * hub's own roles never act there; a quarantine attaches that account's own quarantine policy.
     */
    static EvaluatorSetup memberSetup(EvaluatorSetup s, Hub hub, String account) {
        String roleArn = hub.role().arnIn(hub.partition(), account);
        OwnStack stack = new OwnStack(StackResources.parse(MemberStack.resources(hub.role().name())), Optional.empty(),
                Optional.empty());
        GuardrailConfig config = s.config().withRemediation(s.config().remediation()
                .withQuarantinePolicy(MemberStack.quarantinePolicyArn(hub.partition(), account))
                .withGuardrailRole(roleArn)
                .withGuardrailRole("arn:" + hub.partition() + ":iam::" + account + ":role/" + MemberStack.FORWARD_ROLE));
        return new EvaluatorSetup(config, s.topicArn(), s.operationsTopicArn(), s.table(), Optional.of(roleArn),
                Optional.of(roleArn), stack, s.backupBucket(), s.macKeyId(), s.maxEventAge(), s.confirmWithCloudTrail(),
                s.scope(), s.iamReadsPerSecond());
    }
}
