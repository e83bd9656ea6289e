package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides a request against one resource policy of template.yaml the way IAM does within one account: an explicit
 * Deny wins; otherwise an IAM principal is allowed when its own identity policy allows (the attacker writes that
 * one), a service principal only when the resource policy allows it. The template is read as deployed with the
 * given parameters: {@code !Ref}, {@code !GetAtt}, {@code !Sub} and {@code !If} are resolved from {@code refs} and
 * {@code conditions} (the YAML reader keeps short tags as plain values, so a ref is a string naming a known key).
 *
 * <p>Covers what the stack's resource policies use: ARN and string operators (negated too), {@code IfExists}, the
 * set operators, wildcards in actions and ARNs, and the missing-key rules of each.
 */
final class ResourcePolicySimulator {

    /** Who asks and with what request context (keys lower-case, each with its values). */
    /** {@code resource}: empty when the test does not say, and then every statement's Resource matches. */
    record Request(Optional<String> principalArn, Optional<String> service, String action, Map<String, List<String>> context,
                   Optional<String> resource) {

        Request(Optional<String> principalArn, Optional<String> service, String action, Map<String, List<String>> context) {
            this(principalArn, service, action, context, Optional.empty());
        }

        Request on(String resourceArn) {
            return new Request(principalArn, service, action, context, Optional.of(resourceArn));
        }

        static Request iam(String principalArn, String action, Map<String, List<String>> context) {
            return new Request(Optional.of(principalArn), Optional.empty(), action, lower(context));
        }

        static Request service(String service, String action, Map<String, List<String>> context) {
            return new Request(Optional.empty(), Optional.of(service), action, lower(context));
        }

        private static Map<String, List<String>> lower(Map<String, List<String>> context) {
            Map<String, List<String>> m = new java.util.HashMap<>();
            context.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
            return m;
        }
    }

    enum Decision { ALLOWED, DENIED }

    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");

    private final JsonNode statements;

    ResourcePolicySimulator(JsonNode policyDocument, Map<String, JsonNode> refs, Map<String, Boolean> conditions) {
        this.statements = resolve(policyDocument, refs, conditions).path("Statement");
    }

    Decision decide(Request r) {
        Map<String, List<String>> ctx = new java.util.HashMap<>(r.context());
        r.principalArn().ifPresent(p -> ctx.put("aws:principalarn", List.of(p)));
        boolean allowedHere = false;
        for (JsonNode s : statements) {
            if (!principal(s.path("Principal"), r) || !action(s.path("Action"), r.action()) || !resource(s.path("Resource"), r)
                    || !conditions(s.path("Condition"), ctx)) {
                continue;
            }
            if (s.path("Effect").asText().equals("Deny")) {
                return Decision.DENIED;
            }
            allowedHere = true;
        }
        return allowedHere || r.principalArn().isPresent() ? Decision.ALLOWED : Decision.DENIED;
    }

    private static boolean principal(JsonNode p, Request r) {
        if (p.isTextual()) {
            return p.asText().equals("*");
        }
        if (r.service().isPresent()) {
            return values(p.path("Service")).contains(r.service().get());
        }
        List<String> aws = values(p.path("AWS"));
        return aws.contains("*") || aws.contains(r.principalArn().orElse(""));
    }

    private static boolean resource(JsonNode r, Request request) {
        return request.resource().isEmpty() || values(r).stream().anyMatch(p -> glob(p, request.resource().get()));
    }

    private static boolean action(JsonNode a, String action) {
        return values(a).stream().anyMatch(p -> glob(p.toLowerCase(Locale.ROOT), action.toLowerCase(Locale.ROOT)));
    }

    private static boolean conditions(JsonNode block, Map<String, List<String>> ctx) {
        for (Map.Entry<String, JsonNode> op : (Iterable<Map.Entry<String, JsonNode>>) block::fields) {
            for (Map.Entry<String, JsonNode> key : (Iterable<Map.Entry<String, JsonNode>>) op.getValue()::fields) {
                List<String> request = ctx.get(key.getKey().toLowerCase(Locale.ROOT));
                if (!condition(op.getKey(), request, values(key.getValue()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean condition(String written, List<String> request, List<String> policy) {
        String op = written;
        String set = "";
        if (op.contains(":")) {
            set = op.substring(0, op.indexOf(':'));
            op = op.substring(op.indexOf(':') + 1);
        }
        boolean ifExists = op.endsWith("IfExists");
        op = ifExists ? op.substring(0, op.length() - "IfExists".length()) : op;
        boolean negated = op.contains("Not");
        boolean wildcards = op.startsWith("Arn") || op.endsWith("Like");
        boolean missing = request == null || request.isEmpty();
        if (op.equals("Null")) {
            return policy.contains(String.valueOf(missing));
        }
        java.util.function.Predicate<String> matches = v -> policy.stream().anyMatch(p -> wildcards ? glob(p, v) : p.equals(v));
        if (set.equals("ForAllValues")) {
            return missing || request.stream().allMatch(v -> negated != matches.test(v));
        }
        if (set.equals("ForAnyValue")) {
            return !missing && request.stream().anyMatch(v -> negated != matches.test(v));
        }
        if (missing) {
            return ifExists || negated;
        }
        return negated != matches.test(request.get(0));
    }

    private static boolean glob(String pattern, String value) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return value.matches(re.toString());
    }

    private static List<String> values(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(v.asText()));
        } else if (!n.isMissingNode() && !n.isNull()) {
            out.add(n.asText());
        }
        return out;
    }

    /** The node as CloudFormation would deploy it, as far as the policies of this template need. */
    static JsonNode resolve(JsonNode n, Map<String, JsonNode> refs, Map<String, Boolean> conditions) {
        if (n.isTextual()) {
            String s = n.asText();
            if (refs.containsKey(s)) {
                return refs.get(s);
            }
            Matcher m = SUB.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                JsonNode v = refs.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v.asText()));
            }
            m.appendTail(sb);
            return TextNode.valueOf(sb.toString());
        }
        if (n.isArray()) {
            if (n.size() == 3 && n.get(0).isTextual() && conditions.containsKey(n.get(0).asText())) {
                return resolve(n.get(conditions.get(n.get(0).asText()) ? 1 : 2), refs, conditions);
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode e : n) {
                JsonNode v = resolve(e, refs, conditions);
                if (v.isArray()) {
                    out.addAll((ArrayNode) v);
                } else if (!v.asText().equals("AWS::NoValue")) {
                    out.add(v);
                }
            }
            return out;
        }
        if (n.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            n.fields().forEachRemaining(e -> {
                JsonNode v = resolve(e.getValue(), refs, conditions);
                if (!v.asText().equals("AWS::NoValue")) {
                    out.set(e.getKey(), v);
                }
            });
            return out;
        }
        return n;
    }
}
