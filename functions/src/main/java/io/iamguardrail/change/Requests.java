package io.iamguardrail.change;

import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.json.Node;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a call's request names things, for the decoders of {@link IamChange}'s records. */
final class Requests {

    private Requests() {
    }

    /** A request value, or {@code ?} when the event lacks it (a redacted record is judged, never dropped). */
    static String text(CloudTrailEvent e, String key) {
        return e.request(key).orElse("?");
    }

    /** The principal of a call of the table, by the kind of principal its name says it changes. */
    static PrincipalRef named(EventKind k, CloudTrailEvent e) {
        String name = k.name();
        if (name.contains("Role")) {
            return role(e);
        }
        if (name.contains("Group")) {
            return new PrincipalRef(PrincipalRef.Kind.GROUP, text(e, "groupName"));
        }
        return new PrincipalRef(PrincipalRef.Kind.USER, text(e, "userName"));
    }

    static PrincipalRef role(CloudTrailEvent e) {
        return new PrincipalRef(PrincipalRef.Kind.ROLE, text(e, "roleName"));
    }

    /** The principal any other call names: its role, else its user, else its group. */
    static Optional<PrincipalRef> anyPrincipal(CloudTrailEvent e) {
        return e.request("roleName").map(r -> new PrincipalRef(PrincipalRef.Kind.ROLE, r))
                .or(() -> e.request("userName").map(u -> new PrincipalRef(PrincipalRef.Kind.USER, u)))
                .or(() -> e.request("groupName").map(g -> new PrincipalRef(PrincipalRef.Kind.GROUP, g)));
    }

    /** The user a request names, else the caller itself (IAM's rule for the calls that may name none). */
    static Optional<String> userOrCaller(CloudTrailEvent e) {
        return e.request("userName").or(() -> e.actor().selfUserName());
    }

    /** The strings of an array (or the {@code field} of each object in it), as CloudTrail lists tags and tag keys. */
    static List<String> strings(Node node, Optional<String> field) {
        List<String> out = new ArrayList<>();
        if (node instanceof Node.Arr arr) {
            for (Node item : arr.items()) {
                Node value = field.isPresent() && item instanceof Node.Obj o ? o.get(field.get()) : item;
                if (value instanceof Node.Str str && !str.value().isEmpty()) {
                    out.add(str.value());
                }
            }
        }
        return out;
    }
}
