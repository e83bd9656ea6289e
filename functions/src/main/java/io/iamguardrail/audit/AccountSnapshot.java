package io.iamguardrail.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole account as {@code GetAccountAuthorizationDetails} describes it: every role, user and group with its
 * policies, and the managed policies with their default version. Documents are plain JSON (already URL-decoded).
 *
 * @param accountId the account's id, from the principals' ARNs (or given), when known
 */
public record AccountSnapshot(Optional<String> accountId, List<Role> roles, List<User> users, List<Group> groups,
                              Map<String, ManagedPolicy> policies) {

    public AccountSnapshot {
        roles = List.copyOf(roles);
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        policies = Map.copyOf(policies);
    }

    /**
     * A role; {@code lastUsed} is RoleLastUsed.LastUsedDate (absent when never used in IAM's tracking window);
     * {@code tags} its IAM tags (owner, team), in the order IAM lists them.
     */
    public record Role(String name, String arn, String path, Optional<Instant> created, String trustPolicy,
                       Map<String, String> inlinePolicies, List<String> attachedPolicyArns,
                       Optional<String> boundaryArn, Optional<Instant> lastUsed, Map<String, String> tags) {
        public Role {
            name = nameOr(name, arn);
            path = path == null ? "/" : path;
            trustPolicy = trustPolicy == null ? "" : trustPolicy;
            inlinePolicies = Collections.unmodifiableMap(new LinkedHashMap<>(inlinePolicies));
            attachedPolicyArns = List.copyOf(attachedPolicyArns);
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        /** A role without tags. */
        public Role(String name, String arn, String path, Optional<Instant> created, String trustPolicy,
                    Map<String, String> inlinePolicies, List<String> attachedPolicyArns,
                    Optional<String> boundaryArn, Optional<Instant> lastUsed) {
            this(name, arn, path, created, trustPolicy, inlinePolicies, attachedPolicyArns, boundaryArn, lastUsed, Map.of());
        }

        /** Service-linked roles belong to AWS: never flagged. */
        public boolean isServiceLinked() {
            return path.startsWith("/aws-service-role/");
        }
    }

    /** A user; {@code tags} its IAM tags, in the order IAM lists them. */
    public record User(String name, String arn, String path, Map<String, String> inlinePolicies,
                       List<String> attachedPolicyArns, List<String> groups, Optional<String> boundaryArn,
                       Map<String, String> tags) {
        public User {
            name = nameOr(name, arn);
            inlinePolicies = Collections.unmodifiableMap(new LinkedHashMap<>(inlinePolicies));
            attachedPolicyArns = List.copyOf(attachedPolicyArns);
            groups = List.copyOf(groups);
            tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }

        /** A user without tags. */
        public User(String name, String arn, String path, Map<String, String> inlinePolicies,
                    List<String> attachedPolicyArns, List<String> groups, Optional<String> boundaryArn) {
            this(name, arn, path, inlinePolicies, attachedPolicyArns, groups, boundaryArn, Map.of());
        }
    }

    public record Group(String name, String arn, Map<String, String> inlinePolicies, List<String> attachedPolicyArns) {
        public Group {
            name = nameOr(name, arn);
            inlinePolicies = Collections.unmodifiableMap(new LinkedHashMap<>(inlinePolicies));
            attachedPolicyArns = List.copyOf(attachedPolicyArns);
        }
    }

    /** A managed policy and the document of its default version (absent when the details did not carry it). */
    public record ManagedPolicy(String arn, String name, String defaultVersionId, Optional<String> document,
                                int attachmentCount) {
        public ManagedPolicy {
            name = nameOr(name, arn);
            defaultVersionId = defaultVersionId == null ? "" : defaultVersionId;
        }

        public boolean isAwsManaged() {
            return arn.contains(":iam::aws:policy/");
        }
    }

    /** A name as given, or (when a source leaves it out) the last part of the ARN. */
    static String nameOr(String name, String arn) {
        if (name != null && !name.isBlank()) {
            return name;
        }
        Objects.requireNonNull(arn, "expected an ARN for a principal or policy without a name");
        return arn.substring(arn.lastIndexOf('/') + 1);
    }

    public int principalCount() {
        return roles.size() + users.size() + groups.size();
    }
}
