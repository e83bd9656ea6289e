package io.iamguardrail.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The targets the evaluator writes (one of each shape the samples produce), split into principal and what changed. */
class TargetPartsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "role build-runner inline policy deploy-functions | Principal: role build-runner | Policy: inline deploy-functions",
            "role ci-runner policy arn:aws:iam::aws:policy/AdministratorAccess | Principal: role ci-runner | Policy: AWS managed AdministratorAccess",
            "group oncall policy arn:aws:iam::123456789012:policy/ci/orders-deploy | Principal: group oncall | Policy: managed orders-deploy",
            "role ops-admin trust policy | Principal: role ops-admin | Policy: trust policy",
            "role orders-api-exec permissions boundary arn:aws:iam::123456789012:policy/workload-boundary | Principal: role orders-api-exec | Boundary: managed workload-boundary",
            "user mallory in group admins | Principal: user mallory | Group: joins admins",
            "user erin out of group restricted-contractors | Principal: user erin | Group: leaves restricted-contractors",
            "role orders-api-deploy tags iam-guardrail:quarantined | Principal: role orders-api-deploy | Tags: iam-guardrail:quarantined",
            "user build-bot access key AKIA4EXAMPLEKEY00042 | Principal: user build-bot | Access key: AKIA4EXAMPLEKEY00042",
            "role web-server on instance profile web-servers | Principal: role web-server | Instance profile: web-servers",
            "user svc-backup | Principal: user svc-backup | -",
            "arn:aws:iam::123456789012:policy/developer-tools v4 | - | Policy: managed developer-tools v4",
            "bucket policy of acme-public-assets | - | Resource: bucket policy of acme-public-assets",
            "https://token.actions.githubusercontent.com | - | Resource: https://token.actions.githubusercontent.com"})
    void theTargetIsSplitIntoThePrincipalAndWhatChanged(String target, String principal, String object) {
        TargetParts parts = TargetParts.of(Optional.of(target));
        assertThat(parts.principal().map(p -> p.label() + ": " + p.plain())).isEqualTo(Optional.ofNullable(principal));
        assertThat(parts.object().map(p -> p.label() + ": " + p.plain())).isEqualTo(Optional.ofNullable(object));
    }

    @Test
    void aHostileNameStaysInItsEscapedCodeSpan() {
        TargetParts parts = TargetParts.of(Optional.of("role <!channel> inline policy <https://evil.example|x> & more"));
        assertThat(parts.principal().orElseThrow().mrkdwn()).isEqualTo("role `&lt;!channel&gt;`");
        assertThat(parts.object().orElseThrow().mrkdwn()).isEqualTo("inline `&lt;https://evil.example|x&gt; &amp; more`");
    }
}
