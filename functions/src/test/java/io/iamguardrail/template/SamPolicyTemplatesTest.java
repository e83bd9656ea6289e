package io.iamguardrail.template;

import io.iamguardrail.json.Intrinsics;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.SourceLocation;
import io.iamguardrail.policy.ParseResult;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Guards the generated SAM policy templates: a broken or partial refresh fails here, not in a user's CI. */
class SamPolicyTemplatesTest {

    private final SamPolicyTemplates templates = SamPolicyTemplates.bundled();

    @Test
    void theBundledCopyHasEveryTemplateSamPublishesAndSaysWhereItComesFrom() {
        // aws-sam-translator 1.110 publishes 81 templates; SAM only ever adds templates (old names stay valid).
        assertThat(templates.all()).hasSizeGreaterThanOrEqualTo(81);
        assertThat(templates.source()).startsWith("aws-sam-translator ").contains("policy_templates.json");
        assertThat(templates.all().keySet()).contains("S3CrudPolicy", "S3ReadPolicy", "S3WritePolicy",
                "S3FullAccessPolicy", "DynamoDBCrudPolicy", "DynamoDBReadPolicy", "SQSPollerPolicy",
                "SQSSendMessagePolicy", "SNSPublishMessagePolicy", "SNSCrudPolicy", "LambdaInvokePolicy",
                "KMSDecryptPolicy", "AWSSecretsManagerGetSecretValuePolicy", "SSMParameterReadPolicy",
                "StepFunctionsExecutionPolicy", "VPCAccessPolicy", "EventBridgePutEventsPolicy",
                "KinesisCrudPolicy", "CloudWatchPutMetricPolicy", "EcsRunTaskPolicy", "AthenaQueryPolicy");
    }

    @Test
    void everyTemplateExpandsToAValidPolicyWithEveryParameterReplaced() {
        TemplateValues values = new TemplateValues(new Node.Obj(Map.of(), SourceLocation.UNKNOWN), Optional.empty());
        List<String> problems = new ArrayList<>();
        for (SamPolicyTemplates.Template t : templates.all().values()) {
            Node doc = templates.expand(t, null, SourceLocation.UNKNOWN, values);
            ParseResult parsed = PolicyParser.parse(doc, PolicyKind.IDENTITY);
            if (!parsed.isValid() || parsed.document().get().statements().isEmpty()) {
                problems.add(t.name() + ": " + parsed.diagnostics());
            }
            if (refersToParameter(doc, t.parameters())) {
                problems.add(t.name() + ": a parameter is left after expansion");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aTruncatedCopyIsRefused() {
        String partial = "{\"format\":\"" + SamPolicyTemplates.FORMAT + "\",\"count\":2,\"templates\":{\"A\":"
                + "{\"parameters\":[],\"definition\":{\"Statement\":[]}}}}";
        assertThatThrownBy(() -> SamPolicyTemplates.read(partial.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("expected 2 templates").hasMessageContaining("found 1");
        assertThatThrownBy(() -> SamPolicyTemplates.read("{\"format\":\"other/1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("expected format");
    }

    private static boolean refersToParameter(Node n, List<String> parameters) {
        if ("Ref".equals(Intrinsics.functionOf(n)) && ((Node.Obj) n).get("Ref") instanceof Node.Str s) {
            return parameters.contains(s.value());
        }
        if (n instanceof Node.Obj o) {
            return o.fields().values().stream().anyMatch(v -> refersToParameter(v, parameters));
        }
        return n instanceof Node.Arr a && a.items().stream().anyMatch(v -> refersToParameter(v, parameters));
    }
}
