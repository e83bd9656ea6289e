package io.iamguardrail.aws;

import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The container's IAM requests as the SDK sent them, each attempt counted, and the attempts IAM throttled. Read from
 * the SDK's own metrics of each call: the retries that absorb a throttle never reach the code that made the call, so
 * that code cannot count them. Every IAM client the functions build ({@link Clients#iamBuilder()}) reports here.
 */
public final class IamRequests implements MetricPublisher {

    /** The one counter of this container (a Lambda container is one JVM and one function). */
    public static final IamRequests CONTAINER = new IamRequests();
    /** The SDK's name of an attempt's metrics, and its error type for a throttled one ({@link CoreMetric#ERROR_TYPE}). */
    static final String ATTEMPT = "ApiCallAttempt";
    static final String THROTTLING = "Throttling";

    /** Requests sent and throttled so far. */
    public record Count(long sent, long throttled) {
        public Count since(Count earlier) {
            return new Count(sent - earlier.sent, throttled - earlier.throttled);
        }
    }

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    IamRequests() {
    }

    @Override
    public void publish(MetricCollection call) {
        for (MetricCollection attempt : call.children()) {
            if (!ATTEMPT.equals(attempt.name())) {
                continue;
            }
            sent.incrementAndGet();
            if (attempt.metricValues(CoreMetric.ERROR_TYPE).contains(THROTTLING)) {
                throttled.incrementAndGet();
            }
        }
    }

    public Count count() {
        return new Count(sent.get(), throttled.get());
    }

    @Override
    public void close() {
    }
}
