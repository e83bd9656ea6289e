package io.iamguardrail.cli;

import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code rules}: the rule catalogue, as text or as the Markdown table of the README. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "List the rules: id, default severity, title.")
final class RulesCommand implements Callable<Integer> {

    @Option(names = "--format", description = "text or markdown (default: ${DEFAULT-VALUE})", defaultValue = "text")
    String format;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (format.equals("markdown")) {
            spec.commandLine().getOut().print(markdown());
        } else if (format.equals("text")) {
            for (RuleMetadata r : Rules.catalogue()) {
                spec.commandLine().getOut().printf("%-34s %-8s %s%n", r.id(), r.severity(), r.title());
            }
        } else {
            spec.commandLine().getErr().println("iam-guardrail: expected --format text or markdown but found `" + format + "`");
            return Main.USAGE;
        }
        spec.commandLine().getOut().flush();
        return Main.CLEAN;
    }

    /** The README's rule table; a test keeps the README equal to it. */
    static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| id | applies to | default severity | title | fix |\n");
        sb.append("|---|---|---|---|---|\n");
        for (RuleMetadata r : Rules.catalogue()) {
            sb.append("| `").append(r.id()).append("` | ").append(r.appliesTo()).append(" | ").append(r.severity())
                    .append(" | ").append(r.title()).append(" | ").append(r.remediation().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
