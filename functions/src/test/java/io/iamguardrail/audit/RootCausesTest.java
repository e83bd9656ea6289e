package io.iamguardrail.audit;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grouped view on the shipped example account ({@code examples/authorization-details.json}): a customer managed
 * policy attached to a group is one fix that clears the policy, the group and each of its users.
 */
class RootCausesTest {

    static final String ACCOUNT = "arn:aws:iam::123456789012:";

    /** The example account anyone can audit without an account of their own (not in the jar: read from the module). */
    static AccountSnapshot example() {
        try {
            return AuthorizationDetailsReader.read(Files.readAllBytes(Path.of("examples/authorization-details.json")),
                    "authorization-details.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AuthorizationDetailsException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static AuditReport audit(GuardrailConfig config) {
        return new Audit(config, AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90, 1000, AuditTest.NOW)
                .run(example(), Optional.empty());
    }

    static RootCauses.Fix fix(RootCauses causes, String id) {
        return causes.fixes().stream().filter(f -> f.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no fix " + id + " in " + causes.fixes().stream().map(RootCauses.Fix::id).toList()));
    }

    @Test
    void theSharedGroupPolicyIsTheFirstFixAndClearsTheGroupAndItsUsers() {
        AuditReport r = audit(GuardrailConfig.defaults());
        RootCauses causes = RootCauses.of(r);

        RootCauses.Fix first = causes.fixes().get(0);
        assertThat(first.id()).isEqualTo(ACCOUNT + "policy/developer-tools");
        assertThat(first.document()).isEqualTo(RootCauses.Document.MANAGED_POLICY);
        assertThat(first.clears()).containsExactlyInAnyOrder(ACCOUNT + "user/lee.dev", ACCOUNT + "user/priya.dev",
                ACCOUNT + "user/sam.contractor", ACCOUNT + "group/developers", ACCOUNT + "policy/developer-tools");
        // The same problem on the policy, the group and three users is one problem.
        assertThat(first.problems()).extracting(RootCauses.Problem::ruleId).containsOnlyOnce("PASSROLE_UNRESTRICTED");
        assertThat(first.problems().stream().filter(p -> p.ruleId().equals("PASSROLE_UNRESTRICTED")).findFirst()
                .orElseThrow().fingerprints()).hasSize(5);
        // The three users' paths to admin (an access key for maria.admin) come from the policy's `OwnKeys` grant.
        assertThat(first.problems()).filteredOn(p -> p.ruleId().equals("PRIVILEGE_PATH")).hasSize(1)
                .allMatch(p -> p.fingerprints().size() == 3);

        RootCauses.Fix admin = fix(causes, "arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(admin.document()).isEqualTo(RootCauses.Document.AWS_MANAGED_POLICY);
        assertThat(admin.clears()).containsExactlyInAnyOrder(ACCOUNT + "group/platform-admins", ACCOUNT + "user/maria.admin",
                ACCOUNT + "user/jon.ops", ACCOUNT + "role/ops-automation");
        assertThat(admin.problems()).hasSize(1);
    }

    @Test
    void inlineAndTrustPoliciesAreFixedOnTheirPrincipal() {
        RootCauses causes = RootCauses.of(audit(GuardrailConfig.defaults()));

        RootCauses.Fix ci = fix(causes, "role github-actions-deploy inline policy deploy-stacks");
        assertThat(ci.label()).isEqualTo("deploy-stacks (inline, role github-actions-deploy)");
        assertThat(ci.owner()).contains(ACCOUNT + "role/github-actions-deploy");
        assertThat(ci.consoleArn()).contains(ACCOUNT + "role/github-actions-deploy");
        assertThat(ci.problems()).extracting(RootCauses.Problem::ruleId).contains("PASSROLE_UNRESTRICTED");

        // The path jenkins-build -> ops-automation is cut in the grant of its first hop.
        RootCauses.Fix jenkins = fix(causes, "role jenkins-build inline policy assume-automation");
        assertThat(jenkins.problems()).extracting(RootCauses.Problem::ruleId).contains("PRIVILEGE_PATH");

        RootCauses.Fix trust = fix(causes, "role ops-automation trust policy");
        assertThat(trust.document()).isEqualTo(RootCauses.Document.TRUST_POLICY);
        assertThat(trust.clears()).containsExactly(ACCOUNT + "role/ops-automation");
    }

    @Test
    void everyFindingHasOneFixAndTheHeadlineCountsProblemsNextToFindings() {
        AuditReport r = audit(GuardrailConfig.defaults());
        RootCauses causes = RootCauses.of(r);

        assertThat(causes.fixes().stream().mapToInt(RootCauses.Fix::findings).sum()).isEqualTo(r.findingCount());
        assertThat(causes.byFingerprint()).containsOnlyKeys(r.principals().stream().flatMap(p -> p.findings().stream())
                .map(AuditReport.Item::fingerprint).toList());
        assertThat(causes.problems()).isLessThan(r.findingCount() / 2);
        int criticalOrHigh = r.severityCounts().get(Severity.CRITICAL)
                + r.severityCounts().get(Severity.HIGH);
        assertThat(causes.criticalOrHigh()).isEqualTo(criticalOrHigh);
        assertThat(causes.headline()).isEqualTo(causes.problems() + " problems in " + causes.documents()
                + " policies; fixing the top 5 clears " + causes.criticalOrHighClearedByTop() + " of " + criticalOrHigh
                + " CRITICAL/HIGH findings");
        // Ranked by the risk each removes: no later fix outweighs an earlier one.
        for (int i = 1; i < causes.fixes().size(); i++) {
            assertThat(causes.fixes().get(i).score()).isLessThanOrEqualTo(causes.fixes().get(i - 1).score());
        }
    }

    @Test
    void theReportCarriesTagsLastUseAndTheExemptionsStillInForce() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                exemptions:
                  - principal: support-desk
                    rules: [TRUST_ACCOUNT_ROOT]
                    reason: the help desk signs in through the account with MFA
                    expires: 2027-03-31
                  - principal: orders-api
                    rules: [INLINE_POLICY]
                    reason: migrated to a managed policy in November
                    expires: 2026-11-01
                """, "guardrail.yaml");
        AuditReport r = audit(config);

        assertThat(r.exemptions()).extracting(GuardrailConfig.Exemption::principal).containsExactly("support-desk");
        assertThat(r.exemptions().get(0).expires().map(Object::toString)).contains("2027-03-31");
        AuditReport.PrincipalResult deploy = r.principals().stream()
                .filter(p -> p.arn().equals(ACCOUNT + "role/github-actions-deploy")).findFirst().orElseThrow();
        assertThat(deploy.tags()).containsEntry("owner", "payments-platform@example.com")
                .containsEntry("repo", "example-org/payments-api");
        assertThat(deploy.lastUsed().describe()).isEqualTo("2026-12-04");
        AuditReport.PrincipalResult user = r.principals().stream()
                .filter(p -> p.arn().equals(ACCOUNT + "user/lee.dev")).findFirst().orElseThrow();
        assertThat(user.lastUsed().describe()).as("a user offline: no source knows").isEqualTo("unknown");
    }
}
