package io.iamguardrail.fuzz;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Decision;
import io.iamguardrail.decision.Verdict;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.pipeline.DecisionLog;
import io.iamguardrail.pipeline.EventEvaluator;
import io.iamguardrail.pipeline.EventLedger;
import io.iamguardrail.pipeline.GuardrailService;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import io.iamguardrail.state.OfflineState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutations of the real sample events (truncated anywhere, a byte replaced by an invalid UTF-8 sequence, a value
 * swapped for one of the wrong type) and inputs too big for the fuzzer's few kilobytes (multi-megabyte strings, two
 * million values, deep nesting): always a decision or a located error that says what was expected, never an
 * exception, and the size limits hold before the work is done.
 */
class HostileInputPropertiesTest {

    private static final List<byte[]> EVENTS = samples();
    private static final GuardrailService OFFLINE = new GuardrailService(
            new EventEvaluator(new OfflineState(ManagedPolicySnapshot.bundled()), GuardrailConfig.defaults(), Optional.empty()),
            alert -> "offline", EventLedger.NONE, DecisionLog.silent(), () -> 0);

    private static List<byte[]> samples() {
        try (Stream<Path> files = Files.list(Path.of("../events"))) {
            return files.filter(p -> p.toString().endsWith(".json") && !p.endsWith("manifest.json")).sorted()
                    .map(p -> {
                        try {
                            return Files.readAllBytes(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<byte[]> sample() {
        return Arbitraries.of(EVENTS);
    }

    @Property(tries = 300)
    void aTruncatedEventIsAnErrorThatSaysWhereItEnds(@ForAll("sample") byte[] event, @ForAll double fraction) {
        int cut = (int) (Math.abs(fraction % 1.0) * (event.length - 2)) + 1;
        String text = new String(event, StandardCharsets.UTF_8);
        int end = text.offsetByCodePoints(0, Math.min(text.codePointCount(0, text.length()) - 1,
                text.codePointCount(0, Math.min(cut, text.length()))));
        Decision d = OFFLINE.process(text.substring(0, end).getBytes(StandardCharsets.UTF_8), "truncated").decision();
        assertThat(d.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(d.reason()).matches("malformed event: .*\\(line \\d+, column \\d+\\): expected .*");
    }

    @Property(tries = 300)
    void invalidUtf8AnywhereInAStringIsAnErrorNotAReplacementCharacter(@ForAll("sample") byte[] event, @ForAll int where) {
        // Inside a string value: a lone continuation byte where a character should start.
        String text = new String(event, StandardCharsets.UTF_8);
        int quote = text.indexOf("\":\"", Math.floorMod(where, text.length()));
        if (quote < 0) {
            quote = text.indexOf("\":\"");
        }
        byte[] prefix = text.substring(0, quote + 3).getBytes(StandardCharsets.UTF_8);
        byte[] suffix = text.substring(quote + 3).getBytes(StandardCharsets.UTF_8);
        byte[] mutated = new byte[prefix.length + 1 + suffix.length];
        System.arraycopy(prefix, 0, mutated, 0, prefix.length);
        mutated[prefix.length] = (byte) 0x80;
        System.arraycopy(suffix, 0, mutated, prefix.length + 1, suffix.length);
        Decision d = OFFLINE.process(mutated, "utf8").decision();
        assertThat(d.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(d.reason()).contains("expected UTF-8 text but found an invalid byte sequence");
    }

    @Property(tries = 300)
    void aValueOfTheWrongTypeIsToleratedOrAnErrorNeverACrash(@ForAll("sample") byte[] event, @ForAll int where,
                                                             @ForAll("wrongValues") String replacement) {
        String text = new String(event, StandardCharsets.UTF_8);
        int quote = text.indexOf("\": \"", Math.floorMod(where, text.length()));
        if (quote < 0) {
            return;
        }
        int end = text.indexOf('"', quote + 4);
        String mutated = text.substring(0, quote + 3) + replacement + text.substring(end + 1);
        Decision d = OFFLINE.process(mutated.getBytes(StandardCharsets.UTF_8), "typed").decision();
        assertThat(d.reason()).doesNotStartWith("evaluation failed");
        if (d.verdict() == Verdict.ERROR) {
            assertThat(d.reason()).startsWith("malformed event: ").contains("expected");
        }
    }

    @Provide
    Arbitrary<String> wrongValues() {
        return Arbitraries.of("null", "42", "-1e309", "true", "[]", "[\"a\",{}]", "{}", "{\"a\":{\"b\":[null]}}",
                "\"\"", "\"\\u0000\"", "\"" + "x".repeat(70_000) + "\"", "[" + "[".repeat(200) + "]".repeat(200) + "]");
    }

    @Example
    void anEventOverEventBridgesLimitIsRefusedBeforeItIsParsed() {
        // Unparseable past its first byte: refused on its size alone, not after reading 300 KB of JSON.
        byte[] big = ("{" + " ".repeat(EventDecoder.MAX_BYTES)).getBytes(StandardCharsets.UTF_8);
        Decision d = OFFLINE.process(big, "big").decision();
        assertThat(d.reason()).isEqualTo("malformed event: expected an event of at most 262144 bytes (the EventBridge"
                + " limit) but found " + big.length + " bytes: not an event EventBridge can deliver");
    }

    @Example
    void aMultiMegabyteStringIsALocatedLimitError() {
        String huge = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\""
                + "a".repeat(NodeReader.MAX_STRING_LENGTH + 1) + "\",\"Resource\":\"*\"}]}";
        ParseResult r = PolicyParser.parse(huge, PolicyKind.IDENTITY);
        assertThat(r.document()).isEmpty();
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.message()).startsWith("expected a document within the size limits but").contains("String value length");
            assertThat(d.at().line()).isEqualTo(1);
        });
        // Just under the limit it is read, and judged: an unknown action, not a crash.
        String large = huge.replace("a".repeat(NodeReader.MAX_STRING_LENGTH + 1), "s3:" + "a".repeat(3 * 1024 * 1024));
        assertThat(PolicyParser.parse(large, PolicyKind.IDENTITY).document()).isPresent();
    }

    @Example
    void twoMillionValuesAreTheMostADocumentMayHold() {
        StringBuilder sb = new StringBuilder((int) NodeReader.MAX_NODES * 2 + 8).append('[');
        for (long i = 0; i < NodeReader.MAX_NODES; i++) {
            sb.append("0,");
        }
        sb.append("0]");
        NodeReadException e = org.junit.jupiter.api.Assertions.assertThrows(NodeReadException.class,
                () -> NodeReader.readJson(sb.toString()));
        assertThat(e.getMessage()).isEqualTo("expected at most 2000000 values but the document has more");
        assertThat(e.at().pointer()).isEqualTo("/1999999");
    }

    @Example
    void deepNestingStopsAtTheDepthLimitWithItsLocation() {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        NodeReadException e = org.junit.jupiter.api.Assertions.assertThrows(NodeReadException.class,
                () -> NodeReader.readJson(deep));
        assertThat(e.getMessage()).startsWith("expected a document within the size limits but").contains("depth");
        assertThat(e.at().line()).isEqualTo(1);
        assertThat(e.at().column()).isLessThanOrEqualTo(5 * (NodeReader.MAX_DEPTH + 2));
    }

    @Example
    void duplicateKeysInAnEventAreRefusedWithTheKey() {
        String event = new String(EVENTS.get(0), StandardCharsets.UTF_8).replaceFirst("\"eventName\"",
                "\"eventName\": \"DeleteRolePolicy\", \"eventName\"");
        Decision d = OFFLINE.process(event.getBytes(StandardCharsets.UTF_8), "dup").decision();
        assertThat(d.reason()).matches("malformed event: /detail/eventName \\(line \\d+, column \\d+\\): expected unique"
                + " keys but `eventName` appears twice");
    }
}
