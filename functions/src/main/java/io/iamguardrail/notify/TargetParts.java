package io.iamguardrail.notify;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert's target ({@code role build-runner inline policy deploy-functions}) split for people into the principal
 * whose access changed and what of it changed (the policy, the trust policy, the boundary, the group...), so Slack and
 * the e-mail show them as two facts rather than one composite string. A target of another shape (a resource policy, an
 * identity provider) is shown whole as the resource. Display only: the alert JSON keeps the target as it is.
 *
 * @param principal the role, user or group, when the target names one
 * @param object    what of the principal (or which policy) changed, when the target says
 */
public record TargetParts(Optional<Part> principal, Optional<Part> object) {

    /**
     * One fact: {@code label} names it ({@code Principal}, {@code Policy}...), {@code name} is the caller-controlled
     * name, {@code before} and {@code after} are the guardrail's own words around it.
     */
    public record Part(String label, String before, String name, String after) {

        /** Slack mrkdwn: the name in a code span, every part escaped. */
        public String mrkdwn() {
            return Mrkdwn.escape(before) + (name.isEmpty() ? "" : Mrkdwn.code(name)) + Mrkdwn.escape(after);
        }

        /** Plain text, as the e-mail shows it. */
        public String plain() {
            return before + name + after;
        }
    }

    private static final Pattern PRINCIPAL = Pattern.compile("(role|user|group) (.+?)");
    private static final Pattern ON_PRINCIPAL = Pattern.compile("(role|user|group) (.+?) (inline policy|policy|trust policy"
            + "|permissions boundary|in group|out of group|tags|access key|on instance profile)(?: (.+))?", Pattern.DOTALL);
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d*|aws):policy/(?:.*/)?([^/ ]+)( v\\d+)?");

    /** The parts of {@code target}; an empty target has none. */
    public static TargetParts of(Optional<String> target) {
        if (target.isEmpty()) {
            return new TargetParts(Optional.empty(), Optional.empty());
        }
        String t = target.get();
        Matcher m = ON_PRINCIPAL.matcher(t);
        if (m.matches() && (m.group(4) != null || m.group(3).equals("trust policy"))) {
            Part who = new Part("Principal", m.group(1) + " ", m.group(2), "");
            String rest = m.group(4) == null ? "" : m.group(4);
            return new TargetParts(Optional.of(who), Optional.of(object(m.group(3), rest)));
        }
        Matcher p = PRINCIPAL.matcher(t);
        if (p.matches() && !p.group(2).contains(" ")) {
            return new TargetParts(Optional.of(new Part("Principal", p.group(1) + " ", p.group(2), "")), Optional.empty());
        }
        Optional<Part> policy = policy(t);
        return new TargetParts(Optional.empty(), Optional.of(policy.orElse(new Part("Resource", "", t, ""))));
    }

    private static Part object(String relation, String rest) {
        return switch (relation) {
            case "inline policy" -> new Part("Policy", "inline ", rest, "");
            case "policy" -> policy(rest).orElse(new Part("Policy", "", rest, ""));
            case "trust policy" -> new Part("Policy", "trust policy", "", "");
            case "permissions boundary" -> policy(rest).map(b -> new Part("Boundary", b.before(), b.name(), b.after()))
                    .orElse(new Part("Boundary", "", rest, ""));
            case "in group" -> new Part("Group", "joins ", rest, "");
            case "out of group" -> new Part("Group", "leaves ", rest, "");
            case "tags" -> new Part("Tags", "", rest, "");
            case "access key" -> new Part("Access key", "", rest, "");
            default -> new Part("Instance profile", "", rest, "");
        };
    }

    /** A policy ARN: its name, AWS managed or customer managed, with the version when the target names one. */
    private static Optional<Part> policy(String s) {
        Matcher m = POLICY_ARN.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(3) == null ? "" : m.group(3);
        return Optional.of(new Part("Policy", m.group(1).equals("aws") ? "AWS managed " : "managed ", m.group(2), version));
    }
}
