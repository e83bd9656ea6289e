package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.List;

/**
 * {@code Resource}, {@code NotResource}, or neither: a trust policy applies to the role it is attached to
 * and names no resource ({@link Implicit}).
 */
public sealed interface ResourceSpec permits ResourceSpec.Listed, ResourceSpec.Not, ResourceSpec.Implicit {

    SourceLocation at();

    record Listed(List<ResourcePattern> patterns, SourceLocation at) implements ResourceSpec {
        public Listed {
            patterns = List.copyOf(patterns);
        }
    }

    record Not(List<ResourcePattern> patterns, SourceLocation at) implements ResourceSpec {
        public Not {
            patterns = List.copyOf(patterns);
        }
    }

    record Implicit(SourceLocation at) implements ResourceSpec {
    }
}
