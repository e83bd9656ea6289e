package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The weekly audit summary in the alerts' style: top-level blocks, each list under the fold, the rest counted. */
class AuditSummarySlackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLargeAccountListsTheWorstUnderTheFoldAndCountsTheRest() throws Exception {
        ObjectNode summary = (ObjectNode) JSON.readTree(Alerts.json("audit-summary"));
        ArrayNode worst = summary.putArray("worst");
        for (int i = 0; i < 30; i++) {
            worst.addObject().put("arn", "arn:aws:iam::123456789012:role/service-role/workload-" + i + "-" + "x".repeat(40))
                    .put("worst", i < 5 ? "CRITICAL" : "HIGH").put("findings", 30 - i);
        }
        JsonNode m = JSON.readTree(AuditSummarySlack.render(summary));
        assertThat(m.has("attachments")).isFalse();
        String list = "";
        for (JsonNode b : m.get("blocks")) {
            String text = b.path("text").path("text").asText();
            assertThat(text).hasSizeLessThanOrEqualTo(SlackBlocks.SHOW_MORE);
            list = text.startsWith("*Worst principals*") ? text : list;
        }
        long shown = list.lines().filter(l -> l.contains("workload-")).count();
        assertThat(shown).isBetween(3L, 10L);
        assertThat(list).endsWith("_and " + (30 - shown) + " more in the report_");
        assertThat(SlackHeight.of(m)).isLessThanOrEqualTo(SlackHeight.SCREEN);
    }
}
