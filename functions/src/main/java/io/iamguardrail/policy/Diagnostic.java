package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

/** A reason the input is not a valid IAM policy, with where it is. Messages say what was expected and what was found. */
public record Diagnostic(SourceLocation at, String message) {
}
