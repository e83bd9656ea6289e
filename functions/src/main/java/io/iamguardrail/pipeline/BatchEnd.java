package io.iamguardrail.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * What the end of a batch published: the outcomes of the events whose alerts were held for it (one alert per
 * principal), and the events whose alert could not be published, which must be delivered again.
 */
public record BatchEnd(List<GuardrailService.Outcome> outcomes, List<Unpublished> unpublished) {

    /** An event whose alert did not go out: its claim is given back, and its message fails so that it comes again. */
    public record Unpublished(String eventId, String reason) {
    }

    public static final BatchEnd NONE = new BatchEnd(List.of(), List.of());

    public BatchEnd {
        outcomes = List.copyOf(outcomes);
        unpublished = List.copyOf(unpublished);
    }

    /** Both ends together: a hub's batch ends in every account it touched. */
    public BatchEnd and(BatchEnd other) {
        List<GuardrailService.Outcome> o = new ArrayList<>(outcomes);
        o.addAll(other.outcomes);
        List<Unpublished> u = new ArrayList<>(unpublished);
        u.addAll(other.unpublished);
        return new BatchEnd(o, u);
    }
}
