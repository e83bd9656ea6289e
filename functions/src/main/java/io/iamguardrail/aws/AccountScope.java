package io.iamguardrail.aws;

import java.util.Optional;

/**
 * Whose records a table or bucket adapter keeps: the guardrail's own account (keys as they always were), or a hub's
 * member account, whose keys carry its id so that one account's own writes, snapshots, remediation budget and backups
 * never stand for another's in the hub's shared table and bucket.
 */
public record AccountScope(Optional<String> account) {

    /** The guardrail's own account. */
    public static final AccountScope OWN = new AccountScope(Optional.empty());

    public AccountScope {
        account.ifPresent(a -> {
            if (!a.matches("\\d{12}")) {
                throw new IllegalArgumentException("expected an account id of 12 digits but found `" + a + "`");
            }
        });
    }

    public static AccountScope member(String account) {
        return new AccountScope(Optional.of(account));
    }

    /** A table key: {@code own#…} for the own account, {@code 111122223333#own#…} for a member. */
    public String key(String key) {
        return account.map(a -> a + "#" + key).orElse(key);
    }

    /** A path segment: {@code ""} for the own account, {@code 111122223333/} for a member. */
    public String path() {
        return account.map(a -> a + "/").orElse("");
    }
}
