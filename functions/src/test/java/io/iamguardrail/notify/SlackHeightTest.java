package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The height model on blocks whose drawing is easy to count by hand. */
class SlackHeightTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode message(String... blocks) throws Exception {
        List<ObjectNode> list = new ArrayList<>();
        for (String b : blocks) {
            list.add((ObjectNode) JSON.readTree(b));
        }
        return JSON.readTree(SlackBlocks.message("preview", list));
    }

    @Test
    void eachBlockAddsItsLinesAndTheGapBetweenBlocks() throws Exception {
        String header = SlackBlocks.header(":rotating_light: CRITICAL · Privilege escalation path").toString();
        // 250 characters: three lines of 100.
        String section = SlackBlocks.section("x".repeat(250)).toString();
        String fields = SlackBlocks.fields(List.of("*Who:* `bob`", "*Event:* `PutRolePolicy`", "y".repeat(60))).toString();
        JsonNode m = message(header, section, fields, SlackBlocks.divider().toString(), SlackBlocks.context("links").toString());
        int top = SlackHeight.MESSAGE_CHROME;
        int h1 = SlackHeight.HEADER_LINE + SlackHeight.HEADER_PADDING;
        int h2 = 3 * SlackHeight.TEXT_LINE;
        int h3 = SlackHeight.TEXT_LINE + SlackHeight.FIELD_ROW_GAP + 2 * SlackHeight.TEXT_LINE;
        int gap = SlackHeight.BLOCK_GAP;
        assertThat(SlackHeight.bottoms(m)).containsExactly(top + h1, top + h1 + gap + h2, top + h1 + 2 * gap + h2 + h3,
                top + h1 + 3 * gap + h2 + h3 + SlackHeight.DIVIDER,
                top + h1 + 4 * gap + h2 + h3 + SlackHeight.DIVIDER + SlackHeight.CONTEXT_LINE);
        assertThat(SlackHeight.of(m)).isEqualTo(SlackHeight.bottoms(m).get(4));
    }

    @Test
    void onlyWhatSlackDrawsIsCountedAndCodeBlocksAreBoxed() {
        // A link draws its label, an entity one character, an emoji about three, markup nothing.
        assertThat(SlackHeight.visible("<https://console.aws.amazon.com/iam/home#/roles/details/x|role x> &amp; *bold* `code` :red_circle:"))
                .isEqualTo("role x & bold code EEE");
        assertThat(SlackHeight.section("*Undo*:\n```one\ntwo```")).isEqualTo(SlackHeight.TEXT_LINE
                + 2 * SlackHeight.CODE_LINE + SlackHeight.CODE_PADDING);
        assertThat(SlackHeight.rows("a\n\nb", SlackHeight.TEXT_CHARS)).isEqualTo(3);
    }
}
