package io.iamguardrail.event;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReadException;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.json.NodeWriter;
import io.iamguardrail.json.SourceLocation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Decodes an EventBridge "AWS API Call via CloudTrail" event, or a bare CloudTrail record, tolerantly: unknown fields
 * are ignored, missing ones become empty. Only what makes the event meaningless (not JSON, no event name) is an error.
 */
public final class EventDecoder {

    /**
     * EventBridge delivers events of at most 256 KB: anything larger came from elsewhere (a direct invoke can carry
     * 6 MB) and is refused before it is parsed.
     */
    public static final int MAX_BYTES = 256 * 1024;

    /** The decoded event, or why it could not be decoded. */
    public record Decoded(Optional<CloudTrailEvent> event, Optional<String> error) {
        static Decoded error(String message) {
            return new Decoded(Optional.empty(), Optional.of(message));
        }
    }

    private EventDecoder() {
    }

    public static Decoded decode(byte[] utf8) {
        if (utf8.length > MAX_BYTES) {
            return Decoded.error("expected an event of at most " + MAX_BYTES + " bytes (the EventBridge limit) but"
                    + " found " + utf8.length + " bytes: not an event EventBridge can deliver");
        }
        Node root;
        try {
            root = NodeReader.readJson(utf8);
        } catch (NodeReadException e) {
            return Decoded.error(e.at() + ": " + e.getMessage());
        }
        if (!(root instanceof Node.Obj envelope)) {
            return Decoded.error("expected an EventBridge event (a JSON object) but found " + root.kind());
        }
        Node.Obj detail = envelope.get("detail") instanceof Node.Obj d ? d : envelope;
        Optional<String> name = CloudTrailEvent.text(detail.get("eventName"));
        if (name.isEmpty()) {
            return Decoded.error("expected `detail.eventName` but the event has none");
        }
        Node.Obj identity = object(detail.get("userIdentity"));
        Node.Obj session = object(identity.get("sessionContext"));
        Node.Obj issuer = object(session.get("sessionIssuer"));
        Node.Obj attributes = object(session.get("attributes"));
        Optional<String> type = CloudTrailEvent.text(identity.get("type"));
        Optional<String> userName = CloudTrailEvent.text(identity.get("userName"));
        if (type.orElse("").equals("AssumedRole")) {
            userName = Optional.empty(); // userName of an assumed role is the session issuer's role name, not a user
        }
        Actor actor = new Actor(type.orElse("Unknown"), CloudTrailEvent.text(identity.get("arn")),
                CloudTrailEvent.text(identity.get("accountId")), userName,
                CloudTrailEvent.text(issuer.get("arn")), CloudTrailEvent.text(identity.get("invokedBy")),
                CloudTrailEvent.text(attributes.get("mfaAuthenticated")).map("true"::equalsIgnoreCase).orElse(false),
                CloudTrailEvent.text(detail.get("sourceIPAddress")), CloudTrailEvent.text(detail.get("userAgent")));
        String eventId = CloudTrailEvent.text(detail.get("eventID"))
                .or(() -> CloudTrailEvent.text(envelope.get("id")))
                .orElse("unidentified-" + Integer.toHexString(Arrays.hashCode(utf8)));
        Optional<String> account = CloudTrailEvent.text(envelope == detail ? null : envelope.get("account"))
                .or(() -> CloudTrailEvent.text(detail.get("recipientAccountId")))
                .or(actor::accountId);
        return new Decoded(Optional.of(new CloudTrailEvent(eventId, name.get(),
                CloudTrailEvent.text(detail.get("eventTime")), account,
                CloudTrailEvent.text(detail.get("errorCode")), CloudTrailEvent.text(detail.get("errorMessage")), actor,
                object(detail.get("requestParameters")), object(detail.get("responseElements")),
                CloudTrailEvent.text(detail.get("recipientAccountId")), CloudTrailEvent.text(detail.get("eventSource")),
                fingerprint(detail))), Optional.empty());
    }

    /** The first 16 hex digits of the SHA-256 of the detail as written back: enough to tell two contents apart. */
    static String fingerprint(Node.Obj detail) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(NodeWriter.toJson(detail).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static Node.Obj object(Node n) {
        return n instanceof Node.Obj o ? o : new Node.Obj(Map.of(), n == null ? SourceLocation.UNKNOWN : n.at());
    }
}
