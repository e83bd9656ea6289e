package io.iamguardrail.invoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a function of template.yaml exactly as the managed Java runtime does, without Docker: the real AWS Lambda
 * runtime interface client in a child JVM, its working directory a task root holding the deployment jar under
 * {@code lib/} (as functions/Makefile lays it out for `sam build`), talking to a {@link RuntimeApiServer} on
 * loopback. The runtime client loads the handler through its own customer class loader, reports init errors, and
 * with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} runs the CRaC hooks around {@code restore/next} as
 * SnapStart does.
 */
final class LocalLambda implements AutoCloseable {

    static final String RUNTIME_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The managed runtime routes org.crac to the runtime client's implementation with this property. */
    static final String CRAC_COMPAT = "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac";

    private final RuntimeApiServer api;
    private final Process process;
    private final Path output;
    private final Path taskRoot;
    private final long startedNanos;

    private LocalLambda(RuntimeApiServer api, Process process, Path output, Path taskRoot, long startedNanos) {
        this.api = api;
        this.process = process;
        this.output = output;
        this.taskRoot = taskRoot;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the function's runtime. {@code variables} are the function's environment values (the template's
     * intrinsics resolved by the caller) and anything else the process needs, such as AWS_ENDPOINT_URL.
     */
    static LocalLambda start(TemplateFunctions.Function function, Map<String, String> variables, boolean snapStart)
            throws IOException {
        Path jar = deploymentJar();
        // Every variable the template declares must be given a value, so a new one cannot be forgotten here.
        for (String name : function.variables()) {
            if (!variables.containsKey(name)) {
                throw new IllegalArgumentException("template.yaml gives " + function.logicalId() + " the variable "
                        + name + "; expected the test to supply its value (empty for none)");
            }
        }
        Map<String, String> env = new LinkedHashMap<>(function.globalEnvironment());
        env.putAll(variables);
        return start(jar, function.logicalId(), function.handler(), function.memoryMb(), env, snapStart);
    }

    /**
     * The jar `sam build` ships (functions/Makefile puts it under lib/, as this harness does): the shrunk
     * iam-guardrail-lambda.jar, not the CLI's shaded jar, so every invoke runs exactly what deploys.
     */
    static Path deploymentJar() {
        Path jar = Path.of(System.getProperty("guardrail.lambda.jar", "../functions/target/iam-guardrail-lambda.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("expected the deployment jar at " + jar.toAbsolutePath()
                    + "; build it with `mvn -f functions/pom.xml package`");
        }
        return jar;
    }

    /**
     * Starts any handler in {@code jar} under the runtime client; {@code variables} are the function's environment
     * (JVM options included) and anything else the process needs, such as AWS_ENDPOINT_URL.
     */
    static LocalLambda start(Path jar, String name, String handler, int memoryMb, Map<String, String> variables,
                             boolean snapStart) throws IOException {
        Path taskRoot = Files.createTempDirectory("lambda-task");
        Files.createDirectories(taskRoot.resolve("lib"));
        Files.createSymbolicLink(taskRoot.resolve("lib/function.jar"), jar.toAbsolutePath());
        RuntimeApiServer api = new RuntimeApiServer("arn:aws:lambda:us-east-1:123456789012:function:" + name + ":live");

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        env.put("_HANDLER", handler);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        if (snapStart) {
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        }
        env.putAll(variables);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(CRAC_COMPAT);
        // The sandbox's memory limit is what the JVM sizes its heap by (a quarter of it at most, 1/64 at first): on
        // this machine's 24 GB it would choose a heap, and a resident size, no function of this memory size gets.
        command.add("-XX:MaxRAM=" + memoryMb + "m");
        command.add("-cp");
        command.add(runtimeClasspath());
        command.add(RUNTIME_MAIN);
        command.add(handler);
        Path output = Files.createTempFile("lambda-" + name, ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(taskRoot.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        long started = System.nanoTime();
        Process process = pb.start();
        return new LocalLambda(api, process, output, taskRoot, started);
    }

    /** The runtime interface client and what it needs, as Maven resolved them for this module. */
    static String runtimeClasspath() throws IOException {
        Path file = Path.of(System.getProperty("ric.classpath.file", "target/ric.classpath"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("expected the runtime client's classpath in " + file.toAbsolutePath()
                    + " (written by the maven-dependency-plugin in tests/pom.xml)");
        }
        return Files.readString(file).trim();
    }

    /** Waits until the runtime asks for its first event; fails with the function's output if init failed. */
    Duration awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (api.ready().isDone()) {
                return Duration.ofNanos(api.ready().join() - startedNanos);
            }
            if (api.initError().isDone() || !process.isAlive()) {
                throw new IllegalStateException("the function did not initialise: "
                        + api.initError().getNow("(exited " + (process.isAlive() ? "?" : process.exitValue()) + ")")
                        + "\n" + output());
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the function did not ask for an event within " + timeout + "\n" + output());
    }

    /** The init error the runtime reported, waiting for it. */
    String awaitInitError(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return api.initError().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    RuntimeApiServer.Answer invoke(byte[] event, Duration timeout) throws Exception {
        try {
            return api.invoke(event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + timeout + "\n" + output(), e);
        }
    }

    RuntimeApiServer.Answer invoke(String event) throws Exception {
        return invoke(event.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
    }

    List<String> runtimeCalls() {
        return api.calls();
    }

    long pid() {
        return process.pid();
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.close();
        Files.deleteIfExists(output);
        Files.deleteIfExists(taskRoot.resolve("lib/function.jar"));
        Files.deleteIfExists(taskRoot.resolve("lib"));
        Files.deleteIfExists(taskRoot);
    }
}
