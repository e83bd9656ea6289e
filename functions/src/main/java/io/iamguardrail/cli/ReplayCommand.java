package io.iamguardrail.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.iamguardrail.config.ConfigException;
import io.iamguardrail.config.ExemptionExpiry;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.FindingJson;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.Guardrail;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.pipeline.Invocation;
import io.iamguardrail.tamper.OwnStack;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorSetup;
import io.iamguardrail.wiring.EvaluatorWiring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import static io.iamguardrail.text.VisibleText.line;

/**
 * {@code replay}: the Lambda's pipeline on event files. Offline by default (state from the event and the bundled
 * snapshot of AWS managed policies, nothing published); {@code --live} reads IAM and publishes to {@code --topic-arn}.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the evaluator on EventBridge CloudTrail IAM events: offline by default, or --live against AWS.",
        footer = {"", "Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 bad usage, unreadable input",
                "or an event that could not be processed (ERROR verdict; the other events are still replayed).",
                "With --live, GUARDRAIL_TABLE_NAME names the idempotency table (optional); AWS_ENDPOINT_URL points at an emulator.",
                "--live --mode remediate acts on IAM and needs --backup-bucket; each alert gives the backup id for `restore`.",
                "--live --assume-role-name NAME replays an organization's events: those of the caller's own account with the",
                "caller's credentials, every other account's through role NAME assumed in that account (the envelope's",
                "account and the recipient account must be the same). Any account whose role the caller can assume is",
                "judged; add --organization to judge only the active members of the caller's organization, as the hub does",
                "(the caller must be allowed organizations:ListAccounts)."})
final class ReplayCommand implements Callable<Integer> {

    enum Format { text, json, slack }

    @Option(names = "--format", defaultValue = "text", description = "text, json, or slack: the Slack messages the notifier"
            + " would post, one JSON a line with a Block Kit Builder link (default: ${DEFAULT-VALUE})")
    Format format;

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @Option(names = "--live", description = "read the live state from IAM and publish to --topic-arn")
    boolean live;

    @Option(names = "--mode", paramLabel = "MODE", description = "alert or remediate (overrides the configuration)")
    String mode;

    @Option(names = "--topic-arn", paramLabel = "ARN", description = "with --live: the SNS topic to publish alerts to")
    String topicArn;

    @picocli.CommandLine.Mixin
    SlackOptions slackOptions;

    @Option(names = "--backup-bucket", paramLabel = "BUCKET",
            description = "with --live --mode remediate: the versioned S3 bucket backups go to (required to remediate)")
    String backupBucket;

    @Option(names = "--mac-key-id", paramLabel = "ARN",
            description = "with --live --mode remediate: the KMS HMAC key that signs backups and snapshots")
    String macKeyId;

    @Option(names = "--quarantine-policy-arn", paramLabel = "ARN",
            description = "the deny-all customer-managed policy a quarantine attaches")
    String quarantinePolicyArn;

    @Option(names = "--account", paramLabel = "ID",
            description = "the account the events must belong to: an event of any other account is skipped, never acted on")
    String account;

    @Option(names = "--assume-role-name", paramLabel = "NAME",
            description = "with --live: judge each event in its own account through role NAME assumed there")
    String assumeRoleName;

    @Option(names = "--external-id", paramLabel = "ID",
            description = "with --assume-role-name: the external id the role's trust policy requires")
    String externalId;

    @Option(names = "--organization",
            description = "with --assume-role-name: judge only the active members of the caller's organization")
    boolean organization;

    @Option(names = "--max-event-age", paramLabel = "HOURS",
            description = "with --live --mode remediate: events older than this alert but are never remediated")
    Long maxEventAgeHours;

    @Option(names = "--confirm-with-cloudtrail",
            description = "with --live --mode remediate: act only on events CloudTrail's LookupEvents confirms")
    boolean confirmWithCloudTrail;

    @Parameters(paramLabel = "EVENT_FILE|DIR", arity = "1..*",
            description = "event files, CloudTrail log files ({\"Records\": [...]}, optionally .gz) or folders")
    List<Path> paths;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** One replayed event, for the output; {@code slack} is what became of its Slack message (null: not asked). */
    record Replayed(String source, GuardrailService.Outcome outcome, String slack) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Severity threshold = common.threshold();
            Guardrail service = service(loadConfig());
            SlackOptions.Target slack = slackOptions.target();
            int burstThreshold = slackOptions.burstThreshold();
            List<Replayed> replayed = new ArrayList<>();
            for (ReplayInputs.Item item : ReplayInputs.read(paths)) {
                GuardrailService.Outcome outcome;
                try {
                    outcome = service.process(item.json(), new Invocation(item.source(), Optional.ofNullable(account),
                            Instant.now().plusSeconds(300)));
                } catch (RuntimeException e) {
                    // A failed publish: this event is an error, the others still run.
                    outcome = new GuardrailService.Outcome(Decision.error("unknown", "unknown",
                            "could not publish: " + e.getClass().getSimpleName() + ": " + e.getMessage()),
                            Optional.empty(), Optional.empty());
                }
                replayed.add(new Replayed(item.source(), outcome, slack == null ? null : slack.post(outcome, item.source(), err)));
            }
            if (replayed.isEmpty()) {
                throw new UsageException("no events found in " + paths
                        + " (expected EventBridge CloudTrail events, JSON with eventName and eventSource, or CloudTrail log files)");
            }
            if (format == Format.json) {
                json(replayed, out);
            } else if (format == Format.slack) {
                SlackPreview.print(replayed, burstThreshold, out);
            } else {
                text(replayed, out);
            }
            out.flush();
            boolean failing = replayed.stream().flatMap(r -> r.outcome().decision().findings().stream())
                    .anyMatch(f -> f.severity().atLeast(threshold));
            boolean errors = replayed.stream().anyMatch(r -> r.outcome().decision().verdict() == Verdict.ERROR
                    || (r.slack() != null && r.slack().startsWith("failed")));
            return errors ? Main.USAGE : failing ? Main.FINDINGS : Main.CLEAN;
        } catch (UsageException e) {
            err.println("iam-guardrail: " + e.getMessage());
            return Main.USAGE;
        }
    }

    private Guardrail service(GuardrailConfig config) throws UsageException {
        boolean remediate = config.mode() == GuardrailConfig.Mode.REMEDIATE;
        if (live && remediate && (backupBucket == null || backupBucket.isBlank())) {
            throw new UsageException("--mode remediate needs --backup-bucket BUCKET: nothing is remediated without a backup");
        }
        if (!live && topicArn != null) {
            throw new UsageException("--topic-arn publishes alerts and needs --live");
        }
        if (assumeRoleName == null && (externalId != null || organization)) {
            throw new UsageException((externalId != null ? "--external-id" : "--organization")
                    + " goes with --assume-role-name NAME");
        }
        if (assumeRoleName != null && !live) {
            throw new UsageException("--assume-role-name reads each event's account and needs --live");
        }
        if (assumeRoleName != null && account != null) {
            throw new UsageException("--account binds replay to one account, --assume-role-name judges each event in"
                    + " its own: use one of them");
        }
        if (account != null && !account.matches("\\d{12}")) {
            throw new UsageException("--account: expected a 12-digit account id but found `" + account + "`");
        }
        Optional<String> table = Optional.ofNullable(System.getenv("GUARDRAIL_TABLE_NAME")).filter(t -> !t.isBlank());
        // Last-known-good snapshots live in the guardrail's table when one is named (signed: anyone who can write
        // the table could plant one otherwise), else for this run only.
        if (live && remediate && table.isPresent() && (macKeyId == null || macKeyId.isBlank())) {
            throw new UsageException("GUARDRAIL_TABLE_NAME keeps snapshots in table " + table.get()
                    + " only signed: add --mac-key-id ARN");
        }
        // The operator chose these events: no age bound and no CloudTrail confirmation unless asked for.
        EvaluatorSetup setup = new EvaluatorSetup(config, Optional.ofNullable(topicArn), Optional.empty(), table,
                Optional.ofNullable(System.getenv("GUARDRAIL_ROLE_ARN")),
                Optional.ofNullable(System.getenv("GUARDRAIL_ROLE_ARNS")), OwnStack.fromEnvironment(System.getenv()),
                Optional.ofNullable(backupBucket), Optional.ofNullable(macKeyId),
                Optional.ofNullable(maxEventAgeHours).map(Duration::ofHours), confirmWithCloudTrail,
                EvaluatorSetup.Scope.RUN);
        if (live && assumeRoleName != null) {
            MemberReplay.Routed routed = MemberReplay.wire(setup, assumeRoleName, Optional.ofNullable(externalId),
                    organization);
            account = routed.callerAccount(); // its own events are bound to it, as the hub's are
            return routed.router();
        }
        if (live) {
            return EvaluatorWiring.live(setup, AwsClients.standard(), DecisionLog.silent());
        }
        return EvaluatorWiring.offline(setup, alert -> "not published (offline)", DecisionLog.silent(),
                remediate ? Optional.of("offline replay: nothing is changed") : Optional.empty());
    }

    private GuardrailConfig loadConfig() throws UsageException {
        GuardrailConfig cfg = common.config();
        if (mode != null) {
            GuardrailConfig.Mode m;
            try {
                m = GuardrailConfig.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("expected --mode to be alert or remediate but found `" + mode + "`");
            }
            cfg = cfg.withMode(m);
            try {
                ExemptionExpiry.requireForRemediation(cfg);
            } catch (ConfigException e) {
                throw new UsageException("--mode " + mode + ": " + e.getMessage());
            }
        }
        if (quarantinePolicyArn != null) {
            cfg = cfg.withRemediation(cfg.remediation().withQuarantinePolicy(quarantinePolicyArn));
        }
        String own = System.getenv("GUARDRAIL_ROLE_ARN");
        if (own != null && !own.isBlank()) {
            cfg = cfg.withRemediation(cfg.remediation().withGuardrailRole(own));
        }
        return cfg;
    }

    private static void text(List<Replayed> replayed, PrintWriter out) {
        int[] verdicts = new int[Verdict.values().length];
        for (Replayed r : replayed) {
            var d = r.outcome().decision();
            verdicts[d.verdict().ordinal()]++;
            // Event fields are the caller's: each value on its line, control and format characters escaped.
            out.println(line(r.source() + ": " + d.eventName() + " " + d.eventId() + " -> " + d.verdict() + " (" + d.reason() + ")"));
            d.target().ifPresent(t -> out.println("  target: " + line(t)));
            for (Finding f : d.findings()) {
                out.printf("  %-8s %s  %s%n", f.severity(), f.ruleId(), line(f.message()));
            }
            d.newAccess().forEach(n -> out.println("  new: " + line(n)));
            d.notes().forEach(n -> out.println("  note: " + line(n)));
            r.outcome().alert().ifPresent(a -> {
                out.println("  alert: " + line(a.subject()));
                out.println("  published: " + line(r.outcome().messageId().orElse("no")));
            });
            if (r.slack() != null) {
                out.println("  slack: " + line(r.slack()));
            }
            r.outcome().remediation().ifPresent(rem -> {
                out.println("  remediation: " + rem.status() + " - " + line(rem.summary()));
                rem.actions().forEach(a -> out.println("    " + line(a.status() + " " + a.action() + " " + a.target() + ": " + a.detail())));
                rem.backupId().ifPresent(b -> out.println("    backup: " + line(b)));
                rem.undoCommand().ifPresent(c -> out.println("    undo: " + line(c)));
                rem.undoAws().forEach(c -> out.println("    undo (aws): " + line(c)));
            });
            out.println();
        }
        List<String> parts = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            if (verdicts[v.ordinal()] > 0) {
                parts.add(verdicts[v.ordinal()] + " " + v);
            }
        }
        out.println(replayed.size() + (replayed.size() == 1 ? " event: " : " events: ") + String.join(", ", parts));
    }

    private static void json(List<Replayed> replayed, PrintWriter out) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", "iam-guardrail/replay/1");
            g.writeStringField("tool", Main.VERSION);
            g.writeArrayFieldStart("events");
            for (Replayed r : replayed) {
                var d = r.outcome().decision();
                g.writeStartObject();
                g.writeStringField("source", r.source());
                g.writeStringField("eventName", d.eventName());
                g.writeStringField("eventId", d.eventId());
                g.writeStringField("verdict", d.verdict().name());
                g.writeStringField("reason", d.reason());
                if (d.target().isPresent()) {
                    g.writeStringField("target", d.target().get());
                }
                g.writeArrayFieldStart("findings");
                for (Finding f : d.findings()) {
                    FindingJson.write(g, f);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("newAccess");
                for (String n : d.newAccess()) {
                    g.writeString(n);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("notes");
                for (String n : d.notes()) {
                    g.writeString(n);
                }
                g.writeEndArray();
                if (r.outcome().alert().isPresent()) {
                    var a = r.outcome().alert().get();
                    g.writeObjectFieldStart("alert");
                    g.writeStringField("subject", a.subject());
                    g.writeFieldName("message");
                    g.writeRawValue(a.json());
                    g.writeStringField("email", a.email());
                    g.writeObjectFieldStart("attributes");
                    for (var e : a.attributes().entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                    g.writeStringField("published", r.outcome().messageId().orElse("no"));
                    g.writeEndObject();
                } else {
                    g.writeNullField("alert");
                }
                if (r.slack() != null) {
                    g.writeStringField("slack", r.slack());
                }
                if (r.outcome().remediation().isPresent()) {
                    g.writeFieldName("remediation");
                    r.outcome().remediation().get().write(g);
                } else {
                    g.writeNullField("remediation");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
