package io.iamguardrail.cli;

import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/rules.md is generated from the rule metadata of every rule Rules.catalogue() holds; this keeps the page equal
 * to the generator's output, so a rule registered later appears there after `rules --format markdown > docs/rules.md`.
 */
class RulesDocTest {

    @Test
    void docsRulesIsTheGeneratorsOutput() throws IOException {
        String page = Files.readString(Path.of("../docs/rules.md"));
        assertThat(page).as("docs/rules.md is stale: regenerate it with `%s`", RulesCommand.GENERATE)
                .isEqualTo(RulesCommand.markdown());
    }

    @Test
    void everyRuleHasARowAndASection() {
        String page = RulesCommand.markdown();
        for (RuleMetadata r : Rules.catalogue()) {
            assertThat(page).contains("| [`" + r.id() + "`](#" + r.id().toLowerCase(Locale.ROOT) + ") |")
                    .contains("\n## " + r.id() + "\n");
        }
    }

    @Test
    void everyRuleHasCompleteMetadataAndAUniqueId() {
        Set<String> ids = new HashSet<>();
        for (RuleMetadata r : Rules.catalogue()) {
            assertThat(ids.add(r.id())).as("unique id %s", r.id()).isTrue();
            assertThat(r.id()).matches("[A-Z][A-Z_]+");
            assertThat(r.title()).isNotBlank();
            assertThat(r.rationale()).isNotBlank();
            assertThat(r.remediation()).isNotBlank();
            assertThat(r.appliesTo()).isIn("permission", "trust", "resource", "principal", "change", "audit", "engine");
        }
    }

    @Test
    void theProductRuleIdsAreAllImplemented() {
        // The "Permission policies" and "Trust policies" tables of the product guide: public, never renamed.
        assertThat(Rules.ids()).contains("ADMIN_ACCESS", "SERVICE_WILDCARD", "PRIVILEGE_ESCALATION",
                "PASSROLE_UNRESTRICTED", "PERMISSIONS_MANAGEMENT", "CREDENTIALS_EXPOSURE", "DATA_EXFILTRATION",
                "DEFENSE_EVASION", "WRITE_WITHOUT_RESOURCE_SCOPE", "ALLOW_WITH_NOT_ACTION", "ALLOW_WITH_NOT_RESOURCE",
                "UNKNOWN_ACTION", "UNKNOWN_SERVICE", "RESOURCE_MISMATCH", "MALFORMED_POLICY",
                "SET_OPERATOR_ON_SINGLE_VALUED_KEY", "BAD_MFA_CONDITION", "FORBIDDEN_ACTION", "INLINE_POLICY",
                "USER_DIRECT_POLICY", "TRUST_ANY_PRINCIPAL", "TRUST_EXTERNAL_ACCOUNT", "TRUST_MISSING_EXTERNAL_ID",
                "TRUST_OIDC_UNSCOPED", "TRUST_COGNITO_UNSCOPED", "TRUST_SAML_NO_AUDIENCE", "TRUST_CONFUSED_DEPUTY",
                "TRUST_ACCOUNT_ROOT", "TRUST_WITHOUT_MFA", "ALLOW_WITH_NOT_PRINCIPAL", "PRIVILEGED_ROLE_EXPOSED");
    }
}
