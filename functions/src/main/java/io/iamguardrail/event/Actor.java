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

    /** A short name for people: the user name, the session's role, or the ARN. */
    public String display() {
        if (isRoot()) {
            return "root";
        }
        return userName.or(() -> arn).orElse(type);
    }
}
