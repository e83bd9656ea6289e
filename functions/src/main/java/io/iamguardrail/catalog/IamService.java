package io.iamguardrail.catalog;

import java.util.Map;
import java.util.Set;

/**
 * A service of the catalogue: its actions occupy indexes {@code [firstAction, endAction)}; {@code resourceArns} maps
 * resource type to ARN template ({@code arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}}).
 */
public record IamService(String prefix, String name, int firstAction, int endAction, Map<String, String> resourceArns,
                         Set<String> multiValuedKeys) {
}
