package io.iamguardrail.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a report goes: the file `--output` names, or standard output. */
final class ReportOutput {

    private ReportOutput() {
    }

    static void write(String text, Path output, PrintWriter out) throws UsageException {
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
    }
}
