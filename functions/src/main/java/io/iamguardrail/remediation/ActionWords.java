package io.iamguardrail.remediation;

import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How IAM action names, the AWS CLI and backups spell a principal, shared by the actions. */
final class ActionWords {

    private ActionWords() {
    }

    /** Role, User, Group: as IAM action names spell the principal. */
    static String noun(PrincipalRef ref) {
        String k = ref.kind().name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(k.charAt(0)) + k.substring(1);
    }

    static String cli(PrincipalRef ref) {
        return ref.kind().name().toLowerCase(Locale.ROOT);
    }

    static String nameFlag(PrincipalRef ref) {
        return "--" + cli(ref) + "-name";
    }

    /**
     * Where a document comes from, as a comment after the command. Plain words only: a shell without interactive
     * comments (zsh's default) reads them as arguments, which the AWS CLI then refuses; nothing in them runs.
     */
    static String inTheBackup(String file) {
        return "  # " + file + ": the document of this action in the backup";
    }

    /** An AWS CLI IAM command, every argument quoted for the shell as needed. */
    static String aws(String... words) {
        List<String> all = new ArrayList<>(List.of("aws", "iam"));
        all.addAll(List.of(words));
        return ShellQuote.command(all);
    }

    /** A backup entry's values for an action on a principal. */
    static Map<String, String> values(PrincipalRef ref, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("principalKind", ref.kind().name());
        m.put("principalName", ref.name());
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
