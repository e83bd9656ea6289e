package io.iamguardrail.engine;

/**
 * A property of a rule that decides how its findings are judged ({@link Judgement}); declared in the rule's catalogue
 * entry. {@link #meaning()} is how docs/rules.md states it.
 */
public enum RuleTrait {
    /** Administrator access: the findings of rules {@link #IMPLIED_BY_ADMIN} fold into it. */
    ADMIN("the findings administrator access implies are reported as this one"),
    /** Already implied by administrator access: where that is found, reporting this too would only repeat it. */
    IMPLIED_BY_ADMIN("not reported where administrator access is found in the same policy or principal"),
    /**
     * About how a document is written (grammar, names, resource scoping): not actionable when AWS wrote the document,
     * since nobody can edit an AWS managed policy. What a policy grants is never this: attaching it is the user's choice.
     */
    AWS_AUTHORED_NOISE("not reported about an AWS managed policy, which nobody can edit (what it grants still is)"),
    /** Says the document or the evaluation is broken, which holds whether or not the statement grants anything today. */
    KEPT_WHEN_DORMANT("keeps its severity in a statement that grants nothing today"),
    /** Found only by the scheduled audit (unused access): a configuration may name it, a policy check never reports it. */
    AUDIT_ONLY("reported by the scheduled audit only");

    private final String meaning;

    RuleTrait(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
