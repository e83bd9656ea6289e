package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Undo commands pasted into a shell: names and paths that IAM allows or an event can carry arrive as one argument
 * each, and nothing in them runs (each payload writes a marker file if it ever executes).
 */
class ShellQuoteTest {

    @TempDir
    Path folder;

    /** What an attacker would put in a policy path, a name or an event id. */
    static List<String> payloads() {
        return List.of("$(id>pwned)", "`id>pwned`", "x;id>pwned", "x|id>pwned", "x&&id>pwned", "x'$(id>pwned)'y",
                "it's", "say \"hi\" $(id>pwned)", "\"$(id>pwned)\"", "two words", "$HOME", "*", "~root", "a\nid>pwned",
                "\\$(id>pwned)", "'", "", "arn:aws:iam::123456789012:policy/$(id>pwned)/tools");
    }

    @Test
    void plainWordsStayAsTheyAreAndTheRestIsSingleQuoted() {
        assertThat(ShellQuote.quote("arn:aws:iam::aws:policy/AdministratorAccess"))
                .isEqualTo("arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(ShellQuote.quote("--role-name")).isEqualTo("--role-name");
        assertThat(ShellQuote.quote("deploy@ci+x=y,z")).isEqualTo("deploy@ci+x=y,z");
        assertThat(ShellQuote.quote("")).isEqualTo("''");
        assertThat(ShellQuote.quote("two words")).isEqualTo("'two words'");
        assertThat(ShellQuote.quote("$(id>pwned)")).isEqualTo("'$(id>pwned)'");
        assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellQuote.command("aws", "iam", "get-role", "--role-name", "a;b"))
                .isEqualTo("aws iam get-role --role-name 'a;b'");
    }

    @Test
    void everyPayloadArrivesIntactAsOneArgumentAndNothingRuns() throws Exception {
        for (String payload : payloads()) {
            String line = ShellQuote.command("aws", "iam", "get-role", "--role-name", payload, "--debug");

            assertThat(PastedCommand.words(line, folder)).as(line)
                    .containsExactly("aws", "iam", "get-role", "--role-name", payload, "--debug");
            assertThat(Files.exists(folder.resolve("pwned"))).as("`%s` ran something", line).isFalse();
        }
    }

    @Test
    void theUnquotedFormWouldHaveRunThePayload() throws Exception {
        // The attack as it worked before: the same line without quoting runs `id`. Proves the marker is observable.
        PastedCommand.words("aws iam get-policy --policy-arn arn:aws:iam::123456789012:policy/$(id>pwned)/tools", folder);
        assertThat(Files.exists(folder.resolve("pwned"))).isTrue();
    }

    @Test
    void everyUndoCommandOfEveryActionCarriesHostileNamesIntact() throws Exception {
        for (String payload : payloads()) {
            if (payload.isEmpty()) {
                continue;
            }
            for (RemediationAction a : actionsNamed(payload)) {
                for (String undo : a.undoCommands()) {
                    List<String> words = PastedCommand.words(undo, folder);

                    assertThat(words).as(undo).startsWith("aws", "iam").contains(payload).doesNotContain("#");
                    assertThat(Files.exists(folder.resolve("pwned"))).as("`%s` ran something", undo).isFalse();
                }
            }
        }
    }

    @Test
    void theReattachCommandGivesTheAwsCliExactlyThePolicyArnOfTheAlert() throws Exception {
        String arn = "arn:aws:iam::123456789012:policy/$(id>pwned)/tools";
        RemediationAction detach = new DetachPolicy(new PrincipalRef(PrincipalRef.Kind.ROLE, "app"), arn);

        assertThat(detach.undoCommands()).containsExactly(
                "aws iam attach-role-policy --role-name app --policy-arn 'arn:aws:iam::123456789012:policy/$(id>pwned)/tools'");
        assertThat(PastedCommand.words(detach.undoCommands().get(0), folder))
                .containsExactly("aws", "iam", "attach-role-policy", "--role-name", "app", "--policy-arn", arn);
        assertThat(Files.exists(folder.resolve("pwned"))).isFalse();
    }

    /** Every kind of action, each with the payload in every name or ARN it prints. */
    private static List<RemediationAction> actionsNamed(String payload) {
        String arn = "arn:aws:iam::123456789012:policy/" + payload + "/tools";
        List<RemediationAction> all = new ArrayList<>();
        for (PrincipalRef.Kind kind : PrincipalRef.Kind.values()) {
            PrincipalRef ref = new PrincipalRef(kind, payload);
            all.add(new DetachPolicy(ref, arn));
            all.add(new DeleteInlinePolicy(ref, payload));
            all.add(new Quarantine(ref, arn));
            if (kind != PrincipalRef.Kind.GROUP) {
                all.add(new RestoreBoundary(ref));
            }
        }
        all.add(new RestoreDefaultVersion(arn, payload, Optional.empty()));
        all.add(new RestoreTrustPolicy(payload));
        all.add(new DeactivateAccessKey(payload, payload));
        all.add(new RemoveFromGroup(payload, payload));
        // Every kind the executor knows is covered here.
        assertThat(Stream.of(all.toArray(RemediationAction[]::new)).map(RemediationAction::kind).distinct())
                .containsExactlyInAnyOrderElementsOf(Remediations.examples().stream().map(RemediationAction::kind)
                        .distinct().toList());
        return all;
    }
}
