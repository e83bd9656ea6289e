package io.iamguardrail.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The policies of template.yaml as one deployment resolves them (stack {@value #STACK} in account {@value #ACCOUNT},
 * us-east-1), and how IAM answers one request against a policy's statements: enough of the policy language for the
 * conditions the template writes. A condition operator it does not know fails the test instead of being ignored.
 */
final class StackPolicies {

    static final String STACK = "iam-guardrail";
    static final String ACCOUNT = "123456789012";
    static final String EVALUATOR_FUNCTION_ARN = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + STACK + "-evaluator";
    static final String BUCKET_ARN = "arn:aws:s3:::" + STACK + "-backupbucket-1a2b3c";

    /** The deployment's list parameters: one break-glass role, one approved boundary. */
    static final String BREAK_GLASS_ROLE = "arn:aws:iam::" + ACCOUNT + ":role/break-glass";
    /** DeploymentMode=hub: the member stacks' role name (the parameter's default) and the organization. */
    static final String MEMBER_ROLE = "iam-guardrail-member";
    static final String ORGANIZATION = "o-a1b2c3d4e5";
    static final String APPROVED_BOUNDARY = "arn:aws:iam::" + ACCOUNT + ":policy/developer-boundary";

    private static final Map<String, String> VALUES = Map.of("AWS::Partition", "aws", "AWS::AccountId", ACCOUNT,
            "AWS::Region", "us-east-1", "AWS::StackName", STACK, "BackupBucket.Arn", BUCKET_ARN,
            "ExemptPrincipalArns", BREAK_GLASS_ROLE, "ApprovedBoundaryArns", APPROVED_BOUNDARY,
            "MemberRoleName", MEMBER_ROLE, "OrganizationId", ORGANIZATION);

    private StackPolicies() {
    }

    /** A string of the template with its pseudo parameters and the bucket's ARN substituted ({@code !Sub}, {@code !Ref}). */
    static String resolve(String text) {
        String out = text;
        for (Map.Entry<String, String> v : VALUES.entrySet()) {
            out = out.replace("${" + v.getKey() + "}", v.getValue());
        }
        return VALUES.getOrDefault(out, out);
    }

    /** The role ARN the template's {@code RoleName} of this resource gives. */
    static String roleArn(JsonNode resources, String logicalId) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + resolve(resources.path(logicalId).path("Properties").path("RoleName").asText());
    }

    static List<JsonNode> statements(JsonNode resources, String policy, String documentField) {
        return statements(resources, policy, documentField, Set.of());
    }

    /**
     * The statements as deployed when the conditions named in {@code falseConditions} are false and every other one
     * true: a statement written as {@code !If [Condition, statement, !Ref AWS::NoValue]} (read as that list) is its
     * chosen branch, or nothing.
     */
    static List<JsonNode> statements(JsonNode resources, String policy, String documentField, Set<String> falseConditions) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode st : resources.path(policy).path("Properties").path(documentField).path("Statement")) {
            if (st.isArray() && st.size() == 3 && st.get(0).isTextual()) {
                JsonNode chosen = st.get(falseConditions.contains(st.get(0).asText()) ? 2 : 1);
                if (chosen.isObject()) {
                    out.add(chosen);
                }
            } else {
                out.add(st);
            }
        }
        return out;
    }

    static List<String> values(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(v -> out.add(resolve(v.asText())));
        } else if (!n.isMissingNode()) {
            out.add(resolve(n.asText()));
        }
        return out;
    }

    /** One request: who calls, what, on what, from which function's code (empty: outside any function). */
    record Request(String principalArn, String action, String resource, String sourceFunctionArn,
                   Map<String, String> context) {
        Request(String principalArn, String action, String resource) {
            this(principalArn, action, resource, "");
        }

        Request(String principalArn, String action, String resource, String sourceFunctionArn) {
            this(principalArn, action, resource, sourceFunctionArn, Map.of());
        }

        /** The same request with a request-context key (e.g. {@code iam:PermissionsBoundary}). */
        Request with(String key, String value) {
            Map<String, String> c = new HashMap<>(context);
            c.put(key, value);
            return new Request(principalArn, action, resource, sourceFunctionArn, Map.copyOf(c));
        }
    }

    /** Whether a statement of this effect applies to the request (over TLS). */
    static boolean applies(List<JsonNode> statements, String effect, Request r) {
        for (JsonNode st : statements) {
            if (st.path("Effect").asText().equals(effect) && matchesAny(values(st.path("Action")), r.action(), true)
                    && matchesAny(values(st.path("Resource")), r.resource(), false)
                    && conditionsHold(st.path("Condition"), r)) {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionsHold(JsonNode condition, Request r) {
        for (Map.Entry<String, JsonNode> op : (Iterable<Map.Entry<String, JsonNode>>) condition::fields) {
            for (Map.Entry<String, JsonNode> key : (Iterable<Map.Entry<String, JsonNode>>) op.getValue()::fields) {
                if (op.getKey().equals("Null")) {
                    // "Null": "false" holds when the request carries the key.
                    String absent = String.valueOf(!r.context().containsKey(key.getKey()));
                    if (!values(key.getValue()).contains(absent)) {
                        return false;
                    }
                    continue;
                }
                String actual = switch (key.getKey()) {
                    case "aws:PrincipalArn" -> r.principalArn();
                    case "lambda:SourceFunctionArn" -> r.sourceFunctionArn();
                    case "aws:SecureTransport" -> "true";
                    default -> {
                        if (!r.context().containsKey(key.getKey())) {
                            throw new AssertionError("the test does not model condition key " + key.getKey());
                        }
                        yield r.context().get(key.getKey());
                    }
                };
                boolean equal = values(key.getValue()).contains(actual);
                // A multi-valued key (aws:TagKeys) is given as a comma list: every value must be listed.
                boolean allListed = values(key.getValue()).containsAll(List.of(actual.split(",")));
                boolean holds = switch (op.getKey()) {
                    case "ArnEquals", "Bool", "StringEquals" -> equal;
                    case "ArnNotEquals", "StringNotEquals" -> !equal;
                    case "ForAllValues:StringEquals" -> allListed;
                    default -> throw new AssertionError("the test does not model condition operator " + op.getKey());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    /** IAM's wildcards; action names ignore case, resource ARNs do not. */
    private static boolean matchesAny(List<String> patterns, String value, boolean ignoreCase) {
        for (String p : patterns) {
            String regex = Pattern.quote(p).replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
            if (Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches()) {
                return true;
            }
        }
        return false;
    }
}
