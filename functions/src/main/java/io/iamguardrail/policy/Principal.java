package io.iamguardrail.policy;

import io.iamguardrail.json.SourceLocation;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One principal. {@code Principal: "*"} and {@code {"AWS": "*"}} are both {@link Type#AWS} with value {@code *}.
 * AWS principals may be bare account ids, account-root ARNs, or role, user and session ARNs.
 */
public record Principal(Type type, String value, boolean opaque, SourceLocation at) {

    public enum Type { AWS, SERVICE, FEDERATED, CANONICAL_USER }

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern IAM_ARN = Pattern.compile("arn:[^:]+:(?:iam|sts)::(\\$\\{AWS::AccountId}|[^:]*):(.*)");

    public boolean isEveryone() {
        return !opaque && value.equals("*") && (type == Type.AWS);
    }

    /** The account of an AWS principal: a bare 12-digit id or the account field of its ARN. */
    public Optional<String> account() {
        if (type != Type.AWS) {
            return Optional.empty();
        }
        if (ACCOUNT_ID.matcher(value).matches() || value.equals("${AWS::AccountId}")) {
            return Optional.of(value);
        }
        Matcher m = IAM_ARN.matcher(value);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** True for a bare account id or {@code arn:aws:iam::ID:root}: every principal of that account that is allowed to. */
    public boolean isAccountRoot() {
        if (type != Type.AWS) {
            return false;
        }
        if (ACCOUNT_ID.matcher(value).matches() || value.equals("${AWS::AccountId}")) {
            return true;
        }
        Matcher m = IAM_ARN.matcher(value);
        return m.matches() && m.group(2).equals("root");
    }
}
