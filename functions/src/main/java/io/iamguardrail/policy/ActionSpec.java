package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.List;

/** {@code Action} (the listed patterns) or {@code NotAction} (everything except them). */
public sealed interface ActionSpec permits ActionSpec.Listed, ActionSpec.Not {

    List<ActionPattern> patterns();

    SourceLocation at();

    record Listed(List<ActionPattern> patterns, SourceLocation at) implements ActionSpec {
        public Listed {
            patterns = List.copyOf(patterns);
        }
    }

    record Not(List<ActionPattern> patterns, SourceLocation at) implements ActionSpec {
        public Not {
            patterns = List.copyOf(patterns);
        }
    }
}
