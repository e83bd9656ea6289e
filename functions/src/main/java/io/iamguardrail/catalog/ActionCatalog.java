package io.iamguardrail.catalog;

import io.iamguardrail.policy.ActionPattern;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
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
    private final Map<String, String> header;
    /** Matched patterns by service pattern, then name pattern: no key strings are built per lookup. */
    private final Map<String, Map<String, Match>> matches = new ConcurrentHashMap<>();
    private final Map<String, Boolean> knownServicePatterns = new ConcurrentHashMap<>();
    private final BitSet all;
    private final String[] lowerNames;
    /** Within each service's range, the action indexes in the order of their lower-cased names. */
    private final int[] byName;

    private ActionCatalog(List<IamAction> actions, Map<String, IamService> services, Map<String, String> header) {
        this.actions = List.copyOf(actions);
        this.services = Collections.unmodifiableMap(services);
        this.header = Collections.unmodifiableMap(header);
        this.all = new BitSet(actions.size());
        all.set(0, actions.size());
        this.lowerNames = new String[actions.size()];
        for (IamAction a : actions) {
            lowerNames[a.index()] = a.name().toLowerCase(Locale.ROOT);
        }
        // find() searches a service's names in order instead of hashing 22,000 keys at every start (the Lambda's
        // cold start among them). The generator sorts actions by name, but with its locale's collation: the order
        // is checked here and a service is sorted when it differs.
        this.byName = new int[actions.size()];
        for (int i = 0; i < byName.length; i++) {
            byName[i] = i;
        }
        for (IamService s : services.values()) {
            for (int i = s.firstAction() + 1; i < s.endAction(); i++) {
                if (lowerNames[i - 1].compareTo(lowerNames[i]) >= 0) {
                    sortByName(s);
                    break;
                }
            }
        }
    }

    private void sortByName(IamService s) {
        Integer[] range = new Integer[s.endAction() - s.firstAction()];
        for (int i = 0; i < range.length; i++) {
            range[i] = s.firstAction() + i;
        }
        Arrays.sort(range, Comparator.comparing((Integer i) -> lowerNames[i]));
        for (int i = 0; i < range.length; i++) {
            byName[s.firstAction() + i] = range[i];
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

    /**
     * Reads the TSV with a hand-written field scanner: no regex, no split arrays, one pass over the text. In a
     * fresh JVM (the CLI, a Lambda cold start) this code runs interpreted, so every operation per line counts.
     */
    public static ActionCatalog read(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        List<IamAction> actions = new ArrayList<>(23_000);
        Map<String, IamService> services = new LinkedHashMap<>();
        Map<String, String> header = new LinkedHashMap<>();
        String prefix = null;
        String serviceName = null;
        int first = 0;
        Map<String, String> arns = new LinkedHashMap<>();
        Set<String> multi = new HashSet<>();
        int lineNo = 0;
        int pos = 0;
        int length = text.length();
        while (pos < length) {
            lineNo++;
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = length;
            }
            int lineEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            int line = pos;
            pos = end + 1;
            if (lineEnd == line) {
                continue;
            }
            int tab1 = tab(text, line, lineEnd);
            int tab2 = tab1 < lineEnd ? tab(text, tab1 + 1, lineEnd) : lineEnd;
            int tab3 = tab2 < lineEnd ? tab(text, tab2 + 1, lineEnd) : lineEnd;
            char type = text.charAt(line);
            if (tab1 == line + 1 && type != '#') {
                String f1 = tab1 < lineEnd ? text.substring(tab1 + 1, tab2) : "";
                String f2 = tab2 < lineEnd ? text.substring(tab2 + 1, tab3) : "";
                switch (type) {
                    case 'S' -> {
                        if (prefix != null) {
                            services.put(prefix, new IamService(prefix, serviceName, first, actions.size(), arns, multi));
                        }
                        prefix = f1;
                        serviceName = f2;
                        first = actions.size();
                        arns = new LinkedHashMap<>();
                        multi = new HashSet<>();
                        continue;
                    }
                    case 'R' -> {
                        arns.put(f1, f2);
                        continue;
                    }
                    case 'K' -> {
                        multi.add(f1.toLowerCase(Locale.ROOT));
                        continue;
                    }
                    case 'A' -> {
                        List<String> types = tab3 < lineEnd ? resourceTypes(text, tab3 + 1, tab(text, tab3 + 1, lineEnd))
                                : List.of();
                        actions.add(new IamAction(actions.size(), prefix, f1, AccessLevel.fromCode(f2), types));
                        continue;
                    }
                    default -> {
                    }
                }
            }
            if (type == '#') {
                if (tab1 < lineEnd) {
                    header.put(text.substring(line + 1, tab1), text.substring(tab1 + 1, tab2));
                }
                continue;
            }
            throw new IOException("actions.tsv line " + lineNo + ": expected a record type S, R, K or A but found `"
                    + text.substring(line, tab1) + "`");
        }
        if (prefix != null) {
            services.put(prefix, new IamService(prefix, serviceName, first, actions.size(), arns, multi));
        }
        return new ActionCatalog(actions, services, header);
    }

    /** The index of the next tab in {@code [from, end)}, or {@code end}. */
    private static int tab(String text, int from, int end) {
        int t = text.indexOf('\t', from);
        return t < 0 || t > end ? end : t;
    }

    /** {@code role*,policy}: resource types, the required marker {@code *} dropped. */
    private static List<String> resourceTypes(String text, int from, int end) {
        if (from >= end) {
            return List.of();
        }
        List<String> types = new ArrayList<>(4);
        int start = from;
        while (start <= end) {
            int comma = text.indexOf(',', start);
            int stop = comma < 0 || comma > end ? end : comma;
            int last = stop > start && text.charAt(stop - 1) == '*' ? stop - 1 : stop;
            types.add(text.substring(start, last));
            start = stop + 1;
        }
        return List.copyOf(types);
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
        int colon = serviceColonName.indexOf(':');
        if (colon < 0) {
            return null;
        }
        IamService s = services.get(serviceColonName.substring(0, colon).toLowerCase(Locale.ROOT));
        if (s == null) {
            return null;
        }
        int i = indexOf(s, serviceColonName.substring(colon + 1).toLowerCase(Locale.ROOT));
        return i < 0 ? null : actions.get(i);
    }

    /** The index of the service's action with this lower-cased name, or -1: a binary search of its names. */
    private int indexOf(IamService s, String lowerName) {
        int lo = s.firstAction();
        int hi = s.endAction() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = lowerNames[byName[mid]].compareTo(lowerName);
            if (c == 0) {
                return byName[mid];
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
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

        /** One past the highest action index matched (0 when none): the size a set needs to hold them. */
        public int end() {
            return bits.length();
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
        BitSet bits = new BitSet(); // most patterns match within one service: no catalogue-wide allocation
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
        if (namePattern.indexOf('*') < 0 && namePattern.indexOf('?') < 0) {
            int i = indexOf(s, namePattern); // most patterns name one action: no scan of the service
            if (i >= 0) {
                bits.set(i);
            }
            return;
        }
        for (int i = s.firstAction(); i < s.endAction(); i++) {
            if (Glob.matches(namePattern, lowerNames[i])) {
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

}
