package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlackRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode render(String alert) throws Exception {
        return JSON.readTree(SlackRenderer.render(Alerts.view(alert)));
    }

    static JsonNode blocks(JsonNode message) {
        return message.get("blocks");
    }

    static List<String> fields(JsonNode block) {
        List<String> out = new ArrayList<>();
        block.get("fields").forEach(f -> out.add(f.get("text").asText()));
        return out;
    }

    /** Every mrkdwn and plain text of a message: what Slack will parse. */
    static List<String> texts(JsonNode message) {
        List<String> out = new ArrayList<>();
        out.add(message.get("text").asText());
        for (JsonNode b : blocks(message)) {
            if (b.has("text")) {
                out.add(b.get("text").get("text").asText());
            }
            b.path("fields").forEach(f -> out.add(f.get("text").asText()));
            b.path("elements").forEach(e -> out.add(e.get("text").asText()));
        }
        return out;
    }

    @Test
    void aTrustOpenToAnyoneIsACriticalMessageWithWhoWhatFixAndLinks() throws Exception {
        JsonNode m = render("update-assume-role-policy-any-principal");
        assertThat(m.get("text").asText()).startsWith("CRITICAL: bob UpdateAssumeRolePolicy on role ops-admin trust policy");
        // Top-level blocks, no legacy attachment: the severity is the header's emoji.
        assertThat(m.has("attachments")).isFalse();
        JsonNode blocks = blocks(m);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo(":rotating_light: CRITICAL · Role assumable by any AWS principal");
        // Who, what and where: the principal and the policy as two facts, not one composite target.
        assertThat(fields(blocks.get(1))).containsExactly("*Who:* `bob` · *no MFA*",
                "*Event:* `UpdateAssumeRolePolicy` · 2026-11-28T15:05:07Z", "*Principal:* role `ops-admin`",
                "*Policy:* trust policy", "*Account:* `123456789012`", "*From:* `198.51.100.12` · `aws-cli/2.22.4 ua/2.0…`");
        assertThat(blocks.get(2).get("text").get("text").asText()).isEqualTo("""
                :rotating_light: *CRITICAL* · *Role assumable by any AWS principal* `TRUST_ANY_PRINCIPAL`
                statement #1 lets any AWS principal (`*`) assume the role
                *Fix:* Name the principals that may assume the role; if a wildcard is unavoidable, add aws:PrincipalOrgID or aws:PrincipalAccount conditions.""");
        assertThat(blocks.get(3).get("text").get("text").asText())
                .isEqualTo("*Remediation:* none (ALERT mode): review and fix as each finding says");
        assertThat(texts(m)).anyMatch(t -> t.startsWith("_Notes:_ live state of role ops-admin could not be read"));
        JsonNode links = blocks.get(blocks.size() - 1);
        assertThat(links.get("type").asText()).isEqualTo("context");
        assertThat(links.get("elements").get(0).get("text").asText()).isEqualTo(
                "<https://console.aws.amazon.com/iam/home#/roles/details/ops-admin|IAM console: role ops-admin> · "
                        + "<https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/"
                        + "ae97ba94-d0ed-482f-8f6d-05584ef8aa38|CloudTrail event ae97ba94-d0ed-482f-8f6d-05584ef8aa38>");
    }

    @Test
    void anAssumedRoleSessionIsNamedWithItsRole() throws Exception {
        JsonNode m = render("create-role-github-oidc-no-sub");
        assertThat(texts(m)).contains("*Who:* `alice@example.com (AWSReservedSSO_AdministratorAccess_8d3f1c2a9b4e7f60)` · MFA",
                "*Principal:* role `github-deploy-prod`");
        assertThat(texts(m)).anyMatch(t -> t.contains("|IAM console: role github-deploy-prod>"));
    }

    @Test
    void aPolicyChangeLinksToThePolicyPageAndShowsWhatIsNew() throws Exception {
        JsonNode m = render("create-policy-version-privesc");
        assertThat(texts(m)).anyMatch(t -> t.contains("<https://console.aws.amazon.com/iam/home#/policies/details/"
                + "arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fdeveloper-tools|IAM console: policy developer-tools>"));
    }

    @Test
    void whatIsNewIsListed() throws Exception {
        var alert = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Alerts.json("create-policy-version-privesc"));
        alert.putArray("newAccess").add("iam:CreatePolicyVersion on *").add("iam:SetDefaultPolicyVersion on *");
        JsonNode m = JSON.readTree(SlackRenderer.render(AlertDocument.parse(alert.toString())));
        assertThat(texts(m)).contains("*What is new:*\n• iam:CreatePolicyVersion on *\n• iam:SetDefaultPolicyVersion on *");
    }

    @Test
    void hostileNamesPolicyTextAndUserAgentCannotMentionLinkOrPing() throws Exception {
        JsonNode m = render("hostile-put-role-policy");
        List<String> texts = texts(m);
        String all = String.join("\n", texts);
        assertThat(all).doesNotContain("<!channel>", "<!here>", "<@U024BE7LH>", "<https://evil", "|click>", "|this>");
        assertThat(all).contains("*Principal:* role `&lt;!channel&gt;`",
                "*Policy:* inline `&lt;https://evil.example/login|click here&gt; &amp;amp; more`");
        assertThat(all).contains("s3:Get&lt;https://evil.example|click&gt;&amp;amp;&lt;!channel&gt;");
        assertThat(all).contains("`&lt;!channel&gt; please app…`");
        // The only <...> left are the guardrail's own links to the AWS console.
        Matcher links = Pattern.compile("<([^>]*)>").matcher(all);
        int count = 0;
        while (links.find()) {
            count++;
            assertThat(links.group(1)).matches("https://(us-east-1\\.)?console\\.aws\\.amazon\\.com/[^|<> ]+\\|[^<>]+");
        }
        assertThat(count).isEqualTo(2);
        assertThat(all).contains("<https://console.aws.amazon.com/iam/home#/roles/details/%3C%21channel%3E|IAM console: role &lt;!channel&gt;>");
    }

    @Test
    void anActionTakenShowsItsOutcomeAndTheUndoUnderTheFold() throws Exception {
        JsonNode m = render("attach-role-policy-admin-remediated");
        assertThat(texts(m)).contains(
                "*Remediation:* DONE (REMEDIATE mode) · detached AdministratorAccess from role ci-runner", """
                *Undo* (backup `bk-2026-11-28T15-04-12Z-ci-runner`):
                ```iam-guardrail restore bk-2026-11-28T15-04-12Z-ci-runner
                aws iam attach-role-policy --role-name ci-runner --policy-arn arn:aws:iam::aws:policy/AdministratorAccess```""");
    }

    @Test
    void anUndoCommandIsShownWholeOrCountedNeverCut() {
        Remediation r = new Remediation(Optional.empty(), Optional.of("REMEDIATE"), Optional.of("DONE"),
                Optional.of("DONE: deleted the inline policy p of role r"), List.of(), Optional.of("evt/1"),
                Optional.of("java -jar iam-guardrail.jar restore 'evt/1' --backup-bucket b"),
                List.of("aws iam put-role-policy --role-name r --policy-name p --policy-document '" + "x".repeat(600) + "'"),
                Optional.empty());
        assertThat(SlackRenderer.undo(r)).contains("*Undo* (backup `evt/1`):\n"
                + "```java -jar iam-guardrail.jar restore 'evt/1' --backup-bucket b```\n_and 1 more in the e-mail_");
    }

    @Test
    void aPlanInAlertModeOffersNoUndoAndSaysTheModeOnce() throws Exception {
        var alert = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Alerts.json("attach-role-policy-admin"));
        alert.putObject("remediation").put("mode", "ALERT").put("status", "PLANNED")
                .put("summary", "ALERT mode: REMEDIATE mode would detach arn:aws:iam::aws:policy/AdministratorAccess from role ci-runner")
                .putObject("undo").putArray("aws").add("aws iam attach-role-policy --role-name ci-runner"
                        + " --policy-arn arn:aws:iam::aws:policy/AdministratorAccess");
        JsonNode m = JSON.readTree(SlackRenderer.render(AlertDocument.parse(alert.toString())));
        assertThat(texts(m)).contains("*Remediation:* PLANNED · ALERT mode: REMEDIATE mode would detach"
                + " arn:aws:iam::aws:policy/AdministratorAccess from role ci-runner");
        String all = String.join("\n", texts(m));
        assertThat(all).doesNotContain("Undo", "aws iam attach-role-policy");
        assertThat(all.split("ALERT mode", -1)).hasSize(2);
        String email = EmailRenderer.render(AlertDocument.parse(alert.toString()));
        assertThat(email).contains("Remediation: PLANNED\n  ALERT mode: REMEDIATE mode would detach").doesNotContain("Undo");
    }

    @Test
    void aFailedRemediationLeadsTheHeaderAndListsItsActions() throws Exception {
        JsonNode m = render("create-role-github-oidc-no-sub-remediation-failed");
        assertThat(blocks(m).get(0).get("text").get("text").asText()).startsWith(":rotating_light: CRITICAL · Remediation FAILED · ");
        assertThat(texts(m)).contains("*Remediation:* FAILED\n• FAILED `QUARANTINE`: AccessDenied on iam:PutRolePolicy");
    }

    @Test
    void longContentIsCutWithinSlackLimitsWithAVisibleMarker() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        var alert = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(Alerts.json("hostile-put-role-policy"));
        var findings = alert.withArray("findings");
        var template = findings.get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) template).put("message", "&".repeat(5000));
        for (int i = 0; i < 40; i++) {
            findings.add(template.deepCopy());
        }
        alert.withArray("notes").add("<".repeat(10_000));
        alert.put("target", "role " + "x".repeat(3000));
        alert.putObject("findingsNotShown").put("UNKNOWN_ACTION", 975);
        JsonNode m = mapper.readTree(SlackRenderer.render(AlertDocument.parse(alert.toString())));
        JsonNode blocks = blocks(m);
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        int full = 0;
        for (JsonNode b : blocks) {
            if (b.get("type").asText().equals("header")) {
                assertThat(b.get("text").get("text").asText().length()).isLessThanOrEqualTo(150);
            } else if (b.has("text")) {
                assertThat(b.get("text").get("text").asText().length()).isLessThanOrEqualTo(SlackBlocks.SHOW_MORE);
                full += b.get("text").get("text").asText().contains("*Fix:*") ? 1 : 0;
            }
            b.path("fields").forEach(f -> assertThat(f.get("text").asText().length()).isLessThanOrEqualTo(2000));
        }
        assertThat(SlackHeight.of(m)).isLessThanOrEqualTo(SlackHeight.SCREEN);
        String all = String.join("\n", texts(m));
        assertThat(all).contains(Mrkdwn.CUT);
        // Every finding is in full, on a line, or counted: 41 listed in the alert and 975 counted by rule.
        long lines = all.lines().filter(l -> l.matches(":[a-z_]+: \\*[A-Z]+\\* · [^*].* `[A-Z_]+`")).count();
        Matcher counted = Pattern.compile("_and (\\d+) more findings \\((.*)\\) in the e-mail and the JSON alert_").matcher(all);
        assertThat(counted.find()).as(all).isTrue();
        assertThat(counted.group(2)).contains("`UNKNOWN_ACTION` ×975");
        assertThat(full).isBetween(1, 3);
        assertThat(full + lines + Long.parseLong(counted.group(1))).isEqualTo(42 + 975);
        // A cut never leaves half an entity behind.
        assertThat(all).doesNotContainPattern("&(a|am|l|g)?" + Pattern.quote(Mrkdwn.CUT));
    }

    @Test
    void aMessageThatIsNotAnAlertIsRejectedWithTheReason() {
        assertThatThrownBy(() -> AlertDocument.parse("{\"schema\":\"other/1\"}")).hasMessage(
                "expected an alert of schema `iam-guardrail/alert/1` but found schema `other/1`");
        assertThatThrownBy(() -> AlertDocument.parse("{\"schema\": ")).hasMessageStartingWith(
                "expected the alert JSON (iam-guardrail/alert/1) but the message is not JSON:");
    }

    @Test
    void escapingCoversTheThreeControlCharactersAndCutsOnEntityBoundaries() {
        assertThat(Mrkdwn.escape("<!channel> & <@U1|x>")).isEqualTo("&lt;!channel&gt; &amp; &lt;@U1|x&gt;");
        assertThat(Mrkdwn.code("a`b<c>")).isEqualTo("`a'b&lt;c&gt;`");
        String cut = Mrkdwn.escape("ab&&&&&&&&", 20);
        assertThat(cut).hasSizeLessThanOrEqualTo(20).endsWith(Mrkdwn.CUT).startsWith("ab&amp;");
        assertThat(cut.substring(0, cut.length() - Mrkdwn.CUT.length())).matches("ab(&amp;)*");
        assertThatThrownBy(() -> Mrkdwn.link("https://x/|y", "z")).isInstanceOf(IllegalArgumentException.class);
    }
}
