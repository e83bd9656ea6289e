package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real jar run as a user runs it, against moto ({@code AWS_ENDPOINT_URL}), with extra environment. */
final class JarCli {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JarCli() {
    }

    record Run(int exit, String out, String err) {
        JsonNode event() throws Exception {
            return JSON.readTree(out).get("events").get(0);
        }

        JsonNode remediation() throws Exception {
            return event().get("remediation");
        }

        /** The CLI's own lines on standard error (the SDK's logging set-up may print others), each with its newline. */
        String messages() {
            return err.lines().filter(l -> l.startsWith("iam-guardrail:")).map(l -> l + "\n").reduce("", String::concat);
        }
    }

    static Run run(MotoServer moto, Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("guardrail.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AWS_ENDPOINT_URL", moto.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().remove("GUARDRAIL_ROLE_ARN");
        pb.environment().remove("GUARDRAIL_TABLE_NAME");
        pb.environment().remove("MAC_KEY_ID");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        int exit = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }
}
