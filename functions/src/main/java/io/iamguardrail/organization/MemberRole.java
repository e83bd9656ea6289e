package io.iamguardrail.organization;

import java.util.Optional;

/**
 * The role the member stack creates in every account, the same name everywhere, and the external id the hub presents
 * when it assumes it.
 */
public record MemberRole(String name, Optional<String> externalId) {

    public MemberRole {
        if (name == null || !name.matches("[A-Za-z0-9+=,.@_-]{1,64}")) {
            throw new IllegalArgumentException("expected a role name (1 to 64 of A-Z a-z 0-9 +=,.@_-) but found `"
                    + name + "`");
        }
        externalId = externalId.map(String::strip).filter(id -> !id.isEmpty());
        externalId.ifPresent(id -> {
            if (!id.matches("[A-Za-z0-9+=,.@:/_-]{2,1224}")) {
                throw new IllegalArgumentException("expected an external id of 2 to 1224 of A-Z a-z 0-9 +=,.@:/_- but"
                        + " found one of " + id.length() + " characters with others");
            }
        });
    }

    /** The role in {@code account}. */
    public String arnIn(String partition, String account) {
        return "arn:" + partition + ":iam::" + account + ":role/" + name;
    }

    /**
     * A session name (2 to 64 of {@code [\w+=,.@-]}) that tells the member account's CloudTrail why the hub came: the
     * event or the audit that opened the session.
     */
    public static String sessionName(String why) {
        String cleaned = ("iam-guardrail-" + why).replaceAll("[^\\w+=,.@-]", "-");
        return cleaned.length() <= 64 ? cleaned : cleaned.substring(0, 64);
    }
}
