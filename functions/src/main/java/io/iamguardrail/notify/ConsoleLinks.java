package io.iamguardrail.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS console links for an alert: the IAM page of the principal or policy the change is about, and the CloudTrail
 * event history entry of the event. Names and ids are percent-encoded, so a link can never carry markup (no
 * {@code |}, {@code <} or {@code >} survives) and never points anywhere but the AWS console.
 */
public final class ConsoleLinks {

    /** IAM events are recorded in us-east-1 (a global service), so their CloudTrail history lives there. */
    static final String CLOUDTRAIL_REGION = "us-east-1";
    private static final String IAM = "https://console.aws.amazon.com/iam/home#/";
    /** The IAM console of each partition that has a public console (the ISO partitions have none reachable). */
    private static final Map<String, String> IAM_BY_PARTITION = Map.of("aws", IAM,
            "aws-us-gov", "https://console.amazonaws-us-gov.com/iam/home#/",
            "aws-cn", "https://console.amazonaws.cn/iam/home#/");
    private static final Pattern PRINCIPAL_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::\\d*:(role|user|group)/(?:.*/)?([^/]+)");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::(?:\\d*|aws):policy/.+");
    private static final Pattern TARGET = Pattern.compile("(role|user|group) ([\\w+=,.@-]+).*");

    private ConsoleLinks() {
    }

    /** A link with the words that describe it. */
    public record Link(String label, String url) {
    }

    /**
     * The IAM console page of what the change is about: the principal named by the first finding, else the target
     * ({@code role deploy ...}, {@code user bob ...}, a policy ARN).
     */
    public static Optional<Link> principal(AlertDocument alert) {
        for (AlertDocument.Finding f : alert.findings()) {
            if (f.principal().isPresent()) {
                Optional<Link> link = fromArn(f.principal().get());
                if (link.isPresent()) {
                    return link;
                }
            }
        }
        if (alert.target().isEmpty()) {
            return Optional.empty();
        }
        String target = alert.target().get();
        Matcher m = TARGET.matcher(target);
        if (m.matches()) {
            return Optional.of(page(m.group(1), m.group(2)));
        }
        String first = target.split(" ", 2)[0];
        return fromArn(first);
    }

    /**
     * The IAM console page of a role, user, group or managed policy ARN, on the console of the ARN's partition; none
     * for anything else or a partition without a public console.
     */
    public static Optional<Link> fromArn(String arn) {
        Matcher m = PRINCIPAL_ARN.matcher(arn);
        if (m.matches()) {
            return Optional.ofNullable(IAM_BY_PARTITION.get(m.group(1))).map(iam -> page(iam, m.group(2), m.group(3)));
        }
        Matcher p = POLICY_ARN.matcher(arn);
        if (p.matches()) {
            return Optional.ofNullable(IAM_BY_PARTITION.get(p.group(1))).map(iam -> new Link("IAM console: policy "
                    + arn.substring(arn.indexOf(":policy/") + 8), iam + "policies/details/" + encode(arn)));
        }
        return Optional.empty();
    }

    private static Link page(String kind, String name) {
        return page(IAM, kind, name);
    }

    private static Link page(String iam, String kind, String name) {
        return new Link("IAM console: " + kind + " " + name, iam + kind + "s/details/" + encode(name));
    }

    /** The event's page in CloudTrail event history. */
    public static Link cloudTrail(AlertDocument alert) {
        return new Link("CloudTrail event " + alert.event().id(), "https://" + CLOUDTRAIL_REGION
                + ".console.aws.amazon.com/cloudtrail/home?region=" + CLOUDTRAIL_REGION + "#/events/"
                + encode(alert.event().id()));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
