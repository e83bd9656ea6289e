package io.iamguardrail.config;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.Suggest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and schema-checks the YAML configuration. Unknown keys and unknown rule ids fail with the list of valid
 * ones, so a typo never silently disables a check.
 */
public final class ConfigLoader {

    // The valid keys come from the schema users' editors read (ConfigSchema), so the two cannot drift apart.
    private static final List<String> TOP = ConfigSchema.topKeys();
    private static final List<String> RULE_KEYS = ConfigSchema.ruleKeys();
    private static final List<String> REMEDIATION_KEYS = ConfigSchema.remediationKeys();
    private static final List<String> EXEMPTION_KEYS = ConfigSchema.exemptionKeys();
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern ORG = Pattern.compile("o-[a-z0-9]{10,32}");

    private final Collection<String> ruleIds;

    /** @param ruleIds the ids a {@code rules:} or exemption entry may name */
    public ConfigLoader(Collection<String> ruleIds) {
        this.ruleIds = List.copyOf(ruleIds);
    }

    public GuardrailConfig load(String yaml, String source) throws ConfigException {
        Node root;
        try {
            root = NodeReader.readYaml(yaml);
        } catch (NodeReadException e) {
            throw new ConfigException(source + " " + e.at() + ": " + e.getMessage());
        }
        if (root instanceof Node.Null) {
            return GuardrailConfig.defaults();
        }
        Node.Obj obj = object(root, source, "the configuration");
        keys(obj, TOP, source, "the configuration");
        GuardrailConfig d = GuardrailConfig.defaults();
        GuardrailConfig.Mode mode = d.mode();
        Node m = obj.get("mode");
        if (m != null) {
            String text = scalar(m, source, "mode");
            try {
                mode = GuardrailConfig.Mode.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(source, m.at(), "expected `mode` to be ALERT or REMEDIATE but found `" + text + "`");
            }
        }
        Severity threshold = obj.get("alertThreshold") == null ? d.alertThreshold()
                : severity(obj.get("alertThreshold"), source, "alertThreshold");
        Optional<String> account = Optional.empty();
        if (obj.get("accountId") != null) {
            account = Optional.of(account(obj.get("accountId"), source, "accountId"));
        }
        Set<String> trusted = new LinkedHashSet<>();
        for (Node n : list(obj.get("trustedAccountIds"), source, "trustedAccountIds")) {
            trusted.add(account(n, source, "trustedAccountIds"));
        }
        Optional<String> org = Optional.empty();
        Node o = obj.get("organizationId");
        if (o != null) {
            String text = scalar(o, source, "organizationId");
            if (!ORG.matcher(text).matches()) {
                throw error(source, o.at(), "expected `organizationId` of the form o-xxxxxxxxxx but found `" + text + "`");
            }
            org = Optional.of(text);
        }
        List<String> subjects = new ArrayList<>();
        for (Node n : list(obj.get("trustedOidcSubjects"), source, "trustedOidcSubjects")) {
            subjects.add(scalar(n, source, "trustedOidcSubjects"));
        }
        List<String> forbidden = new ArrayList<>();
        for (Node n : list(obj.get("forbiddenActions"), source, "forbiddenActions")) {
            String action = scalar(n, source, "forbiddenActions");
            if (!action.equals("*") && !action.matches("[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+")) {
                throw error(source, n.at(), "expected `forbiddenActions` entries of the form service:Action but found `" + action + "`");
            }
            forbidden.add(action);
        }
        Map<String, GuardrailConfig.RuleSettings> rules = new LinkedHashMap<>();
        Node r = obj.get("rules");
        if (r != null && !(r instanceof Node.Null)) {
            Node.Obj ro = object(r, source, "rules");
            for (Map.Entry<String, Node> e : ro.fields().entrySet()) {
                ruleId(e.getKey(), e.getValue().at(), source, "rules");
                Node.Obj settings = object(e.getValue(), source, "rules." + e.getKey());
                keys(settings, RULE_KEYS, source, "rules." + e.getKey());
                rules.put(e.getKey(), new GuardrailConfig.RuleSettings(
                        bool(settings.get("enabled"), source, "enabled"),
                        settings.get("severity") == null ? Optional.empty()
                                : Optional.of(severity(settings.get("severity"), source, "severity")),
                        bool(settings.get("remediate"), source, "remediate"),
                        choice(settings.get("action"), source)));
            }
        }
        List<GuardrailConfig.Exemption> exemptions = new ArrayList<>();
        for (Node n : list(obj.get("exemptions"), source, "exemptions")) {
            Node.Obj ex = object(n, source, "exemptions entry");
            keys(ex, EXEMPTION_KEYS, source, "exemptions entry");
            Node principal = required(ex, "principal", source);
            Node reason = required(ex, "reason", source);
            Node ruleList = required(ex, "rules", source);
            List<String> ids = new ArrayList<>();
            for (Node id : list(ruleList, source, "rules")) {
                String text = scalar(id, source, "rules");
                if (!text.equals("*")) {
                    ruleId(text, id.at(), source, "exemptions rules");
                }
                ids.add(text);
            }
            String reasonText = scalar(reason, source, "reason");
            if (reasonText.isBlank()) {
                throw error(source, reason.at(), "expected a non-empty `reason` for the exemption but found none");
            }
            Optional<LocalDate> expires = Optional.empty();
            Node exp = ex.get("expires");
            if (exp != null) {
                String text = scalar(exp, source, "expires");
                try {
                    expires = Optional.of(LocalDate.parse(text));
                } catch (DateTimeParseException e) {
                    throw error(source, exp.at(), "expected `expires` as a date YYYY-MM-DD but found `" + text + "`");
                }
            }
            exemptions.add(new GuardrailConfig.Exemption(pattern(principal, source, "principal"), ids, reasonText, expires,
                    where(source, ex.at())));
        }
        GuardrailConfig config = new GuardrailConfig(mode, threshold, account, trusted, org, subjects, forbidden, rules,
                exemptions, remediation(obj.get("remediation"), source));
        ExemptionExpiry.requireForRemediation(config);
        return config;
    }

    private static GuardrailConfig.Remediation remediation(Node n, String source) throws ConfigException {
        GuardrailConfig.Remediation d = GuardrailConfig.Remediation.defaults();
        if (n == null || n instanceof Node.Null) {
            return d;
        }
        Node.Obj obj = object(n, source, "remediation");
        keys(obj, REMEDIATION_KEYS, source, "remediation");
        int max = d.maxPerMinute();
        Node m = obj.get("maxPerMinute");
        if (m != null) {
            String text = scalar(m, source, "maxPerMinute");
            try {
                max = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1) {
                throw error(source, m.at(), "expected `maxPerMinute` to be a whole number of at least 1 but found `" + text + "`");
            }
        }
        List<String> breakGlass = new ArrayList<>();
        for (Node p : list(obj.get("breakGlassPrincipals"), source, "breakGlassPrincipals")) {
            breakGlass.add(pattern(p, source, "breakGlassPrincipals"));
        }
        List<String> own = new ArrayList<>();
        for (Node p : list(obj.get("guardrailRoleArns"), source, "guardrailRoleArns")) {
            own.add(scalar(p, source, "guardrailRoleArns"));
        }
        Optional<String> quarantine = Optional.empty();
        Node q = obj.get("quarantinePolicyArn");
        if (q != null) {
            String text = scalar(q, source, "quarantinePolicyArn");
            if (!text.matches("arn:aws[a-z-]*:iam::\\d{12}:policy/.+")) {
                throw error(source, q.at(), "expected `quarantinePolicyArn` to be a customer-managed policy ARN"
                        + " (arn:aws:iam::123456789012:policy/NAME) but found `" + text + "`");
            }
            quarantine = Optional.of(text);
        }
        return new GuardrailConfig.Remediation(max, breakGlass, own, quarantine);
    }

    private static Optional<GuardrailConfig.RemediationChoice> choice(Node n, String source) throws ConfigException {
        if (n == null) {
            return Optional.empty();
        }
        String text = scalar(n, source, "action");
        try {
            return Optional.of(GuardrailConfig.RemediationChoice.valueOf(text.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw error(source, n.at(), "expected `action` to be AUTO or QUARANTINE but found `" + text + "`");
        }
    }

    private void ruleId(String id, SourceLocation at, String source, String where) throws ConfigException {
        if (!ruleIds.contains(id)) {
            String suggestion = Suggest.closest(id, ruleIds);
            throw error(source, at, "expected a rule id in `" + where + "` but found `" + id + "`"
                    + (suggestion == null ? "" : " (did you mean `" + suggestion + "`?)")
                    + "; valid rule ids: " + String.join(", ", ruleIds));
        }
    }

    private static Node required(Node.Obj obj, String key, String source) throws ConfigException {
        Node n = obj.get(key);
        if (n == null) {
            throw error(source, obj.at(), "expected `" + key + "` in the exemption but found none");
        }
        return n;
    }

    private static void keys(Node.Obj obj, List<String> valid, String source, String where) throws ConfigException {
        for (Map.Entry<String, Node> e : obj.fields().entrySet()) {
            if (!valid.contains(e.getKey())) {
                String suggestion = Suggest.closest(e.getKey(), valid);
                throw error(source, e.getValue().at(), "unknown key `" + e.getKey() + "` in " + where
                        + (suggestion == null ? "" : " (did you mean `" + suggestion + "`?)")
                        + "; valid keys: " + String.join(", ", valid) + " (see " + ConfigSchema.NAME + ")");
            }
        }
    }

    private static Node.Obj object(Node n, String source, String what) throws ConfigException {
        if (n instanceof Node.Obj o) {
            return o;
        }
        throw error(source, n.at(), "expected " + what + " to be a mapping but found " + n.kind());
    }

    private static List<Node> list(Node n, String source, String what) throws ConfigException {
        if (n == null || n instanceof Node.Null) {
            return List.of();
        }
        if (n instanceof Node.Arr a) {
            return a.items();
        }
        throw error(source, n.at(), "expected `" + what + "` to be a list but found " + n.kind());
    }

    private static String scalar(Node n, String source, String what) throws ConfigException {
        String text = Node.scalarText(n);
        if (text == null) {
            throw error(source, n.at(), "expected `" + what + "` to be a single value but found " + n.kind());
        }
        return text;
    }

    /** A principal pattern, refused when it would match names anyone may choose ({@link PrincipalPattern}). */
    private static String pattern(Node n, String source, String what) throws ConfigException {
        String text = scalar(n, source, what);
        Optional<String> problem = PrincipalPattern.problem(text);
        if (problem.isPresent()) {
            throw error(source, n.at(), "expected `" + what + "` to be a principal ARN, a name, or a pattern naming an"
                    + " account or a path (`arn:aws:iam::123456789012:role/break-glass`, `break-glass`, `*:role/break-glass/*`) but found `"
                    + text + "`: " + problem.get());
        }
        return text;
    }

    private static String account(Node n, String source, String what) throws ConfigException {
        String text = scalar(n, source, what);
        if (!ACCOUNT.matcher(text).matches()) {
            throw error(source, n.at(), "expected `" + what + "` to hold 12-digit account ids (quoted in YAML) but found `" + text + "`");
        }
        return text;
    }

    private static Severity severity(Node n, String source, String what) throws ConfigException {
        String text = scalar(n, source, what);
        try {
            return Severity.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(source, n.at(), "`" + what + "`: " + e.getMessage());
        }
    }

    private static Optional<Boolean> bool(Node n, String source, String what) throws ConfigException {
        if (n == null) {
            return Optional.empty();
        }
        if (n instanceof Node.Bool b) {
            return Optional.of(b.value());
        }
        throw error(source, n.at(), "expected `" + what + "` to be true or false but found " + n.kind());
    }

    private static ConfigException error(String source, SourceLocation at, String message) {
        return new ConfigException(where(source, at) + ": " + message);
    }

    private static String where(String source, SourceLocation at) {
        return at.line() > 0 ? source + ":" + at.line() + ":" + at.column() : source;
    }
}
