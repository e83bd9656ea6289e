package io.iamguardrail.pipeline;

import java.util.regex.Pattern;

/**
 * Masks secrets in text that leaves the function (log lines, error messages): Slack webhook URLs, and the value of
 * any field named like a secret key, token or password. Error messages quote the input they reject, and a forged
 * event or a misplaced configuration value may carry one.
 */
public final class Secrets {

    private static final Pattern WEBHOOK = Pattern.compile("(https://hooks\\.slack(?:-gov)?\\.com/)[^\\s\"'`<>]+");
    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?:secret|token|password|signature)[A-Za-z_-]*[\"'`]?\\s*[:=]\\s*[\"'`]?)[^\\s\"'`,}]{8,}");

    private Secrets() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = WEBHOOK.matcher(text).replaceAll("$1[redacted]");
        return NAMED.matcher(out).replaceAll("$1[redacted]");
    }
}
