package io.iamguardrail.wiring;

import io.iamguardrail.audit.KnownAlerts;
import io.iamguardrail.audit.organization.OrganizationAudit;
import io.iamguardrail.aws.DynamoDbKnownAlerts;
import io.iamguardrail.aws.MemberSessions;
import io.iamguardrail.aws.OrganizationsAccounts;
import io.iamguardrail.aws.S3AccountReports;
import io.iamguardrail.aws.SnsAlertPublisher;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.organization.MemberAccount;
import io.iamguardrail.organization.MemberRole;
import io.iamguardrail.organization.Organization;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The audit function in the hub of an organization: {@code DEPLOYMENT_MODE} ({@code account}, the default, or
 * {@code hub}), {@code MEMBER_ROLE_NAME} (required in a hub), {@code MEMBER_EXTERNAL_ID} (what the member role's trust
 * requires), and {@link AuditEnvironment}'s variables for the rest. A bad value fails the function's init with the reason.
 */
public final class HubAuditEnvironment {

    private HubAuditEnvironment() {
    }

    /** True in a hub; false in a single account; a misspelt mode fails. */
    public static boolean hub(Map<String, String> env) {
        String mode = env.getOrDefault("DEPLOYMENT_MODE", "").strip();
        if (mode.isEmpty() || mode.equals("account")) {
            return false;
        }
        if (mode.equals("hub")) {
            return true;
        }
        throw new IllegalStateException("expected DEPLOYMENT_MODE to be account or hub but found `" + mode + "`");
    }

    /** The member role named by the environment. */
    public static MemberRole role(Map<String, String> env) {
        String name = env.getOrDefault("MEMBER_ROLE_NAME", "").strip();
        if (name.isEmpty()) {
            throw new IllegalStateException("expected the environment variable MEMBER_ROLE_NAME (the role the hub"
                    + " assumes in each member account) in hub mode but it is not set");
        }
        try {
            return new MemberRole(name, Optional.ofNullable(env.get("MEMBER_EXTERNAL_ID")));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("MEMBER_ROLE_NAME or MEMBER_EXTERNAL_ID: " + e.getMessage());
        }
    }

    /** The partition of a region: {@code aws-cn} in China, {@code aws-us-gov} in GovCloud, {@code aws} elsewhere. */
    public static String partition(String region) {
        String r = region == null ? "" : region;
        return r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
    }

    /** The hub's use case with the production clients, or empty outside a hub. */
    public static Optional<OrganizationAudit> fromEnvironment(Map<String, String> env, S3Client s3, SnsClient sns,
                                                              DynamoDbClient dynamo) {
        if (!hub(env)) {
            return Optional.empty();
        }
        MemberRole role = role(env);
        StsClient sts = StsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        MemberSessions sessions = new MemberSessions(sts, role, partition(env.get("AWS_REGION")), Clock.systemUTC());
        Organization organization = new OrganizationsAccounts(UrlConnectionHttpClient.create(),
                DefaultCredentialsProvider.create(), OrganizationsAccounts.endpoint(env), "us-east-1", Clock.systemUTC());
        return Optional.of(audit(env, organization, MemberAuditing.memberIam(sessions), s3, sns, dynamo));
    }

    /** The hub's use case with the given organization and member IAM clients (tests pass emulator ones). */
    public static OrganizationAudit audit(Map<String, String> env, Organization organization,
                                          BiFunction<MemberAccount, String, IamClient> memberIam, S3Client s3,
                                          SnsClient sns, DynamoDbClient dynamo) {
        role(env);
        AuditEnvironment.Settings s = AuditEnvironment.settings(env);
        KnownAlerts alerts = s.table().isPresent() && dynamo != null
                ? new DynamoDbKnownAlerts(dynamo, s.table().get()) : KnownAlerts.NONE;
        MemberAuditing audits = new MemberAuditing(memberIam, s, ManagedPolicySnapshot.bundled(), alerts, Clock.systemUTC());
        return new OrganizationAudit(organization, audits, new S3AccountReports(s3, s.bucket()),
                new SnsAlertPublisher(sns, s.topic()), AuditEnvironment.TOOL, Clock.systemUTC());
    }
}
