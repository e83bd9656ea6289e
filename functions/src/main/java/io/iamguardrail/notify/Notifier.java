package io.iamguardrail.notify;

import java.util.List;

/**
 * Where the notifier function delivers alerts: one implementation per destination (Slack today), each configured by
 * its row in {@link Notifiers}. The {@link Dispatcher} has already refused what is not a notification of the alert
 * topic and parsed the rest, so an implementation renders and posts, nothing else.
 *
 * <p>It never drops a notice silently and never throws for one notice: a notice it could not deliver is in
 * {@link Result#failedIds()} with the reason in {@link Result#errors()}, so the function fails it back to SNS or SQS,
 * whose retries and dead-letter queue keep it. It throws only when it cannot work at all (its webhook secret cannot be
 * read): the invocation then fails, its errors alarm goes off, and every notice is delivered again.
 */
public interface Notifier {

    /** The destination as people name it, in errors and logs: {@code Slack}. */
    String name();

    /** Delivers {@code notices}, in order; a burst may be grouped into fewer messages. */
    Result deliver(List<Notice> notices);

    /**
     * What happened: messages posted, and the ids of notices that failed with the reasons; {@code retries}: the
     * attempts beyond the first that posted messages took (Slack's rate limit or errors).
     */
    record Result(int posted, List<String> failedIds, List<String> errors, int retries) {
        public Result {
            failedIds = List.copyOf(failedIds);
            errors = List.copyOf(errors);
        }

        public Result(int posted, List<String> failedIds, List<String> errors) {
            this(posted, failedIds, errors, 0);
        }

        public boolean ok() {
            return failedIds.isEmpty();
        }
    }
}
