package io.iamguardrail.engine;

import io.iamguardrail.policy.Condition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies conditions by whether they really narrow who can use a grant. A restrictive condition (the caller's
 * network, organisation or account, the service a role is passed to, MFA...) lowers a finding's severity and the
 * finding says which one; conditions that do not narrow access (TLS, region, time, user agent) never do.
 */
public final class Conditions {

    private static final Set<String> RESTRICTIVE_GLOBAL = Set.of("aws:sourceip", "aws:sourcevpc", "aws:sourcevpce",
            "aws:vpcsourceip", "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount",
            "aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths",
            "aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths", "aws:multifactorauthage",
            "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "aws:principalservicename",
            "aws:principalservicenameslist", "aws:userid", "aws:username", "aws:federatedprovider",
            "aws:principalisawsservice", "aws:sourceowner", "aws:ismcpserviceaction");
    private static final List<String> RESTRICTIVE_GLOBAL_PREFIXES = List.of("aws:principaltag/", "aws:resourcetag/",
            "aws:requesttag/");
    /** Global keys that describe the request but do not narrow who may use the grant. */
    private static final Set<String> NOT_RESTRICTIVE = Set.of("aws:securetransport", "aws:requestedregion",
            "aws:currenttime", "aws:epochtime", "aws:useragent", "aws:referer", "aws:tokenissuetime",
            "aws:tagkeys", "aws:sourceidentity", "aws:ec2instancesourcevpc", "aws:ec2instancesourceprivateipv4",
            "aws:ismcpserviceaction");

    private Conditions() {
    }

    /** The first restrictive condition among these, described for a finding, if any. */
    public static Optional<String> restriction(List<Condition> conditions) {
        for (Condition c : conditions) {
            if (isRestrictive(c)) {
                return Optional.of("restricted by condition `" + c.key() + "` (" + c.written() + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * The first condition of a Deny that narrows who may still act: the Deny applies unless the caller is on the
     * right network, in the right account, authenticated with MFA... A Deny on {@code aws:SecureTransport} or a
     * region narrows nothing of the kind and leaves the grant as broad as it was.
     */
    public static Optional<String> denyRestriction(List<Condition> conditions) {
        for (Condition c : conditions) {
            String key = c.keyLower();
            boolean restrictive;
            if (key.equals("aws:multifactorauthpresent")) {
                // Deny when MFA is false (or absent): only MFA-authenticated requests keep the grant.
                restrictive = (c.operator().equals("Bool") && c.values().stream().allMatch("false"::equalsIgnoreCase))
                        || (c.operator().equals("Null") && c.values().stream().allMatch("true"::equalsIgnoreCase));
            } else {
                restrictive = isRestrictive(c);
            }
            if (restrictive) {
                return Optional.of("limited by a Deny on condition `" + c.key() + "` (" + c.written() + ")");
            }
        }
        return Optional.empty();
    }

    public static boolean isRestrictive(Condition c) {
        String key = c.keyLower();
        if (key.equals("aws:multifactorauthpresent")) {
            return requiresMfa(c);
        }
        if (key.equals("aws:viaawsservice")) {
            return c.operator().equals("Bool") && c.values().stream().allMatch("true"::equalsIgnoreCase);
        }
        if (c.operator().equals("Null")) {
            return false; // "key is (not) present" says nothing about whose request it is
        }
        if (NOT_RESTRICTIVE.contains(key)) {
            return false;
        }
        if (RESTRICTIVE_GLOBAL.contains(key)) {
            return true;
        }
        for (String prefix : RESTRICTIVE_GLOBAL_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        // Service-specific keys (iam:PassedToService, kms:ViaService, s3:prefix, ec2:ResourceTag/...) narrow the grant.
        return !key.startsWith("aws:");
    }

    /** True when the condition allows only requests authenticated with MFA. */
    public static boolean requiresMfa(Condition c) {
        String key = c.keyLower();
        if (key.equals("aws:multifactorauthage")) {
            return !c.ifExists();
        }
        if (!key.equals("aws:multifactorauthpresent")) {
            return false;
        }
        if (c.operator().equals("Bool") && !c.ifExists()) {
            return c.values().stream().allMatch("true"::equalsIgnoreCase);
        }
        if (c.operator().equals("Null")) {
            return c.values().stream().allMatch("false"::equalsIgnoreCase);
        }
        return false;
    }

    public static boolean hasKey(List<Condition> conditions, String keyLower) {
        for (Condition c : conditions) {
            if (c.keyLower().equals(keyLower)) {
                return true;
            }
        }
        return false;
    }
}
