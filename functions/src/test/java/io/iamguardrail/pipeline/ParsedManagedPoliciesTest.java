package io.iamguardrail.pipeline;

import io.iamguardrail.state.ManagedPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ParsedManagedPoliciesTest {

    private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

    @Test
    void anAwsManagedVersionIsParsedOnceForEveryEvaluatorOfTheProcess() {
        // Priming's evaluator and the one of real events each have their own cache.
        ManagedPolicy aws = new ManagedPolicy("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "v3", DOC);

        assertThat(new ParsedManagedPolicies().of(aws)).isSameAs(new ParsedManagedPolicies().of(aws));
    }

    @Test
    void aCustomerManagedVersionStaysWithTheEvaluatorThatReadIt() {
        // Priming answers from bundled documents: those must never stand in for an account's own policy.
        ManagedPolicy own = new ManagedPolicy("arn:aws:iam::123456789012:policy/build-artifacts", "v1", DOC);
        ParsedManagedPolicies live = new ParsedManagedPolicies();

        assertThat(live.of(own)).isSameAs(live.of(own));
        assertThat(new ParsedManagedPolicies().of(own)).isNotSameAs(live.of(own));
    }
}
