package io.iamguardrail.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    private static final Pattern PRINCIPAL_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d*:(role|user|group)/(?:.*/)?([^/]+)");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(?:\\d*|aws):policy/.+");
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

    static Optional<Link> fromArn(String arn) {
        Matcher m = PRINCIPAL_ARN.matcher(arn);
        if (m.matches()) {
            return Optional.of(page(m.group(1), m.group(2)));
        }
        if (POLICY_ARN.matcher(arn).matches()) {
            return Optional.of(new Link("IAM console: policy " + arn.substring(arn.indexOf(":policy/") + 8),
                    IAM + "policies/details/" + encode(arn)));
        }
        return Optional.empty();
    }

    private static Link page(String kind, String name) {
        return new Link("IAM console: " + kind + " " + name, IAM + kind + "s/details/" + encode(name));
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
