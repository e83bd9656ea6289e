package io.iamguardrail.pipeline;

import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.remediation.Plan;
import io.iamguardrail.remediation.Planner;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/** Resource-policy changes in real time: judged from the event, alerted, never remediated. */
class ResourcePolicyChangeTest {

    private static final String PUBLIC_WRITE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::acme-assets\",\"arn:aws:s3:::acme-assets/*\"]}]}";

    private static GuardrailConfig config(String yaml) throws Exception {
        return new ConfigLoader(Rules.configurableIds()).load(yaml, "test.yaml");
    }

    private static Decision evaluate(GuardrailConfig config, String eventName, String request) {
        return new EventEvaluator(new FakeIamState(), config, Optional.empty()).evaluate(Events.event(eventName, request));
    }

    @Test
    void aPublicBucketPolicyIsCriticalAndNamesTheBucket() throws Exception {
        Decision d = evaluate(config("{}"), "PutBucketPolicy", "{\"bucketName\":\"acme-assets\",\"bucketPolicy\":" + PUBLIC_WRITE + "}");
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(d.target()).contains("bucket policy of acme-assets");
        Finding f = d.findings().stream().filter(x -> x.ruleId().equals("RESOURCE_PUBLIC")).findFirst().orElseThrow();
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(d.notes()).anyMatch(n -> n.startsWith("alert only"));
    }

    @Test
    void theAttackerCannotTurnAnAlertOnlyEventIntoAQuarantineOfARoleTheyName() throws Exception {
        // A forged or odd record that carries a roleName beside a public bucket policy: in REMEDIATE mode with a
        // quarantine policy and QUARANTINE chosen, nothing is planned against that role.
        GuardrailConfig remediate = config("mode: REMEDIATE\nremediation:\n  quarantinePolicyArn: "
                + "\"arn:aws:iam::123456789012:policy/iam-guardrail-quarantine\"\nrules:\n  RESOURCE_PUBLIC: { remediate: true, action: QUARANTINE }\n");
        Decision d = evaluate(remediate, "PutBucketPolicy", "{\"bucketName\":\"acme-assets\",\"roleName\":\"break-glass-admin\","
                + "\"bucketPolicy\":" + PUBLIC_WRITE + "}");
        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        Plan p = new Planner(remediate, Clock.systemUTC()).plan(d);
        assertThat(p.actions()).isEmpty();
        assertThat(p.toString()).contains("alert only");
    }

    @Test
    void policiesAsJsonTextAreReadAndASafeOneIsNoAlert() throws Exception {
        String safe = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},"
                + "\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:eu-west-1:123456789012:orders\","
                + "\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:eu-west-1:123456789012:order-events\"}}}]}";
        Decision ok = evaluate(config("{}"), "SetQueueAttributes", "{\"queueUrl\":\"https://sqs.eu-west-1.amazonaws.com/123456789012/orders\","
                + "\"attributes\":{\"Policy\":" + quoted(safe) + "}}");
        assertThat(ok.verdict()).as("%s", ok.findings()).isEqualTo(Verdict.NO_ALERT);
        Decision noSource = evaluate(config("{}"), "SetQueueAttributes", "{\"queueUrl\":\"https://sqs.eu-west-1.amazonaws.com/123456789012/orders\","
                + "\"attributes\":{\"Policy\":" + quoted(safe.replace(",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:sns:eu-west-1:123456789012:order-events\"}}", "")) + "}}");
        assertThat(noSource.findings()).extracting(Finding::ruleId).contains("RESOURCE_SERVICE_CONFUSED_DEPUTY");
        Decision broken = evaluate(config("{}"), "SetTopicAttributes", "{\"topicArn\":\"arn:aws:sns:eu-west-1:123456789012:t\","
                + "\"attributeName\":\"Policy\",\"attributeValue\":\"{not json\"}");
        assertThat(broken.verdict()).isNotEqualTo(Verdict.ERROR);
        assertThat(broken.notes()).anyMatch(n -> n.contains("is not JSON"));
    }

    @Test
    void aGrantOrAclToTheWorldAndAWeakenedPublicAccessBlockAreReported() throws Exception {
        Decision acl = evaluate(config("{}"), "PutBucketAcl", "{\"bucketName\":\"b\",\"x-amz-acl\":[\"public-read-write\"]}");
        assertThat(acl.findings()).singleElement().satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.CRITICAL));
        Decision block = evaluate(config("{}"), "PutBucketPublicAccessBlock", "{\"bucketName\":\"b\",\"PublicAccessBlockConfiguration\":"
                + "{\"BlockPublicAcls\":true,\"IgnorePublicAcls\":true,\"BlockPublicPolicy\":false,\"RestrictPublicBuckets\":true}}");
        assertThat(block.findings()).singleElement().satisfies(f -> assertThat(f.message()).contains("BlockPublicPolicy"));
        Decision fullBlock = evaluate(config("{}"), "PutBucketPublicAccessBlock", "{\"bucketName\":\"b\",\"PublicAccessBlockConfiguration\":"
                + "{\"BlockPublicAcls\":true,\"IgnorePublicAcls\":true,\"BlockPublicPolicy\":true,\"RestrictPublicBuckets\":true}}");
        assertThat(fullBlock.findings()).isEmpty();
        // An exemption for the bucket silences it, as for any other finding.
        Decision exempt = evaluate(config("exemptions:\n  - principal: \"ACL of bucket b\"\n    rules: [RESOURCE_PUBLIC]\n    reason: \"public website\"\n"),
                "PutBucketAcl", "{\"bucketName\":\"b\",\"x-amz-acl\":[\"public-read\"]}");
        assertThat(exempt.findings()).isEmpty();
    }

    @Test
    void sameNamesOfOtherServicesAreNotTakenForThem() {
        assertThat(ResourcePolicyChange.handles(Events.event("PutResourcePolicy", "{\"policyName\":\"logs\",\"policyDocument\":\"{}\"}"))).isFalse();
        assertThat(ResourcePolicyChange.handles(Events.event("PutResourcePolicy", "{\"secretId\":\"s\",\"resourcePolicy\":\"{}\"}"))).isTrue();
        assertThat(List.of("AddPermission", "CreateGrant")).noneMatch(n -> ResourcePolicyChange.handles(Events.event(n, "{}")));
    }
}
