package io.iamguardrail.pipeline;

import io.iamguardrail.remediation.Quarantine;
import io.iamguardrail.remediation.QuarantineDocument;
import io.iamguardrail.remediation.RemediationAction;
import io.iamguardrail.remediation.RemediationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static io.iamguardrail.pipeline.ExecutorTest.Q;
import static io.iamguardrail.pipeline.ExecutorTest.ROLE;
import static io.iamguardrail.pipeline.ExecutorTest.plan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quarantine policy neutered with a new default version, then a quarantine: it must not be attached and reported
 * DONE. And the access-key power IAM cannot narrow (UpdateAccessKey has no condition key for the status) is used
 * only to deactivate.
 */
class QuarantineIntegrityTest {

    private final ExecutorTest setup = new ExecutorTest();

    @ParameterizedTest
    @ValueSource(strings = {
            // what the issue found: a new default version that allows a harmless call
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}",
            // a Deny that names one action only
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}]}",
            // a Deny that holds only from an address nobody uses
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.1/32\"}}}]}",
            // everything but IAM denied
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}]}",
            // the deny-all, plus an Allow riding along
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
            "not a policy"})
    void aRewrittenQuarantinePolicyIsNeverAttachedAndTheReportSaysItWasTamperedWith(String document) {
        setup.iam.documents.put(Q, document);

        RemediationReport r = setup.executor(setup.memory, 10).execute(plan(new Quarantine(ROLE, Q)), "e-q");

        assertThat(r.status()).isEqualTo(RemediationReport.Status.FAILED);
        assertThat(r.summary()).contains("the quarantine policy " + Q + " was tampered with");
        assertThat(setup.iam.attached.get(ROLE)).doesNotContain(Q);
        assertThat(setup.iam.calls).doesNotContain("iam:AttachRolePolicy", "iam:TagRole");
    }

    @Test
    void theStacksOwnDenyAllIsAttached() {
        setup.iam.documents.put(Q, FakeIamPort.DENY_ALL);

        RemediationReport r = setup.executor(setup.memory, 10).execute(plan(new Quarantine(ROLE, Q)), "e-q");

        assertThat(r.status()).isEqualTo(RemediationReport.Status.DONE);
        assertThat(setup.iam.attached.get(ROLE)).contains(Q);
        assertThat(QuarantineDocument.problem(Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"X\","
                + "\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"]}}"))).isEmpty();
        assertThat(QuarantineDocument.problem(Optional.empty())).contains("its default version could not be read");
    }

    @Test
    void everyRemediationWritesOnlyInactiveAsAnAccessKeyStatus() {
        for (RemediationAction a : setup.riskyState()) {
            setup.executor(setup.memory, 100).execute(plan(a), "evt-" + a.kind());
        }

        assertThat(setup.iam.statusWrites).isNotEmpty().containsOnly("Inactive");
    }
}
