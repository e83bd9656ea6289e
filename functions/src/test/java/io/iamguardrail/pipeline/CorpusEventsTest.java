package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.state.OfflineState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 35 real CloudTrail IAM records of ../shared/corpus/cloudtrail-iam-events (attack simulations, detection-rule
 * fixtures, AWS docs; redacted and hand-edited in odd ways) through the offline pipeline.
 */
class CorpusEventsTest {

    private static Path corpus;

    @BeforeAll
    static void locate() {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "cloudtrail-iam-events");
        assumeTrue(Files.isDirectory(corpus), "the CloudTrail event corpus is absent (expected at " + corpus.toAbsolutePath()
                + "): these tests need ../shared/corpus/cloudtrail-iam-events, or IAM_GUARDRAIL_CORPUS set");
    }

    private static GuardrailService service() {
        return new GuardrailService(new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()),
                GuardrailConfig.defaults(), Optional.empty()), a -> "offline", EventLedger.NONE, DecisionLog.silent(), () -> 0);
    }

    private static Decision replay(String name) throws IOException {
        return service().process(Files.readAllBytes(corpus.resolve(name)), name).decision();
    }

    @Test
    void everyRealEventIsDecidedWithoutAnError() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(35);
        GuardrailService service = service();
        for (Path f : files) {
            Decision d = service.process(Files.readAllBytes(f), f.getFileName().toString()).decision();
            assertThat(d.verdict()).as("%s: %s", f.getFileName(), d.reason()).isNotEqualTo(Verdict.ERROR);
            assertThat(d.findings()).as("%s", f.getFileName()).noneMatch(x -> x.ruleId().equals("ENGINE_ERROR"));
        }
    }

    /** What the guardrail should say about each real event (offline: the event and the AWS managed policy snapshot). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            stratus-attach-role-policy-admin.json               | ALERT    | ADMIN_ACCESS
            stratus-attach-user-policy-admin.json               | ALERT    | ADMIN_ACCESS
            elastic-attach-user-policy-admin-from-ec2-role.json | ALERT    | ADMIN_ACCESS
            elastic-attach-role-policy-securityaudit.json       | ALERT    | DATA_EXFILTRATION
            stratus-create-role-external-trust.json             | ALERT    | TRUST_EXTERNAL_ACCOUNT
            stratus-update-assume-role-policy-external-account.json | ALERT | TRUST_EXTERNAL_ACCOUNT
            panther-update-assume-role-policy-principal-star.json | ALERT  | TRUST_ANY_PRINCIPAL
            panther-update-assume-role-policy-ec2-service.json  | NO_ALERT |
            panther-root-create-access-key.json                 | ALERT    | ROOT_ACCESS_KEY_CREATED
            elastic-create-access-key-for-other-user.json       | ALERT    | ACCESS_KEY_FOR_OTHER_USER
            stratus-create-login-profile.json                   | ALERT    | LOGIN_PROFILE_FOR_OTHER_USER
            stratus-update-login-profile.json                   | ALERT    | LOGIN_PROFILE_FOR_OTHER_USER
            panther-create-saml-provider-by-sso.json            | NO_ALERT |
            panther-put-user-policy-compromised-key-quarantine.json | NO_ALERT |
            panther-attach-user-policy-quarantine-v2.json       | NO_ALERT |
            panther-attach-role-policy-failed-nosuchentity.json | SKIPPED  |
            panther-create-service-linked-role-accessdenied.json | SKIPPED |
            stratus-delete-login-profile-failed.json            | SKIPPED  |
            gtech-detach-role-policy.json                       | ALERT    | UNVERIFIED_CHANGE
            gtech-delete-role-policy.json                       | ALERT    | UNVERIFIED_CHANGE
            gtech-create-policy-version-privesc-actions.json    | ALERT    | PRIVILEGE_ESCALATION
            elastic-create-policy-sns-publish-wildcard-resource.json | ALERT | WRITE_WITHOUT_RESOURCE_SCOPE
            awsdocs-add-user-to-admin-group.json                | ALERT    | UNVERIFIED_CHANGE
            gtech-attach-role-policy-customer-managed.json      | ALERT    | UNVERIFIED_CHANGE
            """)
    void realEvents(String file, Verdict verdict, String rules) throws IOException {
        Decision d = replay(file);
        assertThat(d.verdict()).as("%s: %s %s", file, d.reason(), d.findings()).isEqualTo(verdict);
        if (rules != null) {
            for (String rule : rules.trim().split("\\s+")) {
                assertThat(d.findings()).as("%s: %s", file, d.findings()).anyMatch(f -> f.ruleId().equals(rule));
            }
        }
    }
}
