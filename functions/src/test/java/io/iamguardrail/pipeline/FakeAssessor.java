package io.iamguardrail.pipeline;

import io.iamguardrail.remediation.Assessor;
import io.iamguardrail.state.PrincipalRef;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An assessor whose answers a test sets: risks per principal and candidate, and who holds a policy. */
final class FakeAssessor implements Assessor {

    final Map<String, List<String>> risks = new HashMap<>();
    final Map<String, List<PrincipalRef>> holders = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    static String key(PrincipalRef ref, Candidate c) {
        return ref + " " + c;
    }

    FakeAssessor risky(PrincipalRef ref, Candidate c, String... found) {
        risks.put(key(ref, c), List.of(found));
        return this;
    }

    @Override
    public List<String> risks(PrincipalRef ref, Candidate candidate) {
        asked.add(key(ref, candidate));
        return risks.getOrDefault(key(ref, candidate), List.of());
    }

    @Override
    public List<PrincipalRef> attachedTo(String policyArn, int limit) {
        return holders.getOrDefault(policyArn, List.of());
    }
}
