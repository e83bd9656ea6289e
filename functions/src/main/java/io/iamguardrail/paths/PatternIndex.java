package io.iamguardrail.paths;

import io.iamguardrail.engine.Permissions;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The members that may do one action, indexed by the resource patterns of the grants that allow it: each pattern
 * under the literal text before its first wildcard ({@code arn:aws:iam::111122223333:role/team3-svc-}), a grant on
 * all resources under the empty text. The members whose grants could cover an ARN are then those filed under one of
 * its prefixes: as many lookups as the ARN has characters, whatever the number of members. {@link Access} still
 * decides; the index only leaves out who cannot.
 */
final class PatternIndex {

    private final Map<String, List<Member>> byPrefix = new HashMap<>();
    private int longest;

    PatternIndex(List<Member> holders, Function<Member, Permissions> permissions, int action) {
        for (Member m : holders) {
            for (Permissions.Grant g : permissions.apply(m).grants()) {
                if (!g.actions().get(action)) {
                    continue;
                }
                if (g.allResources() || !(g.statement().resources() instanceof ResourceSpec.Listed listed)) {
                    file("", m);
                    continue;
                }
                for (ResourcePattern r : listed.patterns()) {
                    file(r.opaque() ? "" : prefix(r.value()), m);
                }
            }
        }
    }

    private void file(String prefix, Member m) {
        List<Member> list = byPrefix.computeIfAbsent(prefix, k -> new ArrayList<>());
        if (list.isEmpty() || list.get(list.size() - 1) != m) {
            list.add(m);
        }
        longest = Math.max(longest, prefix.length());
    }

    /** The text before the first wildcard or policy variable. */
    static String prefix(String pattern) {
        int end = pattern.length();
        for (String wild : new String[]{"*", "?", "${"}) {
            int at = pattern.indexOf(wild);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return pattern.substring(0, end);
    }

    /** The members with a grant whose pattern could match {@code arn}, each once, in a stable order. */
    List<Member> candidates(String arn) {
        List<Member> out = new ArrayList<>();
        Set<Member> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int max = Math.min(longest, arn.length());
        for (int n = 0; n <= max; n++) {
            List<Member> filed = byPrefix.get(arn.substring(0, n));
            if (filed != null) {
                for (Member m : filed) {
                    if (seen.add(m)) {
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }
}
