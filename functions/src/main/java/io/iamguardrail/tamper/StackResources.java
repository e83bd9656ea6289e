package io.iamguardrail.tamper;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stack's own resources by exact name, per service, from {@code GUARDRAIL_RESOURCES}: a comma list of
 * {@code service:name} entries ({@code lambda:guardrail-evaluator}, {@code sns:guardrail-AlertTopic-1X2Y},
 * {@code kms:1234abcd-...}, {@code role:guardrail-evaluator}, {@code policy:guardrail-quarantine}, ...). Names, not
 * ARNs: the EventBridge rule admits only this account and region, and the function refuses events of any other
 * account, so the name is what is left to compare; full ARNs would not fit Lambda's 4 KB of environment. Exact names,
 * never a prefix: a function someone names {@code <stack>-x} is not the guardrail's. {@code cloudtrail:*} stands for
 * every trail of the account, for a stack that relies on a trail it did not create.
 */
public final class StackResources {

    public static final StackResources NONE = new StackResources(Map.of());

    private final Map<String, Set<String>> names;

    private StackResources(Map<String, Set<String>> names) {
        this.names = names;
    }

    /** From the environment variable's value; blank entries are ignored, an entry without a service is refused. */
    public static StackResources parse(String list) {
        return parse(list, Optional.empty());
    }

    /**
     * As {@link #parse(String)}, a {@code ~} in a name standing for the stack's name ({@code lambda:~-evaluator},
     * {@code logs:/aws/lambda/~-audit}; no AWS name these services take holds a {@code ~}): the stack's name, written
     * once per resource, would otherwise fill most of Lambda's 4 KB of environment.
     */
    public static StackResources parse(String list, Optional<String> stack) {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("expected GUARDRAIL_RESOURCES entries as `service:name` but found `"
                        + e + "`");
            }
            String name = e.substring(colon + 1);
            if (name.contains("~")) {
                if (stack.isEmpty()) {
                    throw new IllegalArgumentException("expected GUARDRAIL_STACK (the stack's name) for the entry `" + e
                            + "` of GUARDRAIL_RESOURCES but it is not set");
                }
                name = name.replace("~", stack.get());
            }
            names.computeIfAbsent(e.substring(0, colon), k -> new LinkedHashSet<>()).add(name);
        }
        return new StackResources(Map.copyOf(names));
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** Whether {@code name} is one of the stack's resources of this kind. */
    public boolean contains(String kind, String name) {
        Set<String> known = names.getOrDefault(kind, Set.of());
        return known.contains(name) || (kind.equals("cloudtrail") && known.contains("*"));
    }

    /**
     * What of the stack this event changed, as {@code kind `name`} with the request field that named it; empty when
     * the event touches none of it.
     */
    public Optional<Touched> touched(CloudTrailEvent e) {
        String source = e.eventSource().orElse("");
        if (source.equals("iam.amazonaws.com")) {
            return iam(e);
        }
        Optional<WatchedCall> call = TamperEvents.watched(source, e.eventName());
        if (call.isEmpty()) {
            return Optional.empty();
        }
        for (String field : call.get().fields()) {
            Optional<String> value = e.request(field);
            if (value.isPresent()) {
                String name = ResourceName.of(call.get().service(), value.get());
                if (contains(call.get().service(), name)) {
                    return Optional.of(new Touched(call.get().service(), name, "requestParameters/" + field));
                }
            }
        }
        return Optional.empty();
    }

    /** Any IAM write on the stack's roles; version and deletion changes of its managed policies. */
    private Optional<Touched> iam(CloudTrailEvent e) {
        String name = e.eventName();
        if (READ_ONLY.stream().anyMatch(name::startsWith)) {
            return Optional.empty();
        }
        Optional<String> role = e.request("roleName").filter(r -> contains("role", r));
        if (role.isPresent()) {
            return Optional.of(new Touched("role", role.get(), "requestParameters/roleName"));
        }
        if (POLICY_CONTENT.contains(name)) {
            Optional<String> policy = e.request("policyArn").map(a -> ResourceName.of("iam", a))
                    .filter(p -> contains("policy", p));
            if (policy.isPresent()) {
                return Optional.of(new Touched("policy", policy.get(), "requestParameters/policyArn"));
            }
        }
        return Optional.empty();
    }

    private static final List<String> READ_ONLY = List.of("Get", "List", "Generate", "Simulate", "Describe");

    /** The calls that change what a managed policy says (or remove it); attaching it elsewhere changes nothing of it. */
    static final Set<String> POLICY_CONTENT = Set.of(EventKind.CreatePolicyVersion.name(),
            EventKind.SetDefaultPolicyVersion.name(), EventKind.DeletePolicyVersion.name(), EventKind.DeletePolicy.name());

    /** A resource of the stack an event changed. */
    public record Touched(String kind, String name, String field) {
        public String describe() {
            return kind + " `" + name + "`";
        }
    }
}
