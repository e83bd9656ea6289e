package io.iamguardrail.cli;

import io.iamguardrail.handlers.LocalFunctions;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.local.EnvVarsFile;
import io.iamguardrail.local.LocalContext;
import io.iamguardrail.local.LocalException;
import io.iamguardrail.local.LocalTemplate;
import io.iamguardrail.pipeline.Secrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code invoke}: one function of template.yaml run like {@code sam local invoke}, without Docker. The real handler
 * class the template names, with the function's environment from the template (overlaid by {@code --env-vars} in
 * SAM CLI's format); offline by default. The function's log lines and the START/END/REPORT lines go to stderr, its
 * response to stdout, as SAM CLI prints them.
 */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = "Run a function of template.yaml on an event like `sam local invoke`, without Docker: offline by"
                + " default (state from the event and the bundled AWS managed policies, the audit on a bundled example"
                + " account; the would-be SNS, Slack and S3 requests are logged, nothing is sent or changed), or --live"
                + " against AWS.",
        footer = {"", "Exit codes: 0 the function answered, 1 the function failed (its error is the response),"
                + " 2 bad usage or unreadable input.",
                "With --live the function uses the standard AWS SDK configuration; AWS_ENDPOINT_URL points it at an emulator."})
final class InvokeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FUNCTION", description = "the function's logical id, e.g. EvaluatorFunction")
    String function;

    @Option(names = {"-e", "--event"}, paramLabel = "EVENT", description = "the event file, or - for stdin (default: {})")
    String event;

    @Option(names = {"-n", "--env-vars"}, paramLabel = "FILE",
            description = "environment overrides in SAM CLI's format: {\"Parameters\": {...}, \"<FUNCTION>\": {...}}")
    Path envVars;

    @Option(names = {"-t", "--template"}, paramLabel = "FILE", defaultValue = "template.yaml",
            description = "the SAM template (default: ${DEFAULT-VALUE})")
    Path template;

    @Option(names = "--live", description = "wire the function's real AWS clients: reads IAM, publishes, posts, remediates")
    boolean live;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalTemplate.Function fn;
        EnvVarsFile.Overlay env;
        byte[] input;
        try {
            fn = LocalTemplate.read(template).function(function);
            env = envVars == null ? new EnvVarsFile.Overlay(fn.environment(), Set.of())
                    : EnvVarsFile.read(envVars).apply(fn);
            input = event();
        } catch (LocalException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
        err.println("Invoking " + fn.handler() + " (" + fn.runtime() + ", " + fn.memoryMb() + " MB, "
                + (live ? "live: AWS as configured" : "offline: nothing is sent or changed") + ")");
        if (!env.ignored().isEmpty()) {
            err.println("Not set: " + String.join(", ", env.ignored()) + " (the template does not declare them for "
                    + fn.logicalId() + "; SAM CLI ignores them too)");
        }
        fn.unresolved().stream().filter(v -> env.environment().getOrDefault(v, "").isEmpty()).forEach(v ->
                err.println("Empty: " + v + " (its intrinsic function is not resolved locally; set it in --env-vars)"));

        String requestId = UUID.randomUUID().toString();
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        PrintStream stdout = System.out;
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        String error = null;
        long started = System.nanoTime();
        long invokeStarted = started;
        // What the function writes to standard output is its log, as in Lambda: kept apart from the response.
        System.setOut(log);
        try (LocalFunctions.Function f = LocalFunctions.create(fn.handler(), env.environment(), live, log)) {
            invokeStarted = System.nanoTime();
            f.invoke(new ByteArrayInputStream(input), response, new LocalContext(requestId, fn.logicalId(),
                    fn.memoryMb(), System.currentTimeMillis() + fn.timeoutSeconds() * 1000L, log));
        } catch (IOException | RuntimeException e) {
            error = errorResponse(e);
        } finally {
            System.setOut(stdout);
        }
        long ended = System.nanoTime();
        boolean initFailed = error != null && invokeStarted == started;
        err.println("START RequestId: " + requestId + " Version: $LATEST");
        err.print(logBytes.toString(StandardCharsets.UTF_8));
        err.println("END RequestId: " + requestId);
        err.printf("REPORT RequestId: %s\tInit Duration: %.2f ms\tDuration: %.2f ms\tMemory Size: %d MB%s%n",
                requestId, (invokeStarted - started) / 1e6, initFailed ? 0.0 : (ended - invokeStarted) / 1e6,
                fn.memoryMb(), initFailed ? "\tStatus: init error" : "");
        err.flush();
        out.println(error != null ? error : response.toString(StandardCharsets.UTF_8));
        out.flush();
        return error != null ? Main.FINDINGS : Main.CLEAN;
    }

    /** Lambda's error response, without the stack trace; secrets a message might carry are masked. */
    private static String errorResponse(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : Secrets.redact(e.getMessage());
        return "{\"errorMessage\":" + NodeWriter.quote(message) + ",\"errorType\":"
                + NodeWriter.quote(e.getClass().getName()) + "}";
    }

    private byte[] event() throws LocalException {
        if (event == null) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        try {
            return event.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(event));
        } catch (NoSuchFileException e) {
            throw new LocalException("cannot read the event `" + event + "`: no such file");
        } catch (IOException e) {
            throw new LocalException("cannot read the event `" + event + "`: " + e.getMessage());
        }
    }
}
