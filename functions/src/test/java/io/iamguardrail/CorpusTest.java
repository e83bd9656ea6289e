package io.iamguardrail;

import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real corpus: every AWS managed policy (../shared/corpus/aws-managed-policies, not written by us) must parse
 * and evaluate without an engine error, and the best-known ones must get the findings a reviewer expects.
 */
class CorpusTest {

    private static Path corpus;

    @BeforeAll
    static void locate() {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "aws-managed-policies");
        assumeTrue(Files.isDirectory(corpus), "the AWS managed policy corpus is absent (expected at " + corpus.toAbsolutePath()
                + "): these tests need ../shared/corpus/aws-managed-policies next to the project, or IAM_GUARDRAIL_CORPUS set");
    }

    private static Report check(String name) throws IOException {
        return Policies.check(Files.readString(corpus.resolve(name + ".json")));
    }

    @Test
    void everyManagedPolicyParsesAndEvaluatesWithoutEngineErrors() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(1500);
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            Report r = Policies.check(Files.readString(f));
            for (Finding finding : r.findings()) {
                if (finding.ruleId().equals("ENGINE_ERROR") || finding.ruleId().equals("MALFORMED_POLICY")) {
                    problems.add(f.getFileName() + ": " + finding.ruleId() + " " + finding.message());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** What a reviewer expects of the best-known AWS managed policies: rules that must fire, and rules that must not. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            AdministratorAccess                | ADMIN_ACCESS                                   |
            IAMFullAccess                      | PRIVILEGE_ESCALATION PASSROLE_UNRESTRICTED SERVICE_WILDCARD | ADMIN_ACCESS
            PowerUserAccess                    | ALLOW_WITH_NOT_ACTION PRIVILEGE_ESCALATION      | ADMIN_ACCESS
            ReadOnlyAccess                     | DATA_EXFILTRATION                              | ADMIN_ACCESS PRIVILEGE_ESCALATION PERMISSIONS_MANAGEMENT WRITE_WITHOUT_RESOURCE_SCOPE
            SecurityAudit                      |                                                | ADMIN_ACCESS PRIVILEGE_ESCALATION PERMISSIONS_MANAGEMENT CREDENTIALS_EXPOSURE
            ViewOnlyAccess                     |                                                | ADMIN_ACCESS PRIVILEGE_ESCALATION DATA_EXFILTRATION PERMISSIONS_MANAGEMENT
            AmazonS3FullAccess                 | SERVICE_WILDCARD DATA_EXFILTRATION             | ADMIN_ACCESS PRIVILEGE_ESCALATION
            AmazonS3ReadOnlyAccess             | DATA_EXFILTRATION                              | ADMIN_ACCESS SERVICE_WILDCARD PERMISSIONS_MANAGEMENT
            AmazonEC2FullAccess                | SERVICE_WILDCARD                               | ADMIN_ACCESS
            AmazonEC2ReadOnlyAccess            |                                                | ADMIN_ACCESS PRIVILEGE_ESCALATION DATA_EXFILTRATION
            AWSLambdaBasicExecutionRole        | WRITE_WITHOUT_RESOURCE_SCOPE                   | ADMIN_ACCESS PRIVILEGE_ESCALATION DATA_EXFILTRATION
            AWSLambda_FullAccess               | PRIVILEGE_ESCALATION                           | ADMIN_ACCESS PASSROLE_UNRESTRICTED
            AWSCloudTrail_FullAccess           | DEFENSE_EVASION SERVICE_WILDCARD               | ADMIN_ACCESS
            SecretsManagerReadWrite            | DATA_EXFILTRATION                              | ADMIN_ACCESS
            AmazonSSMReadOnlyAccess            | DATA_EXFILTRATION                              | ADMIN_ACCESS PRIVILEGE_ESCALATION
            AWSOrganizationsFullAccess         | SERVICE_WILDCARD                               | ADMIN_ACCESS
            AmazonEC2ContainerRegistryReadOnly | CREDENTIALS_EXPOSURE                           | ADMIN_ACCESS PRIVILEGE_ESCALATION
            CloudWatchLogsFullAccess           | DEFENSE_EVASION                                | ADMIN_ACCESS
            AWSSupportAccess                   | SERVICE_WILDCARD                               | ADMIN_ACCESS PRIVILEGE_ESCALATION
            AWSKeyManagementServicePowerUser   |                                                | ADMIN_ACCESS PRIVILEGE_ESCALATION DATA_EXFILTRATION
            """)
    void wellKnownPolicies(String name, String mustFire, String mustNotFire) throws IOException {
        Set<String> ids = Policies.ruleIds(check(name));
        for (String id : words(mustFire)) {
            assertThat(ids).as("%s should have %s", name, id).contains(id);
        }
        for (String id : words(mustNotFire)) {
            assertThat(ids).as("%s should not have %s", name, id).doesNotContain(id);
        }
    }

    @Test
    void readOnlyJobFunctionsHaveNothingCritical() throws IOException {
        for (String name : List.of("ReadOnlyAccess", "SecurityAudit", "ViewOnlyAccess")) {
            assertThat(check(name).findings()).as(name).noneMatch(f -> f.severity() == Severity.CRITICAL);
        }
    }

    @Test
    void awsCompromisedKeyQuarantinePoliciesAreNeverFlagged() throws IOException {
        for (String name : List.of("AWSCompromisedKeyQuarantine", "AWSCompromisedKeyQuarantineV2", "AWSCompromisedKeyQuarantineV3")) {
            assertThat(check(name).findings()).as(name).isEmpty();
        }
    }

    @Test
    void severityOfTheAdminPolicyIsCriticalAndLocated() throws IOException {
        Finding f = Policies.findings(check("AdministratorAccess"), "ADMIN_ACCESS").get(0);
        assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(f.location().pointer()).isEqualTo("/Statement/0/Action");
        assertThat(f.location().line()).isEqualTo(6);
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }
}
