package io.iamguardrail.change;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.json.Node;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample of events/ decoded once into its typed change, by the row of the one table of event kinds. */
class ChangeDecoderTest {

    static final Path EVENTS = Path.of("../events");

    /** The CloudTrail samples, as the manifest lists them (the scheduled audit's event is not one). */
    static List<CloudTrailEvent> samples() throws IOException {
        List<CloudTrailEvent> out = new ArrayList<>();
        for (JsonNode entry : new ObjectMapper().readTree(EVENTS.resolve("manifest.json").toFile()).path("events")) {
            out.add(EventDecoder.decode(Files.readAllBytes(EVENTS.resolve(entry.path("file").asText()))).event()
                    .orElseThrow(() -> new AssertionError(entry.path("file").asText() + " is not a CloudTrail event")));
        }
        return out;
    }

    @Test
    void eachSampleIsReadByItsKindsRowAndEveryRecordIsSomeSamplesReading() throws IOException {
        Set<Class<?>> produced = new HashSet<>();
        for (CloudTrailEvent e : samples()) {
            IamChange change = ChangeDecoder.decode(e);
            produced.add(change.getClass());
            Optional<EventKind> kind = EventKind.named(e.eventName());
            if (kind.isPresent() && !(change instanceof IamChange.Unlisted)) {
                assertThat(change.kind()).as(e.eventName()).contains(kind.get());
            }
        }
        Set<Class<?>> records = new HashSet<>();
        collect(IamChange.class, records);
        assertThat(produced).as("records no sample of events/ decodes to").containsAll(records);
    }

    private static void collect(Class<?> sealed, Set<Class<?>> records) {
        for (Class<?> c : sealed.getPermittedSubclasses()) {
            if (c.isRecord()) {
                records.add(c);
            } else {
                collect(c, records);
            }
        }
    }

    @Test
    void theSameNameFromAnotherServiceIsNotTheTablesCall() throws IOException {
        // CloudWatch Logs has a PutResourcePolicy too: without a secret it is not Secrets Manager's call.
        CloudTrailEvent logs = samples().stream().filter(e -> e.eventName().equals("PutResourcePolicy")).findFirst()
                .orElseThrow();
        assertThat(ChangeDecoder.decode(logs)).isInstanceOf(IamChange.ResourcePolicySet.class);
        CloudTrailEvent cloudWatchLogs = new CloudTrailEvent(logs.eventId(), "PutResourcePolicy", logs.eventTime(),
                logs.account(), logs.errorCode(), logs.errorMessage(), logs.actor(), new Node.Obj(Map.of(), logs.requestParameters().at()),
                logs.responseElements(), logs.recipientAccountId(), logs.eventSource(), logs.fingerprint());

        assertThat(ChangeDecoder.decode(cloudWatchLogs)).isInstanceOf(IamChange.Unlisted.class);
    }

    @Test
    void aGroupPolicyChangesTheGroupAndAMembershipTheUser() throws IOException {
        for (CloudTrailEvent e : samples()) {
            IamChange change = ChangeDecoder.decode(e);
            if (e.eventName().endsWith("GroupPolicy")) {
                assertThat(change.principal()).as(e.eventName())
                        .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(PrincipalRef.Kind.GROUP));
            }
            if (e.eventName().equals("AddUserToGroup") || e.eventName().equals("RemoveUserFromGroup")) {
                assertThat(change.principal()).as(e.eventName())
                        .hasValueSatisfying(p -> assertThat(p.kind()).isEqualTo(PrincipalRef.Kind.USER));
            }
        }
    }
}
