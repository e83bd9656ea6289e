package io.iamguardrail.json;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Handlers write their answers and log lines by hand: a caller's text must stay one JSON string, read back as sent. */
class NodeWriterTest {

    @Test
    void aQuotedEventIdWithQuotesNewlinesAndControlCharactersReadsBackUnchangedOnOneLine() throws Exception {
        String hostile = "id\",\"messageId\":\"forged\"}\n{\"level\":\"INFO\\\t\r\u0000\u001b[31m\u202e";
        String line = "{\"eventId\":" + NodeWriter.quote(hostile) + "}";

        assertThat(line).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
        Node read = NodeReader.readJson(line);
        assertThat(read).isInstanceOf(Node.Obj.class);
        assertThat(((Node.Obj) read).fields()).containsOnlyKeys("eventId");
        assertThat(Node.scalarText(((Node.Obj) read).get("eventId"))).isEqualTo(hostile);
    }
}
