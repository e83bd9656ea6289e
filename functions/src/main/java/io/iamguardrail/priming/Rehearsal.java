package io.iamguardrail.priming;

import io.iamguardrail.aws.Clients;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled event through the evaluator's own pipeline (same configuration, same mode), its clients answered by
 * {@link Clients.Rehearsal}: every class and code path of a real invocation is loaded and run, nothing is sent, and
 * the decision log of the rehearsal is discarded so that it counts in no metric.
 */
public final class Rehearsal {

    /**
     * Rehearsals of the bundled event: enough for C1 to compile the SDK's request path (marshalling, signing,
     * interceptors, unmarshalling), which a handful left interpreted: 3 rounds left the second real invoke at
     * 55 ms on the loopback stand-in, 30 rounds at 47 ms, for half a second more before the snapshot.
     */
    public static final int REHEARSALS = 30;

    private Rehearsal() {
    }

    /** The evaluator's warm-ups: the rehearsal, then a read-only call per client. */
    public static List<Priming.ClientWarmup> evaluator(Map<String, String> env, IamClient iam, SnsClient sns,
                                                       DynamoDbClient dynamo) {
        List<Priming.ClientWarmup> warmups = new ArrayList<>();
        warmups.add(new Priming.ClientWarmup("rehearsal", () -> rehearse(env)));
        warmups.addAll(clientWarmups(env, iam, sns, dynamo));
        return warmups;
    }

    /** Runs the rehearsal and gives the operations it answered, e.g. {@code iam:GetRole}. */
    public static List<String> rehearse(Map<String, String> env) {
        try (Clients.Rehearsal clients = Clients.Rehearsal.create();
             PrintStream discard = new PrintStream(OutputStream.nullOutputStream())) {
            // The bundled event is old and CloudTrail has no record of it: the rehearsal lets it through the gate.
            Map<String, String> rehearsal = new HashMap<>(env);
            rehearsal.put("CONFIRM_EVENTS", "false");
            rehearsal.put("MAX_EVENT_AGE_HOURS", Long.toString(Long.MAX_VALUE / 3600));
            GuardrailService rehearsed = EvaluatorEnvironment.service(rehearsal, new AwsClients(clients.iam(),
                    clients.sns(), clients.dynamo(), clients::s3, clients::kms, Clients::cloudTrail), discard);
            byte[] event = Priming.bundledEvent();
            for (int i = 0; i < REHEARSALS; i++) {
                Verdict verdict = rehearsed.process(event, "priming").decision().verdict();
                if (verdict != Verdict.ALERT) {
                    throw new IllegalStateException("expected the rehearsal to alert but it gave " + verdict);
                }
            }
            return clients.answered();
        }
    }

    /** Read-only calls on the guardrail's own resources: its role, its topic, a key nobody writes. */
    static List<Priming.ClientWarmup> clientWarmups(Map<String, String> env, IamClient iam, SnsClient sns,
                                                    DynamoDbClient dynamo) {
        List<Priming.ClientWarmup> warmups = new ArrayList<>();
        String role = env.getOrDefault("GUARDRAIL_ROLE_ARN", "");
        if (role.contains(":role/")) {
            String name = role.substring(role.lastIndexOf('/') + 1);
            warmups.add(new Priming.ClientWarmup("iam", () -> iam.getRole(b -> b.roleName(name))));
        }
        String topic = env.getOrDefault("TOPIC_ARN", "");
        if (!topic.isBlank()) {
            warmups.add(new Priming.ClientWarmup("sns", () -> sns.getTopicAttributes(b -> b.topicArn(topic))));
        }
        String table = env.getOrDefault("TABLE_NAME", "");
        if (!table.isBlank()) {
            warmups.add(new Priming.ClientWarmup("dynamodb", () -> dynamo.getItem(b -> b.tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS("priming#never-written"))))));
        }
        return warmups;
    }
}
