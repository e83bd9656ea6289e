package io.iamguardrail.engine;

import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;
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
        Engine engine = Rules.engine().build();
        ParseResult shared = parse();
        SourcedPolicy managed = new SourcedPolicy("arn:aws:iam::123456789012:policy/deploy v3", "deploy",
                SourcedPolicy.Origin.MANAGED, shared);

        Report first = engine.evaluate(Subject.of(managed));
        Report again = engine.evaluate(Subject.of(managed));
        Report fresh = Rules.engine().build().evaluate(Subject.of(new SourcedPolicy(
                "arn:aws:iam::123456789012:policy/deploy v3", "deploy", SourcedPolicy.Origin.MANAGED, parse())));

        assertThat(first.findings()).isNotEmpty();
        assertThat(again.findings()).isEqualTo(first.findings()).isEqualTo(fresh.findings());
        // The typo'd action is reported from the kept matches as well.
        assertThat(again.findings()).anyMatch(f -> f.message().contains("CreatePolicyVersionn"));
        assertThat(engine.managedMatchesKept(managed)).isEqualTo(2);
    }

    @Test
    void policyFilesAndInlinePoliciesAreNotKept() {
        Engine engine = Rules.engine().build();
        SourcedPolicy file = new SourcedPolicy("policy.json", "policy.json", SourcedPolicy.Origin.STANDALONE, parse());
        SourcedPolicy inline = new SourcedPolicy("inline", "inline", SourcedPolicy.Origin.INLINE, parse());
        engine.evaluate(Subject.of(file));
        engine.evaluate(Subject.of(inline));

        assertThat(engine.managedMatchesKept(file)).isZero();
        assertThat(engine.managedMatchesKept(inline)).isZero();
    }

    @Test
    void anotherEngineOfTheProcessFindsTheMatchesKept() {
        // Priming's engine (the samples' account) and the engine of real events (another account) are different.
        SourcedPolicy managed = new SourcedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess v1", "ReadOnlyAccess",
                SourcedPolicy.Origin.MANAGED, parse());
        Engine priming = Rules.engine().config(io.iamguardrail.config.GuardrailConfig.defaults()
                .withAccountId("111122223333")).build();
        Report primed = priming.evaluate(Subject.of(managed));

        Engine live = Rules.engine().config(io.iamguardrail.config.GuardrailConfig.defaults()
                .withAccountId("444455556666")).build();

        assertThat(live.managedMatchesKept(managed)).isEqualTo(2);
        assertThat(live.evaluate(Subject.of(managed)).findings()).isEqualTo(primed.findings());
    }
}
