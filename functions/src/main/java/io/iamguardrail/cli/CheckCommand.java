package io.iamguardrail.cli;

import io.iamguardrail.config.ExemptionExpiry;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.rules.Rules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** {@code check}: lint policy files, templates and folders, offline, for people and for CI. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check IAM policy files, CloudFormation/SAM templates and folders for least-privilege problems.",
        footer = {"", "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 bad usage or unreadable input."})
final class CheckCommand implements Callable<Integer> {

    enum Format { text, json, sarif }

    @Option(names = "--format", description = "text, json or sarif (default: ${DEFAULT-VALUE})", defaultValue = "text")
    Format format;

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--account", paramLabel = "ID", description = "the account the policies live in (12 digits)")
    String account;

    @Option(names = "--kind", paramLabel = "KIND", description = "identity, trust or resource: overrides detection")
    String kind;

    @Option(names = "--together", description = "evaluate all the policy files as the policies of one principal, and"
            + " report the paths to administrator access among the principals the templates define")
    boolean together;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "policy files, templates or folders")
    List<Path> paths;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Severity threshold = common.threshold();
            GuardrailConfig config = loadConfig();
            ExemptionExpiry.warnings(config).forEach(err::println);
            Inputs inputs = new Inputs(parseKind(), Path.of("").toAbsolutePath(), config.accountId());
            // The catalogue and knowledge load (a few hundred milliseconds in a fresh JVM) while the files are read.
            FutureTask<Engine> building = new FutureTask<>(() -> Rules.engine().config(config).build());
            Thread builder = new Thread(building, "engine-load");
            builder.setDaemon(true);
            builder.start();
            for (Path p : paths) {
                inputs.add(p);
            }
            Engine engine = built(building);
            List<Subject> subjects = together ? inputs.together() : inputs.subjects;
            // The engine is thread-safe and subjects are independent; the order of the reports is kept.
            List<Report> reports = subjects.parallelStream().map(engine::evaluate).toList();
            if (together) {
                reports = new ArrayList<>(reports);
                reports.add(CheckPaths.of(engine, inputs.templates, inputs.combined(), reports));
            }
            List<Finding> findings = distinct(reports);
            CheckResult result = new CheckResult(findings, reports, inputs.files, inputs.skipped, engine);
            switch (format) {
                case json -> JsonOutput.write(result, out);
                case sarif -> SarifOutput.write(result, out);
                default -> TextOutput.write(result, out);
            }
            out.flush();
            return findings.stream().anyMatch(f -> f.severity().atLeast(threshold)) ? Main.FINDINGS : Main.CLEAN;
        } catch (UsageException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
    }

    private static Engine built(FutureTask<Engine> building) {
        try {
            return building.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the catalogue", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The same finding reached through two principals (a managed policy attached to both) is listed once. */
    private static List<Finding> distinct(List<Report> reports) {
        Set<String> seen = new HashSet<>();
        List<Finding> out = new ArrayList<>();
        for (Report r : reports) {
            for (Finding f : r.findings()) {
                if (seen.add(f.key() + "|" + f.source() + "|" + f.location().pointer() + "|" + f.message())) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private GuardrailConfig loadConfig() throws UsageException {
        GuardrailConfig cfg = common.config();
        if (account != null) {
            if (!account.matches("\\d{12}")) {
                throw new UsageException("expected --account to be a 12-digit account id but found `" + account + "`");
            }
            cfg = cfg.withAccountId(account);
        }
        return cfg;
    }

    private PolicyKind parseKind() throws UsageException {
        if (kind == null) {
            return null;
        }
        try {
            return PolicyKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("expected --kind to be identity, trust or resource but found `" + kind + "`");
        }
    }
}
