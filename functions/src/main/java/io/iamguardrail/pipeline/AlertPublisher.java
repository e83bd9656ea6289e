package io.iamguardrail.pipeline;

/** Where alerts go (SNS in the Lambda, stdout in an offline replay). Throws when the alert could not be delivered. */
public interface AlertPublisher {

    /** @return the message id */
    String publish(Alert alert);
}
