package io.iamguardrail.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.iamguardrail.e2e.Fixtures.assertNoStackTrace;
import static org.assertj.core.api.Assertions.assertThat;

/** `--account`: trust to the own account is not external; trust to any other account is. */
class AccountTest {

    @TempDir
    Path dir;

    @BeforeEach
    void trusts() {
        Fixtures.copy(dir, "policies/own-account-trust.json");   // 111122223333 root, with MFA
        Fixtures.copy(dir, "policies/partner-trust.json");       // 444455556666 root, with an external id
    }

    private static List<String> external(Cli.Result r) {
        return r.findings().stream().filter(f -> f.get("ruleId").asText().equals("TRUST_EXTERNAL_ACCOUNT"))
                .map(f -> f.get("source").asText()).toList();
    }

    @Test
    void theOwnAccountIsNotExternalButAnotherAccountIs() {
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333",
                "own-account-trust.json", "partner-trust.json");
        assertNoStackTrace(r);
        assertThat(external(r)).as("%s", r).containsExactly("partner-trust.json");
        JsonNode partner = Fixtures.first(r.findings(), "TRUST_EXTERNAL_ACCOUNT").orElseThrow();
        assertThat(partner.get("message").asText()).contains("444455556666");
        assertThat(partner.get("location").get("pointer").asText()).isEqualTo("/Statement/0/Principal/AWS");
    }

    @Test
    void anotherAccountMakesTheFormerOwnAccountExternal() {
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "444455556666",
                "own-account-trust.json", "partner-trust.json");
        assertNoStackTrace(r);
        assertThat(external(r)).as("%s", r).containsExactly("own-account-trust.json");
    }

    @Test
    void bothAccountsInOneStatementOnlyTheOtherIsExternal() {
        Fixtures.write(dir, "mixed-trust.json", """
                {
                  "Version": "2012-10-17",
                  "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:root"]},
                    "Action": "sts:AssumeRole"
                  }]
                }
                """);
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--account", "111122223333", "mixed-trust.json");
        assertThat(r.findings()).filteredOn(f -> f.get("ruleId").asText().equals("TRUST_EXTERNAL_ACCOUNT"))
                .extracting(f -> f.get("location").get("pointer").asText()).as("%s", r)
                .containsExactly("/Statement/0/Principal/AWS/1");
    }

    @Test
    void aTrustedPartnerInTheConfigurationIsNotExternal() {
        Fixtures.write(dir, "guardrail.yaml", "accountId: \"111122223333\"\ntrustedAccountIds: [\"444455556666\"]\n");
        Cli.Result r = Cli.run(dir, "check", "--format", "json", "--config", "guardrail.yaml",
                "own-account-trust.json", "partner-trust.json");
        assertNoStackTrace(r);
        assertThat(external(r)).as("%s", r).isEmpty();
    }
}
