package io.iamguardrail.engine;

import io.iamguardrail.catalog.AccessLevel;
import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.IamAction;
import io.iamguardrail.catalog.IamService;
import io.iamguardrail.catalog.Knowledge;

import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/** Whether a set of permissions makes its holder privileged, and why: the shared judgement of several rules. */
public final class Privilege {

    /** At most this share of the catalogue may be missing for a grant to count as administrator access. */
    static final double ADMIN_TOLERANCE = 0.01;

    private Privilege() {
    }

    /**
     * Administrator access: every action on all resources, or all but a tiny exclusion that leaves IAM intact
     * ({@code NotAction: cloudtrail:*} is still admin; PowerUserAccess, which excludes IAM, is not).
     */
    public static boolean isAdmin(Permissions p, BitSet level) {
        ActionCatalog c = p.catalog();
        IamService iam = c.service("iam");
        if (iam != null && level.nextClearBit(iam.firstAction()) < iam.endAction()) {
            return false;
        }
        int missing = c.size() - level.cardinality();
        return missing <= c.size() * ADMIN_TOLERANCE;
    }

    /**
     * Services whose whole set of actions, together with every IAM write, is administrator access in effect: with
     * IAM writes the holder can grant itself anything, and with these it can already run code and reach data.
     */
    static final List<String> COMPUTE = List.of("ec2", "lambda", "ecs", "eks", "batch", "codebuild");

    /** Why the permissions are administrator access in effect (every IAM write plus a compute service), if so. */
    public static Optional<String> adminInEffect(Permissions p, BitSet level) {
        ActionCatalog c = p.catalog();
        IamService iam = c.service("iam");
        if (iam == null) {
            return Optional.empty();
        }
        for (IamAction a : c.actions().subList(iam.firstAction(), iam.endAction())) {
            if ((a.level().isWriteLike() && !readLikeName(a)) && !level.get(a.index())) {
                return Optional.empty();
            }
        }
        for (String service : COMPUTE) {
            IamService s = c.service(service);
            if (s != null && level.nextClearBit(s.firstAction()) >= s.endAction()) {
                return Optional.of("every IAM write, so it can grant itself any permission, and every `" + service
                        + "` action");
            }
        }
        return Optional.empty();
    }

    private static final List<String> READ_VERBS = List.of("Get", "List", "Describe", "View", "Search", "BatchGet",
            "Check", "Preview", "Validate", "Export");

    /**
     * Whether the action's name says it only reads: a read verb followed by a capital ({@code GetObject}, not
     * {@code Getaway}). The reference classifies a few readers as Write or Permissions management
     * ({@code iot:ListSubscriptions}, {@code ssm-sap:GetResourcePermission}); reporting them as changes would be a
     * false positive. Plain prefix tests rather than a regular expression: this runs for every action of the
     * catalogue on the first evaluation, where the expression cost 20–30 ms in a fresh JVM.
     */
    public static boolean readLikeName(IamAction a) {
        String name = a.name();
        for (String verb : READ_VERBS) {
            int n = verb.length();
            if (name.length() > n && name.startsWith(verb) && name.charAt(n) >= 'A' && name.charAt(n) <= 'Z') {
                return true;
            }
        }
        return false;
    }

    /** One catalogue is loaded per process: its permissions-management set is computed once (22,000 actions). */
    private static final Derived<ActionCatalog, BitSet> PERMISSIONS_MANAGEMENT = new Derived<>(catalog -> {
        BitSet bits = new BitSet(catalog.size());
        for (IamAction a : catalog.actions()) {
            if (a.level() == AccessLevel.PERMISSIONS_MANAGEMENT && !readLikeName(a)) {
                bits.set(a.index());
            }
        }
        return bits;
    });

    /** The actions of the Permissions management access level that change something, as a set the caller owns. */
    public static BitSet permissionsManagement(ActionCatalog catalog) {
        return (BitSet) PERMISSIONS_MANAGEMENT.of(catalog).clone();
    }

    /** Why these permissions are privileged, or empty when they are not. */
    public static Optional<String> assess(Permissions p, Knowledge knowledge) {
        BitSet broad = p.broad();
        if (isAdmin(p, broad) || adminInEffect(p, broad).isPresent()) {
            return Optional.of("it has administrator access");
        }
        for (Knowledge.EscalationMethod m : knowledge.escalationMethods()) {
            if (p.allowsBroadly(m.actions())) {
                return Optional.of("it can escalate its privileges (" + m.name() + ")");
            }
        }
        ActionCatalog c = p.catalog();
        IamService iam = c.service("iam");
        if (iam != null) {
            BitSet iamPm = permissionsManagement(c);
            BitSet onlyIam = new BitSet();
            onlyIam.set(iam.firstAction(), iam.endAction());
            iamPm.and(onlyIam);
            iamPm.and(broad);
            if (!iamPm.isEmpty()) {
                return Optional.of("it can change IAM permissions (" + Permissions.sample(c, iamPm, 2) + ")");
            }
        }
        return Optional.empty();
    }
}
