package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;

/** A new OIDC or SAML identity provider: a new door into the account (AWS SSO's own providers excepted). */
final class IdentityProviderCreatedRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("IDENTITY_PROVIDER_CREATED", Severity.MEDIUM, "change",
            "Identity provider created",
            "An OIDC or SAML provider lets identities from outside AWS assume roles that trust it; an attacker adds one"
                    + " to keep access.",
            "Confirm the provider with its owner; check every role that trusts it for subject and audience conditions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers.html"));

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        String name = event.eventName();
        boolean oidc = EventKind.CreateOpenIDConnectProvider.is(name);
        if (!oidc && !EventKind.CreateSAMLProvider.is(name)) {
            return List.of();
        }
        // AWS SSO creates its own providers through its service; the caller-chosen name proves nothing.
        boolean bySso = event.actor().invokedBy().map(i -> i.equals("sso.amazonaws.com")).orElse(false)
                || event.actor().sessionIssuerArn().map(a -> a.contains("/aws-service-role/sso.amazonaws.com/")).orElse(false);
        if (bySso) {
            return List.of();
        }
        String what = oidc ? "OIDC provider `" + event.request("url").orElse("?") + "`"
                : "SAML provider `" + event.request("name").orElse("?") + "`";
        return List.of(finding(event, oidc ? "requestParameters/url" : "requestParameters/name",
                "`" + event.actor().display() + "` created the " + what));
    }
}
