package io.iamguardrail.paths;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.iamguardrail.paths.Account.q;
import static io.iamguardrail.paths.Account.role;
import static io.iamguardrail.paths.Account.user;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An explicit Deny only takes away: whatever the account, adding one never gives administrator access, by a path or
 * directly, to a principal that did not have it.
 */
class DenyNeverAddsAPathTest {

    private static final List<String> ROLES = List.of("r0", "r1", "r2", "r3");
    private static final List<String> USERS = List.of("u0", "u1");
    private static final List<String> ACTIONS = List.of("sts:AssumeRole", "iam:PassRole", "lambda:CreateFunction",
            "lambda:InvokeFunction", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:CreateAccessKey",
            "iam:UpdateAssumeRolePolicy", "ssm:StartSession", "iam:*", "s3:GetObject", "*");
    private static final List<String> RESOURCES = List.of("*", role("r0"), role("r1"), role("r2"), role("r3"),
            user("u0"), user("u1"), "arn:aws:iam::*:role/r*", "arn:aws:iam::" + Account.ID + ":user/*");
    private static final List<String> TRUSTS = List.of(Account.trustsRoot(), Account.trustsArn(role("r0")),
            Account.trustsArn(user("u0")), Account.trustsService("lambda.amazonaws.com"),
            Account.trustsService("ec2.amazonaws.com"), Account.trust("{\"AWS\":\"*\"}"));
    private static final List<String> CONDITIONS = List.of("", ",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}",
            ",\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}");

    record Grant(int principal, String effect, String action, String resource, String condition) {
        String json() {
            return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"" + effect + "\",\"Action\":" + q(action)
                    + ",\"Resource\":" + q(resource) + condition + "}]}";
        }
    }

    record Drawn(List<String> trusts, List<Grant> grants, List<Boolean> admins, Grant deny) {
    }

    @Provide
    Arbitrary<Drawn> accounts() {
        int principals = ROLES.size() + USERS.size();
        Arbitrary<Grant> allow = Combinators.combine(Arbitraries.integers().between(0, principals - 1),
                Arbitraries.of(ACTIONS), Arbitraries.of(RESOURCES), Arbitraries.of(CONDITIONS))
                .as((p, a, r, c) -> new Grant(p, "Allow", a, r, c));
        Arbitrary<Grant> deny = Combinators.combine(Arbitraries.integers().between(0, principals - 1),
                Arbitraries.of(ACTIONS), Arbitraries.of(RESOURCES), Arbitraries.of(CONDITIONS))
                .as((p, a, r, c) -> new Grant(p, "Deny", a, r, c));
        return Combinators.combine(Arbitraries.of(TRUSTS).list().ofSize(ROLES.size()), allow.list().ofMinSize(2).ofMaxSize(10),
                Arbitraries.of(true, false, false, false).list().ofSize(ROLES.size()), deny).as(Drawn::new);
    }

    private static Account build(Drawn d, boolean withDeny) {
        Account a = new Account();
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < ROLES.size(); i++) {
            a.addRole(ROLES.get(i), d.trusts().get(i));
            arns.add(role(ROLES.get(i)));
            if (d.admins().get(i)) {
                a.awsPolicy(role(ROLES.get(i)), "AdministratorAccess");
            }
        }
        for (String u : USERS) {
            a.addUser(u);
            arns.add(user(u));
        }
        for (Grant g : d.grants()) {
            a.inline(arns.get(g.principal()), g.json());
        }
        if (withDeny) {
            a.inline(arns.get(d.deny().principal()), d.deny().json());
        }
        return a;
    }

    @Property(tries = 300)
    void addingADenyNeverAddsAPath(@ForAll("accounts") Drawn drawn) {
        Set<String> before = administrators(build(drawn, false));
        Set<String> after = administrators(build(drawn, true));
        assertThat(before).as("principals with administrator access or a path to it, before the Deny %s", drawn.deny())
                .containsAll(after);
    }

    /** Who has administrator access, itself or by a path: a Deny may turn the first into the second, never add one. */
    private static Set<String> administrators(Account a) {
        PrivilegeGraph graph = a.graph();
        Set<String> out = new TreeSet<>(graph.admins());
        graph.paths(List.of()).forEach(p -> out.add(p.principal()));
        return out;
    }
}
