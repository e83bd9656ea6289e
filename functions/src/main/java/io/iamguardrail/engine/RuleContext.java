package io.iamguardrail.engine;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.ActionSpec;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a rule may read (catalogue, knowledge, configuration) and where it reports. */
public final class RuleContext {

    private final ActionCatalog catalog;
    private final Knowledge knowledge;
    private final GuardrailConfig config;
    private final List<Finding> out = new ArrayList<>();
    private Rule current;
    private Subject subject;
    /** Per statement, the catalogue's answer for each action pattern: several rules ask, one lookup answers. */
    private final Map<ActionSpec, ActionCatalog.Match[]> matched = new IdentityHashMap<>();

    RuleContext(ActionCatalog catalog, Knowledge knowledge, GuardrailConfig config) {
        this.catalog = catalog;
        this.knowledge = knowledge;
        this.config = config;
    }

    public ActionCatalog catalog() {
        return catalog;
    }

    /**
     * The catalogue's match of each pattern of an Action or NotAction element, in order, looked up once per
     * evaluation whichever rule asks first. The array is shared: do not modify it.
     */
    public ActionCatalog.Match[] matches(ActionSpec spec) {
        ActionCatalog.Match[] m = matched.get(spec);
        if (m == null) {
            m = Permissions.lookup(catalog, spec);
            matched.put(spec, m);
        }
        return m;
    }

    /** The catalogue actions an Action or NotAction element covers. */
    public BitSet actionsOf(ActionSpec spec) {
        return Permissions.actionsOf(catalog, spec, matches(spec), null);
    }

    /** Matches already known for a spec, e.g. kept from an earlier evaluation of the same managed policy version. */
    void knownMatches(ActionSpec spec, ActionCatalog.Match[] m) {
        matched.put(spec, m);
    }

    public Knowledge knowledge() {
        return knowledge;
    }

    public GuardrailConfig config() {
        return config;
    }

    /** The account the policies live in, when known. */
    public Optional<String> ownAccount() {
        return config.accountId();
    }

    void start(Rule rule, Subject subject) {
        this.current = rule;
        this.subject = subject;
    }

    List<Finding> drain() {
        List<Finding> copy = List.copyOf(out);
        out.clear();
        return copy;
    }

    /** The default severity of the rule being run. */
    public Severity currentSeverity() {
        return current.metadata().severity();
    }

    /** Reports at the rule's default severity. */
    public void report(String key, String source, SourceLocation at, String message) {
        report(key, current.metadata().severity(), Optional.empty(), source, at, message, List.of());
    }

    /**
     * Reports a finding. When {@code lowered} says why (a restrictive condition), the severity is one step lower
     * than {@code severity} and the finding says why.
     */
    public void report(String key, Severity severity, Optional<String> lowered, String source, SourceLocation at,
                       String message, List<Finding.SourceRef> related) {
        RuleMetadata meta = current.metadata();
        Severity effective = lowered.isPresent() ? severity.lower() : severity;
        String fullMessage = lowered.map(why -> message + " (" + why + ", so " + effective.lowerName()
                + " rather than " + severity.lowerName() + ")").orElse(message);
        out.add(new Finding(meta.id(), meta.id() + "|" + key, effective, meta.title(), fullMessage, meta.remediation(),
                source, subject.principal(), at, lowered, related));
    }
}
