package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Optional;

/** An existing identity provider changed: who it vouches for changed for every role that trusts it. */
final class IdentityProviderChangedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("IDENTITY_PROVIDER_CHANGED", Severity.HIGH, "change",
            "Identity provider changed",
            "Roles that trust a SAML or OIDC provider accept whatever it signs. New SAML metadata (a new signing"
                    + " certificate), a new OIDC client id (audience) or new thumbprints let other issuers or"
                    + " applications assume those roles, without any change to the roles themselves.",
            "Confirm the change with the provider's owner; compare the metadata or client ids with the identity"
                    + " provider's own configuration, and revert it if nobody asked for it.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        String who = "`" + event.actor().display() + "`";
        Optional<EventKind> kind = EventKind.named(event.eventName());
        if (kind.isEmpty()) {
            return List.of();
        }
        switch (kind.get()) {
            case UpdateSAMLProvider -> {
                // AWS SSO rotates its own providers' metadata through its service.
                if (event.actor().invokedBy().map("sso.amazonaws.com"::equals).orElse(false)) {
                    return List.of();
                }
                return List.of(finding(event, "requestParameters/sAMLProviderArn", who + " replaced the metadata of SAML"
                        + " provider `" + event.request("sAMLProviderArn").orElse("?") + "`: every role trusting it"
                        + " accepts assertions signed with the new certificate"));
            }
            case AddClientIDToOpenIDConnectProvider -> {
                return List.of(finding(event, "requestParameters/clientID", who + " added client id `"
                        + event.request("clientID").orElse("?") + "` to OIDC provider `"
                        + event.request("openIDConnectProviderArn").orElse("?")
                        + "`: tokens for that audience can now assume roles trusting the provider"));
            }
            case UpdateOpenIDConnectProviderThumbprint -> {
                return List.of(finding(event, "requestParameters/thumbprintList", who + " replaced the thumbprints of"
                        + " OIDC provider `" + event.request("openIDConnectProviderArn").orElse("?")
                        + "`: a different certificate chain can now vouch for its tokens"));
            }
            default -> {
                return List.of();
            }
        }
    }
}
