package io.iamguardrail.aws;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.state.IamState;
import io.iamguardrail.state.LookupFailed;
import io.iamguardrail.state.ManagedPolicy;
import io.iamguardrail.state.PrincipalRef;
import io.iamguardrail.state.PrincipalState;
import io.iamguardrail.state.StateUnavailable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.User;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * IAM as it is now, through SDK v2. Every document IAM returns is URL-encoded (RFC 3986) and decoded here.
 * NoSuchEntity is retried a few times (IAM is eventually consistent) before it is reported; a missing entity or a
 * denied call becomes a {@link LookupFailed}, throttling or failure past the SDK's retries a {@link StateUnavailable}
 * (the invocation fails and is retried); never an empty answer. Managed policy versions are immutable, so they are cached per
 * container by ARN and version; AWS managed policies whose default version matches the bundled snapshot cost one call,
 * and that call is made once per {@link #AWS_DEFAULT_KEPT}: only AWS writes those policies, and during a deployment
 * that attaches the same AWS policy to hundreds of roles, asking again for each would spend IAM's rate on nothing.
 */
public final class LiveIamState implements IamState {

    static final int NOT_FOUND_RETRIES = 3;
    /** How long the default version of an AWS managed policy is taken as read. */
    static final Duration AWS_DEFAULT_KEPT = Duration.ofMinutes(15);

    private record DefaultVersion(String versionId, Instant read) {
    }

    private final IamClient iam;
    private final ManagedPolicySnapshot snapshot;
    private final Map<String, ManagedPolicy> versions = new ConcurrentHashMap<>();
    private final Map<String, DefaultVersion> awsDefaults = new ConcurrentHashMap<>();
    private final Clock clock;
    private final ReadRate rate;
    private final AtomicLong calls = new AtomicLong();
    private final long notFoundBackoffMillis;

    public LiveIamState(IamClient iam, ManagedPolicySnapshot snapshot) {
        this(iam, snapshot, 400);
    }

    /** @param notFoundBackoffMillis first wait before retrying NoSuchEntity (doubled each retry) */
    public LiveIamState(IamClient iam, ManagedPolicySnapshot snapshot, long notFoundBackoffMillis) {
        this(iam, snapshot, notFoundBackoffMillis, Clock.systemUTC());
    }

    public LiveIamState(IamClient iam, ManagedPolicySnapshot snapshot, long notFoundBackoffMillis, Clock clock) {
        this(iam, snapshot, notFoundBackoffMillis, clock, ReadRate.UNLIMITED);
    }

    /** @param rate the share of IAM's rate these reads may take (each request, each retry of one, takes a token) */
    public LiveIamState(IamClient iam, ManagedPolicySnapshot snapshot, long notFoundBackoffMillis, Clock clock,
                        ReadRate rate) {
        this.rate = rate;
        this.clock = clock;
        this.iam = iam;
        this.snapshot = snapshot;
        this.notFoundBackoffMillis = notFoundBackoffMillis;
    }

    /** IAM API calls made so far (for the per-event metric). */
    public long calls() {
        return calls.get();
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public PrincipalState principal(PrincipalRef ref) throws LookupFailed {
        String name = ref.name();
        return switch (ref.kind()) {
            case ROLE -> {
                Role r = call(ref.toString(), () -> iam.getRole(b -> b.roleName(name)).role());
                Map<String, String> inline = new LinkedHashMap<>();
                for (String p : call(ref + " inline policies", () ->
                        iam.listRolePoliciesPaginator(b -> b.roleName(name)).policyNames().stream().toList())) {
                    inline.put(p, decode(call(ref + " inline policy " + p,
                            () -> iam.getRolePolicy(b -> b.roleName(name).policyName(p)).policyDocument())));
                }
                List<String> attached = call(ref + " attached policies", () -> iam.listAttachedRolePoliciesPaginator(
                        b -> b.roleName(name)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList());
                yield new PrincipalState(ref, r.arn(), r.path(), Optional.ofNullable(r.assumeRolePolicyDocument())
                        .map(LiveIamState::decode), inline, attached,
                        Optional.ofNullable(r.permissionsBoundary()).map(pb -> pb.permissionsBoundaryArn()), List.of());
            }
            case USER -> {
                User u = call(ref.toString(), () -> iam.getUser(b -> b.userName(name)).user());
                Map<String, String> inline = new LinkedHashMap<>();
                for (String p : call(ref + " inline policies", () ->
                        iam.listUserPoliciesPaginator(b -> b.userName(name)).policyNames().stream().toList())) {
                    inline.put(p, decode(call(ref + " inline policy " + p,
                            () -> iam.getUserPolicy(b -> b.userName(name).policyName(p)).policyDocument())));
                }
                List<String> attached = call(ref + " attached policies", () -> iam.listAttachedUserPoliciesPaginator(
                        b -> b.userName(name)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList());
                List<String> groups = call(ref + " groups", () -> iam.listGroupsForUserPaginator(b -> b.userName(name))
                        .groups().stream().map(Group::groupName).toList());
                yield new PrincipalState(ref, u.arn(), u.path(), Optional.empty(), inline, attached,
                        Optional.ofNullable(u.permissionsBoundary()).map(pb -> pb.permissionsBoundaryArn()), groups);
            }
            case GROUP -> {
                Group g = call(ref.toString(), () -> iam.getGroup(b -> b.groupName(name).maxItems(1)).group());
                Map<String, String> inline = new LinkedHashMap<>();
                for (String p : call(ref + " inline policies", () ->
                        iam.listGroupPoliciesPaginator(b -> b.groupName(name)).policyNames().stream().toList())) {
                    inline.put(p, decode(call(ref + " inline policy " + p,
                            () -> iam.getGroupPolicy(b -> b.groupName(name).policyName(p)).policyDocument())));
                }
                List<String> attached = call(ref + " attached policies", () -> iam.listAttachedGroupPoliciesPaginator(
                        b -> b.groupName(name)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList());
                yield new PrincipalState(ref, g.arn(), g.path(), Optional.empty(), inline, attached, Optional.empty(),
                        List.of());
            }
        };
    }

    /**
     * The wanted principals of each kind the batch names many of ({@link PrincipalDetails#WORTH_IT}), through
     * {@code GetAccountAuthorizationDetails} filtered to those kinds, a page (and a token of the read rate) at a time
     * until all are found; the others are left to {@link #principal}.
     */
    @Override
    public Map<PrincipalRef, PrincipalState> principals(Set<PrincipalRef> wanted) throws LookupFailed {
        Set<EntityType> kinds = PrincipalDetails.worthListing(wanted);
        Map<PrincipalRef, PrincipalState> found = new HashMap<>();
        if (kinds.isEmpty()) {
            return found;
        }
        long sought = wanted.stream().filter(r -> kinds.contains(PrincipalDetails.entityType(r.kind()))).count();
        Optional<String> marker = Optional.empty();
        do {
            Optional<String> from = marker;
            GetAccountAuthorizationDetailsResponse page = call("the account's " + kinds + " (authorization details)",
                    () -> iam.getAccountAuthorizationDetails(b -> b.filter(kinds).maxItems(PrincipalDetails.PAGE)
                            .marker(from.orElse(null))));
            PrincipalDetails.read(page, wanted, p -> found.put(p.ref(), p));
            marker = Boolean.TRUE.equals(page.isTruncated()) ? Optional.ofNullable(page.marker()) : Optional.empty();
        } while (marker.isPresent() && found.size() < sought);
        return found;
    }

    @Override
    public ManagedPolicy managedPolicy(String arn, Optional<String> versionId) throws LookupFailed {
        String version;
        try {
            version = versionId.isPresent() ? versionId.get() : defaultVersion(arn);
        } catch (LookupFailed | StateUnavailable failed) {
            // AWS managed policies are in the bundled snapshot: better than nothing when IAM cannot be read.
            Optional<ManagedPolicySnapshot.Entry> bundled = snapshot.find(arn);
            if (bundled.isPresent() && versionId.isEmpty()) {
                return new ManagedPolicy(arn, bundled.get().versionId(), bundled.get().document());
            }
            throw failed;
        }
        ManagedPolicy cached = versions.get(arn + "#" + version);
        if (cached != null) {
            return cached;
        }
        Optional<ManagedPolicySnapshot.Entry> bundled = snapshot.find(arn).filter(e -> e.versionId().equals(version));
        ManagedPolicy policy;
        if (bundled.isPresent()) {
            policy = new ManagedPolicy(arn, version, bundled.get().document());
        } else {
            PolicyVersion v = call("policy " + arn + " " + version,
                    () -> iam.getPolicyVersion(b -> b.policyArn(arn).versionId(version)).policyVersion());
            policy = new ManagedPolicy(arn, version, decode(v.document()));
        }
        versions.put(arn + "#" + version, policy);
        return policy;
    }

    private String defaultVersion(String arn) throws LookupFailed {
        boolean awsManaged = arn.matches("arn:[a-z-]+:iam::aws:policy/.+");
        Instant now = clock.instant();
        DefaultVersion kept = awsManaged ? awsDefaults.get(arn) : null;
        if (kept != null && now.isBefore(kept.read().plus(AWS_DEFAULT_KEPT))) {
            return kept.versionId();
        }
        String version = call("policy " + arn, () -> iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId());
        if (awsManaged) {
            awsDefaults.put(arn, new DefaultVersion(version, now));
        }
        return version;
    }

    @Override
    public List<String> policyVersions(String arn) throws LookupFailed {
        return call("versions of " + arn, () -> iam.listPolicyVersionsPaginator(b -> b.policyArn(arn)).versions()
                .stream().sorted(Comparator.comparing(PolicyVersion::createDate,
                        Comparator.nullsFirst(Comparator.naturalOrder())).reversed()
                        .thenComparing(PolicyVersion::versionId, Comparator.reverseOrder()))
                .map(PolicyVersion::versionId).toList());
    }

    @Override
    public List<PrincipalRef> entitiesForPolicy(String arn, int limit) throws LookupFailed {
        return call("entities of " + arn, () -> {
            var r = iam.listEntitiesForPolicy(b -> b.policyArn(arn).maxItems(Math.min(limit, 1000)));
            List<PrincipalRef> out = new ArrayList<>();
            r.policyRoles().forEach(x -> out.add(new PrincipalRef(PrincipalRef.Kind.ROLE, x.roleName())));
            r.policyUsers().forEach(x -> out.add(new PrincipalRef(PrincipalRef.Kind.USER, x.userName())));
            r.policyGroups().forEach(x -> out.add(new PrincipalRef(PrincipalRef.Kind.GROUP, x.groupName())));
            return out.size() > limit ? out.subList(0, limit) : out;
        });
    }

    @Override
    public List<String> groupMembers(String group, int limit) throws LookupFailed {
        // One GetGroup page: its users, at most `limit` (GetGroup takes up to 1000 a page).
        return call("members of group " + group, () -> iam.getGroup(b -> b.groupName(group).maxItems(Math.min(limit, 1000)))
                .users().stream().map(User::userName).limit(limit).toList());
    }

    /** IAM returns documents URL-encoded (RFC 3986, no bare `+`), and the Java SDK does not decode them. */
    static String decode(String document) {
        return URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    private <T> T call(String what, Supplier<T> request) throws LookupFailed {
        for (int attempt = 0; ; attempt++) {
            rate.take();
            calls.incrementAndGet();
            try {
                return request.get();
            } catch (NoSuchEntityException e) {
                if (attempt >= NOT_FOUND_RETRIES) {
                    throw new LookupFailed(what + " not found (deleted, or not yet visible: IAM is eventually consistent)");
                }
                sleep(notFoundBackoffMillis * (1L << attempt));
            } catch (IamException e) {
                String code = e.awsErrorDetails() == null ? String.valueOf(e.statusCode()) : e.awsErrorDetails().errorCode();
                if (e.isThrottlingException() || e.statusCode() >= 500) {
                    throw new StateUnavailable(what + ": " + code + " (the SDK's retries are exhausted)", e);
                }
                throw new LookupFailed(what + ": " + code);
            } catch (SdkException e) {
                // No answer at all (connection refused or dropped, timeout): nothing is known about the entity.
                throw new StateUnavailable(what + ": " + e.getClass().getSimpleName() + " (the SDK's retries are"
                        + " exhausted)", e);
            }
        }
    }

    private static void sleep(long millis) throws LookupFailed {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupFailed("interrupted");
        }
    }

}
