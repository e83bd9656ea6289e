package io.iamguardrail.tamper;

/**
 * The name a request parameter gives a resource, as the stack's list has it: callers may pass a name, an ARN, a
 * partial ARN, a URL or a qualified name, and each service records what the caller sent.
 */
final class ResourceName {

    private ResourceName() {
    }

    static String of(String service, String value) {
        String v = value.trim();
        return switch (service) {
            // name, name:qualifier, 123456789012:function:name, arn:aws:lambda:...:function:name[:qualifier]
            case "lambda" -> {
                String[] parts = v.split(":");
                int i = indexOf(parts, "function");
                if (i >= 0 && i + 1 < parts.length) {
                    yield parts[i + 1];
                }
                i = indexOf(parts, "event-source-mapping");
                yield i >= 0 && i + 1 < parts.length ? parts[i + 1] : parts[0];
            }
            // a topic ARN, or a subscription ARN: the topic's ARN followed by `:` and the subscription id
            case "sns" -> {
                String[] parts = v.split(":");
                yield parts.length >= 7 ? parts[5] : parts[parts.length - 1];
            }
            // https://sqs.us-east-1.amazonaws.com/123456789012/name
            case "sqs" -> v.substring(v.lastIndexOf('/') + 1);
            case "logs" -> v.startsWith("arn:") ? stripStar(afterPrefix(v, "log-group:")) : v;
            case "s3" -> v.startsWith("arn:") ? v.substring(v.lastIndexOf(':') + 1) : v;
            case "scheduler" -> v.substring(v.lastIndexOf('/') + 1);
            // key/ID, table/NAME, trail/NAME, rule/NAME, policy/NAME (a path is part of no stack policy)
            default -> v.startsWith("arn:") ? v.substring(v.lastIndexOf('/') + 1) : v;
        };
    }

    private static int indexOf(String[] parts, String word) {
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].equals(word)) {
                return i;
            }
        }
        return -1;
    }

    private static String afterPrefix(String v, String marker) {
        int i = v.indexOf(marker);
        return i < 0 ? v : v.substring(i + marker.length());
    }

    private static String stripStar(String v) {
        return v.endsWith(":*") ? v.substring(0, v.length() - 2) : v;
    }
}
