package io.iamguardrail.pipeline;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.event.CloudTrailEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.iamguardrail.pipeline.Events.event;
import static io.iamguardrail.pipeline.Events.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/** A change that opens a path to administrator access across principals is reported with the path, in real time. */
class NewPathsTest {

    private static final String ACCOUNT = "arn:aws:iam::123456789012:";
    private static final String ADMIN_POLICY = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    private static final String CODEBUILD_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"codebuild.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String TRUSTS_CI = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"CiDeploys\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"" + ACCOUNT + "role/ci-runner\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String TRUSTS_ACCOUNT = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"" + ACCOUNT + "root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ASSUME_DEPLOY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Deploy\",\"Effect\":\"Allow\","
            + "\"Action\":\"sts:AssumeRole\",\"Resource\":\"" + ACCOUNT + "role/deploy-admin\"}]}";

    private final FakeIamState iam = new FakeIamState();

    private static String aws(String name) {
        String env = System.getenv("IAM_GUARDRAIL_CORPUS");
        Path corpus = Path.of(env != null && !env.isBlank() ? env : System.getProperty("corpus.dir", "../../shared/corpus"),
                "aws-managed-policies");
        try {
            return Files.readString(corpus.resolve(name + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Decision evaluate(CloudTrailEvent e) {
        return evaluate(iam, e);
    }

    /** The evaluator's decision on {@code e}, with IAM as {@code iam} holds it. */
    static Decision evaluate(FakeIamState iam, CloudTrailEvent e) {
        return new EventEvaluator(iam, GuardrailConfig.defaults(),
                Optional.of(ACCOUNT + "role/iam-guardrail-evaluator")).evaluate(e);
    }

    /** The decision's PRIVILEGE_PATH findings. */
    static List<Finding> paths(Decision d) {
        return d.findings().stream().filter(f -> f.ruleId().equals("PRIVILEGE_PATH")).toList();
    }

    private FakeIamState account(String deployTrust, String deployPolicy) {
        return iam.role("deploy-admin", deployTrust, Map.of(), List.of(deployPolicy))
                .policy(ADMIN_POLICY, "v1", aws("AdministratorAccess"), true)
                .policy(READ_ONLY, "v1", aws("ReadOnlyAccess"), true)
                .role("ci-runner", CODEBUILD_TRUST, Map.of("deploy", ASSUME_DEPLOY), List.of());
    }

    @Test
    void aNewTrustThatLetsCiAssumeAnAdminRoleIsCriticalThoughNeitherPolicyIsRiskyAlone() {
        account(TRUSTS_CI, ADMIN_POLICY);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"deploy-admin\",\"policyDocument\":" + quoted(TRUSTS_CI) + "}"));

        assertThat(d.verdict()).isEqualTo(Verdict.ALERT);
        assertThat(paths(d)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(f.principal()).contains(ACCOUNT + "role/ci-runner");
            assertThat(f.message()).contains("`" + ACCOUNT + "role/ci-runner` reaches administrator access in 1 hop",
                    "`" + ACCOUNT + "role/deploy-admin`", "opened by this change", "graph of 2 principals");
        });
    }

    @Test
    void aNewTrustToARoleWithoutAdministratorAccessOpensNoPath() {
        account(TRUSTS_CI, READ_ONLY);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"deploy-admin\",\"policyDocument\":" + quoted(TRUSTS_CI) + "}"));

        assertThat(paths(d)).isEmpty();
    }

    @Test
    void aGrantToAssumeAnAdminRoleThatTrustsTheAccountOpensThePath() {
        account(TRUSTS_ACCOUNT, ADMIN_POLICY);
        Decision d = evaluate(event("PutRolePolicy", "{\"roleName\":\"ci-runner\",\"policyName\":\"deploy\","
                + "\"policyDocument\":" + quoted(ASSUME_DEPLOY) + "}"));

        assertThat(paths(d)).singleElement().extracting(Finding::principal).isEqualTo(Optional.of(ACCOUNT + "role/ci-runner"));
    }

    @Test
    void aPathThatWasThereBeforeTheChangeIsNotNew() {
        String twoStatements = TRUSTS_CI.replace("]}", ",{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"cloudformation.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
        account(twoStatements, ADMIN_POLICY);
        iam.role("ci-runner", CODEBUILD_TRUST, Map.of("deploy", ASSUME_DEPLOY, "tags",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws:s3:::ci-cache/*\"}]}"), List.of());
        Decision d = evaluate(event("PutRolePolicy", "{\"roleName\":\"ci-runner\",\"policyName\":\"tags\","
                + "\"policyDocument\":" + quoted("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::ci-cache/*\"}]}") + "}"));

        assertThat(paths(d)).isEmpty();
    }

    @Test
    void theAlertSaysWhenTheGraphIsPartial() {
        String rootAndCi = TRUSTS_CI.replace("]}", ",{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + ACCOUNT + "root\"},\"Action\":\"sts:AssumeRole\"}]}");
        account(rootAndCi, ADMIN_POLICY);
        Decision d = evaluate(event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"deploy-admin\",\"policyDocument\":" + quoted(rootAndCi) + "}"));

        assertThat(paths(d)).filteredOn(f -> f.principal().equals(Optional.of(ACCOUNT + "role/ci-runner")))
                .singleElement().extracting(Finding::message).asString()
                .contains("partial: the trust admits `" + ACCOUNT + "root`: principals it admits are not listed");
    }

    @Test
    void aRoleIsInTheGraphUnderItsLiveArnNotAsAPolicyWritesIt() {
        account(TRUSTS_ACCOUNT, ADMIN_POLICY);
        String elsewhere = ASSUME_DEPLOY.replace("role/deploy-admin", "role/break-glass/deploy-admin");
        iam.role("ci-runner", CODEBUILD_TRUST, Map.of("deploy", elsewhere), List.of());
        Decision d = evaluate(event("PutRolePolicy", "{\"roleName\":\"ci-runner\",\"policyName\":\"deploy\","
                + "\"policyDocument\":" + quoted(elsewhere) + "}"));

        assertThat(paths(d)).as("the grant names another ARN than the admin role's").isEmpty();
    }
}
