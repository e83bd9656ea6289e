package io.iamguardrail.engine;

import io.iamguardrail.catalog.AccessLevel;
import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.policy.Condition;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Conditions a principal can make true by itself, which therefore do not narrow its own grants: a test of its own
 * tag ({@code aws:PrincipalTag/*} in a policy attached to it), the tags of its own request
 * ({@code aws:RequestTag/*}), and resource tags it may set ({@code aws:ResourceTag/*}, {@code iam:ResourceTag/*}
 * when the same permissions allow tagging those resources, on all resources and without a condition).
 */
final class SettableConditions {

    /** Before the principal's tagging permissions are known: its own tags and its request's tags. */
    static final SettableConditions OWN_TAGS = new SettableConditions(Map.of(), false);

    /** The restriction that remains, and why a condition present was not counted as one. */
    record Judgement(Optional<String> restriction, Optional<String> notNarrowing) {
    }

    private final Map<String, String> taggable;
    private final boolean sessionTags;

    private SettableConditions(Map<String, String> taggable, boolean sessionTags) {
        this.taggable = taggable;
        this.sessionTags = sessionTags;
    }

    /**
     * What permissions that allow {@code unscoped} (on all resources, without a condition) can tag: per service,
     * one tagging action to name. A tagging grant limited by its own condition (tag only at creation) is no way to
     * retag what exists.
     */
    static SettableConditions of(ActionCatalog catalog, BitSet unscoped) {
        Map<String, String> taggable = new HashMap<>();
        boolean session = false;
        for (int i = unscoped.nextSetBit(0); i >= 0; i = unscoped.nextSetBit(i + 1)) {
            IamAction a = catalog.action(i);
            if (a.level() != AccessLevel.TAGGING || a.name().startsWith("Untag")) {
                continue;
            }
            if (a.fullName().equalsIgnoreCase("sts:TagSession")) {
                session = true; // session tags, not resource tags
                continue;
            }
            taggable.putIfAbsent(a.service(), a.fullName());
        }
        return new SettableConditions(taggable, session);
    }

    /** Whether any Allow statement has a tag condition, so that what the principal may tag matters. */
    static boolean hasResourceTagCondition(Statement s) {
        return s.isAllow() && s.conditions().stream().anyMatch(c -> isResourceTag(c.keyLower()));
    }

    Judgement judge(Statement s, SourcedPolicy policy, BitSet actions, ActionCatalog catalog) {
        if (s.conditions().isEmpty()) {
            return new Judgement(Optional.empty(), Optional.empty());
        }
        List<Condition> narrowing = new ArrayList<>();
        String note = null;
        for (Condition c : s.conditions()) {
            Optional<String> why = settable(c, policy, actions, catalog);
            if (why.isPresent()) {
                note = note != null ? note : "condition `" + c.key() + "` does not narrow it: " + why.get();
            } else {
                narrowing.add(c);
            }
        }
        Optional<String> restriction = Conditions.restriction(narrowing);
        return new Judgement(restriction, restriction.isPresent() || note == null
                || Conditions.restriction(s.conditions()).isEmpty() ? Optional.empty() : Optional.of(note));
    }

    private Optional<String> settable(Condition c, SourcedPolicy policy, BitSet actions, ActionCatalog catalog) {
        String key = c.keyLower();
        if (key.startsWith("aws:principaltag/") && policy.kind() == PolicyKind.IDENTITY) {
            return Optional.of("it tests the principal's own tag" + (sessionTags
                    ? ", which it may also set on its own sessions (`sts:TagSession`)" : ""));
        }
        if (key.startsWith("aws:requesttag/") || key.matches("[a-z0-9-]+:requesttag/.*")) {
            return Optional.of("the caller chooses the tags of its own request");
        }
        if (!isResourceTag(key)) {
            return Optional.empty();
        }
        // The tag is on the resource the action is about: with a service prefix, that service's resources; with
        // aws:ResourceTag, each action's own (a role, for sts:AssumeRole). Every one must be taggable.
        Set<String> services = new LinkedHashSet<>();
        String prefix = key.substring(0, key.indexOf(':'));
        if (!prefix.equals("aws")) {
            services.add(prefix);
        } else {
            for (int i = actions.nextSetBit(0); i >= 0 && services.size() < 64; i = actions.nextSetBit(i + 1)) {
                String service = catalog.action(i).service();
                services.add(service.equals("sts") ? "iam" : service);
            }
        }
        String tagging = null;
        for (String service : services) {
            tagging = tagging != null ? tagging : taggable.get(service);
            if (!taggable.containsKey(service)) {
                return Optional.empty();
            }
        }
        return tagging == null ? Optional.empty()
                : Optional.of("the principal may set that tag itself (`" + tagging + "`)");
    }

    private static boolean isResourceTag(String keyLower) {
        return keyLower.startsWith("aws:resourcetag/") || keyLower.matches("[a-z0-9-]+:resourcetag/.*");
    }
}
