package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.List;

/** {@code Principal} or {@code NotPrincipal}. */
public sealed interface PrincipalSpec permits PrincipalSpec.Listed, PrincipalSpec.Not {

    List<Principal> principals();

    SourceLocation at();

    record Listed(List<Principal> principals, SourceLocation at) implements PrincipalSpec {
        public Listed {
            principals = List.copyOf(principals);
        }
    }

    record Not(List<Principal> principals, SourceLocation at) implements PrincipalSpec {
        public Not {
            principals = List.copyOf(principals);
        }
    }
}
