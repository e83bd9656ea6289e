package io.iamguardrail.remediation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command line pasted into a POSIX shell ({@code sh -c}) in a folder of the test's: {@code aws} and {@code java}
 * stand in as shell functions that print the words they received, NUL-separated, so a test sees exactly what the
 * real program would have been given, and whether anything else ran.
 */
public final class PastedCommand {

    private PastedCommand() {
    }

    /** The words the command's program received, its own name first. */
    public static List<String> words(String commandLine, Path folder) throws IOException, InterruptedException {
        String script = "aws() { printf '%s\\0' aws \"$@\"; }; java() { printf '%s\\0' java \"$@\"; }; " + commandLine;
        Process p = new ProcessBuilder("sh", "-c", script).directory(folder.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("expected sh to run `" + commandLine + "` but it failed: " + err);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (!text.endsWith("\0")) {
            throw new AssertionError("expected NUL-terminated words from `" + commandLine + "` but found `" + text + "`");
        }
        return Arrays.asList(text.substring(0, text.length() - 1).split("\0", -1));
    }
}
