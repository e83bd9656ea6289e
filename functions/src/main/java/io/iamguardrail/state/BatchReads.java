package io.iamguardrail.state;

import java.util.Set;

/**
 * What the evaluator has read for the batch of events it judges ({@link ReadOnce}): told the principals the batch
 * names before the first event, so that they can be read together, and forgotten when the batch ends or IAM changes.
 */
public interface BatchReads {

    /** The principals the batch's events change: read together when that costs IAM fewer requests. */
    void expect(Set<PrincipalRef> principals);

    /** Nothing read so far is used again. */
    void forget();

    /** Every read goes to IAM: nothing is kept. */
    BatchReads NONE = new BatchReads() {
        @Override
        public void expect(Set<PrincipalRef> principals) {
        }

        @Override
        public void forget() {
        }
    };
}
