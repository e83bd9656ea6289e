package io.iamguardrail.remediation;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.PrincipalPattern;
import io.iamguardrail.state.PrincipalRef;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The checks that keep remediation from touching what it must never touch. Each is small, named and pure: given the
 * action and what is known of its principal, it answers with the reason to refuse, or nothing.
 */
public final class SafetyRails {

    /** What a rail may look at: the principal's ARN and path as known (from the event or a live read). */
    public record Facts(Optional<String> principalArn, Optional<String> principalPath, List<String> ruleIds,
                        LocalDate today) {
        public Facts {
            ruleIds = List.copyOf(ruleIds);
        }
    }

    /** One named rail. */
    public interface Rail {
        String name();

        Optional<String> refuse(RemediationAction action, Facts facts);
    }

    private final List<Rail> rails;

    public SafetyRails(GuardrailConfig config) {
        this.rails = List.of(serviceLinkedRole(), guardrailOwnRole(config.remediation().guardrailRoleArns()),
                breakGlass(config.remediation().breakGlassPrincipals()), exempt(config), awsQuarantinePolicy(),
                ownQuarantinePolicy(config.remediation().quarantinePolicyArn()));
    }

    public List<Rail> rails() {
        return rails;
    }

    /** The first rail that refuses the action, as "rail: reason". */
    public Optional<String> check(RemediationAction action, Facts facts) {
        for (Rail r : rails) {
            Optional<String> why = r.refuse(action, facts);
            if (why.isPresent()) {
                return Optional.of(r.name() + ": " + why.get());
            }
        }
        return Optional.empty();
    }

    /** AWS services own their service-linked roles (path /aws-service-role/, names AWSServiceRoleFor*). */
    static Rail serviceLinkedRole() {
        return rail("service-linked role", (a, f) -> {
            boolean byPath = f.principalPath().map(p -> p.startsWith("/aws-service-role/")).orElse(false)
                    || f.principalArn().map(arn -> arn.contains(":role/aws-service-role/")).orElse(false);
            boolean byName = a.principal().map(p -> p.kind() == PrincipalRef.Kind.ROLE
                    && p.name().startsWith("AWSServiceRoleFor")).orElse(false);
            return byPath || byName ? Optional.of(a.principal().map(Object::toString).orElse("the role")
                    + " is a service-linked role, owned by AWS") : Optional.empty();
        });
    }

    /** The guardrail never acts on itself: that would be a loop, and could lock it out. */
    static Rail guardrailOwnRole(List<String> ownArns) {
        return rail("guardrail's own role", (a, f) -> {
            for (String own : ownArns) {
                String ownName = own.substring(own.lastIndexOf('/') + 1);
                boolean same = f.principalArn().map(own::equalsIgnoreCase).orElse(false)
                        || a.principal().map(p -> p.kind() == PrincipalRef.Kind.ROLE && p.name().equals(ownName)).orElse(false);
                if (same) {
                    return Optional.of(own + " is the guardrail's own role");
                }
            }
            return Optional.empty();
        });
    }

    static Rail breakGlass(List<String> patterns) {
        return rail("break-glass principal", (a, f) -> {
            for (String pattern : patterns) {
                if (matches(pattern, a, f)) {
                    return Optional.of(a.principal().map(Object::toString).orElse(a.target())
                            + " is in the break-glass list (`" + pattern + "`)");
                }
            }
            return Optional.empty();
        });
    }

    /**
     * A configured exemption for any of the findings that triggered the action keeps the principal untouched. Matched
     * against the principal's ARN and name only: the action's target names a policy, which its author chose.
     */
    static Rail exempt(GuardrailConfig config) {
        return rail("exempt principal", (a, f) -> {
            List<String> names = new ArrayList<>();
            f.principalArn().ifPresent(names::add);
            a.principal().ifPresent(p -> names.add(p.name()));
            for (String rule : f.ruleIds()) {
                for (String name : names) {
                    Optional<GuardrailConfig.Exemption> e = config.exemption(rule, name, f.today());
                    if (e.isPresent()) {
                        return Optional.of(name + " is exempt from " + rule + " (" + e.get().reason() + ")");
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** AWS's response to an exposed key (AWSCompromisedKeyQuarantine*) must stay in place. */
    static Rail awsQuarantinePolicy() {
        return rail("AWS compromised-key quarantine", (a, f) -> {
            String name = "";
            if (a instanceof DetachPolicy d) {
                name = d.policyArn().substring(d.policyArn().lastIndexOf('/') + 1);
            } else if (a instanceof DeleteInlinePolicy d) {
                name = d.policyName();
            }
            return name.startsWith("AWSCompromisedKeyQuarantine")
                    ? Optional.of(name + " is AWS's compromised-key quarantine policy") : Optional.empty();
        });
    }

    /** The principal's ARN or, for a pattern that is not an ARN, its name: nothing else the action carries. */
    /**
     * The guardrail never takes its own quarantine off: a replayed or forged event of its own quarantine (an Attach of
     * that policy) would otherwise be "undone" by a detach. Lifting a quarantine is a person's decision (restore).
     */
    static Rail ownQuarantinePolicy(Optional<String> quarantinePolicyArn) {
        return rail("guardrail's quarantine", (a, f) -> a instanceof DetachPolicy d
                && quarantinePolicyArn.map(d.policyArn()::equals).orElse(false)
                ? Optional.of(d.policyArn() + " is the guardrail's quarantine policy: only a person lifts a quarantine")
                : Optional.empty());
    }

    private static boolean matches(String pattern, RemediationAction a, Facts f) {
        if (f.principalArn().map(arn -> PrincipalPattern.matches(pattern, arn)).orElse(false)) {
            return true;
        }
        return !pattern.toLowerCase(Locale.ROOT).startsWith("arn:")
                && a.principal().map(ref -> PrincipalPattern.matches(pattern, ref.name())).orElse(false);
    }

    private interface Check {
        Optional<String> refuse(RemediationAction a, Facts f);
    }

    private static Rail rail(String name, Check check) {
        return new Rail() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<String> refuse(RemediationAction action, Facts facts) {
                return check.refuse(action, facts);
            }
        };
    }
}
