package io.iamguardrail.remediation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iamguardrail.change.ChangeDecoder;
import io.iamguardrail.change.IamChange;
import io.iamguardrail.event.CloudTrailEvent;
import io.iamguardrail.event.EventDecoder;
import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What undoes each kind of change, on the project's real CloudTrail samples: who was touched, what undoes it. */
class UndoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode sample(String name) throws Exception {
        return (ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("../events/" + name + ".json")));
    }

    private static CloudTrailEvent decode(ObjectNode sample) throws Exception {
        return EventDecoder.decode(JSON.writeValueAsBytes(sample)).event().orElseThrow();
    }

    private static IamChange change(CloudTrailEvent e) {
        return ChangeDecoder.decode(e);
    }

    /** The exact inverse; empty when there is nothing to undo. */
    private static Optional<RemediationAction> undo(CloudTrailEvent e) {
        Undo.Way way = Undo.of(change(e));
        assertThat(way).as("a reversible change").isNotInstanceOf(Undo.Way.QuarantineInstead.class);
        return way instanceof Undo.Way.Inverse inverse ? Optional.of(inverse.action()) : Optional.empty();
    }

    @Test
    void aGroupsPolicyIsTakenOffTheGroupEvenWhenTheEventAlsoNamesAUser() throws Exception {
        ObjectNode sample = sample("attach-group-policy-admin");
        // A forged userName beside the group's: detaching from that user would leave the group admin.
        ((ObjectNode) sample.path("detail").path("requestParameters")).put("userName", "alice");
        CloudTrailEvent e = decode(sample);

        PrincipalRef group = new PrincipalRef(PrincipalRef.Kind.GROUP, "oncall");
        assertThat(Undo.principal(change(e))).contains(group);
        assertThat(undo(e)).contains(new DetachPolicy(group, "arn:aws:iam::aws:policy/AdministratorAccess"));
    }

    @Test
    void eachReversibleChangeIsUndoneByItsExactInverse() throws Exception {
        CloudTrailEvent added = decode(sample("add-user-to-group-admins"));
        assertThat(undo(added)).hasValueSatisfying(a -> assertThat(a).isInstanceOf(RemoveFromGroup.class));

        CloudTrailEvent boundary = decode(sample("delete-user-permissions-boundary"));
        assertThat(undo(boundary)).contains(new RestoreBoundary(new PrincipalRef(PrincipalRef.Kind.USER, "carol")));

        CloudTrailEvent put = decode(sample("put-role-policy-passrole-star"));
        assertThat(undo(put)).contains(new DeleteInlinePolicy(new PrincipalRef(PrincipalRef.Kind.ROLE, "build-runner"),
                "deploy-functions"));
    }

    @Test
    void aKeySetInactiveOrAVersionNotMadeDefaultLeavesNothingToUndo() throws Exception {
        assertThat(undo(decode(sample("update-access-key-deactivate")))).isEmpty();
        assertThat(undo(decode(sample("create-policy-version-not-default")))).isEmpty();
    }

    @Test
    void aNewRoleHasNoInverseSoItIsQuarantinedAndACleanOneIsRecorded() throws Exception {
        CloudTrailEvent e = decode(sample("create-role-any-principal"));

        assertThat(Undo.of(change(e))).isInstanceOf(Undo.Way.QuarantineInstead.class);
        assertThat(Undo.snapshot(change(e))).isEqualTo(Undo.Snapshot.PRINCIPAL);
        assertThat(Undo.principal(change(e))).contains(new PrincipalRef(PrincipalRef.Kind.ROLE, "shared-debug-role"));
    }

    @Test
    void aValueTheEventLacksIsNeverActedOn() throws Exception {
        ObjectNode sample = sample("attach-role-policy-admin");
        ((ObjectNode) sample.path("detail").path("requestParameters")).remove("roleName");

        assertThat(Undo.of(change(decode(sample)))).isInstanceOf(Undo.Way.Nothing.class);
        assertThat(Undo.principal(change(decode(sample)))).isEmpty();
    }
}
