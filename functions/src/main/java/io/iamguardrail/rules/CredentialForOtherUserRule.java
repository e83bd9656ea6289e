package io.iamguardrail.rules;

import io.iamguardrail.change.EventKind;
import io.iamguardrail.config.Severity;
import io.iamguardrail.engine.EventRule;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.RuleMetadata;
import io.iamguardrail.event.CloudTrailEvent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A service-specific credential, SSH key or signing certificate added to a user other than the caller. */
final class CredentialForOtherUserRule implements EventRule {

    static final RuleMetadata META = new RuleMetadata("CREDENTIAL_FOR_OTHER_USER", Severity.HIGH, "change",
            "Credential added for another user",
            "Git credentials for CodeCommit, Keyspaces or Bedrock passwords, SSH public keys and X.509 signing"
                    + " certificates are long-term credentials of their own: adding one to someone else's user gives"
                    + " the caller that user's access, outside the access-key inventory most reviews look at.",
            "Confirm with the user; if unexpected, delete the credential (`aws iam delete-service-specific-credential`,"
                    + " `delete-ssh-public-key`, `delete-signing-certificate`) and review the caller's other actions.",
            List.of("https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_ssh-keys.html",
                    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_service-specific-creds.html"));

    private static final Map<EventKind, String> KINDS = Map.of(
            EventKind.CreateServiceSpecificCredential, "a service-specific credential",
            EventKind.UploadSSHPublicKey, "an SSH public key",
            EventKind.UploadSigningCertificate, "a signing certificate");

    @Override
    public RuleMetadata metadata() {
        return META;
    }

    @Override
    public List<Finding> check(CloudTrailEvent event, Facts facts) {
        String kind = EventKind.named(event.eventName()).map(KINDS::get).orElse(null);
        Optional<String> target = event.request("userName");
        // Without `userName` the credential is the caller's own; IAM user names are case-insensitive.
        if (kind == null || target.isEmpty()
                || event.actor().selfUserName().map(self -> self.equalsIgnoreCase(target.get())).orElse(false)) {
            return List.of();
        }
        String service = event.request("serviceName").map(s -> " for `" + s + "`").orElse("");
        return List.of(finding(event, "requestParameters/userName", "`" + event.actor().display() + "` added " + kind
                + service + " to another user, `" + target.get() + "`"));
    }
}
