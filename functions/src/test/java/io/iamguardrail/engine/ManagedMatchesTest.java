package io.iamguardrail.engine;

import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A managed policy version parsed once and evaluated event after event (as the warm evaluator does) keeps its
 * catalogue matches; the findings must be exactly those of a fresh evaluation, and policy files are never kept.
 */
class ManagedMatchesTest {

    private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"iam:PassRole\",\"lambda:CreateFunction\",\"lambda:InvokeFunction\",\"s3:Get*\",\"ec2:Describe*\"],"
            + "\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"iam:CreatePolicyVersionn\",\"Resource\":\"*\"}]}";

    private static ParseResult parse() {
        return PolicyParser.parse(DOC.getBytes(StandardCharsets.UTF_8), PolicyKind.IDENTITY);
    }

    @Test
    void aManagedVersionEvaluatedAgainGivesTheSameFindingsAndIsLookedUpOnce() {
        Engine engine = Engine.builder().build();
        ParseResult shared = parse();
        SourcedPolicy managed = new SourcedPolicy("arn:aws:iam::123456789012:policy/deploy v3", "deploy",
                SourcedPolicy.Origin.MANAGED, shared);

        Report first = engine.evaluate(Subject.of(managed));
        Report again = engine.evaluate(Subject.of(managed));
        Report fresh = Engine.builder().build().evaluate(Subject.of(new SourcedPolicy(
                "arn:aws:iam::123456789012:policy/deploy v3", "deploy", SourcedPolicy.Origin.MANAGED, parse())));

        assertThat(first.findings()).isNotEmpty();
        assertThat(again.findings()).isEqualTo(first.findings()).isEqualTo(fresh.findings());
        // The typo'd action is reported from the kept matches as well.
        assertThat(again.findings()).anyMatch(f -> f.message().contains("CreatePolicyVersionn"));
        assertThat(engine.managedMatchesKept()).isEqualTo(2);
    }

    @Test
    void policyFilesAndInlinePoliciesAreNotKept() {
        Engine engine = Engine.builder().build();
        engine.evaluate(Subject.of(new SourcedPolicy("policy.json", "policy.json", SourcedPolicy.Origin.STANDALONE, parse())));
        engine.evaluate(Subject.of(new SourcedPolicy("inline", "inline", SourcedPolicy.Origin.INLINE, parse())));

        assertThat(engine.managedMatchesKept()).isZero();
    }
}
