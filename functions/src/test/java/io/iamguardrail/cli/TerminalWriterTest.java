package io.iamguardrail.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What reaches the terminal when the CLI prints text that carries escape sequences or format characters. */
class TerminalWriterTest {

    static String through(String... writes) throws IOException {
        StringWriter sink = new StringWriter();
        try (TerminalWriter w = new TerminalWriter(sink)) {
            for (String s : writes) {
                w.write(s);
            }
        }
        return sink.toString();
    }

    @Test
    void escapeSequencesAndBidiOverridesArePrintedAsTheirEscapes() throws IOException {
        assertThat(through("role a\u001b[2Jb\u001b]0;title\u0007 \u202Eevil\n")).isEqualTo(
                "role a\\u001b[2Jb\\u001b]0;title\\u0007 \\u202eevil\n");
    }

    @Test
    void aCarriageReturnIsKeptOnlyAsPartOfALineBreak() throws IOException {
        assertThat(through("one\r\ntwo\rthree\r", "\nfour\r")).isEqualTo("one\r\ntwo\\rthree\r\nfour\\r");
    }

    @Test
    void aCharacterBeyondTheBmpIsJudgedWholeEvenWhenWrittenInTwoHalves() throws IOException {
        String tag = "\uDB40\uDC41"; // U+E0041, an invisible tag letter
        String lock = "\uD83D\uDD10"; // U+1F510, an emoji
        assertThat(through("a" + tag.charAt(0), tag.charAt(1) + "b")).isEqualTo("a\\udb40\\udc41b");
        assertThat(through("a" + lock.charAt(0), lock.charAt(1) + "b")).isEqualTo("a" + lock + "b");
        assertThat(through("lone\uD800")).isEqualTo("lone\\ud800");
    }

    @Test
    void jsonPrintedThroughItParsesToTheSameValues() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> value = Map.of("target", "role deploy\u202E\u200B\u2066x\u2069\u001b[2J\uDB40\uDC41");
        StringWriter sink = new StringWriter();
        int exit = Main.run(new String[] {"--version"}, new PrintWriter(sink), new PrintWriter(new StringWriter()));
        assertThat(exit).isZero();
        String printed = through(json.writeValueAsString(value));
        assertThat(printed).doesNotContain("\u202E", "\u001b", "\uDB40");
        assertThat(json.readValue(printed, Map.class)).isEqualTo(value);
        assertThat(sink.toString()).startsWith("iam-guardrail ");
    }
}
