package io.iamguardrail.aws;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hub's own weekly audit compares with its own reports, never with a member account's of the same bucket. */
class S3ReportStoreTest {

    @Test
    void aMemberAccountsReportIsNotTheHubsPreviousReport() {
        assertThat(S3ReportStore.ownReport("audit/2026-11-30T06-00-00.000Z/report.json")).isTrue();
        assertThat(S3ReportStore.ownReport("audit/2026-12-07/111122223333/report.json")).isFalse();
        assertThat(S3ReportStore.ownReport("audit/2026-12-07/organization.json")).isFalse();
        assertThat(S3ReportStore.ownReport("audit/2026-11-30T06-00-00.000Z/report.html")).isFalse();
    }

    @Test
    void anAccountsFolderIsMadeOfADateAndTwelveDigitsOnly() {
        assertThat(S3AccountReports.folder("2026-12-07", "111122223333")).isEqualTo("audit/2026-12-07/111122223333/");
        for (String account : new String[] {"../111122223333", "11112222333", "111122223333/x", ""}) {
            assertThatThrownBy(() -> S3AccountReports.folder("2026-12-07", account))
                    .hasMessageStartingWith("expected a 12-digit account id for a report's folder");
        }
        assertThatThrownBy(() -> S3AccountReports.folder("2026-12-07/..", "111122223333"))
                .hasMessageStartingWith("expected a date as yyyy-MM-dd");
    }
}
