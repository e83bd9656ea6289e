package io.iamguardrail.invoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.live.MotoServer;
import software.amazon.awssdk.services.iam.IamClient;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start through the real Lambda runtime interface client, fresh JVM after fresh JVM, side by side with a
 * hello-world handler (the floor) in the same run: init (JVM start to the first {@code invocation/next}), first
 * invoke, second invoke, and resident memory, heap in use and classes loaded after the first event. The evaluator
 * handles a real AttachRolePolicy of AdministratorAccess against moto (IAM reads, SNS publish, DynamoDB ledger), so
 * its invokes include the round trips to a local emulator; the variants on recorded answers take the same calls
 * answered from memory on loopback. A measurement printed as a table, never a test.
 *
 * <p>Usage (see bench/cold-start.sh): ColdStartBench HELLO_JAR [RUNS]
 */
public final class ColdStartBench {

    record Run(double initMs, double firstMs, double secondMs, double rssMb, long classes, double heapMb) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Rounds of every recorded request through the stand-in before measuring: its own code must not count. */
    static final int STAND_IN_WARMUP = 500;

    public static void main(String[] args) throws Exception {
        Path hello = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        MotoServer moto = new MotoServer();
        moto.beforeAll(null);
        try {
            bench(moto, hello, runs);
        } finally {
            moto.afterAll(null);
        }
    }

    static void bench(MotoServer moto, Path hello, int runs) throws Exception {
        String topic = moto.sns().createTopic(b -> b.name("alerts")).topicArn();
        moto.createStateTable("state");
        ObjectNode event = (ObjectNode) JSON.readTree(LocalInvokeTest.EVENTS.resolve("attach-role-policy-admin.json").toFile());
        String role = event.path("detail").path("requestParameters").path("roleName").asText();
        String policy = event.path("detail").path("requestParameters").path("policyArn").asText();
        IamClient iam = moto.iam();
        iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        iam.attachRolePolicy(b -> b.roleName(role).policyArn(policy));

        Map<String, String> variables = LocalInvokeTest.evaluatorVariables(topic, moto.endpoint().toString());
        variables.put("GUARDRAIL_ROLE_ARN", "arn:aws:iam::123456789012:role/" + role);
        Map<String, String> primedInInit = new LinkedHashMap<>(variables);
        primedInInit.put("PRIMING", "init");
        TemplateFunctions.Function evaluator = TemplateFunctions.function("EvaluatorFunction");
        Map<String, String> helloEnv = new LinkedHashMap<>(evaluator.globalEnvironment());

        // AppCDS: one training run dumps the classes it loaded; later JVMs map them instead of loading them. The
        // archive is tied to the exact JVM build, so it helps this machine, not Lambda's managed runtime.
        Path archive = Files.createTempFile("evaluator", ".jsa");
        Files.delete(archive);
        Map<String, String> training = new LinkedHashMap<>(variables);
        training.put("JAVA_TOOL_OPTIONS", evaluator.globalEnvironment().getOrDefault("JAVA_TOOL_OPTIONS", "")
                + " -XX:ArchiveClassesAtExit=" + archive);
        once(() -> LocalLambda.start(evaluator, training, false), fresh(event), fresh(event));
        Map<String, String> withCds = new LinkedHashMap<>(variables);
        withCds.put("JAVA_TOOL_OPTIONS", evaluator.globalEnvironment().getOrDefault("JAVA_TOOL_OPTIONS", "")
                + " -XX:SharedArchiveFile=" + archive);
        boolean cds = Files.isRegularFile(archive);

        // The same calls answered from memory on loopback: what is left is the guardrail's own time. Recorded with
        // SnapStart's hooks, so that priming's read-only calls on the guardrail's own resources are answered too.
        RecordedAws recorded = new RecordedAws(moto.endpoint());
        Map<String, String> viaRecorded = new LinkedHashMap<>(variables);
        viaRecorded.put("AWS_ENDPOINT_URL", recorded.endpoint().toString());
        once(() -> LocalLambda.start(evaluator, viaRecorded, true), fresh(event), fresh(event));
        recorded.replay();
        recorded.warm(STAND_IN_WARMUP);

        Map<String, List<Run>> results = new LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
            // Interleaved, so that a noisy moment hits every variant alike.
            results.computeIfAbsent("hello-world handler (floor)", k -> new ArrayList<>()).add(
                    once(() -> LocalLambda.start(hello, "Hello", "example.Hello::handleRequest", 1024, helloEnv, false),
                            "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8)));
            results.computeIfAbsent("evaluator", k -> new ArrayList<>()).add(
                    once(() -> LocalLambda.start(evaluator, variables, false), fresh(event), fresh(event)));
            results.computeIfAbsent("evaluator, SnapStart hooks (priming)", k -> new ArrayList<>()).add(
                    once(() -> LocalLambda.start(evaluator, variables, true), fresh(event), fresh(event)));
            results.computeIfAbsent("evaluator, PRIMING=init", k -> new ArrayList<>()).add(
                    once(() -> LocalLambda.start(evaluator, primedInInit, false), fresh(event), fresh(event)));
            if (cds) {
                results.computeIfAbsent("evaluator, AppCDS archive (this JVM only)", k -> new ArrayList<>()).add(
                        once(() -> LocalLambda.start(evaluator, withCds, false), fresh(event), fresh(event)));
            }
            results.computeIfAbsent("evaluator, recorded AWS answers", k -> new ArrayList<>()).add(
                    once(() -> LocalLambda.start(evaluator, viaRecorded, false), fresh(event), fresh(event)));
            results.computeIfAbsent("evaluator, SnapStart, recorded answers", k -> new ArrayList<>()).add(
                    once(() -> LocalLambda.start(evaluator, viaRecorded, true), fresh(event), fresh(event)));
        }
        recorded.close();
        if (!cds) {
            System.out.println("(no AppCDS archive was written by the training run: that variant is left out)");
        }
        Files.deleteIfExists(archive);
        System.out.printf("Cold start through the Lambda runtime interface client: median of %d fresh JVMs (%s)%n",
                runs, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.printf("%-40s %9s %12s %13s %9s %8s %8s %9s%n", "", "init ms", "1st invoke", "2nd invoke",
                "total ms", "RSS MB", "heap MB", "classes");
        double floor = -1;
        for (Map.Entry<String, List<Run>> e : results.entrySet()) {
            List<Run> r = e.getValue();
            double init = median(r.stream().mapToDouble(Run::initMs).toArray());
            double first = median(r.stream().mapToDouble(Run::firstMs).toArray());
            double second = median(r.stream().mapToDouble(Run::secondMs).toArray());
            double total = median(r.stream().mapToDouble(x -> x.initMs() + x.firstMs()).toArray());
            if (floor < 0) {
                floor = total;
            }
            System.out.printf("%-40s %9.0f %12.1f %13.1f %9.0f %8.0f %8.0f %9d   %.1fx the floor%n", e.getKey(), init,
                    first, second, total, median(r.stream().mapToDouble(Run::rssMb).toArray()),
                    median(r.stream().mapToDouble(Run::heapMb).toArray()),
                    (long) median(r.stream().mapToDouble(Run::classes).toArray()), total / floor);
        }
    }

    interface Starter {
        LocalLambda start() throws Exception;
    }

    static Run once(Starter starter, byte[] first, byte[] second) throws Exception {
        try (LocalLambda lambda = starter.start()) {
            double init = lambda.awaitReady(Duration.ofSeconds(60)).toNanos() / 1e6;
            long t = System.nanoTime();
            RuntimeApiServer.Answer a = lambda.invoke(first, Duration.ofSeconds(60));
            double firstMs = (System.nanoTime() - t) / 1e6;
            if (a.error()) {
                throw new IllegalStateException("the first invoke failed: " + a.body() + "\n" + lambda.output());
            }
            // Memory and classes after the first event, before the second.
            double rss = rssMb(lambda.pid());
            String counters = perfCounters(lambda.pid());
            t = System.nanoTime();
            lambda.invoke(second, Duration.ofSeconds(60));
            double secondMs = (System.nanoTime() - t) / 1e6;
            return new Run(init, firstMs, secondMs, rss, classes(counters), heapMb(counters));
        }
    }

    /** The same event under a new id: the idempotency ledger would otherwise skip the repeat. */
    static byte[] fresh(ObjectNode event) throws Exception {
        ObjectNode copy = event.deepCopy();
        ((ObjectNode) copy.get("detail")).put("eventID", UUID.randomUUID().toString());
        return JSON.writeValueAsBytes(copy);
    }

    static double rssMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }

    static String perfCounters(long pid) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "PerfCounter.print").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static long classes(String counters) {
        Matcher m = Pattern.compile("java\\.cls\\.loadedClasses=(\\d+)").matcher(counters);
        Matcher u = Pattern.compile("java\\.cls\\.unloadedClasses=(\\d+)").matcher(counters);
        return m.find() ? Long.parseLong(m.group(1)) - (u.find() ? Long.parseLong(u.group(1)) : 0) : -1;
    }

    /** Heap in use: the sum of every generation space's {@code used} counter. */
    static double heapMb(String counters) {
        Matcher m = Pattern.compile("sun\\.gc\\.generation\\.\\d+\\.space\\.\\d+\\.used=(\\d+)").matcher(counters);
        long used = 0;
        boolean any = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            any = true;
        }
        return any ? used / 1048576.0 : -1;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
