package io.iamguardrail.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
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
        return message.get("attachments").get(0).get("blocks");
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
        assertThat(m.get("attachments").get(0).get("color").asText()).isEqualTo("#B71C1C");
        JsonNode blocks = blocks(m);
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo(":rotating_light: CRITICAL · IAM change by bob");
        assertThat(blocks.get(1).get("text").get("text").asText()).isEqualTo(
                "`bob` ran `UpdateAssumeRolePolicy` on `role ops-admin trust policy`: *Role assumable by any AWS principal*");
        List<String> who = new ArrayList<>();
        blocks.get(2).get("fields").forEach(f -> who.add(f.get("text").asText()));
        assertThat(who).containsExactly("*Who*\n`arn:aws:iam::123456789012:user/bob`", "*Type · MFA*\nIAMUser · *no MFA*",
                "*Source IP*\n`198.51.100.12`",
                "*User agent*\n`aws-cli/2.22.4 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.7`");
        List<String> what = new ArrayList<>();
        blocks.get(3).get("fields").forEach(f -> what.add(f.get("text").asText()));
        assertThat(what).containsExactly("*Event*\n`UpdateAssumeRolePolicy`", "*Target*\n`role ops-admin trust policy`",
                "*Account*\n`123456789012`", "*Time*\n2026-11-28T15:05:07Z");
        assertThat(blocks.get(4).get("type").asText()).isEqualTo("divider");
        String finding = blocks.get(5).get("text").get("text").asText();
        assertThat(finding).startsWith(":rotating_light: *CRITICAL* `TRUST_ANY_PRINCIPAL` Role assumable by any AWS principal\n")
                .contains("*Why:* statement #1 lets any AWS principal (`*`) assume the role")
                .contains("*Fix:* Name the principals that may assume the role");
        assertThat(texts(m)).anyMatch(t -> t.startsWith("*Notes*\n• live state of role ops-admin could not be read"));
        JsonNode links = blocks.get(blocks.size() - 1);
        assertThat(links.get("type").asText()).isEqualTo("context");
        assertThat(links.get("elements").get(0).get("text").asText()).isEqualTo(
                "<https://console.aws.amazon.com/iam/home#/roles/details/ops-admin|IAM console: role ops-admin> · "
                        + "<https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/"
                        + "ae97ba94-d0ed-482f-8f6d-05584ef8aa38|CloudTrail event ae97ba94-d0ed-482f-8f6d-05584ef8aa38>");
        assertThat(texts(m)).anyMatch(t -> t.startsWith("*Remediation*: none (ALERT mode)"));
    }

    @Test
    void anAssumedRoleSessionIsNamedWithItsRoleAndIssuer() throws Exception {
        JsonNode m = render("create-role-github-oidc-no-sub");
        JsonNode blocks = blocks(m);
        assertThat(blocks.get(0).get("text").get("text").asText())
                .isEqualTo(":rotating_light: CRITICAL · IAM change by alice@example.com (AWSReservedSSO_AdministratorAccess_8d3f1c2a9b4e7f60)");
        assertThat(texts(m)).contains("*Type · MFA*\nAssumedRole · MFA");
        assertThat(texts(m)).anyMatch(t -> t.startsWith("*Session issuer*\n`arn:aws:iam::123456789012:role/"));
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
        assertThat(texts(m)).contains("*What is new*\n• iam:CreatePolicyVersion on *\n• iam:SetDefaultPolicyVersion on *");
    }

    @Test
    void hostileNamesPolicyTextAndUserAgentCannotMentionLinkOrPing() throws Exception {
        JsonNode m = render("hostile-put-role-policy");
        List<String> texts = texts(m);
        String all = String.join("\n", texts);
        assertThat(all).doesNotContain("<!channel>", "<!here>", "<@U024BE7LH>", "<https://evil", "|click>", "|this>");
        assertThat(all).contains("`role &lt;!channel&gt; inline policy &lt;https://evil.example/login|click here&gt; &amp;amp; more`");
        assertThat(all).contains("s3:Get&lt;https://evil.example|click&gt;&amp;amp;&lt;!channel&gt;");
        assertThat(all).contains("`&lt;!channel&gt; please approve &lt;https://evil.example|this&gt; &amp;lt;b&amp;gt;`");
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
    void anObjectRemediationShowsStatusActionsBackupAndUndo() throws Exception {
        JsonNode m = render("attach-role-policy-admin-remediated");
        assertThat(texts(m)).contains("""
                *Remediation*: DONE (REMEDIATE mode)
                detached AdministratorAccess from role ci-runner
                • DONE `DETACH_POLICY` `arn:aws:iam::aws:policy/AdministratorAccess`: detached from role ci-runner; verified by re-reading the role
                *Backup:* `bk-2026-11-28T15-04-12Z-ci-runner`
                *Undo:*
                ```iam-guardrail restore bk-2026-11-28T15-04-12Z-ci-runner
                aws iam attach-role-policy --role-name ci-runner --policy-arn arn:aws:iam::aws:policy/AdministratorAccess```""");
    }

    @Test
    void aPartialRemediationObjectIsShownWithWhatItHas() throws Exception {
        JsonNode m = render("create-role-github-oidc-no-sub-remediation-failed");
        assertThat(texts(m)).contains("*Remediation*: FAILED\n• FAILED `QUARANTINE`: AccessDenied on iam:PutRolePolicy");
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
        for (JsonNode b : blocks) {
            if (b.get("type").asText().equals("header")) {
                assertThat(b.get("text").get("text").asText().length()).isLessThanOrEqualTo(150);
            } else if (b.has("text")) {
                assertThat(b.get("text").get("text").asText().length()).isLessThanOrEqualTo(3000);
            }
            b.path("fields").forEach(f -> assertThat(f.get("text").asText().length()).isLessThanOrEqualTo(2000));
        }
        String all = String.join("\n", texts(m));
        assertThat(all).contains(Mrkdwn.CUT);
        assertThat(all).contains("and 992 more findings not shown: `UNKNOWN_ACTION` ×975");
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
