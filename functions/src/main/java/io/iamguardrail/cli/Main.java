package io.iamguardrail.cli;

import io.iamguardrail.catalog.Knowledge;
import picocli.CommandLine.Command;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/** The command line: the same engine as the Lambda functions, offline. */
@Command(name = "iam-guardrail", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "Least-privilege checks for AWS IAM policies, trust policies and templates.")
public final class Main implements Runnable {

    static final String VERSION = "iam-guardrail 0.1.0";

    /** Exit codes: 0 clean, 1 findings at or above --fail-on, 2 bad usage or unreadable input. */
    static final int CLEAN = 0;
    static final int FINDINGS = 1;
    static final int USAGE = 2;

    /** The commands that evaluate policies, so need the action catalogue and the knowledge tables. */
    private static final Set<String> ENGINE_COMMANDS = Set.of("check", "replay", "audit", "invoke");

    /** The commands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && ENGINE_COMMANDS.contains(args[0])) {
            // The catalogue and knowledge tables, most of a short run's work, load on a second core while picocli
            // parses and the configuration is read. A failure stays in the task: the engine's own load repeats and
            // reports it.
            Thread loading = new Thread(new FutureTask<>(Knowledge::bundled), "catalogue-load");
            loading.setDaemon(true);
            loading.start();
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command line and returns its exit code; used by tests in-process. Both streams go through
     * {@link TerminalWriter}: nothing from an input file or an event reaches the terminal as an escape sequence.
     */
    public static int run(String[] args, PrintWriter rawOut, PrintWriter rawErr) {
        PrintWriter out = new PrintWriter(new TerminalWriter(rawOut), true);
        PrintWriter err = new PrintWriter(new TerminalWriter(rawErr), true);
        try {
            return execute(args, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        // Only the command named is modelled: picocli reads every command's annotations and options up front,
        // a cost each run paid for the four it did not run. Help, typos and a missing command see them all.
        boolean named = args.length > 0 && COMMANDS.containsKey(args[0]);
        COMMANDS.forEach((name, command) -> {
            if (!named || name.equals(args[0])) {
                cli.addSubcommand(name, command.get());
            }
        });
        // Help in plain text: colours are escape sequences, which the output does not pass through.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("iam-guardrail: " + firstLine(e.getMessage()) + " (see --help)");
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.println("iam-guardrail: " + firstLine(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            return USAGE;
        });
        try {
            return cli.execute(args);
        } catch (RuntimeException | Error e) {
            // Never a stack trace for the user: one line, exit 2.
            err.println("iam-guardrail: internal error: " + firstLine(String.valueOf(e)));
            err.flush();
            return USAGE;
        }
    }

    /** Every command modelled, as help sees them: for checking command lines without running them. */
    static CommandLine parser() {
        CommandLine cli = new CommandLine(new Main());
        COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "expected a command (check) but found none");
    }

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("check", CheckCommand::new);
        commands.put("replay", ReplayCommand::new);
        commands.put("restore", RestoreCommand::new);
        commands.put("audit", AuditCommand::new);
        commands.put("rules", RulesCommand::new);
        commands.put("invoke", InvokeCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
