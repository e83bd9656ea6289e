package io.iamguardrail.audit;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCsvTest {

    /** An RFC 4180 reader: quoted fields, doubled quotes, CRLF between records. */
    static List<List<String>> parse(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                throw new AssertionError("expected a quoted field or a separator at " + i + " but found `" + c + "`");
            }
        }
        assertThat(field).as("text after the last CRLF").isEmpty();
        return rows;
    }

    @Test
    void oneRowPerFindingWithThePolicyToFixAndTheConsoleLinks() {
        AuditReport r = RootCausesTest.audit(GuardrailConfig.defaults());
        List<List<String>> rows = parse(AuditCsv.write(r));

        assertThat(rows.get(0)).isEqualTo(AuditCsv.HEADER);
        assertThat(rows).hasSize(r.findingCount() + 1).allMatch(row -> row.size() == AuditCsv.HEADER.size());
        List<String> passRole = rows.stream().filter(row -> row.get(1).endsWith(":role/github-actions-deploy")
                && row.get(4).equals("PASSROLE_UNRESTRICTED")).findFirst().orElseThrow();
        assertThat(passRole.get(3)).isEqualTo("deploy-stacks (inline, role github-actions-deploy)");
        assertThat(passRole.get(5)).isEqualTo("HIGH");
        assertThat(passRole.get(9)).isEqualTo("https://console.aws.amazon.com/iam/home#/roles/details/github-actions-deploy");
        assertThat(passRole.get(11)).isEqualTo("2026-12-04");
        assertThat(passRole.get(12)).contains("owner=payments-platform@example.com");
        List<String> shared = rows.stream().filter(row -> row.get(1).endsWith(":user/lee.dev")
                && row.get(4).equals("PASSROLE_UNRESTRICTED")).findFirst().orElseThrow();
        assertThat(shared.get(3)).isEqualTo("developer-tools");
        assertThat(shared.get(10)).isEqualTo("https://console.aws.amazon.com/iam/home#/policies/details/"
                + "arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fdeveloper-tools");
    }

    /**
     * A tag written by whoever may tag a role reaches the spreadsheet as text, never as a formula: IAM lets a tag key
     * or value start with {@code =}, {@code +}, {@code -} or {@code @}.
     */
    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasStayText() {
        AccountSnapshot a = RootCausesTest.example();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("@SUM+1", "=1+2");
        tags.put("team", "payments");
        List<AccountSnapshot.Role> roles = a.roles().stream().map(x -> !x.name().equals("github-actions-deploy") ? x
                : new AccountSnapshot.Role(x.name(), x.arn(), x.path(), x.created(), x.trustPolicy(), x.inlinePolicies(),
                x.attachedPolicyArns(), x.boundaryArn(), x.lastUsed(), tags)).toList();
        AuditReport r = new Audit(GuardrailConfig.defaults(), AccessAdvisor.NONE, ManagedPolicySnapshot.bundled(), 90,
                1000, AuditTest.NOW).run(new AccountSnapshot(a.accountId(), roles, a.users(), a.groups(), a.policies()),
                Optional.empty());

        List<List<String>> rows = parse(AuditCsv.write(r));
        assertThat(rows).filteredOn(row -> row.get(1).endsWith(":role/github-actions-deploy")).isNotEmpty()
                .allMatch(row -> row.get(12).equals("'@SUM+1==1+2, team=payments"));
        assertThat(AuditCsv.cell("=1+1")).isEqualTo("\"'=1+1\"");
        assertThat(AuditCsv.cell("+1")).isEqualTo("\"'+1\"");
        assertThat(AuditCsv.cell("-1")).isEqualTo("\"'-1\"");
        assertThat(AuditCsv.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(AuditCsv.cell("say \"hi\", then go")).isEqualTo("\"say \"\"hi\"\", then go\"");
        assertThat(AuditCsv.cell("two\nlines")).doesNotContain("\n");
        // Every cell of every row starts with a character no spreadsheet evaluates.
        assertThat(rows).allMatch(row -> row.stream().noneMatch(c -> !c.isEmpty() && "=+-@".indexOf(c.charAt(0)) >= 0));
    }
}
