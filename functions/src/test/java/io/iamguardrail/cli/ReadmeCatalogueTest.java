package io.iamguardrail.cli;

import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's rule catalogue is generated from the rule metadata; this keeps the two in sync. */
class ReadmeCatalogueTest {

    static final String BEGIN = "<!-- rules:begin (generated: java -jar functions/target/iam-guardrail.jar rules --format markdown) -->\n";
    static final String END = "<!-- rules:end -->";

    @Test
    void readmeTableEqualsTheRuleMetadata() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int from = readme.indexOf(BEGIN);
        int to = readme.indexOf(END);
        assertThat(from).as("README.md has the rules:begin marker").isGreaterThanOrEqualTo(0);
        assertThat(to).as("README.md has the rules:end marker").isGreaterThan(from);
        assertThat(readme.substring(from + BEGIN.length(), to)).isEqualTo(RulesCommand.markdown());
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
            assertThat(r.appliesTo()).isIn("permission", "trust", "resource", "principal", "change", "engine");
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
