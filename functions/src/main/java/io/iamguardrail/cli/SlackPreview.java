package io.iamguardrail.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.notify.AlertDocument;
import io.iamguardrail.notify.BurstPlan;
import io.iamguardrail.notify.Notice;
import io.iamguardrail.notify.SlackHeight;
import io.iamguardrail.notify.SlackMessage;
import io.iamguardrail.notify.SlackRenderer;
import io.iamguardrail.pipeline.Alert;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code replay --format slack}: the Slack messages the notifier would post for the replayed alerts, offline. The
 * alerts are grouped as the notifier groups one batch ({@link BurstPlan}), so a burst shows as its full message and
 * its digest. One JSON object a line per message: the payload as posted, a Block Kit Builder link that previews it in
 * a browser (the payload is in the link's fragment, which the browser does not send to any server), the alerts it
 * carries, and its estimated height against one screen ({@link SlackHeight}).
 */
final class SlackPreview {

    static final String BUILDER = "https://app.slack.com/block-kit-builder/#";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackPreview() {
    }

    /** One line per message; nothing when no event raised an alert. */
    static void print(List<ReplayCommand.Replayed> replayed, int burstThreshold, PrintWriter out) {
        List<Notice.Alert> alerts = new ArrayList<>();
        Map<String, String> sources = new HashMap<>();
        Map<String, AlertDocument> documents = new HashMap<>();
        int n = 0;
        for (ReplayCommand.Replayed r : replayed) {
            Optional<AlertDocument> document = r.outcome().alert().flatMap(Alert::document);
            if (document.isPresent()) {
                String id = "alert-" + ++n;
                sources.put(id, r.source());
                documents.put(id, document.get());
                alerts.add(new Notice.Alert(id, document.get()));
            }
        }
        for (SlackMessage m : BurstPlan.plan(alerts, burstThreshold)) {
            JsonNode payload = read(m.json());
            ObjectNode line = JSON.createObjectNode();
            // A message that is not the alert's own rendering is the digest of a burst.
            boolean full = m.alertIds().size() == 1 && m.json().equals(SlackRenderer.render(documents.get(m.alertIds().get(0))));
            line.put("kind", full ? "alert" : "burst digest");
            m.alertIds().forEach(id -> line.withArray("sources").add(sources.get(id)));
            line.put("blocks", payload.path("blocks").size());
            line.put("estimatedHeightPx", SlackHeight.of(payload));
            line.put("screenPx", SlackHeight.SCREEN);
            line.put("blockKitBuilder", builderLink(payload));
            line.set("payload", payload);
            out.println(line);
        }
    }

    /** The Block Kit Builder's URL for the message: {@code {"blocks":[...]}}, percent-encoded, in the fragment. */
    static String builderLink(JsonNode payload) {
        ObjectNode blocks = JSON.createObjectNode();
        blocks.set("blocks", payload.path("blocks"));
        return BUILDER + URLEncoder.encode(blocks.toString(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the Slack renderer wrote a message that is not JSON: " + e.getMessage(), e);
        }
    }
}
