package io.iamguardrail.audit.organization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.organization.MemberAccount;

import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;

/**
 * What the audit function was asked, read from its input: one account of the organization, the list of accounts, the
 * roll-up of a date, or (anything else, such as the weekly schedule's event) the audit of its own account. A request
 * that names one of the organization's inputs but gets it wrong is refused with what was expected and where.
 */
public sealed interface AuditRequest {

    /** {@code {"account":"111122223333","name":"workloads-a","date":"2026-12-07"}}. */
    record Account(String account, String name, String date) implements AuditRequest {
    }

    /** {@code {"listAccounts":true}}. */
    record ListAccounts() implements AuditRequest {
    }

    /** {@code {"rollUp":{"date":"2026-12-07","accounts":[...]}}}: the accounts the map step named. */
    record RollUp(String date, List<MemberAccount> accounts) implements AuditRequest {
        public RollUp {
            accounts = List.copyOf(accounts);
        }
    }

    /** The schedule's event, or any input that names none of the above: the audit of the function's own account. */
    record OwnAccount() implements AuditRequest {
    }

    DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

    static AuditRequest read(byte[] input) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(input);
        } catch (IOException e) {
            // The schedule's input was never read: text that is not JSON still means the weekly audit.
            return new OwnAccount();
        }
        if (root == null || !root.isObject()) {
            return new OwnAccount();
        }
        if (root.has("rollUp")) {
            JsonNode r = root.path("rollUp");
            if (!r.isObject()) {
                throw bad("/rollUp", "an object with `date` and `accounts`", r);
            }
            List<MemberAccount> accounts = new ArrayList<>();
            JsonNode list = r.path("accounts");
            if (!list.isArray()) {
                throw bad("/rollUp/accounts", "the list of the map step's results", list);
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode a = list.get(i);
                // A failed map item is Step Functions' error object, without an account: the roll-up finds the
                // account missing from the organization's list instead.
                if (a.has("account")) {
                    accounts.add(new MemberAccount(account(a.path("account"), "/rollUp/accounts/" + i + "/account"),
                            a.path("name").asText("")));
                }
            }
            return new RollUp(date(r.path("date"), "/rollUp/date"), accounts);
        }
        if (root.has("listAccounts")) {
            if (!root.path("listAccounts").isBoolean() || !root.path("listAccounts").asBoolean()) {
                throw bad("/listAccounts", "true", root.path("listAccounts"));
            }
            return new ListAccounts();
        }
        if (root.has("account") && !root.has("detail-type")) {
            JsonNode name = root.path("name");
            if (!name.isMissingNode() && !name.isTextual()) {
                throw bad("/name", "the account's name (text)", name);
            }
            return new Account(account(root.path("account"), "/account"), name.asText(""),
                    date(root.path("date"), "/date"));
        }
        return new OwnAccount();
    }

    private static String account(JsonNode n, String at) {
        if (!n.isTextual() || !n.asText().matches("\\d{12}")) {
            throw bad(at, "a 12-digit account id (text)", n);
        }
        return n.asText();
    }

    private static String date(JsonNode n, String at) {
        if (n.isTextual()) {
            try {
                return LocalDate.parse(n.asText(), DATE).toString();
            } catch (DateTimeParseException e) {
                throw bad(at, "a date as yyyy-MM-dd", n);
            }
        }
        throw bad(at, "a date as yyyy-MM-dd", n);
    }

    private static IllegalArgumentException bad(String at, String expected, JsonNode found) {
        String shown = found.isMissingNode() ? "nothing" : "`" + found + "`";
        if (shown.length() > 80) {
            shown = shown.substring(0, 77) + "...`";
        }
        return new IllegalArgumentException("audit input: expected " + expected + " at " + at + " but found " + shown);
    }
}
