package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Example instances of the actions, for listing what they may call: one per kind of principal they apply to. */
final class Examples {

    static final String POLICY = "arn:aws:iam::123456789012:policy/example";

    private Examples() {
    }

    static List<RemediationAction> onEveryPrincipal(Function<PrincipalRef, RemediationAction> action) {
        return on(List.of(PrincipalRef.Kind.values()), action);
    }

    static List<RemediationAction> on(List<PrincipalRef.Kind> kinds, Function<PrincipalRef, RemediationAction> action) {
        List<RemediationAction> all = new ArrayList<>();
        for (PrincipalRef.Kind kind : kinds) {
            all.add(action.apply(new PrincipalRef(kind, "example")));
        }
        return all;
    }
}
