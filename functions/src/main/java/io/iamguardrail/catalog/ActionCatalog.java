package io.iamguardrail.catalog;

import io.iamguardrail.policy.ActionPattern;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every IAM action AWS publishes, with access level and resource types, read from the generated
 * {@code iam/actions.tsv} (see {@code functions/scripts/generate-catalog.mjs}). Each action has an index, so a set
 * of actions is a {@link BitSet} and a wildcard such as {@code s3:Get*Acl} is expanded once and cached.
 */
public final class ActionCatalog {

    private static volatile ActionCatalog bundled;

    private final List<IamAction> actions;
    private final Map<String, IamService> services;
    private final Map<String, Integer> indexByKey;
    private final Map<String, String> header;
    /** Matched patterns by service pattern, then name pattern: no key strings are built per lookup. */
    private final Map<String, Map<String, Match>> matches = new ConcurrentHashMap<>();
    private final Map<String, Boolean> knownServicePatterns = new ConcurrentHashMap<>();
    private final BitSet all;
    private final String[] lowerNames;

    private ActionCatalog(List<IamAction> actions, Map<String, IamService> services, Map<String, String> header) {
        this.actions = List.copyOf(actions);
        this.services = Collections.unmodifiableMap(services);
        this.header = Collections.unmodifiableMap(header);
        Map<String, Integer> keys = new HashMap<>(actions.size() * 2);
        for (IamAction a : actions) {
            keys.put(key(a.service(), a.name()), a.index());
        }
        this.indexByKey = keys;
        this.all = new BitSet(actions.size());
        all.set(0, actions.size());
        this.lowerNames = new String[actions.size()];
        for (IamAction a : actions) {
            lowerNames[a.index()] = a.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The catalogue shipped in the jar, loaded once per JVM. */
    public static ActionCatalog bundled() {
        ActionCatalog c = bundled;
        if (c == null) {
            synchronized (ActionCatalog.class) {
                c = bundled;
                if (c == null) {
                    try (InputStream in = ActionCatalog.class.getResourceAsStream("/iam/actions.tsv")) {
                        if (in == null) {
                            throw new IllegalStateException("expected the resource /iam/actions.tsv in the jar but it is missing");
                        }
                        c = read(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    bundled = c;
                }
            }
        }
        return c;
    }

    public static ActionCatalog read(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        List<IamAction> actions = new ArrayList<>(23_000);
        Map<String, IamService> services = new LinkedHashMap<>();
        Map<String, String> header = new LinkedHashMap<>();
        String prefix = null;
        String serviceName = null;
        int first = 0;
        Map<String, String> arns = new LinkedHashMap<>();
        Set<String> multi = new HashSet<>();
        String line;
        int lineNo = 0;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "S":
                    if (prefix != null) {
                        services.put(prefix, new IamService(prefix, serviceName, first, actions.size(), arns, multi));
                    }
                    prefix = f[1];
                    serviceName = f[2];
                    first = actions.size();
                    arns = new LinkedHashMap<>();
                    multi = new HashSet<>();
                    break;
                case "R":
                    arns.put(f[1], f[2]);
                    break;
                case "K":
                    multi.add(f[1].toLowerCase(Locale.ROOT));
                    break;
                case "A": {
                    List<String> types = new ArrayList<>();
                    if (f.length > 3 && !f[3].isEmpty()) {
                        for (String t : f[3].split(",")) {
                            types.add(t.endsWith("*") ? t.substring(0, t.length() - 1) : t);
                        }
                    }
                    actions.add(new IamAction(actions.size(), prefix, f[1], AccessLevel.fromCode(f[2]), List.copyOf(types)));
                    break;
                }
                default:
                    if (f[0].startsWith("#") && f.length > 1) {
                        header.put(f[0].substring(1), f[1]);
                    } else if (!f[0].startsWith("#")) {
                        throw new IOException("actions.tsv line " + lineNo + ": expected a record type S, R, K or A but found `" + f[0] + "`");
                    }
            }
        }
        if (prefix != null) {
            services.put(prefix, new IamService(prefix, serviceName, first, actions.size(), arns, multi));
        }
        return new ActionCatalog(actions, services, header);
    }

    public int size() {
        return actions.size();
    }

    public IamAction action(int index) {
        return actions.get(index);
    }

    public List<IamAction> actions() {
        return actions;
    }

    public Collection<IamService> services() {
        return services.values();
    }

    public IamService service(String prefix) {
        return services.get(prefix.toLowerCase(Locale.ROOT));
    }

    /** The action named exactly (case-insensitively), or null. */
    public IamAction find(String serviceColonName) {
        Integer i = indexByKey.get(serviceColonName.toLowerCase(Locale.ROOT));
        return i == null ? null : actions.get(i);
    }

    /** Source package, version and date of the catalogue, from its header. */
    public Map<String, String> provenance() {
        return header;
    }

    /** Every action, as a fresh set the caller may modify. */
    public BitSet everything() {
        return (BitSet) all.clone();
    }

    /**
     * The actions a pattern matches, as IAM matches them: case-insensitive, {@code *} any run of characters and
     * {@code ?} one character, in the service prefix and in the action name. The returned set must not be modified.
     */
    public BitSet expand(ActionPattern pattern) {
        return match(pattern).bits();
    }

    /**
     * Adds the actions a pattern matches to {@code into}. Most patterns match a few actions of one service: setting
     * those bits costs less than or-ing a set as wide as the catalogue, which dominated large policies such as
     * ReadOnlyAccess (thousands of patterns).
     */
    public void addExpansion(ActionPattern pattern, BitSet into) {
        match(pattern).addTo(into);
    }

    /**
     * What the catalogue knows of a pattern, in one lookup: its actions, and whether its service is known. The
     * rules ask several questions of each pattern (what it grants, whether it names an unknown action or service);
     * each used to be a lookup of its own.
     */
    public Match match(ActionPattern pattern) {
        if (pattern.opaque()) {
            return Match.OPAQUE;
        }
        Map<String, Match> byName = matches.get(pattern.service());
        if (byName == null) {
            byName = matches.computeIfAbsent(pattern.service(), k -> new ConcurrentHashMap<>());
        }
        Match m = byName.get(pattern.name());
        return m != null ? m : byName.computeIfAbsent(pattern.name(),
                n -> Match.of(compute(pattern.service(), n), knowsService(pattern.service())));
    }

    /**
     * A pattern's actions as a set (never to be modified) and, when there are few of them, as a list of indices;
     * {@code knownService}: its service part names (or, with wildcards, matches) a service of the catalogue.
     */
    public record Match(BitSet bits, int[] indices, boolean knownService) {
        static final int LISTED_UP_TO = 64;
        static final Match OPAQUE = new Match(new BitSet(), new int[0], true);

        static Match of(BitSet bits, boolean knownService) {
            int n = bits.cardinality();
            return new Match(bits, n <= LISTED_UP_TO ? bits.stream().toArray() : null, knownService);
        }

        /** Whether the pattern matches no action of the catalogue. */
        public boolean isEmpty() {
            return indices != null && indices.length == 0;
        }

        /** Adds these actions to {@code into}. */
        public void addTo(BitSet into) {
            if (indices == null) {
                into.or(bits);
            } else {
                for (int i : indices) {
                    into.set(i);
                }
            }
        }
    }

    private BitSet compute(String servicePattern, String namePattern) {
        BitSet bits = new BitSet(actions.size());
        if (servicePattern.indexOf('*') < 0 && servicePattern.indexOf('?') < 0) {
            IamService s = services.get(servicePattern);
            if (s != null) {
                addMatches(s, namePattern, bits);
            }
            return bits;
        }
        for (IamService s : services.values()) {
            if (Glob.matches(servicePattern, s.prefix())) {
                addMatches(s, namePattern, bits);
            }
        }
        return bits;
    }

    private void addMatches(IamService s, String namePattern, BitSet bits) {
        if (namePattern.equals("*")) {
            bits.set(s.firstAction(), s.endAction());
            return;
        }
        boolean literal = namePattern.indexOf('*') < 0 && namePattern.indexOf('?') < 0;
        for (int i = s.firstAction(); i < s.endAction(); i++) {
            if (literal ? lowerNames[i].equals(namePattern) : Glob.matches(namePattern, lowerNames[i])) {
                bits.set(i);
            }
        }
    }

    /** Whether the service part of a pattern names a service the catalogue knows (wildcards match any). */
    public boolean knowsService(String servicePattern) {
        if (servicePattern.indexOf('*') < 0 && servicePattern.indexOf('?') < 0) {
            return services.containsKey(servicePattern);
        }
        return knownServicePatterns.computeIfAbsent(servicePattern, p -> {
            for (String prefix : services.keySet()) {
                if (Glob.matches(p, prefix)) {
                    return true;
                }
            }
            return false;
        });
    }

    public Set<String> servicePrefixes() {
        return services.keySet();
    }

    private static String key(String service, String name) {
        return (service + ":" + name).toLowerCase(Locale.ROOT);
    }
}
