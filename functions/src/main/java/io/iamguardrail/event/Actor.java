package io.iamguardrail.event;

import java.util.Optional;

/**
 * Who made the call, from {@code detail.userIdentity} and the request context. {@code sessionIssuerArn} is the role
 * an assumed-role session belongs to; {@code mfa} comes from the string {@code "true"} CloudTrail writes.
 */
public record Actor(String type, Optional<String> arn, Optional<String> accountId, Optional<String> userName,
                    Optional<String> sessionIssuerArn, Optional<String> invokedBy, boolean mfa,
                    Optional<String> sourceIp, Optional<String> userAgent) {

    public boolean isRoot() {
        return "Root".equals(type);
    }

    /** The IAM user name a request acts as when it names no user: the caller itself (IAM users only). */
    public Optional<String> selfUserName() {
        if ("IAMUser".equals(type)) {
            return userName.or(() -> arn.map(a -> a.substring(a.lastIndexOf('/') + 1)));
        }
        return Optional.empty();
    }

    /**
     * A short name for people: {@code root}, the user name, or for an assumed role the session name (the SSO user's
     * e-mail, the CI job) with the role, e.g. {@code alice@example.com (AWSReservedSSO_Admin_0123)}.
     */
    public String display() {
        if (isRoot()) {
            return "root";
        }
        if (userName.isPresent()) {
            return userName.get();
        }
        if (arn.isPresent() && arn.get().contains(":assumed-role/")) {
            String[] parts = arn.get().substring(arn.get().indexOf(":assumed-role/") + 14).split("/", 2);
            return parts.length == 2 ? parts[1] + " (" + parts[0] + ")" : parts[0];
        }
        return arn.or(() -> invokedBy).orElse(type);
    }
}
