package io.iamguardrail.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.paths.PrivilegePath;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit names each chain to administrator access, in the findings, the JSON's paths, the HTML and the text. */
class AuditPathsTest {

    private static final String ACCOUNT = "arn:aws:iam::210987654321:";
    private static final String DEV = ACCOUNT + "user/dev";
    private static final String START = ACCOUNT + "role/build-start";
    private static final String MIDDLE = ACCOUNT + "role/release-intermediate";
    private static final String ADMIN = ACCOUNT + "role/ops-admin";

    static AccountSnapshot chain() {
        try (InputStream in = AuditPathsTest.class.getResourceAsStream("/audit/three-hop-chain.json")) {
            return AuthorizationDetailsReader.read(in.readAllBytes(), "three-hop-chain.json");
        } catch (IOException | AuthorizationDetailsException e) {
            throw new AssertionError(e);
        }
    }

    private static AuditReport run(GuardrailConfig config) {
        return new Audit(config, AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90, 1000, AuditTest.NOW)
                .run(chain(), Optional.empty());
    }

    @Test
    void aUserThreeHopsFromAnAdminRoleHasAPrivilegePathFindingThatNamesEveryHop() {
        AuditReport r = run(GuardrailConfig.defaults());

        assertThat(r.paths()).extracting(PrivilegePath::principal).containsExactly(START, MIDDLE, DEV);
        PrivilegePath dev = r.paths().get(2);
        assertThat(dev.reaches()).isEqualTo("admin");
        assertThat(dev.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(dev.hops()).extracting(h -> h.method().id() + " " + h.to())
                .containsExactly("assume " + START, "assume " + MIDDLE, "pass-role " + ADMIN);
        assertThat(AuditTest.finding(r, DEV, "PRIVILEGE_PATH").message())
                .contains("reaches administrator access in 3 hops", "`" + ADMIN + "`", "lambda-passrole-create-function-invoke");
        assertThat(AuditTest.rules(r, ACCOUNT + "role/reports-reader"))
                .as("its grant names a role whose trust admits only build-start").doesNotContain("PRIVILEGE_PATH");
    }

    @Test
    void theJsonHasATopLevelPathsArrayInTheIssuedShape() throws IOException {
        JsonNode json = new ObjectMapper().readTree(AuditJson.write(run(GuardrailConfig.defaults()), "test"));

        JsonNode dev = json.path("paths").get(2);
        assertThat(dev.path("principal").asText()).isEqualTo(DEV);
        assertThat(dev.path("reaches").asText()).isEqualTo("admin");
        assertThat(dev.path("severity").asText()).isEqualTo("CRITICAL");
        JsonNode first = dev.path("hops").get(0);
        assertThat(first.path("from").asText()).isEqualTo(DEV);
        assertThat(first.path("to").asText()).isEqualTo(START);
        assertThat(first.path("method").asText()).isEqualTo("assume");
        assertThat(first.path("evidence").path("policy").asText()).isEqualTo("user dev inline policy assume-start");
        assertThat(first.path("evidence").path("statement").asText()).isEqualTo("statement `AssumeBuildStart` (#1)");
        assertThat(first.path("evidence").path("location").asText()).isEqualTo("/Statement/0");
        assertThat(first.path("evidence").path("trust").path("policy").asText()).isEqualTo("role build-start trust policy");
        assertThat(dev.path("hops").get(2).path("to").asText()).isEqualTo(ADMIN);
    }

    @Test
    void theHtmlListsThePathsAndTheTextSumsThemUp() {
        AuditReport r = run(GuardrailConfig.defaults());

        assertThat(AuditHtml.write(r)).contains("<section id=\"paths\"><h2>Paths to administrator access</h2>")
                .contains("<code>" + DEV + "</code> reaches <strong>admin</strong> in 3 hops");
        assertThat(AuditText.write(r)).contains("Paths to administrator access or a principal with a critical finding: 3 (3 critical")
                .contains("CRITICAL " + DEV + " -[assume]-> " + START + " -[assume]-> " + MIDDLE + " -[pass-role]-> " + ADMIN);
    }

    @Test
    void exemptionsAndSeverityOverridesApplyToPaths() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                rules:
                  PRIVILEGE_PATH: { severity: HIGH }
                exemptions:
                  - principal: dev
                    rules: [PRIVILEGE_PATH]
                    reason: break-glass user, reviewed quarterly
                    expires: 2027-06-30
                """, "guardrail.yaml");
        AuditReport r = run(config);

        assertThat(r.paths()).extracting(PrivilegePath::principal).containsExactly(START, MIDDLE);
        assertThat(r.paths()).extracting(PrivilegePath::severity).containsOnly(Severity.HIGH);
        assertThat(AuditTest.rules(r, DEV)).doesNotContain("PRIVILEGE_PATH");
    }

    @Test
    void turnedOffThereAreNoPaths() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                rules:
                  PRIVILEGE_PATH: { enabled: false }
                """, "guardrail.yaml");
        AuditReport r = run(config);

        assertThat(r.paths()).isEmpty();
        assertThat(r.findings()).noneMatch(f -> f.ruleId().equals("PRIVILEGE_PATH"));
        assertThat(List.of(AuditJson.write(r, "test"))).allMatch(j -> j.contains("\"paths\" : [ ]"));
    }
}
