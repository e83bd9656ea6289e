package io.iamguardrail.state;

/** One version of a managed policy; the document is plain JSON. */
public record ManagedPolicy(String arn, String versionId, String document) {
}
