package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.live.MotoServer;
import io.iamguardrail.live.Organizations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit function as Lambda runs it in a hub (handler and environment from template.yaml, the runtime interface
 * client in a child JVM, its own SDK clients against moto): the state machine's three steps answer, one member account
 * is audited through its member role into its own folder, and a bad step is refused with its location.
 */
class HubAuditInvokeTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theHubsAuditFunctionListsAuditsAndRollsUpTheOrganization() throws Exception {
        Organizations org = new Organizations(MOTO.endpoint());
        org.create();
        String member = org.createAccount("workloads-a");
        MOTO.s3().createBucket(b -> b.bucket("guardrail-reports"));
        String topic = MOTO.sns().createTopic(b -> b.name("alerts")).topicArn();
        String date = LocalDate.now(ZoneOffset.UTC).toString();

        Map<String, String> v = AuditFunctionInvokeTest.variables(MOTO.endpoint(), "guardrail-reports", topic, "", "hub");
        try (LocalLambda lambda = LocalLambda.start(TemplateFunctions.function("AuditFunction"), v, false)) {
            lambda.awaitReady(Duration.ofSeconds(60));

            RuntimeApiServer.Answer list = lambda.invoke("{\"listAccounts\":true}");
            assertThat(list.error()).as(list.body() + "\n" + lambda.output()).isFalse();
            assertThat(JSON.readTree(list.body()).path("accounts").findValuesAsText("account")).contains(member);

            RuntimeApiServer.Answer one = lambda.invoke("{\"account\":\"" + member + "\",\"name\":\"workloads-a\",\"date\":\""
                    + date + "\"}");
            JsonNode result = JSON.readTree(one.body());
            assertThat(result.path("status").asText()).as(one.body() + "\n" + lambda.output()).isEqualTo("AUDITED");
            assertThat(result.path("report").asText()).isEqualTo("s3://guardrail-reports/audit/" + date + "/" + member + "/");
            String report = MOTO.s3().getObjectAsBytes(b -> b.bucket("guardrail-reports")
                    .key("audit/" + date + "/" + member + "/report.json")).asUtf8String();
            assertThat(JSON.readTree(report).path("account").asText()).isEqualTo(member);

            RuntimeApiServer.Answer rollUp = lambda.invoke("{\"rollUp\":{\"date\":\"" + date + "\",\"accounts\":[" + one.body() + "]}}");
            assertThat(JSON.readTree(rollUp.body()).path("report").asText())
                    .isEqualTo("s3://guardrail-reports/audit/" + date + "/organization.json");

            RuntimeApiServer.Answer bad = lambda.invoke("{\"account\":\"" + member + "\",\"date\":\"last week\"}");
            assertThat(bad.error()).isTrue();
            assertThat(bad.body()).contains("audit input: expected a date as yyyy-MM-dd at /date but found `\\\"last week\\\"`");
        }
    }
}
