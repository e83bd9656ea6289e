package io.iamguardrail.audit.organization;

import io.iamguardrail.audit.AccessAdvisor;
import io.iamguardrail.audit.AccountSnapshot;
import io.iamguardrail.audit.Audit;
import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.config.GuardrailConfig;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Member accounts as IAM would describe them: roles and users with real AWS managed policies attached (the bundled
 * snapshot's documents, the same as the corpus's), a vendor trust, a Lambda trust.
 */
public final class MemberAccounts {

    public static final String LAMBDA_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    public static final String VENDOR_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
            + "{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    public static final String MANAGED = "arn:aws:iam::aws:policy/";

    private MemberAccounts() {
    }

    public static AccountSnapshot.Role role(String account, String name, String trust, String... managed) {
        return new AccountSnapshot.Role(name, "arn:aws:iam::" + account + ":role/" + name, "/",
                Optional.of(Instant.parse("2026-09-01T00:00:00Z")), trust, Map.of(),
                List.of(managed).stream().map(m -> MANAGED + m).toList(), Optional.empty(),
                Optional.of(Instant.parse("2026-12-01T00:00:00Z")));
    }

    public static AccountSnapshot.User user(String account, String name, String... managed) {
        return new AccountSnapshot.User(name, "arn:aws:iam::" + account + ":user/" + name, "/", Map.of(),
                List.of(managed).stream().map(m -> MANAGED + m).toList(), List.of(), Optional.empty());
    }

    public static AccountSnapshot account(String id, List<AccountSnapshot.Role> roles, List<AccountSnapshot.User> users) {
        return new AccountSnapshot(Optional.of(id), roles, users, List.of(), Map.of());
    }

    /** The sweep the hub makes, offline: no Access Advisor. */
    public static Audit audit(String account, Clock clock) {
        return new Audit(GuardrailConfig.defaults().withAccountId(account), AccessAdvisor.NONE,
                ManagedPolicySnapshot.bundled(), 90, 1000, clock);
    }
}
