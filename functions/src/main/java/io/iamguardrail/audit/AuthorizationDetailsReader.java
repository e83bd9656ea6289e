package io.iamguardrail.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the output of {@code aws iam get-account-authorization-details} (the file Cloudsplaining and Parliament
 * read) into an {@link AccountSnapshot}. Policy documents may be JSON objects (the CLI prints them decoded) or
 * strings (the raw API returns them URL-encoded; some tools store them as JSON text): all three are accepted.
 */
public final class AuthorizationDetailsReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LISTS = List.of("UserDetailList", "GroupDetailList", "RoleDetailList", "Policies");

    private AuthorizationDetailsReader() {
    }

    public static AccountSnapshot read(byte[] utf8, String where) throws AuthorizationDetailsException {
        JsonNode root;
        try {
            root = JSON.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw new AuthorizationDetailsException(where + ": expected JSON but found a syntax error at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AuthorizationDetailsException(where + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || LISTS.stream().noneMatch(root::has)) {
            throw new AuthorizationDetailsException(where + ": expected the output of `aws iam get-account-authorization-details`"
                    + " (an object with " + String.join(", ", LISTS) + ") but found "
                    + (root == null || root.isMissingNode() ? "nothing" : root.isObject() ? "none of these keys" : "a JSON " + root.getNodeType().name().toLowerCase()));
        }
        Cursor c = new Cursor(where);
        List<AccountSnapshot.Role> roles = new ArrayList<>();
        for (Item item : c.list(root, "RoleDetailList")) {
            JsonNode r = item.node();
            String at = item.at();
            Map<String, String> inline = inline(c, r, "RolePolicyList", at);
            roles.add(new AccountSnapshot.Role(c.text(r, "RoleName", at), c.text(r, "Arn", at), r.path("Path").asText("/"),
                    c.date(r.get("CreateDate"), at + ".CreateDate"),
                    c.document(r.get("AssumeRolePolicyDocument"), at + ".AssumeRolePolicyDocument").orElse(""),
                    inline, attached(c, r, at), boundary(r), c.date(r.path("RoleLastUsed").get("LastUsedDate"),
                    at + ".RoleLastUsed.LastUsedDate"), tags(c, r, at)));
        }
        List<AccountSnapshot.User> users = new ArrayList<>();
        for (Item item : c.list(root, "UserDetailList")) {
            JsonNode u = item.node();
            String at = item.at();
            List<String> groups = new ArrayList<>();
            u.path("GroupList").forEach(g -> groups.add(g.asText()));
            users.add(new AccountSnapshot.User(c.text(u, "UserName", at), c.text(u, "Arn", at), u.path("Path").asText("/"),
                    inline(c, u, "UserPolicyList", at), attached(c, u, at), groups, boundary(u), tags(c, u, at)));
        }
        List<AccountSnapshot.Group> groups = new ArrayList<>();
        for (Item item : c.list(root, "GroupDetailList")) {
            JsonNode g = item.node();
            groups.add(new AccountSnapshot.Group(c.text(g, "GroupName", item.at()), c.text(g, "Arn", item.at()),
                    inline(c, g, "GroupPolicyList", item.at()), attached(c, g, item.at())));
        }
        Map<String, AccountSnapshot.ManagedPolicy> policies = new LinkedHashMap<>();
        for (Item item : c.list(root, "Policies")) {
            JsonNode p = item.node();
            String at = item.at();
            String arn = c.text(p, "Arn", at);
            String defaultVersion = p.path("DefaultVersionId").asText("");
            Optional<String> document = Optional.empty();
            int i = 0;
            for (JsonNode v : p.path("PolicyVersionList")) {
                boolean isDefault = v.path("IsDefaultVersion").asBoolean(false)
                        || (!defaultVersion.isEmpty() && defaultVersion.equals(v.path("VersionId").asText()));
                if (isDefault) {
                    document = c.document(v.get("Document"), at + ".PolicyVersionList[" + i + "].Document");
                    if (defaultVersion.isEmpty()) {
                        defaultVersion = v.path("VersionId").asText("");
                    }
                }
                i++;
            }
            policies.put(arn, new AccountSnapshot.ManagedPolicy(arn, p.path("PolicyName").asText(arn.substring(arn.lastIndexOf('/') + 1)),
                    defaultVersion, document, p.path("AttachmentCount").asInt(0)));
        }
        return new AccountSnapshot(accountOf(roles, users, groups), roles, users, groups, policies);
    }

    /** The account id in the principals' ARNs. */
    static Optional<String> accountOf(List<AccountSnapshot.Role> roles, List<AccountSnapshot.User> users,
                                      List<AccountSnapshot.Group> groups) {
        List<String> arns = new ArrayList<>();
        roles.forEach(r -> arns.add(r.arn()));
        users.forEach(u -> arns.add(u.arn()));
        groups.forEach(g -> arns.add(g.arn()));
        for (String arn : arns) {
            String[] parts = arn.split(":", 6);
            if (parts.length == 6 && parts[4].matches("\\d{12}")) {
                return Optional.of(parts[4]);
            }
        }
        return Optional.empty();
    }

    /**
     * A policy document as a plain JSON string: an object is serialised; a string is URL-decoded unless it is
     * already JSON (URL-encoded JSON starts with {@code %7B}, never with a brace).
     */
    public static String decodeDocument(String text) {
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            return t;
        }
        return URLDecoder.decode(t, StandardCharsets.UTF_8);
    }

    private static Map<String, String> inline(Cursor c, JsonNode principal, String field, String at)
            throws AuthorizationDetailsException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Item item : c.list(principal, field, at)) {
            String name = c.text(item.node(), "PolicyName", item.at());
            out.put(name, c.document(item.node().get("PolicyDocument"), item.at() + ".PolicyDocument").orElse(""));
        }
        return out;
    }

    /** The principal's {@code Tags} ({@code [{"Key": .., "Value": ..}]}); none when the details leave them out. */
    private static Map<String, String> tags(Cursor c, JsonNode principal, String at) throws AuthorizationDetailsException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Item item : c.list(principal, "Tags", at)) {
            out.put(c.text(item.node(), "Key", item.at()), item.node().path("Value").asText(""));
        }
        return out;
    }

    private static List<String> attached(Cursor c, JsonNode principal, String at) throws AuthorizationDetailsException {
        List<String> out = new ArrayList<>();
        for (Item item : c.list(principal, "AttachedManagedPolicies", at)) {
            out.add(c.text(item.node(), "PolicyArn", item.at()));
        }
        return out;
    }

    private static Optional<String> boundary(JsonNode principal) {
        JsonNode arn = principal.path("PermissionsBoundary").get("PermissionsBoundaryArn");
        return arn == null || !arn.isTextual() || arn.asText().isBlank() ? Optional.empty() : Optional.of(arn.asText());
    }

    private record Item(JsonNode node, String at) {
    }

    /** Reads fields with JSON-path locations in every error. */
    private record Cursor(String where) {

        List<Item> list(JsonNode parent, String field) throws AuthorizationDetailsException {
            return list(parent, field, "$");
        }

        List<Item> list(JsonNode parent, String field, String at) throws AuthorizationDetailsException {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull()) {
                return List.of();
            }
            if (!n.isArray()) {
                throw error("expected an array at " + at + "." + field + " but found " + kind(n));
            }
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                if (!n.get(i).isObject()) {
                    if (n.get(i).isTextual() && field.equals("GroupList")) {
                        continue;
                    }
                    throw error("expected an object at " + at + "." + field + "[" + i + "] but found " + kind(n.get(i)));
                }
                out.add(new Item(n.get(i), at + "." + field + "[" + i + "]"));
            }
            return out;
        }

        String text(JsonNode parent, String field, String at) throws AuthorizationDetailsException {
            JsonNode n = parent.get(field);
            if (n == null || !n.isTextual() || n.asText().isBlank()) {
                throw error("expected a string at " + at + "." + field + " but found " + (n == null ? "nothing" : kind(n)));
            }
            return n.asText();
        }

        Optional<String> document(JsonNode n, String at) throws AuthorizationDetailsException {
            if (n == null || n.isNull()) {
                return Optional.empty();
            }
            if (n.isObject()) {
                return Optional.of(n.toString());
            }
            if (n.isTextual()) {
                try {
                    return Optional.of(decodeDocument(n.asText()));
                } catch (IllegalArgumentException e) {
                    throw error("expected a policy document (JSON or URL-encoded JSON) at " + at + " but found text"
                            + " that cannot be URL-decoded: " + e.getMessage());
                }
            }
            throw error("expected a policy document (an object or a string) at " + at + " but found " + kind(n));
        }

        Optional<Instant> date(JsonNode n, String at) throws AuthorizationDetailsException {
            if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
                return Optional.empty();
            }
            if (n.isNumber()) {
                // Some SDK dumps write epoch seconds.
                return Optional.of(Instant.ofEpochMilli((long) (n.asDouble() * 1000)));
            }
            try {
                return Optional.of(OffsetDateTime.parse(n.asText()).toInstant());
            } catch (DateTimeParseException e) {
                try {
                    return Optional.of(Instant.parse(n.asText()));
                } catch (DateTimeParseException e2) {
                    throw error("expected an ISO-8601 date at " + at + " but found `" + n.asText() + "`");
                }
            }
        }

        AuthorizationDetailsException error(String message) {
            return new AuthorizationDetailsException(where + ": " + message);
        }

        private static String kind(JsonNode n) {
            return n.isTextual() ? "the string `" + n.asText() + "`" : "a JSON " + n.getNodeType().name().toLowerCase();
        }
    }
}
