package io.iamguardrail.audit.organization;

import io.iamguardrail.config.Severity;

import java.util.Comparator;

/** A principal among the worst of the organization: its account, its worst severity and how many findings it has. */
public record WorstPrincipal(String account, String accountName, String arn, String kind, Severity worst, int findings) {

    /** Worst severity first, then more findings, then by account and ARN so that the order is stable. */
    public static final Comparator<WorstPrincipal> WORST_FIRST = Comparator.comparing(WorstPrincipal::worst)
            .thenComparing(Comparator.comparingInt(WorstPrincipal::findings).reversed())
            .thenComparing(WorstPrincipal::account).thenComparing(WorstPrincipal::arn);
}
