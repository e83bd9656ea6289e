package io.iamguardrail.aws;

import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.PolicyDetail;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Principals as {@code GetAccountAuthorizationDetails} reports them: one page holds up to a thousand roles, users or
 * groups with their trust, inline documents, attached policies, boundary and groups, where reading one principal alone
 * takes four requests or more. Worth it from {@link #WORTH_IT} principals of a kind in one batch: an account at IAM's
 * quota of 5,000 roles is five pages, and the reading stops once every principal wanted is found.
 */
final class PrincipalDetails {

    /** Principals of one kind from which one listing of the kind costs fewer requests than reading each. */
    static final int WORTH_IT = 10;
    /** The most IAM returns in one page. */
    static final int PAGE = 1000;

    private PrincipalDetails() {
    }

    /** The kinds worth listing for {@code wanted}: those it names at least {@link #WORTH_IT} of. */
    static Set<EntityType> worthListing(Set<PrincipalRef> wanted) {
        Set<EntityType> kinds = EnumSet.noneOf(EntityType.class);
        for (PrincipalRef.Kind kind : PrincipalRef.Kind.values()) {
            if (wanted.stream().filter(r -> r.kind() == kind).count() >= WORTH_IT) {
                kinds.add(entityType(kind));
            }
        }
        return kinds;
    }

    static EntityType entityType(PrincipalRef.Kind kind) {
        return switch (kind) {
            case ROLE -> EntityType.ROLE;
            case USER -> EntityType.USER;
            case GROUP -> EntityType.GROUP;
        };
    }

    /** Hands each wanted principal of the page, as reading it alone would have found it, to {@code found}. */
    static void read(GetAccountAuthorizationDetailsResponse page, Set<PrincipalRef> wanted,
                     Consumer<PrincipalState> found) {
        page.roleDetailList().forEach(r -> {
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.ROLE, r.roleName());
            if (wanted.contains(ref)) {
                found.accept(new PrincipalState(ref, r.arn(), path(r.path()),
                        Optional.ofNullable(r.assumeRolePolicyDocument()).map(LiveIamState::decode),
                        inline(r.rolePolicyList()), attached(r.attachedManagedPolicies()),
                        Optional.ofNullable(r.permissionsBoundary()).map(b -> b.permissionsBoundaryArn()), List.of()));
            }
        });
        page.userDetailList().forEach(u -> {
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.USER, u.userName());
            if (wanted.contains(ref)) {
                found.accept(new PrincipalState(ref, u.arn(), path(u.path()), Optional.empty(),
                        inline(u.userPolicyList()), attached(u.attachedManagedPolicies()),
                        Optional.ofNullable(u.permissionsBoundary()).map(b -> b.permissionsBoundaryArn()),
                        u.groupList()));
            }
        });
        page.groupDetailList().forEach(g -> {
            PrincipalRef ref = new PrincipalRef(PrincipalRef.Kind.GROUP, g.groupName());
            if (wanted.contains(ref)) {
                found.accept(new PrincipalState(ref, g.arn(), path(g.path()), Optional.empty(),
                        inline(g.groupPolicyList()), attached(g.attachedManagedPolicies()), Optional.empty(),
                        List.of()));
            }
        });
    }

    private static String path(String path) {
        return path == null ? "/" : path;
    }

    private static Map<String, String> inline(List<PolicyDetail> policies) {
        Map<String, String> out = new LinkedHashMap<>();
        policies.forEach(p -> out.put(p.policyName(), LiveIamState.decode(p.policyDocument())));
        return out;
    }

    private static List<String> attached(List<AttachedPolicy> policies) {
        return policies.stream().map(AttachedPolicy::policyArn).toList();
    }
}
