package io.iamguardrail.rules;

import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Rule;
import io.iamguardrail.engine.RuleMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * The rule catalogue, registered explicitly: checked at compile time and cheap at cold start. Ids are a public
 * contract: never rename or reuse one; a retired rule stays here as a tombstone pointing to its replacement.
 */
public final class Rules {

    private Rules() {
    }

    public static List<Rule> all() {
        return List.of(
                new MalformedPolicyRule(),
                new AdminAccessRule(),
                new ServiceWildcardRule(),
                new PrivilegeEscalationRule(),
                new PassRoleUnrestrictedRule(),
                new PermissionsManagementRule(),
                new CredentialsExposureRule(),
                new DataExfiltrationRule(),
                new DefenseEvasionRule(),
                new WriteWithoutResourceScopeRule(),
                new AllowWithNotActionRule(),
                new AllowWithNotResourceRule(),
                new UnknownActionRule(),
                new UnknownServiceRule(),
                new ResourceMismatchRule(),
                new SetOperatorOnSingleValuedKeyRule(),
                new BadMfaConditionRule(),
                new ForbiddenActionRule(),
                new InlinePolicyRule(),
                new UserDirectPolicyRule(),
                new TrustAnyPrincipalRule(),
                new TrustExternalAccountRule(),
                new TrustMissingExternalIdRule(),
                new TrustOidcUnscopedRule(),
                new TrustCognitoUnscopedRule(),
                new TrustSamlNoAudienceRule(),
                new TrustConfusedDeputyRule(),
                new TrustAccountRootRule(),
                new TrustWithoutMfaRule(),
                new AllowWithNotPrincipalRule(),
                new PrivilegedRoleExposedRule(),
                new ResourcePublicRule(),
                new ResourceCrossAccountRule(),
                new ResourceServiceConfusedDeputyRule(),
                new UnverifiedReferenceRule());
    }

    /** The rules about the change itself (CloudTrail context). */
    public static List<EventRule> events() {
        return List.of(
                new AccessKeyForOtherUserRule(),
                new RootAccessKeyCreatedRule(),
                new RootUserActivityRule(),
                new LoginProfileForOtherUserRule(),
                new PermissionsBoundaryRemovedRule(),
                new PrivilegedGroupMembershipRule(),
                new IdentityProviderCreatedRule(),
                new GuardrailRoleMisuseRule(),
                new DenyRemovedRule(),
                new QuarantineRemovedRule(),
                new AccessKeyReactivatedRule(),
                new IdentityProviderChangedRule(),
                new MfaRemovedRule(),
                new CredentialForOtherUserRule(),
                new InstanceProfileRoleAddedRule(),
                new SessionDurationRaisedRule(),
                new TagChangesAccessRule(),
                new GuardrailTamperedRule(),
                new UnverifiedChangeRule());
    }

    /** An engine with every policy rule; the rest is left to set. */
    public static Engine.Builder engine() {
        return Engine.builder().rules(all());
    }

    /** Every rule's metadata, the audit's own findings, and the ENGINE_ERROR finding a failing rule becomes. */
    public static List<RuleMetadata> catalogue() {
        List<RuleMetadata> out = new ArrayList<>();
        all().forEach(r -> out.add(r.metadata()));
        events().forEach(r -> out.add(r.metadata()));
        out.addAll(AuditRules.all());
        out.add(Engine.ENGINE_ERROR_METADATA);
        return out;
    }

    /** Ids of the policy rules (each has pass and fail fixtures). */
    public static List<String> ids() {
        return all().stream().map(Rule::id).toList();
    }

    /** Every id a configuration may name: policy rules, event rules and the audit's own findings. */
    public static List<String> configurableIds() {
        List<String> ids = new ArrayList<>(ids());
        events().forEach(r -> ids.add(r.metadata().id()));
        AuditRules.all().forEach(m -> ids.add(m.id()));
        return ids;
    }
}
