package io.iamguardrail.catalog;

import java.util.List;

/**
 * One IAM action of the catalogue. {@code resourceTypes} are the resource types it can be scoped to; an empty list
 * means the action supports only {@code "Resource": "*"}.
 */
public record IamAction(int index, String service, String name, AccessLevel level, List<String> resourceTypes) {

    /** {@code iam:PassRole}, as the catalogue spells it. */
    public String fullName() {
        return service + ":" + name;
    }

    public boolean supportsResourceScoping() {
        return !resourceTypes.isEmpty();
    }
}
