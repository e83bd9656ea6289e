package io.iamguardrail.audit;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.ConfigLoader;
import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.config.Severity;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML report parsed as XML: well-formed, summary first, counts that match, user text escaped. */
class AuditHtmlTest {

    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    static Element byId(Document d, String id) {
        NodeList all = d.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        throw new AssertionError("no element with id " + id);
    }

    @Test
    void thePageIsWellFormedAndOpensWithTheSummary() throws Exception {
        AuditReport r = AuditTest.offline();
        Document d = parse(AuditHtml.write(r));

        NodeList sections = d.getElementsByTagName("section");
        assertThat(((Element) sections.item(0)).getAttribute("id")).isEqualTo("summary");
        assertThat(((Element) sections.item(1)).getAttribute("id")).isEqualTo("fix-first");
        assertThat(((Element) sections.item(2)).getAttribute("id")).isEqualTo("worst");
        for (Severity s : Severity.values()) {
            assertThat(byId(d, "count-" + s).getTextContent()).isEqualTo(String.valueOf(r.severityCounts().get(s)));
        }
        assertThat(byId(d, "finding-count").getTextContent()).isEqualTo("24");
        assertThat(byId(d, "worst").getElementsByTagName("li").getLength()).isEqualTo(7);
        // One row per principal with findings, each folding out its findings.
        Element table = (Element) byId(d, "principals").getElementsByTagName("tbody").item(0);
        assertThat(table.getElementsByTagName("tr").getLength()).isEqualTo(r.principals().size());
        assertThat(table.getElementsByTagName("details").getLength()).isEqualTo(r.principals().size());
        // No script, no external asset.
        assertThat(d.getElementsByTagName("script").getLength()).isZero();
        assertThat(d.getElementsByTagName("link").getLength()).isZero();
        assertThat(d.getElementsByTagName("img").getLength()).isZero();
    }

    @Test
    void theChangesSinceTheLastReportNameThePrincipals() throws Exception {
        AuditReport first = AuditTest.offline();
        AccountSnapshot a = AuthorizationDetailsReaderTest.account();
        AccountSnapshot fixed = new AccountSnapshot(a.accountId(), a.roles().stream()
                .filter(x -> !x.name().equals("vendor-admin")).toList(), a.users(), a.groups(), a.policies());
        AuditReport second = AuditTest.audit(AccessAdvisor.NONE).run(fixed,
                Optional.of(AuditJson.readPrevious(AuditJson.write(first, "test"), "first")));

        Document d = parse(AuditHtml.write(second));
        Element changes = byId(d, "changes");
        NodeList summaries = changes.getElementsByTagName("summary");
        assertThat(summaries.item(0).getTextContent()).isEqualTo("0 new");
        assertThat(summaries.item(1).getTextContent()).isEqualTo(second.resolved().size() + " resolved");
        NodeList items = changes.getElementsByTagName("li");
        assertThat(items.getLength()).isEqualTo(second.resolved().size());
        for (int i = 0; i < items.getLength(); i++) {
            assertThat(items.item(i).getTextContent()).contains("vendor-admin");
        }
        assertThat(byId(d, "resolved-count").getTextContent()).isEqualTo(String.valueOf(second.resolved().size()));
    }

    @Test
    void markupInPolicyTextIsEscaped() throws Exception {
        AccountSnapshot.Role role = new AccountSnapshot.Role("odd", "arn:aws:iam::123456789012:role/odd", "/",
                Optional.empty(), "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}",
                Map.of("p\"><script>alert(1)</script>", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:Get<img src=x onerror=alert(1)>\",\"Resource\":\"*\"}]}"),
                List.of(), Optional.empty(), Optional.empty());
        AuditReport r = AuditTest.audit(AccessAdvisor.NONE).run(new AccountSnapshot(Optional.of("123456789012"),
                List.of(role), List.of(), List.of(), Map.of()), Optional.empty());
        String html = AuditHtml.write(r);

        Document d = parse(html);
        assertThat(d.getElementsByTagName("script").getLength()).isZero();
        assertThat(d.getElementsByTagName("img").getLength()).isZero();
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    /**
     * 5,000 roles (one in ten risky, the rest clean): the page is still one readable file. Prints the figures
     * (time and size); asserts only the size, which is what a reader's browser must load.
     */
    @Test
    void fiveThousandRolesGiveAPageOfReasonableSize() throws Exception {
        String lambdaTrust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String externalTrust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}";
        List<AccountSnapshot.Role> roles = new ArrayList<>();
        Map<String, AccountSnapshot.ManagedPolicy> policies = new java.util.HashMap<>();
        for (int i = 0; i < 5000; i++) {
            boolean risky = i % 10 == 0;
            String table = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"dynamodb:GetItem\",\"dynamodb:PutItem\"],"
                    + "\"Resource\":\"arn:aws:dynamodb:us-east-1:123456789012:table/t" + i + "\"}]}";
            String arn = "arn:aws:iam::123456789012:policy/svc-" + i;
            policies.put(arn, new AccountSnapshot.ManagedPolicy(arn, "svc-" + i, "v1", Optional.of(table), 1));
            roles.add(new AccountSnapshot.Role("service-" + i, "arn:aws:iam::123456789012:role/service-" + i, "/",
                    Optional.of(Instant.parse("2026-10-01T00:00:00Z")), risky ? externalTrust : lambdaTrust, Map.of(),
                    risky ? List.of(arn, "arn:aws:iam::aws:policy/AdministratorAccess") : List.of(arn),
                    Optional.empty(), Optional.of(Instant.parse("2026-11-28T00:00:00Z"))));
        }
        AccountSnapshot account = new AccountSnapshot(Optional.of("123456789012"), roles, List.of(), List.of(), policies);

        long t0 = System.nanoTime();
        AuditReport r = new Audit(GuardrailConfig.defaults(), AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90, 1000,
                AuditTest.NOW).run(account, Optional.empty());
        long t1 = System.nanoTime();
        String html = AuditHtml.write(r);
        long t2 = System.nanoTime();
        String json = AuditJson.write(r, "test");
        long t3 = System.nanoTime();
        System.out.printf("audit of 5000 roles: sweep %d ms, HTML %d ms (%d KB), JSON %d ms (%d KB), %d findings%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, html.getBytes(StandardCharsets.UTF_8).length / 1024,
                (t3 - t2) / 1_000_000, json.getBytes(StandardCharsets.UTF_8).length / 1024, r.findingCount());

        assertThat(r.principalsScanned()).isEqualTo(10_000);
        assertThat(r.principals().stream().filter(p -> p.kind() == AuditReport.Kind.ROLE)).hasSize(500);
        Document d = parse(html);
        assertThat(byId(d, "worst").getElementsByTagName("li").getLength()).isEqualTo(10);
        assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(5 * 1024 * 1024);
    }

    @Test
    void aBidiOverrideOrAnEscapeInANameIsShownNotObeyedByTheBrowser() {
        String name = "role/vendor-admin\u202Enimda\u001b[2J\u200B";
        assertThat(AuditHtml.esc(name)).isEqualTo("role/vendor-admin\\u202enimda\\u001b[2J\\u200b");
        assertThat(AuditHtml.message("statement `Ok\u2066x\u2069` <b>")).isEqualTo(
                "statement <code>Ok\\u2066x\\u2069</code> &lt;b&gt;");
    }

    @Test
    void theFirstScreenListsTheFixesAndThePageTheExemptionsLastUseAndTags() throws Exception {
        GuardrailConfig config = new ConfigLoader(Rules.configurableIds()).load("""
                exemptions:
                  - principal: support-desk
                    rules: [TRUST_ACCOUNT_ROOT]
                    reason: the help desk signs in with MFA <b>only</b>
                    expires: 2027-03-31
                """, "guardrail.yaml");
        AuditReport r = RootCausesTest.audit(config);
        RootCauses causes = RootCauses.of(r);
        Document d = parse(AuditHtml.write(r));

        assertThat(byId(d, "fix-headline").getTextContent()).isEqualTo(causes.headline());
        NodeList fixes = d.getElementsByTagName("li");
        List<Element> items = new ArrayList<>();
        for (int i = 0; i < fixes.getLength(); i++) {
            if ("fix-item".equals(((Element) fixes.item(i)).getAttribute("class"))) {
                items.add((Element) fixes.item(i));
            }
        }
        assertThat(items).hasSize(RootCauses.TOP);
        Element first = (Element) items.get(0).getElementsByTagName("a").item(0);
        assertThat(first.getTextContent()).isEqualTo("developer-tools");
        assertThat(first.getAttribute("href")).isEqualTo("https://console.aws.amazon.com/iam/home#/policies/details/"
                + "arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fdeveloper-tools");
        assertThat(items.get(0).getTextContent()).contains("group/developers", "user/lee.dev");

        Element exemptions = byId(d, "exemptions");
        assertThat(exemptions.getTextContent()).contains("support-desk", "TRUST_ACCOUNT_ROOT", "2027-03-31",
                "the help desk signs in with MFA <b>only</b>");
        assertThat(exemptions.getElementsByTagName("b").getLength()).as("the reason is text, not markup").isZero();

        Element table = (Element) byId(d, "principals").getElementsByTagName("tbody").item(0);
        NodeList rows = table.getElementsByTagName("tr");
        String deploy = null;
        for (int i = 0; i < rows.getLength(); i++) {
            if (rows.item(i).getTextContent().contains("role/github-actions-deploy")) {
                deploy = rows.item(i).getTextContent();
            }
        }
        assertThat(deploy).contains("2026-12-04", "owner=payments-platform@example.com");
        assertThat(AuditHtml.STYLE).contains("@media print{").contains("details::details-content{content-visibility:visible");
    }
}
