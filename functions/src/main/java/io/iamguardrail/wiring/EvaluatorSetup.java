package io.iamguardrail.wiring;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.tamper.OwnStack;

import java.time.Duration;
import java.util.Optional;

/**
 * What the evaluator is wired with, whoever runs it: the function from its environment, {@code replay} from its
 * options, {@code invoke} from the template's environment. One wiring for all of them ({@link EvaluatorWiring}).
 *
 * @param topicArn           where alerts go; without it nothing is published (and nothing recorded as processed)
 * @param operationsTopicArn a copy of every alert, for the people who run the guardrail
 * @param table              the table of the event ledger, own changes, snapshots, the rate guard, alerted findings
 * @param guardrailRoleArn   the evaluator's role (the loop guard and the misuse rule know it)
 * @param guardrailRoleArns  the stack's other roles, comma-separated
 * @param backupBucket       the versioned bucket backups go to: without it nothing is remediated
 * @param macKeyId           the KMS HMAC key backups and snapshots are signed with
 * @param maxEventAge        events older than this never remediate
 * @param confirmWithCloudTrail act only on events CloudTrail's event history confirms
 * @param scope              how long state without a table lives
 * @param iamReadsPerSecond  the share of IAM's rate one container's reads may take; 0 for no limit
 */
public record EvaluatorSetup(GuardrailConfig config, Optional<String> topicArn, Optional<String> operationsTopicArn,
                             Optional<String> table, Optional<String> guardrailRoleArn,
                             Optional<String> guardrailRoleArns, OwnStack stack, Optional<String> backupBucket,
                             Optional<String> macKeyId, Optional<Duration> maxEventAge, boolean confirmWithCloudTrail,
                             Scope scope, double iamReadsPerSecond) {

    /** Reads without a limit: the CLI, tests. */
    public EvaluatorSetup(GuardrailConfig config, Optional<String> topicArn, Optional<String> operationsTopicArn,
                          Optional<String> table, Optional<String> guardrailRoleArn,
                          Optional<String> guardrailRoleArns, OwnStack stack, Optional<String> backupBucket,
                          Optional<String> macKeyId, Optional<Duration> maxEventAge, boolean confirmWithCloudTrail,
                          Scope scope) {
        this(config, topicArn, operationsTopicArn, table, guardrailRoleArn, guardrailRoleArns, stack, backupBucket,
                macKeyId, maxEventAge, confirmWithCloudTrail, scope, 0);
    }

    /** Where state lives when no table is named. */
    public enum Scope {
        /** A deployed function: nothing outlives an invocation but what the table keeps. */
        FUNCTION,
        /** One CLI run: snapshots and own writes are kept in memory for the events replayed after them. */
        RUN
    }

    public EvaluatorSetup {
        topicArn = blankless(topicArn);
        operationsTopicArn = blankless(operationsTopicArn);
        table = blankless(table);
        guardrailRoleArn = blankless(guardrailRoleArn);
        guardrailRoleArns = blankless(guardrailRoleArns);
        backupBucket = blankless(backupBucket);
        macKeyId = blankless(macKeyId);
    }

    private static Optional<String> blankless(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }
}
