package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

/**
 * An action or action wildcard: {@code iam:Pass*} has service {@code iam} and name {@code pass*}.
 * Both parts are lower-cased (IAM matches actions case-insensitively); {@code raw} keeps what the author wrote.
 * The lone {@code *} has service and name {@code *}. An intrinsic function in a template is {@code opaque}.
 */
public record ActionPattern(String service, String name, String raw, boolean opaque, SourceLocation at) {

    public boolean hasWildcard() {
        return service.indexOf('*') >= 0 || service.indexOf('?') >= 0
                || name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
    }

    public boolean isEverything() {
        return !opaque && (raw.equals("*") || (service.equals("*") && name.equals("*")));
    }

    /** {@code iam:passrole}: the case-folded form used for lookups. */
    public String key() {
        return service + ":" + name;
    }
}
