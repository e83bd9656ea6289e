package io.iamguardrail.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.local.LocalContext;
import io.iamguardrail.notify.Dispatcher;
import io.iamguardrail.notify.FakeSlack;
import io.iamguardrail.notify.SlackNotifier;
import io.iamguardrail.notify.WebhookClient;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.remediation.RemediationReport;
import io.iamguardrail.telemetry.EmfDocuments;
import io.iamguardrail.telemetry.FunctionLog;
import io.iamguardrail.telemetry.Invocations;
import io.iamguardrail.testing.StepClock;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import io.iamguardrail.wiring.EvaluatorWiring;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three functions' log lines and metrics as an operator reads them in CloudWatch: each invocation's lines carry
 * its request id and trace id, the first invocation is the cold start, and each function's own decision is one line
 * with its metrics beside it.
 */
class HandlerTelemetryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    /** The trace header the runtime sets before each invocation. */
    private final List<String> traces = new ArrayList<>(List.of("Root=1-67a0c001-aaaaaaaaaaaaaaaaaaaaaaaa;Sampled=1",
            "Root=1-67a0c002-bbbbbbbbbbbbbbbbbbbbbbbb;Sampled=1"));
    private final Invocations invocations = new Invocations(() -> Optional.of(traces.isEmpty()
            ? "Root=1-67a0c0ff-ffffffffffffffffffffffff;Sampled=1" : traces.remove(0)));

    private FunctionLog functionLog(String service, Map<String, String> env) {
        return new FunctionLog(service, env, out, Clock.systemUTC(), invocations);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, String> templateEnvironment(String function, String name) throws IOException {
        Map<String, String> env = new HashMap<>();
        JSON.readTree(Files.readAllBytes(Path.of("../events/env.json"))).path(function).fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        return env;
    }

    private static LocalContext context(String requestId, String function) {
        return new LocalContext(requestId, function, 1024, System.currentTimeMillis() + 60_000, System.out);
    }

    private static void invoke(LocalFunctions.Function f, String event, LocalContext context) throws IOException {
        f.invoke(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), context);
    }

    @Test
    void theEvaluatorsDecisionsCarryEachInvocationsRequestIdTraceAndColdStart() throws IOException {
        Map<String, String> env = templateEnvironment("EvaluatorFunction", "iam-guardrail-evaluator");
        FunctionLog log = functionLog(DecisionLog.SERVICE, env);
        EvaluatorHandler handler = new EvaluatorHandler(EvaluatorWiring.offline(EvaluatorEnvironment.setup(env),
                new LocalFunctions.LoggedPublisher(env.get("TOPIC_ARN"), out), new DecisionLog(log),
                Optional.of("offline: nothing is changed")), log);
        String admin = Files.readString(Path.of("../events/attach-role-policy-admin.json"));
        String readOnly = Files.readString(Path.of("../events/attach-role-policy-readonly.json"));
        invoke(handler::handleRequest, admin, context("11111111-aaaa-4000-8000-000000000001", "iam-guardrail-evaluator"));
        invoke(handler::handleRequest, readOnly, context("22222222-bbbb-4000-8000-000000000002", "iam-guardrail-evaluator"));

        List<JsonNode> decisions = EmfDocuments.entries(output(), "decision");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).path("function_request_id").asText()).isEqualTo("11111111-aaaa-4000-8000-000000000001");
        assertThat(decisions.get(0).path("cold_start").asBoolean()).isTrue();
        assertThat(decisions.get(0).path("xray_trace_id").asText()).isEqualTo("1-67a0c001-aaaaaaaaaaaaaaaaaaaaaaaa");
        assertThat(decisions.get(0).path("function_name").asText()).isEqualTo("iam-guardrail-evaluator");
        assertThat(decisions.get(0).path("verdict").asText()).isEqualTo("ALERT");
        assertThat(decisions.get(0).path("eventName").asText()).isEqualTo("AttachRolePolicy");
        assertThat(decisions.get(1).path("function_request_id").asText()).isEqualTo("22222222-bbbb-4000-8000-000000000002");
        assertThat(decisions.get(1).path("cold_start").asBoolean()).isFalse();
        assertThat(decisions.get(1).path("xray_trace_id").asText()).isEqualTo("1-67a0c002-bbbbbbbbbbbbbbbbbbbbbbbb");

        List<JsonNode> metrics = EmfDocuments.metrics(output());
        assertThat(EmfDocuments.value(metrics, "ColdStart")).contains(1L);
        assertThat(metrics.stream().filter(d -> d.has("ColdStart"))).hasSize(1);
        assertThat(EmfDocuments.value(metrics, "EventsProcessed", "EventName", "AttachRolePolicy")).contains(1L);
        assertThat(metrics).allSatisfy(d -> assertThat(d.path("service").asText()).isEqualTo("evaluator"));
    }

    @Test
    void theNotifierLogsEachDeliveryAndCountsPostsAndSlacksRetries() throws IOException {
        try (FakeSlack slack = new FakeSlack()) {
            slack.then(429, "rate_limited");
            WebhookClient client = new WebhookClient(HttpClient.newHttpClient(), Set.of("127.0.0.1"), 3,
                    Duration.ofMillis(1), Duration.ofMillis(5), d -> { }).allowingInsecureHttpForAddedHosts();
            NotifierHandler handler = new NotifierHandler(new Dispatcher(NotifierHandlerTest.TOPIC,
                    List.of(new SlackNotifier(new NotifierHandlerTest.CountingSecret(slack.url()), client, 3))),
                    functionLog(NotifierHandler.SERVICE, Map.of("AWS_LAMBDA_FUNCTION_NAME", "iam-guardrail-notifier")));
            String batch = NotifierHandlerTest.sqs(List.of(NotifierHandlerTest.alert("attach-role-policy-admin"),
                    NotifierHandlerTest.alert("update-assume-role-policy-any-principal"))).toString();
            handler.handleSqs(new ByteArrayInputStream(batch.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                    context("33333333-cccc-4000-8000-000000000003", "iam-guardrail-notifier"));
        }
        List<JsonNode> deliveries = EmfDocuments.entries(output(), "delivery");
        assertThat(deliveries).hasSize(1);
        JsonNode delivery = deliveries.get(0);
        assertThat(delivery.path("level").asText()).isEqualTo("INFO");
        assertThat(delivery.path("service").asText()).isEqualTo("notifier");
        assertThat(delivery.path("function_request_id").asText()).isEqualTo("33333333-cccc-4000-8000-000000000003");
        assertThat(delivery.path("received").asInt()).isEqualTo(2);
        assertThat(delivery.path("posted").asInt()).isEqualTo(2);
        assertThat(delivery.path("retries").asInt()).isEqualTo(1);
        assertThat(delivery.path("failedIds")).isEmpty();

        List<JsonNode> metrics = EmfDocuments.metrics(output());
        assertThat(EmfDocuments.value(metrics, "AlertsReceived")).contains(2L);
        assertThat(EmfDocuments.value(metrics, "SlackPosts")).contains(2L);
        assertThat(EmfDocuments.value(metrics, "SlackRetries")).contains(1L);
        assertThat(EmfDocuments.value(metrics, "AlertsFailed")).contains(0L);
    }

    @Test
    void aDeliverySlackRefusesIsAnErrorLineNamingTheAlertsAndTheirReason() throws IOException {
        try (FakeSlack slack = new FakeSlack()) {
            slack.then(404, "no_service");
            WebhookClient client = new WebhookClient(HttpClient.newHttpClient(), Set.of("127.0.0.1"), 3,
                    Duration.ofMillis(1), Duration.ofMillis(5), d -> { }).allowingInsecureHttpForAddedHosts();
            NotifierHandler handler = new NotifierHandler(new Dispatcher(NotifierHandlerTest.TOPIC,
                    List.of(new SlackNotifier(new NotifierHandlerTest.CountingSecret(slack.url()), client, 3))),
                    functionLog(NotifierHandler.SERVICE, Map.of()));
            String batch = NotifierHandlerTest.sqs(List.of(NotifierHandlerTest.alert("attach-role-policy-admin"))).toString();
            handler.handleSqs(new ByteArrayInputStream(batch.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(),
                    context("44444444-dddd-4000-8000-000000000004", "iam-guardrail-notifier"));
            assertThat(output()).doesNotContain(slack.url());
        }
        JsonNode delivery = EmfDocuments.entries(output(), "delivery").get(0);
        assertThat(delivery.path("level").asText()).isEqualTo("ERROR");
        assertThat(delivery.path("failedIds").get(0).asText()).isEqualTo("sqs-0");
        assertThat(delivery.path("errors").get(0).asText()).contains("HTTP 404");
        assertThat(EmfDocuments.value(EmfDocuments.metrics(output()), "AlertsFailed")).contains(1L);
    }

    @Test
    void theAuditLogsItsSweepAndPublishesWhatTheDashboardPlots() throws IOException {
        Map<String, String> env = templateEnvironment("AuditFunction", "iam-guardrail-audit");
        AuditHandler handler = new AuditHandler(LocalFunctions.offlineAudit(env, out), Optional.empty(),
                functionLog(AuditHandler.SERVICE, env), new StepClock(Instant.parse("2026-12-07T06:00:00Z"),
                Duration.ofMillis(4_250)));
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("../events/scheduled-audit.json"))),
                new ByteArrayOutputStream(), context("55555555-eeee-4000-8000-000000000005", "iam-guardrail-audit"));

        JsonNode audit = EmfDocuments.entries(output(), "audit").get(0);
        assertThat(audit.path("function_request_id").asText()).isEqualTo("55555555-eeee-4000-8000-000000000005");
        assertThat(audit.path("principalsScanned").asInt()).isPositive();
        assertThat(audit.path("findings").asInt()).isPositive();
        assertThat(audit.path("durationMs").asLong()).isEqualTo(4_250);
        assertThat(audit.path("report").asText()).startsWith("s3://iam-guardrail-backupbucket-example/");

        List<JsonNode> metrics = EmfDocuments.metrics(output()).stream()
                .filter(d -> d.path("service").asText().equals("audit")).toList();
        assertThat(EmfDocuments.value(metrics, "AuditPrincipals")).contains(audit.path("principalsScanned").asLong());
        assertThat(EmfDocuments.value(metrics, "AuditFindings")).contains(audit.path("findings").asLong());
        assertThat(EmfDocuments.value(metrics, "AuditNewFindings")).contains(audit.path("new").asLong());
        assertThat(EmfDocuments.value(metrics, "AuditResolvedFindings")).contains(0L);
        assertThat(EmfDocuments.value(metrics, "AuditDuration")).contains(4_250L);
    }

    /** The words of a Logs Insights query that are its own, not fields. */
    static final Set<String> QUERY_WORDS = Set.of("fields", "filter", "and", "or", "not", "like", "stats", "count", "as",
            "by", "sort", "desc", "asc", "limit", "events");

    @Test
    void theLogsInsightsQueriesOfTheOperationsGuideReadFieldsTheFunctionsWrite() throws IOException {
        theEvaluatorsDecisionsCarryEachInvocationsRequestIdTraceAndColdStart();
        aDeliverySlackRefusesIsAnErrorLineNamingTheAlertsAndTheirReason();
        theAuditLogsItsSweepAndPublishesWhatTheDashboardPlots();
        RemediationReport failed = new RemediationReport("REMEDIATE", RemediationReport.Status.FAILED,
                "detaching failed", List.of(), Optional.of("b-1"), Optional.empty(), List.of(),
                Optional.of("iam:DetachRolePolicy was denied"));
        new DecisionLog(functionLog(DecisionLog.SERVICE, Map.of())).record(new Decision("evt-1", "AttachRolePolicy",
                Verdict.ALERT, "findings at or above MEDIUM (worst: CRITICAL)", Optional.of("role app"), List.of(),
                List.of(), List.of(), Optional.empty()), "req-9", 1, Optional.of(failed));
        Set<String> written = new TreeSet<>();
        EmfDocuments.lines(output()).stream().filter(n -> n.has("level")).forEach(n -> n.fieldNames().forEachRemaining(written::add));

        String guide = Files.readString(Path.of("../docs/operations.md"));
        Matcher block = Pattern.compile("```logsinsights\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        List<String> queries = new ArrayList<>();
        while (block.find()) {
            queries.add(block.group(1));
        }
        assertThat(queries).as("Logs Insights queries in docs/operations.md").hasSizeGreaterThanOrEqualTo(4);
        for (String query : queries) {
            String bare = query.replaceAll("\"[^\"]*\"", " ").replaceAll("/[^/]*/", " ").replaceAll("@\\w+", " ")
                    .replaceAll("\\w+\\(\\*?\\)", " ");
            Matcher word = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.\\d+)?").matcher(bare);
            while (word.find()) {
                String field = word.group().replaceAll("\\.\\d+$", "");
                if (!QUERY_WORDS.contains(field) && !field.matches("\\d+")) {
                    assertThat(written).as("field `%s` of the query\n%s", field, query).contains(field);
                }
            }
        }
    }
}
