package io.iamguardrail.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** template.yaml's functions as `sam local invoke` resolves them, and SAM CLI's env-vars overlay. */
class LocalTemplateTest {

    static final Path TEMPLATE = Path.of("../template.yaml");

    @Test
    void theEvaluatorsEnvironmentIsResolvedAsSamCliResolvesItLocally() throws Exception {
        LocalTemplate.Function f = LocalTemplate.read(TEMPLATE).function("EvaluatorFunction");

        assertThat(f.handler()).isEqualTo("io.iamguardrail.handlers.EvaluatorHandler::handleRequest");
        assertThat(f.runtime()).isEqualTo("java21");
        assertThat(f.memoryMb()).isEqualTo(1024);
        assertThat(f.timeoutSeconds()).isEqualTo(60);
        assertThat(f.environment())
                // a resource's Ref is its logical id, a parameter's its default
                .containsEntry("TOPIC_ARN", "AlertTopic")
                .containsEntry("MODE", "ALERT")
                .containsEntry("ALERT_THRESHOLD", "MEDIUM")
                // a role's Arn follows its RoleName (!Sub ${AWS::StackName}-evaluator)
                .containsEntry("GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/iam-guardrail-evaluator")
                // !Join over an empty CommaDelimitedList
                .containsEntry("TRUSTED_ACCOUNT_IDS", "")
                .containsEntry("OFFLINE", "false")
                // a single account unless deployed as a hub; the external id is the stack id's last part
                .containsEntry("DEPLOYMENT_MODE", "account")
                .containsEntry("MEMBER_ROLE_NAME", "iam-guardrail-member")
                .containsEntry("MEMBER_EXTERNAL_ID", "51af3dc0-da77-11e4-872e-1234567db123")
                // the Globals' variables come first, as Lambda merges them
                .containsKey("JAVA_TOOL_OPTIONS");
        // The stack's own resources by their deployed names: only a deployment knows them (events/env.json gives the
        // sample stack's, as `sam local invoke --env-vars` would).
        assertThat(f.unresolved()).containsExactly("GUARDRAIL_RESOURCES");
    }

    @Test
    void aMissingFunctionOrTemplateSaysWhatThereIs() {
        assertThatThrownBy(() -> LocalTemplate.read(TEMPLATE).function("AlertTopic"))
                .hasMessageContaining("expected a function of `../template.yaml` but found `AlertTopic`; its functions are"
                        + " AuditFunction, EvaluatorFunction, NotifierFunction");
        assertThatThrownBy(() -> LocalTemplate.read(Path.of("no-such-template.yaml")))
                .hasMessageStartingWith("cannot read the template `no-such-template.yaml`")
                .hasMessageEndingWith("(run from the project folder, or give --template FILE)");
    }

    @Test
    void theEnvVarsFileOverridesDeclaredVariablesPerFunctionOverGlobal(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("env.json");
        Files.writeString(env, "{\"Parameters\": {\"MODE\": \"REMEDIATE\", \"TOPIC_ARN\": \"global\"},"
                + " \"EvaluatorFunction\": {\"TOPIC_ARN\": \"arn:aws:sns:us-east-1:111122223333:t\", \"PRIMING\": \"off\"},"
                + " \"AuditFunction\": {\"TOPIC_ARN\": \"not this one\"}}");

        EnvVarsFile.Overlay o = EnvVarsFile.read(env).apply(LocalTemplate.read(TEMPLATE).function("EvaluatorFunction"));

        assertThat(o.environment()).containsEntry("MODE", "REMEDIATE")
                .containsEntry("TOPIC_ARN", "arn:aws:sns:us-east-1:111122223333:t").doesNotContainKey("PRIMING");
        assertThat(o.ignored()).containsExactly("PRIMING");
    }

    @Test
    void anEnvVarsFileOfTheWrongShapeIsLocated(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("env.json");
        Files.writeString(env, "{\"EvaluatorFunction\": [\"TOPIC_ARN\"]}");

        assertThatThrownBy(() -> EnvVarsFile.read(env)).isInstanceOf(LocalException.class)
                .hasMessageContaining("to map `EvaluatorFunction` (Parameters or a function's logical id) to an object of"
                        + " variables but found an array at /EvaluatorFunction");
    }
}
