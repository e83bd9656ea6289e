package io.iamguardrail.engine;

import io.iamguardrail.policy.PolicyKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is evaluated together: one policy file, or a principal with its trust policy, its permission policies
 * (inline, attached, inherited from groups) and its permissions boundary.
 *
 * @param source    the file or principal this subject is reported under
 * @param principal the principal's ARN or name when known
 * @param type      ROLE, USER, GROUP, or NONE for a lone policy
 */
public record Subject(String source, Optional<String> principal, Type type, Optional<SourcedPolicy> trust,
                      List<SourcedPolicy> permissions, Optional<SourcedPolicy> boundary) {

    public enum Type { ROLE, USER, GROUP, POLICY, RESOURCE, NONE }

    public Subject {
        permissions = List.copyOf(permissions);
    }

    /** A lone policy document, as `check` reads a policy file. */
    public static Subject of(SourcedPolicy policy) {
        if (policy.kind() == PolicyKind.TRUST) {
            return new Subject(policy.source(), Optional.empty(), Type.NONE, Optional.of(policy), List.of(), Optional.empty());
        }
        return new Subject(policy.source(), Optional.empty(), Type.NONE, Optional.empty(), List.of(policy), Optional.empty());
    }

    public List<SourcedPolicy> all() {
        List<SourcedPolicy> out = new ArrayList<>();
        trust.ifPresent(out::add);
        out.addAll(permissions);
        boundary.ifPresent(out::add);
        return out;
    }

    /** Where a finding about the whole principal is reported. */
    public String principalLabel() {
        return principal.map(p -> "`" + p + "`").orElse("`" + source + "`");
    }
}
