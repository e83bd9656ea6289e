package io.iamguardrail.engine;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Glob;
import io.iamguardrail.policy.ActionPattern;
import io.iamguardrail.policy.ResourcePattern;
import io.iamguardrail.policy.ResourceSpec;
import io.iamguardrail.policy.Statement;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resource names that do not scope a grant for this principal: its own name, the names of its own policies, and
 * names it may create. {@code iam:CreatePolicyVersion} on {@code policy/team-*} in a policy named
 * {@code team-tools} rewrites that very policy; {@code iam:PassRole} on {@code role/*-admin} together with
 * {@code iam:CreateRole} passes a role it names itself (and writes the trust of). Names are compared on the resource part of the ARN
 * ({@code role/path/name}), whatever the account.
 */
final class SelfNames {

    static final SelfNames NONE = new SelfNames(List.of(), List.of());

    /** A name and what it is, for the message: {@code the policy itself}. */
    record Named(String resource, String what) {
    }

    /** IAM actions that create a named resource: the resource type and the action. */
    private static final List<String[]> CREATORS = List.<String[]>of(new String[]{"role/", "iam:CreateRole"});

    /**
     * What makes a role one creates dangerous: passing it to a service, or giving it permissions (its trust is the
     * creator's to write). Versioning a policy one created, or adding oneself to a group one created, is not.
     */
    private static final List<String> ROLE_USES = List.of("iam:passrole", "iam:putrolepolicy", "iam:attachrolepolicy");

    private final List<Named> own;
    private final List<Named> creatable;

    private SelfNames(List<Named> own, List<Named> creatable) {
        this.own = own;
        this.creatable = creatable;
    }

    /** The principal's own name and its policies' names, as the subject states them. */
    static SelfNames of(Subject subject) {
        List<Named> own = new ArrayList<>();
        subject.principal().flatMap(SelfNames::resourceOf).ifPresent(r -> own.add(new Named(r, "the principal itself")));
        for (SourcedPolicy p : subject.permissions()) {
            if (p.origin() == SourcedPolicy.Origin.MANAGED && !p.name().startsWith("AWS managed policy ")) {
                String name = p.name().contains(":policy/") ? resourceOf(p.name()).orElse(p.name()) : "policy/" + p.name();
                own.add(new Named(name, "the policy itself"));
            }
        }
        return new SelfNames(own, List.of());
    }

    /** These names plus those the permissions let the holder create (iam:CreateRole and the like). */
    SelfNames withCreatable(ActionCatalog catalog, Permissions first) {
        List<Named> creatable = new ArrayList<>();
        for (String[] creator : CREATORS) {
            int action = catalog.find(creator[1]).index();
            for (Permissions.Grant g : first.grants()) {
                if (!g.actions().get(action) || g.restriction().isPresent()) {
                    continue;
                }
                if (g.allResources()) {
                    creatable.add(new Named(creator[0] + "*", "names it may create (`" + creator[1] + "` on `*`)"));
                } else if (g.statement().resources() instanceof ResourceSpec.Listed listed) {
                    for (ResourcePattern r : listed.patterns()) {
                        resourceOf(r.value()).filter(x -> x.startsWith(creator[0])).ifPresent(x -> creatable.add(
                                new Named(x, "names it may create (`" + creator[1] + "` on `" + r.value() + "`)")));
                    }
                }
            }
        }
        return creatable.isEmpty() && own.isEmpty() ? NONE : new SelfNames(own, creatable);
    }

    boolean isEmpty() {
        return own.isEmpty() && creatable.isEmpty();
    }

    /** Why the statement's named resources do not scope it for this principal, if one of them does not. */
    Optional<String> unscoping(Statement s) {
        if (isEmpty() || !(s.resources() instanceof ResourceSpec.Listed listed)) {
            return Optional.empty();
        }
        for (ResourcePattern r : listed.patterns()) {
            if (r.opaque()) {
                continue;
            }
            Optional<String> resource = resourceOf(r.value());
            if (resource.isEmpty()) {
                continue;
            }
            String pattern = resource.get().toLowerCase(Locale.ROOT);
            for (Named n : own) {
                if (Glob.matches(pattern, n.resource().toLowerCase(Locale.ROOT)) && pattern.indexOf('*') >= 0) {
                    return Optional.of("resource `" + r.value() + "` does not scope it: it matches `" + n.resource()
                            + "`, " + n.what());
                }
            }
            for (Named n : creatable) {
                if (pattern.indexOf('*') >= 0 && usesRoles(s) && Glob.intersects(pattern, n.resource().toLowerCase(Locale.ROOT))) {
                    return Optional.of("resource `" + r.value() + "` does not scope it: it matches " + n.what());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean usesRoles(Statement s) {
        for (ActionPattern a : s.actions().patterns()) {
            String raw = a.raw().toLowerCase(Locale.ROOT);
            if (ROLE_USES.stream().anyMatch(use -> Glob.matches(raw, use))) {
                return true;
            }
        }
        return false;
    }

    /** {@code role/path/name} of an IAM ARN ({@code arn:aws:iam::123456789012:role/path/name}), or empty. */
    private static Optional<String> resourceOf(String arn) {
        if (!arn.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = arn.split(":", 6);
        return parts.length == 6 && parts[2].equals("iam") ? Optional.of(parts[5]) : Optional.empty();
    }
}
