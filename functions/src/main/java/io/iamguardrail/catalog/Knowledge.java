package io.iamguardrail.catalog;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The risk knowledge the rules evaluate with set logic, read from versioned data files under {@code iam/}:
 * privilege-escalation methods, credential-returning, data-exfiltration and defense-evasion actions, and the
 * service principals that need confused-deputy conditions.
 */
public final class Knowledge {

    /** A privilege-escalation method: available when every one of {@code actions} is allowed. */
    public record EscalationMethod(String id, String name, String source, String reference, String description,
                                   List<String> actionNames, BitSet actions) {
    }

    /** A risky action and why it is risky. */
    public record RiskyAction(String action, String why, int index) {
    }

    private static volatile Knowledge bundled;

    private final List<EscalationMethod> escalation;
    private final Map<String, List<RiskyAction>> tables;
    private final Map<String, String> confusedDeputyServices;
    private final Map<String, String> versions;

    private Knowledge(List<EscalationMethod> escalation, Map<String, List<RiskyAction>> tables,
                      Map<String, String> confusedDeputyServices, Map<String, String> versions) {
        this.escalation = List.copyOf(escalation);
        this.tables = Map.copyOf(tables);
        this.confusedDeputyServices = Map.copyOf(confusedDeputyServices);
        this.versions = Map.copyOf(versions);
    }

    public static Knowledge bundled() {
        Knowledge k = bundled;
        if (k == null) {
            synchronized (Knowledge.class) {
                k = bundled;
                if (k == null) {
                    k = load(ActionCatalog.bundled());
                    bundled = k;
                }
            }
        }
        return k;
    }

    static Knowledge load(ActionCatalog catalog) {
        Map<String, String> versions = new LinkedHashMap<>();
        Node.Obj esc = read("escalation-paths.json", versions);
        List<EscalationMethod> methods = new ArrayList<>();
        for (Node m : array(esc, "methods")) {
            Node.Obj o = (Node.Obj) m;
            List<String> names = new ArrayList<>();
            BitSet bits = new BitSet(catalog.size());
            for (Node a : array(o, "actions")) {
                String name = text(a);
                IamAction action = catalog.find(name);
                if (action == null) {
                    throw new IllegalStateException("escalation-paths.json " + a.at() + ": expected an action of the catalogue but found `" + name + "`");
                }
                names.add(action.fullName());
                bits.set(action.index());
            }
            methods.add(new EscalationMethod(text(o.get("id")), text(o.get("name")), text(o.get("source")),
                    text(o.get("reference")), text(o.get("description")), List.copyOf(names), bits));
        }
        Map<String, List<RiskyAction>> tables = new LinkedHashMap<>();
        for (String table : List.of("credential-exposure", "data-exfiltration", "defense-evasion")) {
            Node.Obj root = read(table + ".json", versions);
            List<RiskyAction> list = new ArrayList<>();
            for (Node n : array(root, "actions")) {
                Node.Obj o = (Node.Obj) n;
                String name = text(o.get("action"));
                IamAction action = catalog.find(name);
                if (action == null) {
                    throw new IllegalStateException(table + ".json " + n.at() + ": expected an action of the catalogue but found `" + name + "`");
                }
                list.add(new RiskyAction(action.fullName(), text(o.get("why")), action.index()));
            }
            tables.put(table, List.copyOf(list));
        }
        Node.Obj deputy = read("confused-deputy-services.json", versions);
        Map<String, String> services = new LinkedHashMap<>();
        for (Node n : array(deputy, "services")) {
            Node.Obj o = (Node.Obj) n;
            services.put(text(o.get("principal")).toLowerCase(Locale.ROOT), text(o.get("reference")));
        }
        return new Knowledge(methods, tables, services, versions);
    }

    public List<EscalationMethod> escalationMethods() {
        return escalation;
    }

    public List<RiskyAction> credentialExposure() {
        return tables.get("credential-exposure");
    }

    public List<RiskyAction> dataExfiltration() {
        return tables.get("data-exfiltration");
    }

    public List<RiskyAction> defenseEvasion() {
        return tables.get("defense-evasion");
    }

    /** The AWS documentation page for a service principal that should carry aws:SourceArn/SourceAccount, or null. */
    public String confusedDeputyReference(String servicePrincipal) {
        return confusedDeputyServices.get(servicePrincipal.toLowerCase(Locale.ROOT));
    }

    /** The {@code version} of each table, by file name. */
    public Map<String, String> versions() {
        return versions;
    }

    public static BitSet indexes(List<RiskyAction> table) {
        BitSet bits = new BitSet();
        table.forEach(a -> bits.set(a.index()));
        return bits;
    }

    private static Node.Obj read(String name, Map<String, String> versions) {
        try (InputStream in = Knowledge.class.getResourceAsStream("/iam/" + name)) {
            if (in == null) {
                throw new IllegalStateException("expected the resource /iam/" + name + " in the jar but it is missing");
            }
            Node root = NodeReader.readJson(in.readAllBytes());
            if (!(root instanceof Node.Obj o)) {
                throw new IllegalStateException("/iam/" + name + ": expected an object but found " + root.kind());
            }
            versions.put(name, o.get("version") == null ? "unversioned" : text(o.get("version")));
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NodeReadException e) {
            throw new IllegalStateException("/iam/" + name + " " + e.at() + ": " + e.getMessage(), e);
        }
    }

    private static List<Node> array(Node.Obj obj, String key) {
        Node n = obj.get(key);
        if (!(n instanceof Node.Arr a)) {
            throw new IllegalStateException("expected `" + key + "` to be an array at " + obj.at());
        }
        return a.items();
    }

    private static String text(Node n) {
        return n == null ? "" : String.valueOf(Node.scalarText(n));
    }
}
