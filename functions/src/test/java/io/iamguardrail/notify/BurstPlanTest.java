package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BurstPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The alert of a sample event, as if made by {@code actorArn} at second {@code second} with {@code severity}. */
    static Notice.Alert alert(String id, String sample, String actorArn, int second, String severity) throws Exception {
        ObjectNode a = (ObjectNode) JSON.readTree(Alerts.json(sample));
        ((ObjectNode) a.get("actor")).put("arn", actorArn);
        ((ObjectNode) a.get("event")).put("time", String.format("2026-11-28T15:20:%02dZ", second)).put("id", "evt-" + id);
        a.put("severity", severity);
        return new Notice.Alert(id, AlertDocument.parse(a.toString()));
    }

    static String text(String messageJson) throws Exception {
        JsonNode m = JSON.readTree(messageJson);
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : m.get("blocks")) {
            if (b.has("text")) {
                sb.append(b.get("text").get("text").asText()).append('\n');
            }
            b.path("fields").forEach(f -> sb.append(f.get("text").asText()).append('\n'));
            b.path("elements").forEach(e -> sb.append(e.get("text").asText()).append('\n'));
        }
        return sb.toString();
    }

    @Test
    void aBurstByOneActorIsOneFullMessageAndOneDigestWhileOthersArePostedInFull() throws Exception {
        List<Notice.Alert> batch = new ArrayList<>();
        String bob = "arn:aws:iam::123456789012:user/bob";
        for (int i = 0; i < 12; i++) {
            batch.add(alert("b" + i, i == 5 ? "attach-role-policy-admin" : "create-policy-version-privesc", bob, i,
                    i == 5 ? "CRITICAL" : i % 2 == 0 ? "HIGH" : "MEDIUM"));
        }
        batch.add(1, alert("a0", "create-role-github-oidc-no-sub", "arn:aws:iam::123456789012:user/alice", 3, "CRITICAL"));
        batch.add(alert("a1", "create-role-github-oidc-no-sub", "arn:aws:iam::123456789012:user/alice", 4, "HIGH"));

        List<SlackMessage> plan = BurstPlan.plan(batch, 3);

        assertThat(plan).extracting(SlackMessage::alertIds).containsExactly(
                List.of("b5"),
                List.of("b0", "b2", "b4", "b6", "b8", "b10", "b1", "b3", "b7", "b9", "b11"),
                List.of("a0"), List.of("a1"));
        // The most severe of the burst is the full message.
        assertThat(text(plan.get(0).json())).contains("`AttachRolePolicy`", "Administrator access");
        String digest = text(plan.get(1).json());
        assertThat(digest).startsWith(":red_circle: HIGH · Burst: 11 more IAM alerts by bob\n");
        assertThat(digest).contains("*Who:* `bob`\n*When:* 2026-11-28T15:20:00Z – 2026-11-28T15:20:11Z\n"
                + "*Changes with findings:* 12, the most severe posted in full above\n*Listed here:* 11 (6 HIGH, 5 MEDIUM)\n");
        // The most severe ten one line each, the rest counted.
        assertThat(digest.lines().filter(l -> l.contains("`CreatePolicyVersion`") && l.endsWith("|event>"))).hasSize(10);
        assertThat(digest).contains(":red_circle: *HIGH* `CreatePolicyVersion` · managed `developer-tools` v4 ·"
                + " Privilege escalation path `PRIVILEGE_ESCALATION` (+1) · <https://us-east-1.console.aws.amazon.com/cloudtrail/home"
                + "?region=us-east-1#/events/evt-b0|event>");
        assertThat(digest).doesNotContain("events/evt-b11|").contains("_and 1 more (1 MEDIUM; `CreatePolicyVersion` ×1)_");
        assertThat(JSON.readTree(plan.get(1).json()).has("attachments")).isFalse();
        assertThat(SlackHeight.of(JSON.readTree(plan.get(1).json()))).isLessThanOrEqualTo(SlackHeight.SCREEN);
    }

    @Test
    void atTheThresholdEveryAlertIsPostedInFull() throws Exception {
        List<Notice.Alert> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(alert("b" + i, "create-policy-version-privesc", "arn:aws:iam::123456789012:user/bob", i, "HIGH"));
        }
        assertThat(BurstPlan.plan(batch, 3)).extracting(SlackMessage::alertIds)
                .containsExactly(List.of("b0"), List.of("b1"), List.of("b2"));
    }

    @Test
    void aHugeBurstIsOneScreenThatListsTheMostSevereAndCountsEveryOtherAlert() throws Exception {
        List<Notice.Alert> batch = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            batch.add(alert("b" + i, "hostile-put-role-policy", "arn:aws:sts::123456789012:assumed-role/tf/apply", i % 60, "HIGH"));
        }
        List<SlackMessage> plan = BurstPlan.plan(batch, 3);
        assertThat(plan).hasSize(2);
        List<String> ids = new ArrayList<>();
        plan.forEach(p -> ids.addAll(p.alertIds()));
        assertThat(ids).hasSize(600).doesNotHaveDuplicates();
        JsonNode digest = JSON.readTree(plan.get(1).json());
        JsonNode blocks = digest.get("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        blocks.forEach(b -> {
            if (b.has("text")) {
                assertThat(b.get("text").get("text").asText().length()).isLessThanOrEqualTo(SlackBlocks.SHOW_MORE);
            }
        });
        assertThat(SlackHeight.of(digest)).isLessThanOrEqualTo(SlackHeight.SCREEN);
        String text = text(plan.get(1).json());
        assertThat(text.lines().filter(l -> l.endsWith("|event>"))).hasSize(BurstPlan.DIGEST_LINES);
        assertThat(text).contains("*Listed here:* 599 (599 HIGH)", "_and 589 more (589 HIGH; `PutRolePolicy` ×589)_",
                "Every alert of the burst is also in its own e-mail and in the JSON on the topic.");
        assertThat(text).doesNotContain("<!channel>", "<https://evil");
    }
}
