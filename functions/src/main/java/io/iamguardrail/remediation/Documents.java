package io.iamguardrail.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Policy documents compared as IAM compares them: as JSON, not as text (IAM reformats what it stores). */
final class Documents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {
    }

    static boolean same(String a, String b) {
        try {
            JsonNode x = JSON.readTree(a);
            JsonNode y = JSON.readTree(b);
            return x != null && x.equals(y);
        } catch (java.io.IOException e) {
            return a.equals(b);
        }
    }
}
