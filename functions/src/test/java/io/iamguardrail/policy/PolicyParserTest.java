package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyParserTest {

    private static PolicyDocument doc(String json) {
        ParseResult r = PolicyParser.parse(json, null);
        assertThat(r.diagnostics()).as("diagnostics of %s", json).isEmpty();
        return r.document().orElseThrow();
    }

    private static List<Diagnostic> problems(String json) {
        return PolicyParser.parse(json, null).diagnostics();
    }

    @Test
    void statementAsObjectAndStringsBecomeLists() {
        PolicyDocument d = doc("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"S3:GetObject\",\"Resource\":\"*\"}}");
        Statement s = d.statements().get(0);
        assertThat(s.actions()).isInstanceOf(ActionSpec.Listed.class);
        ActionPattern a = s.actions().patterns().get(0);
        assertThat(a.service()).isEqualTo("s3");
        assertThat(a.name()).isEqualTo("getobject");
        assertThat(a.raw()).isEqualTo("S3:GetObject");
        assertThat(s.at().pointer()).isEqualTo("/Statement");
        assertThat(a.at().pointer()).isEqualTo("/Statement/Action");
    }

    @Test
    void notActionAndNotResourceAreTheirOwnVariants() {
        PolicyDocument d = doc("{\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\"],\"NotResource\":\"arn:aws:s3:::b\"}]}");
        Statement s = d.statements().get(0);
        assertThat(s.actions()).isInstanceOf(ActionSpec.Not.class);
        assertThat(s.resources()).isInstanceOf(ResourceSpec.Not.class);
        assertThat(d.version()).isEmpty();
    }

    @Test
    void principalsInEveryForm() {
        PolicyDocument d = doc("""
                {"Version":"2008-10-17","Statement":[
                 {"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},
                 {"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::210987654321:root","arn:aws:iam::123456789012:role/x","*"]},"Action":"sts:AssumeRole"},
                 {"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com","Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":["sts:AssumeRoleWithWebIdentity"]}]}""");
        assertThat(PolicyKind.detect(d)).isEqualTo(PolicyKind.TRUST);
        Principal star = d.statements().get(0).principals().orElseThrow().principals().get(0);
        assertThat(star.isEveryone()).isTrue();
        List<Principal> aws = d.statements().get(1).principals().orElseThrow().principals();
        assertThat(aws.get(0).isAccountRoot()).isTrue();
        assertThat(aws.get(0).account()).contains("123456789012");
        assertThat(aws.get(1).isAccountRoot()).isTrue();
        assertThat(aws.get(1).account()).contains("210987654321");
        assertThat(aws.get(2).isAccountRoot()).isFalse();
        assertThat(aws.get(3).isEveryone()).isTrue();
        List<Principal> other = d.statements().get(2).principals().orElseThrow().principals();
        assertThat(other).extracting(Principal::type).containsExactly(Principal.Type.SERVICE,
                Principal.Type.FEDERATED, Principal.Type.CANONICAL_USER);
    }

    @Test
    void conditionOperatorsAreNormalised() {
        PolicyDocument d = doc("""
                {"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{
                  "ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*","b"]},
                  "bool":{"aws:SecureTransport":true},
                  "NumericLessThan":{"s3:max-keys":10}}}]}""");
        List<Condition> c = d.statements().get(0).conditions();
        assertThat(c.get(0).operator()).isEqualTo("StringLike");
        assertThat(c.get(0).ifExists()).isTrue();
        assertThat(c.get(0).setOperator()).isEqualTo(Condition.SetOperator.FOR_ALL_VALUES);
        assertThat(c.get(0).values()).containsExactly("a*", "b");
        assertThat(c.get(1).operator()).isEqualTo("Bool");
        assertThat(c.get(1).values()).containsExactly("true");
        assertThat(c.get(2).values()).containsExactly("10");
    }

    @Test
    void urlEncodedDocumentsAreDecodedOnlyWhenAsked() {
        String raw = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::b/a+b%20c\"}]}";
        String encoded = URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
        PolicyDocument decoded = PolicyParser.parseUrlEncoded(encoded, null).document().orElseThrow();
        ResourceSpec.Listed r = (ResourceSpec.Listed) decoded.statements().get(0).resources();
        assertThat(r.patterns().get(0).value()).isEqualTo("arn:aws:s3:::b/a+b%20c");
        assertThat(PolicyParser.parse(encoded, null).diagnostics()).isNotEmpty();
    }

    @Test
    void errorsSayWhatWasExpectedWhatWasFoundAndWhere() {
        List<Diagnostic> d = problems("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},\n"
                + "{\"Effect\":\"Allow\",\"Action\":5,\"Resource\":\"*\"}]}");
        assertThat(d).hasSize(1);
        assertThat(d.get(0).message()).isEqualTo("statement 2: expected `Action` to be a string or an array of strings but found a number");
        assertThat(d.get(0).at().pointer()).isEqualTo("/Statement/1/Action");
        assertThat(d.get(0).at().line()).isEqualTo(2);
        assertThat(d.get(0).at().toString()).isEqualTo("/Statement/1/Action (line 2, column 28)");
    }

    @Test
    void typosGetADidYouMean() {
        assertThat(problems("{\"Statement\":[{\"Effect\":\"Allow\",\"Actions\":\"s3:GetObject\",\"Resource\":\"*\"}]}"))
                .extracting(Diagnostic::message)
                .contains("statement 1: expected one of Sid, Effect, Action, NotAction, Resource, NotResource, Principal,"
                        + " NotPrincipal, Condition but found `Actions`; did you mean `Action`?");
        assertThat(problems("{\"Statement\":[{\"Effect\":\"allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"))
                .extracting(Diagnostic::message)
                .containsExactly("statement 1: expected `Effect` to be \"Allow\" or \"Deny\" but found `allow`");
        assertThat(problems("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":{\"StringEqual\":{\"aws:SourceIp\":\"x\"}}}]}"))
                .extracting(Diagnostic::message)
                .containsExactly("statement 1: expected a condition operator such as StringEquals but found `StringEqual`; did you mean `StringEquals`?");
    }

    @Test
    void structuralMistakes() {
        assertThat(problems("[]")).extracting(Diagnostic::message)
                .containsExactly("expected a policy document (a JSON object) but found an array");
        assertThat(problems("{\"Version\":\"2012-10-17\"}")).extracting(Diagnostic::message)
                .containsExactly("expected a `Statement` element but the document has none");
        assertThat(problems("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"NotAction\":\"s3:PutObject\",\"Resource\":\"*\"}]}"))
                .extracting(Diagnostic::message).containsExactly("statement 1: expected either `Action` or `NotAction` but found both");
        assertThat(problems("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}"))
                .extracting(Diagnostic::message).containsExactly("statement #1: expected `Resource` or `NotResource` but found neither");
        assertThat(problems("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"GetObject\",\"Resource\":\"*\"}]}"))
                .extracting(Diagnostic::message).containsExactly("statement 1: expected `Action` entries of the form `service:action` (or `*`) but found `GetObject`");
    }

    @Test
    void truncatedJsonIsLocated() {
        List<Diagnostic> d = problems("{\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\"");
        assertThat(d).hasSize(1);
        assertThat(d.get(0).message()).startsWith("expected a complete JSON or YAML document but the input ends early");
        assertThat(d.get(0).at().line()).isEqualTo(2);
    }

    @Test
    void duplicateKeysAreRejected() {
        List<Diagnostic> d = problems("{\"Statement\":[],\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}");
        assertThat(d).extracting(Diagnostic::message).containsExactly("expected unique keys but `Statement` appears twice");
    }

    @Test
    void hostileInputGetsAClearBoundedError() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(problems(deep).get(0).message()).startsWith("expected a document within the size limits");
        String huge = "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"" + "a".repeat(5_000_000) + "\",\"Resource\":\"*\"}]}";
        assertThat(problems(huge).get(0).message()).startsWith("expected a document within the size limits");
        byte[] invalidUtf8 = {'{', '"', 'S', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        assertThat(PolicyParser.parse(invalidUtf8, null).diagnostics().get(0).message())
                .startsWith("expected UTF-8 text but found an invalid byte sequence");
    }

    @Test
    void resourcePatternsKnowWhenTheyAreUnscoped() {
        assertThat(new ResourcePattern("*", false, SourceLocation.UNKNOWN).isUnscoped()).isTrue();
        assertThat(new ResourcePattern("arn:aws:iam::*:role/*", false, SourceLocation.UNKNOWN).isUnscoped()).isTrue();
        assertThat(new ResourcePattern("arn:aws:s3:::*", false, SourceLocation.UNKNOWN).isUnscoped()).isTrue();
        assertThat(new ResourcePattern("arn:aws:s3:::my-bucket/*", false, SourceLocation.UNKNOWN).isUnscoped()).isFalse();
        assertThat(new ResourcePattern("arn:aws:iam::123456789012:role/service-role/*", false, SourceLocation.UNKNOWN).isUnscoped()).isFalse();
    }
}
