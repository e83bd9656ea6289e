package io.iamguardrail.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollector;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every attempt the SDK made counts as a request; those IAM throttled count as throttles, retried or not. */
class IamRequestsTest {

    @Test
    void aCallRetriedAfterTwoThrottlesIsThreeRequestsAndTwoThrottles() {
        IamRequests counter = new IamRequests();
        MetricCollector call = MetricCollector.create("ApiCall");
        call.reportMetric(CoreMetric.OPERATION_NAME, "GetRole");
        call.createChild(IamRequests.ATTEMPT).reportMetric(CoreMetric.ERROR_TYPE, IamRequests.THROTTLING);
        call.createChild(IamRequests.ATTEMPT).reportMetric(CoreMetric.ERROR_TYPE, IamRequests.THROTTLING);
        call.createChild(IamRequests.ATTEMPT).reportMetric(CoreMetric.SERVICE_CALL_DURATION, Duration.ofMillis(40));
        IamRequests.Count before = counter.count();

        counter.publish(call.collect());

        assertThat(counter.count().since(before)).isEqualTo(new IamRequests.Count(3, 2));
    }

    @Test
    void anAttemptThatFailedOtherwiseIsARequestButNoThrottle() {
        IamRequests counter = new IamRequests();
        MetricCollector call = MetricCollector.create("ApiCall");
        call.createChild(IamRequests.ATTEMPT).reportMetric(CoreMetric.ERROR_TYPE, "ServerError");

        counter.publish(call.collect());

        assertThat(counter.count()).isEqualTo(new IamRequests.Count(1, 0));
    }
}
