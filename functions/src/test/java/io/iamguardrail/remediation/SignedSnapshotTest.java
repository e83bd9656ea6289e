package io.iamguardrail.remediation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a snapshot's MAC covers, and what reading one accepts: rewritten, moved, foreign-key and unsigned items are not. */
class SignedSnapshotTest {

    static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    static final String ANYONE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
            + "\"Action\":\"sts:AssumeRole\"}]}";
    static final IamPort.Principal ROLE = new IamPort.Principal("arn:aws:iam::123456789012:role/service/deploy",
            "/service/", "AROAEXAMPLEDEPLOY0001");
    static final Instant AT = Instant.parse("2026-12-01T09:30:00Z");
    static final Instant NOW = AT.plus(Duration.ofDays(6));

    final HmacSigner guardrail = new HmacSigner("arn:aws:kms:us-east-1:123456789012:key/guardrail", "guardrail secret");

    SnapshotStore.Read stored(SnapshotStore.Slot signedFor, SnapshotStore.Slot readAs, String signedValue, String storedValue) {
        Signer.Mac mac = guardrail.sign(SignedSnapshot.canonical(signedFor, signedValue, AT)).orElseThrow();
        return SignedSnapshot.check(guardrail, readAs, storedValue, AT.toString(), Optional.of(mac), NOW);
    }

    @Test
    void theCanonicalBytesNameEveryFieldLengthPrefixed() {
        String bytes = new String(SignedSnapshot.canonical(SnapshotStore.Slot.boundary(ROLE),
                "arn:aws:iam::123456789012:policy/dev-boundary", AT), StandardCharsets.UTF_8);
        assertThat(bytes).isEqualTo("""
                24:iam-guardrail/snapshot/1
                4:role
                21:AROAEXAMPLEDEPLOY0001
                45:arn:aws:iam::123456789012:role/service/deploy
                11:boundaryArn
                45:arn:aws:iam::123456789012:policy/dev-boundary
                20:2026-12-01T09:30:00Z
                """);
    }

    @Test
    void fieldsThatConcatenateAlikeStillGiveDifferentBytes() {
        SnapshotStore.Slot a = new SnapshotStore.Slot("role", "AROA1", "arn:aws:iam::123456789012:role/a", "trustPolicy");
        SnapshotStore.Slot b = new SnapshotStore.Slot("role", "AROA1", "arn:aws:iam::123456789012:role/a\n11:trustPolicy",
                "x");
        assertThat(SignedSnapshot.canonical(a, "v", AT)).isNotEqualTo(SignedSnapshot.canonical(b, "v", AT));
    }

    @Test
    void aSnapshotAsTheGuardrailWroteItIsFound() {
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        assertThat(stored(slot, slot, LAMBDA_TRUST, LAMBDA_TRUST)).isEqualTo(new SnapshotStore.Found(LAMBDA_TRUST));
    }

    @Test
    void aTrustPolicyRewrittenToAnyPrincipalIsRejected() {
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        SnapshotStore.Read read = stored(slot, slot, LAMBDA_TRUST, ANYONE);
        assertThat(read.value()).isEmpty();
        assertThat(read).isEqualTo(new SnapshotStore.Rejected("the MAC of the trustPolicy snapshot of"
                + " arn:aws:iam::123456789012:role/service/deploy (AROAEXAMPLEDEPLOY0001) does not verify with key"
                + " arn:aws:kms:us-east-1:123456789012:key/guardrail: it was changed after it was recorded, or signed with"
                + " another key"));
    }

    @Test
    void aSnapshotMovedToARoleRecreatedUnderTheSameNameIsRejected() {
        IamPort.Principal recreated = new IamPort.Principal(ROLE.arn(), ROLE.path(), "AROAEXAMPLEDEPLOY0002");
        SnapshotStore.Read read = stored(SnapshotStore.Slot.trustPolicy(ROLE), SnapshotStore.Slot.trustPolicy(recreated),
                LAMBDA_TRUST, LAMBDA_TRUST);
        assertThat(read).isInstanceOf(SnapshotStore.Rejected.class);
        assertThat(SnapshotStore.Slot.trustPolicy(recreated).key()).isNotEqualTo(SnapshotStore.Slot.trustPolicy(ROLE).key());
    }

    @Test
    void aBoundarySnapshotCannotStandInForATrustPolicy() {
        SnapshotStore.Read read = stored(SnapshotStore.Slot.boundary(ROLE), SnapshotStore.Slot.trustPolicy(ROLE),
                LAMBDA_TRUST, LAMBDA_TRUST);
        assertThat(read).isInstanceOf(SnapshotStore.Rejected.class);
    }

    @Test
    void aMacFromAnotherKeyIsRejectedEvenWhenItNamesThatKey() {
        HmacSigner attacker = new HmacSigner("arn:aws:kms:us-east-1:123456789012:key/attacker", "attacker secret");
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        Signer.Mac mac = attacker.sign(SignedSnapshot.canonical(slot, ANYONE, AT)).orElseThrow();
        assertThat(attacker.verify(SignedSnapshot.canonical(slot, ANYONE, AT), mac)).isTrue();
        assertThat(SignedSnapshot.check(guardrail, slot, ANYONE, AT.toString(), Optional.of(mac), NOW))
                .isInstanceOf(SnapshotStore.Rejected.class);
    }

    @Test
    void aFresherDateThanTheSignedOneIsRejected() {
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        Signer.Mac mac = guardrail.sign(SignedSnapshot.canonical(slot, LAMBDA_TRUST, AT.minus(Duration.ofDays(200))))
                .orElseThrow();
        assertThat(SignedSnapshot.check(guardrail, slot, LAMBDA_TRUST, AT.toString(), Optional.of(mac), NOW))
                .isInstanceOf(SnapshotStore.Rejected.class);
    }

    @Test
    void anUnsignedItemIsRejectedAndSaysSo() {
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        assertThat(SignedSnapshot.check(guardrail, slot, LAMBDA_TRUST, AT.toString(), Optional.empty(), NOW))
                .isEqualTo(new SnapshotStore.Rejected("the trustPolicy snapshot of arn:aws:iam::123456789012:role/service/deploy"
                        + " (AROAEXAMPLEDEPLOY0001) is unsigned: it was not written by the guardrail"));
    }

    @Test
    void aKeyThatCannotBeAskedRejectsRatherThanTrusts() {
        Signer down = new Signer() {
            public Optional<String> keyId() {
                return Optional.of("k");
            }

            public Optional<Signer.Mac> sign(byte[] bytes) {
                return Optional.empty();
            }

            public boolean verify(byte[] bytes, Signer.Mac mac) {
                throw new IllegalStateException("KmsException: Service Unavailable");
            }
        };
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        Signer.Mac mac = guardrail.sign(SignedSnapshot.canonical(slot, LAMBDA_TRUST, AT)).orElseThrow();
        SnapshotStore.Read read = SignedSnapshot.check(down, slot, LAMBDA_TRUST, AT.toString(), Optional.of(mac), NOW);
        assertThat(read).isInstanceOf(SnapshotStore.Rejected.class);
        assertThat(((SnapshotStore.Rejected) read).reason()).endsWith("IllegalStateException: KmsException: Service Unavailable");
    }

    @Test
    void aSnapshotOlderThanNinetyDaysIsAbsent() {
        SnapshotStore.Slot slot = SnapshotStore.Slot.trustPolicy(ROLE);
        Signer.Mac mac = guardrail.sign(SignedSnapshot.canonical(slot, LAMBDA_TRUST, AT)).orElseThrow();
        assertThat(SignedSnapshot.check(guardrail, slot, LAMBDA_TRUST, AT.toString(), Optional.of(mac),
                AT.plus(Duration.ofDays(91)))).isEqualTo(new SnapshotStore.Absent());
    }

    @Test
    void slotsAreKeyedByUniqueIdAndKindComesFromTheArn() {
        IamPort.Principal user = new IamPort.Principal("arn:aws:iam::123456789012:user/ci/bot", "/ci/", "AIDAEXAMPLEBOT");
        assertThat(SnapshotStore.Slot.boundary(user)).isEqualTo(new SnapshotStore.Slot("user", "AIDAEXAMPLEBOT",
                "arn:aws:iam::123456789012:user/ci/bot", "boundaryArn"));
        assertThat(SnapshotStore.Slot.boundary(user).key()).isEqualTo("snapshot#boundaryArn#AIDAEXAMPLEBOT");
        IamPort.Principal colons = new IamPort.Principal("arn:aws:iam::123456789012:role/team:a/x", "/team:a/", "AROAX");
        assertThat(SnapshotStore.Slot.trustPolicy(colons).kind()).isEqualTo("role");
        assertThat(SnapshotStore.Slot.cleanDefaultVersion("arn:aws:iam::123456789012:policy/app", "ANPAEXAMPLEAPP").key())
                .isEqualTo("snapshot#cleanDefaultVersion#ANPAEXAMPLEAPP");
    }

    @Test
    void theInMemoryStoreDoesNotGiveARecreatedRoleTheOldSnapshot() {
        SnapshotStore store = SnapshotStore.inMemory();
        store.recordTrustPolicy(ROLE, LAMBDA_TRUST);
        assertThat(store.trustPolicy(ROLE)).hasValue(LAMBDA_TRUST);
        assertThat(store.trustPolicy(new IamPort.Principal(ROLE.arn(), ROLE.path(), "AROAEXAMPLEDEPLOY0002"))).isEmpty();
        store.recordCleanDefaultVersion("arn:aws:iam::123456789012:policy/app", "ANPA1", "v3");
        assertThat(store.cleanDefaultVersion("arn:aws:iam::123456789012:policy/app", "ANPA1")).hasValue("v3");
        assertThat(store.cleanDefaultVersion("arn:aws:iam::123456789012:policy/app", "ANPA2")).isEmpty();
        assertThat(SnapshotStore.NONE.read(SnapshotStore.Slot.trustPolicy(ROLE))).isEqualTo(new SnapshotStore.Absent());
    }
}
