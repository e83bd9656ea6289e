package io.iamguardrail;

import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Findings depend on what a policy means, not on how it is written. */
class PropertiesTest {

    private static final List<String> ACTIONS = List.of("*", "iam:PassRole", "iam:*", "s3:GetObject", "s3:*",
            "lambda:CreateFunction", "lambda:InvokeFunction", "ec2:RunInstances", "kms:Decrypt", "sts:AssumeRole",
            "cloudtrail:StopLogging", "iam:CreateAccessKey", "secretsmanager:GetSecretValue", "iam:PasRole", "s3:Get*",
            "logs:CreateLogGroup", "ec2:CreateTags");
    private static final List<String> RESOURCES = List.of("*", "arn:aws:s3:::bucket/*", "arn:aws:iam::*:role/*",
            "arn:aws:iam::123456789012:role/app");
    private static final List<String> CONDITIONS = List.of("", ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}",
            ",\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}");

    record St(String effect, List<String> actions, List<String> resources, String condition, String sid) {
        String json(boolean singleAsString, String space) {
            return "{" + space + (sid == null ? "" : "\"Sid\":\"" + sid + "\"," + space) + "\"Effect\":\"" + effect + "\","
                    + space + "\"Action\":" + list(actions, singleAsString) + "," + space + "\"Resource\":"
                    + list(resources, singleAsString) + condition + space + "}";
        }
    }

    private static String list(List<String> values, boolean singleAsString) {
        if (values.size() == 1 && singleAsString) {
            return "\"" + values.get(0) + "\"";
        }
        return "[" + String.join(",", values.stream().map(v -> "\"" + v + "\"").toList()) + "]";
    }

    private static String policy(List<St> statements, boolean singleAsString, String space) {
        List<String> parts = new ArrayList<>();
        statements.forEach(s -> parts.add(s.json(singleAsString, space)));
        return "{\"Version\":\"2012-10-17\"," + space + "\"Statement\":[" + String.join("," + space, parts) + "]}";
    }

    /** What a finding means, without where it is written: rule, severity and the statement's Sid-free identity. */
    private static Set<String> meaning(Report r) {
        Set<String> out = new TreeSet<>();
        for (Finding f : r.findings()) {
            out.add(f.ruleId() + "/" + f.severity());
        }
        return out;
    }

    @Provide
    Arbitrary<St> statement() {
        return Combinators.combine(Arbitraries.of("Allow", "Allow", "Deny"),
                Arbitraries.of(ACTIONS).list().ofMinSize(1).ofMaxSize(3).uniqueElements(),
                Arbitraries.of(RESOURCES).list().ofMinSize(1).ofMaxSize(2).uniqueElements(),
                Arbitraries.of(CONDITIONS), Arbitraries.of("A", "B", "Stmt1")).as(St::new);
    }

    @Property(tries = 150)
    void statementOrderDoesNotChangeFindings(@ForAll("statements") List<St> statements, @ForAll long seed) {
        List<St> shuffled = new ArrayList<>(statements);
        Collections.shuffle(shuffled, new Random(seed));
        assertThat(meaning(Policies.check(policy(shuffled, false, ""))))
                .isEqualTo(meaning(Policies.check(policy(statements, false, ""))));
    }

    @Property(tries = 150)
    void aStringAndAOneElementArrayAreTheSame(@ForAll("statements") List<St> statements) {
        assertThat(meaning(Policies.check(policy(statements, true, ""))))
                .isEqualTo(meaning(Policies.check(policy(statements, false, ""))));
    }

    @Property(tries = 100)
    void renamingSidsAndWhitespaceChangeNoFindingIds(@ForAll("statements") List<St> statements) {
        List<St> renamed = statements.stream().map(s -> new St(s.effect(), s.actions(), s.resources(), s.condition(),
                s.sid() == null ? "Renamed" : s.sid() + "X")).toList();
        Report original = Policies.check(policy(statements, false, ""));
        Report other = Policies.check(policy(renamed, false, "\n   "));
        assertThat(other.findings().stream().map(Finding::ruleId).sorted().toList())
                .isEqualTo(original.findings().stream().map(Finding::ruleId).sorted().toList());
    }

    @Provide
    Arbitrary<List<St>> statements() {
        return statement().list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 500)
    void theParserNeverThrowsOnJunk(@ForAll @Size(max = 300) String junk) {
        ParseResult r = PolicyParser.parse(junk, null);
        assertThat(r.document().isPresent() || !r.diagnostics().isEmpty()).isTrue();
    }

    @Property(tries = 300)
    void theEngineNeverThrowsOnMutatedPolicies(@ForAll("statements") List<St> statements, @ForAll int cut, @ForAll char insert) {
        String json = policy(statements, false, "");
        int at = Math.floorMod(cut, json.length());
        String mutated = json.substring(0, at) + insert + json.substring(Math.min(json.length(), at + 1));
        Report r = Policies.check(mutated);
        assertThat(r.findings()).noneMatch(f -> f.ruleId().equals("ENGINE_ERROR"));
    }
}
