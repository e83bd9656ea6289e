package io.iamguardrail.cli;

import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.engine.RuleTrait;
import io.iamguardrail.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rules}: the rule catalogue, as text or as the Markdown page docs/rules.md. */
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

    /** The command that writes docs/rules.md; the page says so, and a test keeps the page equal to its output. */
    static final String GENERATE = "bin/iam-guardrail rules --format markdown > docs/rules.md";

    /**
     * docs/rules.md: every rule {@code Rules.catalogue()} holds (policy rules, change rules, the engine's own), a
     * table first and then each rule's rationale, fix and references.
     */
    static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Rule catalogue\n\n");
        sb.append("<!-- Generated from the rule metadata: ").append(GENERATE)
                .append(" (RulesDocTest keeps this page equal to it). -->\n\n");
        sb.append("Ids are a public contract: never renamed or reused. Severities are defaults; the configuration ")
                .append("changes them, turns rules off and exempts principals per rule (README, Configuration). ")
                .append("Every policy rule has pass and fail fixtures under ")
                .append("`functions/src/test/resources/rules/<RULE_ID>/`, every change rule under ")
                .append("`functions/src/test/resources/change-rules/<RULE_ID>/` (CloudTrail records), each folder walked ")
                .append("by one parameterised test. *Applies to*: `permission` policies, `trust` policies, a `principal` ")
                .append("with all its policies, the `change` a CloudTrail event records, the scheduled `audit`, or the ")
                .append("`engine`.\n\n");
        sb.append("| id | applies to | default severity | title |\n");
        sb.append("|---|---|---|---|\n");
        for (RuleMetadata r : Rules.catalogue()) {
            sb.append("| [`").append(r.id()).append("`](#").append(r.id().toLowerCase(Locale.ROOT))
                    .append(") | ").append(r.appliesTo()).append(" | ").append(r.severity()).append(" | ")
                    .append(cell(r.title())).append(" |\n");
        }
        for (RuleMetadata r : Rules.catalogue()) {
            sb.append("\n## ").append(r.id()).append("\n\n");
            sb.append("**").append(r.title()).append("**: ").append(r.severity()).append(", applies to ")
                    .append(r.appliesTo()).append(".\n\n");
            sb.append(r.rationale()).append("\n\n");
            sb.append("Fix: ").append(r.remediation()).append("\n");
            if (!r.traits().isEmpty()) {
                sb.append("\nJudged: ").append(String.join("; ", r.traits().stream().map(RuleTrait::meaning).toList()))
                        .append(".\n");
            }
            if (!r.references().isEmpty()) {
                sb.append("\nReferences:\n");
                r.references().forEach(ref -> sb.append("- ").append(ref).append("\n"));
            }
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
