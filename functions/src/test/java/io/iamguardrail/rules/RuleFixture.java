package io.iamguardrail.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.template.TemplateReader;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One fixture file of {@code rules/<RULE_ID>/<pass|fail>/<name>.json}, read and evaluated.
 *
 * <p>A fixture is either a bare policy document (its kind detected as {@code check} does), or an envelope:
 * <pre>{@code
 * {"fixture": {"description": "...", "account": "111122223333", "config": {...same keys as the YAML config...},
 *              "principalType": "ROLE|USER|GROUP", "principal": "arn:...", "trust": {...},
 *              "policies": [{"name": "p1", "origin": "INLINE|MANAGED|STANDALONE|GROUP", "document": {...}}],
 *              "boundary": {...}},
 *  "expect": [{"ruleId": "X", "pointer": "/Statement/0/Action", "severity": "HIGH"}]}
 * }</pre>
 * The envelope is read strictly (unknown keys, a missing document or an {@code expect} in a pass fixture are
 * errors), so a typo cannot turn a fixture into one that passes for the wrong reason. Policies inside an envelope
 * are parsed from the envelope's tree, as the template reader does, and finding pointers are made relative to the
 * document they are in.
 *
 * <p>A policy of origin {@code RESOURCE} is parsed as a resource-based policy. A fixture may also be a whole
 * CloudFormation template (JSON): every subject the template reader finds in it is evaluated, and the fixture's
 * report is theirs together, as {@code check} reports a template.
 *
 * <p>Only {@code MALFORMED_POLICY/fail} fixtures may be broken text: they are parsed as a bare document.
 */
final class RuleFixture {

    /** Exemption expiry is compared with "today": pinned so that fixtures do not change meaning over time. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    private static final List<String> ROOT_KEYS = List.of("fixture", "expect");
    private static final List<String> FIXTURE_KEYS = List.of("description", "account", "config", "principalType",
            "principal", "trust", "policies", "boundary");
    private static final List<String> POLICY_KEYS = List.of("name", "origin", "document");
    private static final List<String> EXPECT_KEYS = List.of("ruleId", "pointer", "severity");
    /** The envelope part of a pointer: what is left is the pointer inside the document. */
    private static final Pattern DOCUMENT_PREFIX = Pattern.compile("^/fixture/(trust|boundary|policies/\\d+/document)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One expected finding; an absent field matches anything. */
    record Expectation(String ruleId, Optional<String> pointer, Optional<String> severity) {
        boolean matches(Finding f) {
            return f.ruleId().equals(ruleId)
                    && pointer.map(p -> p.equals(relativePointer(f))).orElse(true)
                    && severity.map(s -> s.equals(f.severity().name())).orElse(true);
        }

        @Override
        public String toString() {
            return ruleId + pointer.map(p -> " at " + p).orElse("") + severity.map(s -> " (" + s + ")").orElse("");
        }
    }

    final String ruleId;
    final String side;
    final String name;
    final String description;
    final boolean envelope;
    final List<Expectation> expect;
    private final List<Subject> subjects;
    private final GuardrailConfig config;

    private RuleFixture(String ruleId, String side, String name, String description, boolean envelope,
                        List<Expectation> expect, List<Subject> subjects, GuardrailConfig config) {
        this.ruleId = ruleId;
        this.side = side;
        this.name = name;
        this.description = description;
        this.envelope = envelope;
        this.expect = expect;
        this.subjects = subjects;
        this.config = config;
    }

    /** {@code RULE_ID fail/github-oidc-no-sub.json} */
    String displayName() {
        return ruleId + " " + side + "/" + name;
    }

    Report evaluate() {
        Engine engine = Rules.engine().config(config).clock(CLOCK).build();
        if (subjects.size() == 1) {
            return engine.evaluate(subjects.get(0));
        }
        List<Finding> findings = new ArrayList<>();
        List<Report.Suppressed> suppressed = new ArrayList<>();
        Set<String> run = new LinkedHashSet<>();
        Set<String> failed = new LinkedHashSet<>();
        for (Subject s : subjects) {
            Report r = engine.evaluate(s);
            findings.addAll(r.findings());
            suppressed.addAll(r.suppressed());
            run.addAll(r.rulesRun());
            failed.addAll(r.rulesFailed());
        }
        return new Report(name, findings, suppressed, List.copyOf(run), List.copyOf(failed));
    }

    /** A finding's pointer inside its own document ({@code /Statement/0/Action}), whatever envelope it came from. */
    static String relativePointer(Finding f) {
        return DOCUMENT_PREFIX.matcher(f.location().pointer()).replaceFirst("");
    }

    static RuleFixture load(Path file) throws Exception {
        String ruleId = file.getParent().getParent().getFileName().toString();
        String side = file.getParent().getFileName().toString();
        String name = file.getFileName().toString();
        String source = ruleId + "/" + side + "/" + name;
        byte[] bytes = Files.readAllBytes(file);
        Node root;
        try {
            root = NodeReader.readJson(bytes);
        } catch (NodeReadException e) {
            if (!(ruleId.equals("MALFORMED_POLICY") && side.equals("fail"))) {
                throw new IllegalStateException(source + " is not valid JSON (only MALFORMED_POLICY/fail fixtures"
                        + " may be): " + e.getMessage() + " at " + e.at(), e);
            }
            return bare(ruleId, side, name, source, bytes);
        }
        if (TemplateReader.isTemplate(root)) {
            return new RuleFixture(ruleId, side, name, "", false, List.of(),
                    TemplateReader.read((Node.Obj) root, source), GuardrailConfig.defaults());
        }
        if (!(root instanceof Node.Obj obj) || obj.get("fixture") == null) {
            return bare(ruleId, side, name, source, bytes);
        }
        keys(obj, ROOT_KEYS, source, "the envelope");
        Node.Obj fx = object(obj.get("fixture"), source, "`fixture`");
        keys(fx, FIXTURE_KEYS, source, "`fixture`");
        if (fx.get("trust") == null && fx.get("policies") == null) {
            throw new IllegalStateException(source + ": expected `trust` or `policies` in `fixture` but found neither");
        }

        GuardrailConfig config = GuardrailConfig.defaults();
        if (fx.get("config") != null) {
            String json = JSON.writeValueAsString(plain(object(fx.get("config"), source, "`config`")));
            config = new ConfigLoader(Rules.ids()).load(json, source + " config");
        }
        if (fx.get("account") != null) {
            config = config.withAccountId(text(fx.get("account"), source, "account"));
        }

        Optional<SourcedPolicy> trust = Optional.empty();
        if (fx.get("trust") != null) {
            trust = Optional.of(new SourcedPolicy(source, "trust", SourcedPolicy.Origin.TRUST,
                    PolicyParser.parse(object(fx.get("trust"), source, "`trust`"), PolicyKind.TRUST)));
        }
        List<SourcedPolicy> policies = new ArrayList<>();
        if (fx.get("policies") != null) {
            if (!(fx.get("policies") instanceof Node.Arr arr) || arr.items().isEmpty()) {
                throw new IllegalStateException(source + ": expected `policies` to be a non-empty array");
            }
            for (Node item : arr.items()) {
                Node.Obj p = object(item, source, "a `policies` entry");
                keys(p, POLICY_KEYS, source, "a `policies` entry");
                String policyName = p.get("name") == null ? "policy" + (policies.size() + 1) : text(p.get("name"), source, "name");
                SourcedPolicy.Origin origin = p.get("origin") == null ? SourcedPolicy.Origin.MANAGED
                        : SourcedPolicy.Origin.valueOf(text(p.get("origin"), source, "origin"));
                if (origin == SourcedPolicy.Origin.TRUST || origin == SourcedPolicy.Origin.BOUNDARY) {
                    throw new IllegalStateException(source + ": use `trust` or `boundary` rather than origin " + origin);
                }
                if (p.get("document") == null) {
                    throw new IllegalStateException(source + ": expected `document` in policy `" + policyName + "`");
                }
                PolicyKind kind = origin == SourcedPolicy.Origin.RESOURCE ? PolicyKind.RESOURCE : PolicyKind.IDENTITY;
                policies.add(new SourcedPolicy(source, policyName, origin,
                        PolicyParser.parse(object(p.get("document"), source, "`document`"), kind)));
            }
        }
        Optional<SourcedPolicy> boundary = Optional.empty();
        if (fx.get("boundary") != null) {
            boundary = Optional.of(new SourcedPolicy(source, "boundary", SourcedPolicy.Origin.BOUNDARY,
                    PolicyParser.parse(object(fx.get("boundary"), source, "`boundary`"), PolicyKind.IDENTITY)));
        }
        Subject.Type type = fx.get("principalType") != null
                ? Subject.Type.valueOf(text(fx.get("principalType"), source, "principalType"))
                : trust.isPresent() ? Subject.Type.ROLE : Subject.Type.NONE;
        String principal = fx.get("principal") != null ? text(fx.get("principal"), source, "principal")
                : "fixture-" + type.name().toLowerCase(java.util.Locale.ROOT);
        Subject subject = new Subject(source, Optional.of(principal), type, trust, policies, boundary);

        List<Expectation> expect = new ArrayList<>();
        if (obj.get("expect") != null) {
            if (!side.equals("fail")) {
                throw new IllegalStateException(source + ": `expect` belongs in fail fixtures only");
            }
            if (!(obj.get("expect") instanceof Node.Arr arr)) {
                throw new IllegalStateException(source + ": expected `expect` to be an array");
            }
            for (Node item : arr.items()) {
                Node.Obj e = object(item, source, "an `expect` entry");
                keys(e, EXPECT_KEYS, source, "an `expect` entry");
                String id = e.get("ruleId") == null ? ruleId : text(e.get("ruleId"), source, "ruleId");
                if (!Rules.ids().contains(id)) {
                    throw new IllegalStateException(source + ": `expect` names `" + id + "`, which is not a rule id");
                }
                expect.add(new Expectation(id,
                        Optional.ofNullable(e.get("pointer")).map(n -> text(n, source, "pointer")),
                        Optional.ofNullable(e.get("severity")).map(n -> text(n, source, "severity"))));
            }
        }
        String description = fx.get("description") == null ? "" : text(fx.get("description"), source, "description");
        return new RuleFixture(ruleId, side, name, description, true, List.copyOf(expect), List.of(subject), config);
    }

    /** A bare document, evaluated as `check` evaluates a policy file. */
    private static RuleFixture bare(String ruleId, String side, String name, String source, byte[] bytes) {
        SourcedPolicy policy = new SourcedPolicy(source, source, SourcedPolicy.Origin.STANDALONE,
                PolicyParser.parse(bytes, null));
        return new RuleFixture(ruleId, side, name, "", false, List.of(), List.of(Subject.of(policy)),
                GuardrailConfig.defaults());
    }

    private static void keys(Node.Obj obj, List<String> valid, String source, String where) {
        for (String key : obj.fields().keySet()) {
            if (!valid.contains(key)) {
                throw new IllegalStateException(source + ": unknown key `" + key + "` in " + where + "; valid keys: "
                        + String.join(", ", valid));
            }
        }
    }

    private static Node.Obj object(Node n, String source, String what) {
        if (n instanceof Node.Obj o) {
            return o;
        }
        throw new IllegalStateException(source + " " + n.at() + ": expected " + what + " to be an object but found " + n.kind());
    }

    private static String text(Node n, String source, String what) {
        if (n instanceof Node.Str s) {
            return s.value();
        }
        throw new IllegalStateException(source + " " + n.at() + ": expected `" + what + "` to be a string but found " + n.kind());
    }

    /** The tree as plain Java values, to serialise the `config` object back to JSON text. */
    private static Object plain(Node n) {
        if (n instanceof Node.Obj o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.fields().forEach((k, v) -> m.put(k, plain(v)));
            return m;
        }
        if (n instanceof Node.Arr a) {
            List<Object> l = new ArrayList<>();
            a.items().forEach(i -> l.add(plain(i)));
            return l;
        }
        if (n instanceof Node.Str s) {
            return s.value();
        }
        if (n instanceof Node.Num num) {
            return new BigDecimal(num.text());
        }
        if (n instanceof Node.Bool b) {
            return b.value();
        }
        return null;
    }
}
