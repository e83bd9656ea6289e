package io.iamguardrail.notify;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Alert documents under {@code notify/alerts/}: the {@code default} JSON the evaluator published for sample events. */
final class Alerts {

    private Alerts() {
    }

    static String json(String name) {
        try (InputStream in = Alerts.class.getResourceAsStream("/notify/alerts/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no test alert notify/alerts/" + name + ".json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AlertDocument view(String name) {
        return AlertDocument.parse(json(name));
    }
}
