package io.iamguardrail.cli;

import io.iamguardrail.text.VisibleText;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a report goes: the file `--output` names, or standard output. Written to a file, one line on standard error
 * says what and where (standard error, like the organization run's progress, so that standard output stays the
 * report's alone).
 */
final class ReportOutput {

    private ReportOutput() {
    }

    /** @param what what the report holds, for the line that says it was written ({@code html, 76 findings ...}) */
    static void write(String text, Path output, String what, PrintWriter out, PrintWriter err) throws UsageException {
        if (output == null) {
            out.print(text);
            out.flush();
            return;
        }
        try {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot write `" + output + "`: " + e.getMessage());
        }
        err.println("iam-guardrail: wrote " + VisibleText.line(output.toString()) + " (" + what + ")");
        err.flush();
    }
}
