package io.iamguardrail.paths;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.iamguardrail.paths.Account.allow;
import static io.iamguardrail.paths.Account.q;
import static io.iamguardrail.paths.Account.role;
import static io.iamguardrail.paths.Account.user;
import static org.assertj.core.api.Assertions.assertThat;

/** The index leaves out only the holders whose grants cannot match an ARN. */
class PatternIndexTest {

    @Test
    void aHolderIsACandidateForTheArnsItsPatternsCouldMatchAndOnlyThose() {
        Account a = new Account()
                .addUser("team3").inline(user("team3"), allow(q("iam:PassRole"), q(role("team3-svc-*"))))
                .addUser("everything").inline(user("everything"), allow(q("iam:PassRole"), q("*")))
                .addUser("named").inline(user("named"), allow(q("iam:PassRole"), "[" + q(role("billing")) + ","
                        + q("arn:aws:iam::" + Account.ID + ":role/${aws:username}-*") + "]"))
                .addUser("reader").inline(user("reader"), allow(q("s3:GetObject"), q("*")));
        ActionCatalog catalog = ActionCatalog.bundled();
        AccountView v = new AccountView(catalog, Knowledge.bundled(), a.members());
        int pass = v.action("iam:PassRole");

        // A policy variable is a wildcard to the index: `named` stays a candidate for every role of its account.
        assertThat(names(v.holding(pass, role("team3-svc-fn-1")))).containsExactly("everything", "named", "team3");
        assertThat(names(v.holding(pass, role("billing")))).containsExactly("everything", "named");
        assertThat(names(v.holding(pass, "arn:aws:iam::444455556666:role/team3-svc-fn-1"))).containsExactly("everything");
        assertThat(names(v.holding(v.action("s3:GetObject"), role("billing")))).containsExactly("reader");
        assertThat(PatternIndex.prefix("arn:aws:iam::1:role/${aws:username}-*")).isEqualTo("arn:aws:iam::1:role/");
    }

    private static List<String> names(List<Member> members) {
        return members.stream().map(Member::name).toList();
    }
}
