package io.iamguardrail.change;

import io.iamguardrail.event.CloudTrailEvent;

/** The one entry from a CloudTrail event to its {@link IamChange}: the table's row for the call reads it. */
public final class ChangeDecoder {

    private ChangeDecoder() {
    }

    public static IamChange decode(CloudTrailEvent e) {
        return EventKind.named(e.eventName()).filter(k -> shapeFits(k, e)).map(k -> k.decode(e))
                .orElseGet(() -> IamChange.Unlisted.of(e));
    }

    /**
     * Two names are shared with calls of other services: {@code PutResourcePolicy} is read as Secrets Manager's (it
     * names a secret), {@code CreateGrant} as KMS's (it names a key).
     */
    private static boolean shapeFits(EventKind k, CloudTrailEvent e) {
        return switch (k) {
            case PutResourcePolicy -> e.request("secretId").isPresent();
            case CreateGrant -> e.request("keyId").isPresent();
            default -> true;
        };
    }
}
