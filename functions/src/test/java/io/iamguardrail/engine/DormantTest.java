package io.iamguardrail.engine;

import io.iamguardrail.config.Severity;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** A statement whose date condition cannot hold today grants nothing today: INFO, never a silent pass or CRITICAL. */
class DormantTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final Engine ENGINE = Rules.engine().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

    private static Report check(String condition) {
        String json = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Contractor\",\"Effect\":\"Allow\","
                + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":" + condition + "}]}";
        return ENGINE.evaluate(Subject.of(new SourcedPolicy("p.json", "p.json", SourcedPolicy.Origin.STANDALONE,
                PolicyParser.parse(json, null))));
    }

    private static Finding admin(Report r) {
        return r.findings().stream().filter(f -> f.ruleId().equals("ADMIN_ACCESS")).findFirst()
                .orElseThrow(() -> new AssertionError(r.findings().toString()));
    }

    @Test
    void anAccessWindowThatEndedIsInfoAndSaysWhy() {
        Finding f = admin(check("{\"DateLessThan\":{\"aws:CurrentTime\":\"2025-06-30T00:00:00Z\"}}"));
        assertThat(f.severity()).isEqualTo(Severity.INFO);
        assertThat(f.message()).contains("`aws:CurrentTime` DateLessThan `2025-06-30T00:00:00Z` is already past",
                "so info rather than critical");
        assertThat(admin(check("{\"DateLessThan\":{\"aws:EpochTime\":\"1700000000\"}}")).severity()).isEqualTo(Severity.INFO);
        assertThat(admin(check("{\"DateLessThanEquals\":{\"aws:TokenIssueTime\":\"2024-01-01\"}}")).severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void aStartDateFarAheadIsInfoTodayButOneSoonIsNot() {
        assertThat(admin(check("{\"DateGreaterThan\":{\"aws:EpochTime\":\"4102444800\"}}")).severity()).isEqualTo(Severity.INFO);
        // The attack: stage administrator access to switch on in an hour. It is the grant it will be in an hour.
        Finding soon = admin(check("{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2026-12-01T01:00:00Z\"}}"));
        assertThat(soon.severity()).isEqualTo(Severity.CRITICAL);
        // A window still open, or one of several values still ahead, grants today.
        assertThat(admin(check("{\"DateLessThan\":{\"aws:CurrentTime\":\"2027-01-01T00:00:00Z\"}}")).severity()).isEqualTo(Severity.CRITICAL);
        assertThat(admin(check("{\"DateLessThan\":{\"aws:CurrentTime\":[\"2020-01-01T00:00:00Z\",\"2027-01-01T00:00:00Z\"]}}"))
                .severity()).isEqualTo(Severity.CRITICAL);
        // Negated or unreadable dates are not taken as dormant.
        assertThat(admin(check("{\"DateNotEquals\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}")).severity()).isEqualTo(Severity.CRITICAL);
    }
}
