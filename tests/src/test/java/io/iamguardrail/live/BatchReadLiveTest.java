package io.iamguardrail.live;

import io.iamguardrail.aws.LiveIamState;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.iam.IamClient;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch that changes many principals of one kind reads them through one listing of the account
 * ({@code GetAccountAuthorizationDetails}) instead of four requests or more each, and finds exactly what reading each
 * alone finds: trust, inline documents (URL-decoded), attached policies, boundary, groups.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchReadLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String LOGS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "\"logs:PutLogEvents\",\"Resource\":\"arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/a+b%20c:*\"}]}";
    private static final String BOUNDARY = "arn:aws:iam::aws:policy/PowerUserAccess";

    private IamClient iam;
    private final Set<PrincipalRef> roles = new HashSet<>();
    private final Set<PrincipalRef> users = new HashSet<>();

    @BeforeAll
    void setUp() {
        iam = MOTO.iam();
        iam.createGroup(b -> b.groupName("deployers"));
        iam.putGroupPolicy(b -> b.groupName("deployers").policyName("logs").policyDocument(LOGS));
        for (int i = 0; i < 12; i++) {
            String role = "batch-svc-" + i;
            iam.createRole(b -> b.roleName(role).path("/services/").assumeRolePolicyDocument(TRUST));
            iam.putRolePolicy(b -> b.roleName(role).policyName("logs").policyDocument(LOGS));
            iam.attachRolePolicy(b -> b.roleName(role).policyArn("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"));
            if (i % 3 == 0) {
                iam.putRolePermissionsBoundary(b -> b.roleName(role).permissionsBoundary(BOUNDARY));
            }
            roles.add(new PrincipalRef(PrincipalRef.Kind.ROLE, role));
            String user = "batch-user-" + i;
            iam.createUser(b -> b.userName(user));
            iam.addUserToGroup(b -> b.userName(user).groupName("deployers"));
            iam.putUserPolicy(b -> b.userName(user).policyName("logs").policyDocument(LOGS));
            users.add(new PrincipalRef(PrincipalRef.Kind.USER, user));
        }
        for (int i = 0; i < 3; i++) {
            String other = "someone-else-" + i;
            iam.createRole(b -> b.roleName(other).assumeRolePolicyDocument(TRUST));
        }
    }

    @Test
    void manyRolesAndUsersOfABatchAreReadInOneListingExactlyAsEachAloneReadsThem() throws Exception {
        LiveIamState state = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        Set<PrincipalRef> wanted = new HashSet<>(roles);
        wanted.addAll(users);

        Map<PrincipalRef, PrincipalState> together = state.principals(wanted);

        assertThat(state.calls()).as("IAM requests for 24 principals").isEqualTo(1);
        assertThat(together.keySet()).isEqualTo(wanted);
        LiveIamState alone = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        for (PrincipalRef ref : wanted) {
            assertThat(together.get(ref)).as(ref.toString()).isEqualTo(alone.principal(ref));
        }
        assertThat(alone.calls()).as("reading each alone").isGreaterThanOrEqualTo(4L * wanted.size());
        assertThat(together.get(new PrincipalRef(PrincipalRef.Kind.ROLE, "batch-svc-0")).boundaryArn()).contains(BOUNDARY);
        assertThat(together.get(new PrincipalRef(PrincipalRef.Kind.USER, "batch-user-1")).groups()).containsExactly("deployers");
    }

    @Test
    void aFewPrincipalsOrOnesNotThereAreLeftToBeReadOneByOne() throws Exception {
        LiveIamState state = new LiveIamState(iam, ManagedPolicySnapshot.bundled());
        Set<PrincipalRef> few = Set.of(new PrincipalRef(PrincipalRef.Kind.ROLE, "batch-svc-1"),
                new PrincipalRef(PrincipalRef.Kind.ROLE, "batch-svc-2"));

        assertThat(state.principals(few)).isEmpty();
        assertThat(state.calls()).as("no listing for two roles").isZero();

        Set<PrincipalRef> withGone = new HashSet<>(roles);
        PrincipalRef gone = new PrincipalRef(PrincipalRef.Kind.ROLE, "deleted-since");
        withGone.add(gone);
        Map<PrincipalRef, PrincipalState> read = state.principals(withGone);
        assertThat(read).doesNotContainKey(gone).containsOnlyKeys(roles);
    }
}
