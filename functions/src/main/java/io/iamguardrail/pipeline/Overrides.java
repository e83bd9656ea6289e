package io.iamguardrail.pipeline;

import io.iamguardrail.engine.SourcedPolicy;

import java.util.Optional;

/**
 * What replaces the live state when a principal is read: the change an event describes (IAM may not show it yet),
 * or the state a remediation is about to write. {@code boundary} present and empty means "no boundary".
 */
record Overrides(Optional<SourcedPolicy> inline, Optional<SourcedPolicy> trust, Optional<String> attachedArn,
                 Optional<Optional<SourcedPolicy>> boundary) {

    static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
