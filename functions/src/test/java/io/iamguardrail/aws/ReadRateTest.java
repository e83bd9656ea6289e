package io.iamguardrail.aws;

import io.iamguardrail.testing.StepClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reads' share of IAM's rate: a second's worth at once, then one read per token as the bucket refills. */
class ReadRateTest {

    @Test
    void aBurstOfReadsWaitsForItsTokensAfterTheFirstSecondsWorth() {
        StepClock clock = new StepClock(Instant.parse("2026-12-07T17:00:00Z"));
        ReadRate rate = new ReadRate(10, clock, d -> clock.now = clock.now.plus(d));
        Instant start = clock.now;

        for (int i = 0; i < 25; i++) {
            rate.take();
        }

        // Ten at once, then fifteen at a tenth of a second each.
        assertThat(Duration.between(start, clock.now)).isBetween(Duration.ofMillis(1490), Duration.ofMillis(1510));
        assertThat(rate.waited()).isEqualTo(Duration.between(start, clock.now));
    }

    @Test
    void aQuietSecondRefillsTheBucketButNeverBeyondOneSecondsWorth() {
        StepClock clock = new StepClock(Instant.parse("2026-12-07T17:00:00Z"));
        ReadRate rate = new ReadRate(5, clock, d -> clock.now = clock.now.plus(d));
        for (int i = 0; i < 5; i++) {
            rate.take();
        }
        clock.now = clock.now.plusSeconds(60);
        Instant quiet = clock.now;

        for (int i = 0; i < 6; i++) {
            rate.take();
        }

        assertThat(Duration.between(quiet, clock.now)).isBetween(Duration.ofMillis(195), Duration.ofMillis(205));
    }

    @Test
    void noLimitNeverWaitsAndANegativeRateIsRefused() {
        for (int i = 0; i < 10_000; i++) {
            ReadRate.UNLIMITED.take();
        }
        assertThat(ReadRate.UNLIMITED.waited()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> new ReadRate(-1, Clock.systemUTC(), d -> { }))
                .hasMessageContaining("expected a rate of reads a second of 0 (no limit) or more");
    }
}
