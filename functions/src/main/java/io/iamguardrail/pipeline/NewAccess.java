package io.iamguardrail.pipeline;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.engine.Permissions;
import io.iamguardrail.engine.SourcedPolicy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** What a new version of a policy allows that the old one did not, the way a reviewer reads a diff. */
final class NewAccess {

    static final int SHOWN = 15;

    private NewAccess() {
    }

    static List<String> between(ActionCatalog catalog, SourcedPolicy before, SourcedPolicy after) {
        Permissions old = Permissions.of(catalog, List.of(before), Optional.empty());
        Permissions now = Permissions.of(catalog, List.of(after), Optional.empty());
        BitSet added = (BitSet) now.any().clone();
        added.andNot(old.any());
        BitSet widened = (BitSet) now.broad().clone();
        widened.andNot(old.broad());
        widened.andNot(added);
        List<String> out = new ArrayList<>();
        describe(catalog, added, now, out, "newly allowed");
        describe(catalog, widened, now, out, "now on all resources");
        return out;
    }

    private static void describe(ActionCatalog catalog, BitSet actions, Permissions now, List<String> out, String what) {
        int total = actions.cardinality();
        int shown = 0;
        for (int i = actions.nextSetBit(0); i >= 0 && shown < SHOWN; i = actions.nextSetBit(i + 1), shown++) {
            String scope = now.broad().get(i) ? "on all resources" : "on named resources";
            out.add("`" + catalog.action(i).fullName() + "` " + what + " (" + scope + ")");
        }
        if (total > shown) {
            out.add("and " + (total - shown) + " more actions " + what);
        }
    }
}
