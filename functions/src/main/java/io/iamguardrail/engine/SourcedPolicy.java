package io.iamguardrail.engine;

import io.iamguardrail.catalog.ManagedPolicySnapshot;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyDocument;
import io.iamguardrail.policy.PolicyKind;

import java.util.Optional;

/**
 * A parsed policy and where it comes from.
 *
 * @param source the file (or template, or live principal) it was read from
 * @param name   how to call it in messages: the policy name, the template path, or the file name
 * @param origin how it is attached
 * @param awsAuthored AWS wrote the document (an AWS managed policy), so how it is written is nobody else's to fix
 */
public record SourcedPolicy(String source, String name, Origin origin, ParseResult parsed, boolean awsAuthored) {

    /** A policy read from {@code source}: written by AWS when the source is an AWS managed policy's ARN. */
    public SourcedPolicy(String source, String name, Origin origin, ParseResult parsed) {
        this(source, name, origin, parsed, ManagedPolicySnapshot.isAwsManaged(source));
    }

    public enum Origin {
        /** A policy file or a standalone managed policy: not known to be attached to anything. */
        STANDALONE,
        /** A managed policy attached to the principal. */
        MANAGED,
        /** An inline policy embedded in the principal. */
        INLINE,
        /** Inherited through a group the user belongs to. */
        GROUP,
        /** The principal's permissions boundary. */
        BOUNDARY,
        /** A role's trust policy. */
        TRUST,
        /**
         * A policy the principal gets that could not be read (a template's policy ARN from a parameter or an
         * import, a customer managed policy defined elsewhere): no document, one diagnostic saying what and where.
         */
        UNRESOLVED,
        /** A resource-based policy (bucket, queue, topic, key, function, repository, secret, API). */
        RESOURCE
    }

    public Optional<PolicyDocument> document() {
        return parsed.document();
    }

    public PolicyKind kind() {
        return parsed.kind();
    }
}
