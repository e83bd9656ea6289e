package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

/**
 * A resource ARN or ARN pattern as written. {@code opaque} marks a template value computed by an intrinsic
 * function ({@code !GetAtt Bucket.Arn}); its text is a readable stand-in and it is taken to be one specific resource.
 */
public record ResourcePattern(String value, boolean opaque, SourceLocation at) {

    /**
     * True when the pattern covers every resource of its type in any account or the whole service:
     * {@code *}, {@code arn:aws:iam::*:role/*}, {@code arn:aws:s3:::*}. A path or name prefix counts as scoped.
     */
    public boolean isUnscoped() {
        if (opaque) {
            return false;
        }
        if (value.equals("*")) {
            return true;
        }
        String[] parts = value.split(":", 6);
        if (parts.length < 6) {
            return value.chars().allMatch(c -> c == '*');
        }
        if (parts[2].equals("*") || parts[2].isEmpty()) {
            return true;
        }
        String resource = parts[5];
        if (resource.equals("*")) {
            return true;
        }
        if (parts[2].equals("s3")) {
            // An S3 ARN names a bucket, not a type: `my-bucket/*` is one bucket's objects.
            return resource.startsWith("*");
        }
        int slash = resource.indexOf('/');
        int colon = resource.indexOf(':');
        int cut = slash < 0 ? colon : (colon < 0 ? slash : Math.min(slash, colon));
        if (cut < 0) {
            return false;
        }
        String rest = resource.substring(cut + 1);
        return rest.equals("*") || rest.equals("*/*") || rest.equals("*:*");
    }
}
