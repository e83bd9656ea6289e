package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A name pattern that matches the policy itself, the principal itself or names it may create is no scope. */
class SelfNamesTest {

    private static final Engine ENGINE = Rules.engine().build();

    private static SourcedPolicy managed(String name, String json) {
        return new SourcedPolicy("team.json", name, SourcedPolicy.Origin.MANAGED, PolicyParser.parse(json, PolicyKind.IDENTITY));
    }

    private static List<Finding> escalations(Subject s) {
        return ENGINE.evaluate(s).findings().stream().filter(f -> f.ruleId().equals("PRIVILEGE_ESCALATION")).toList();
    }

    @Test
    void aPolicyVersionPatternThatMatchesThePolicyItselfIsNoScope() {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:CreatePolicyVersion\","
                + "\"Resource\":\"arn:aws:iam::111122223333:policy/team-*\"}]}";
        Subject own = new Subject("team.json", Optional.of("arn:aws:iam::111122223333:role/team-dev"), Subject.Type.ROLE,
                Optional.empty(), List.of(managed("team-tools", doc)), Optional.empty());
        List<Finding> found = escalations(own);
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.message()).contains("resource `arn:aws:iam::111122223333:policy/team-*` does not scope it:"
                    + " it matches `policy/team-tools`, the policy itself");
        });
        // The same grant in a policy whose name the pattern does not match scopes it to the team's other policies.
        Subject other = new Subject("team.json", Optional.of("arn:aws:iam::111122223333:role/ops"), Subject.Type.ROLE,
                Optional.empty(), List.of(managed("ops-tools", doc)), Optional.empty());
        assertThat(escalations(other)).isEmpty();
    }

    @Test
    void passRoleOnANamePatternItMayCreateIsNoScope() {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateRole\",\"iam:AttachRolePolicy\"],\"Resource\":\"arn:aws:iam::111122223333:role/*-admin\"},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\",\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],"
                + "\"Resource\":[\"arn:aws:iam::111122223333:role/*-admin\",\"arn:aws:lambda:us-east-1:111122223333:function:*\"]}]}";
        Subject s = new Subject("ci.json", Optional.of("arn:aws:iam::111122223333:role/ci"), Subject.Type.ROLE,
                Optional.empty(), List.of(managed("ci-deployer", doc)), Optional.empty());
        List<Finding> found = escalations(s);
        assertThat(found).as("%s", ENGINE.evaluate(s).findings()).isNotEmpty();
        assertThat(found).anySatisfy(f -> assertThat(f.message()).contains("does not scope it: it matches names it may create (`iam:CreateRole`"));
    }
}
