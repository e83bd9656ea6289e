package io.iamguardrail.live;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.remediation.Remediations;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluator function's role in template.yaml grants what remediation calls ({@link Remediations#requiredIamActions()})
 * and no IAM write beyond it. Runs once the template exists (it is written separately).
 */
class RemediationPermissionsTemplateTest {

    static final Path TEMPLATE = Path.of(System.getProperty("guardrail.jar", "../functions/target/iam-guardrail.jar"))
            .toAbsolutePath().getParent().getParent().getParent().resolve("template.yaml");

    @Test
    void theFunctionRoleGrantsExactlyTheRemediationWrites() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(TEMPLATE), "no template.yaml yet at " + TEMPLATE);
        Node root = NodeReader.readYaml(Files.readString(TEMPLATE));
        Set<String> granted = new TreeSet<>();
        collectActions(root, granted);
        Set<String> required = Remediations.requiredIamActions();
        assertThat(granted).as("actions granted in " + TEMPLATE).containsAll(required);
        List<String> extraWrites = new ArrayList<>();
        for (String action : granted) {
            boolean iamWrite = action.startsWith("iam:") && !action.startsWith("iam:Get") && !action.startsWith("iam:List");
            if (iamWrite && !required.contains(action)) {
                extraWrites.add(action);
            }
        }
        assertThat(extraWrites).as("IAM writes granted that no remediation calls").isEmpty();
    }

    /** Every string under an `Action` key, anywhere in the template (statements of roles and SAM policies). */
    static void collectActions(Node n, Set<String> out) {
        if (n instanceof Node.Obj o) {
            for (Map.Entry<String, Node> e : o.fields().entrySet()) {
                if (e.getKey().equals("Action")) {
                    strings(e.getValue(), out);
                } else {
                    collectActions(e.getValue(), out);
                }
            }
        } else if (n instanceof Node.Arr a) {
            a.items().forEach(i -> collectActions(i, out));
        }
    }

    static void strings(Node n, Set<String> out) {
        if (n instanceof Node.Str s) {
            out.add(s.value());
        } else if (n instanceof Node.Arr a) {
            a.items().forEach(i -> strings(i, out));
        }
    }
}
