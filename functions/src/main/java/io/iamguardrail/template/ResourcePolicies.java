package io.iamguardrail.template;

import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Node;
import io.iamguardrail.policy.LambdaPermissionDocument;
import io.iamguardrail.policy.PolicyKind;
import io.iamguardrail.policy.PolicyParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource-based policies of a template, each a subject of its own: bucket, queue and topic policies, key
 * policies, repository policies, secret policies, API policies, and Lambda permissions (which CloudFormation
 * turns into a statement of the function's policy, so they are read as one).
 */
final class ResourcePolicies {

    /** Resource type → the property holding its policy document, and how to call it. */
    private static final Map<String, String[]> DOCUMENTS = Map.of(
            "AWS::S3::BucketPolicy", new String[]{"PolicyDocument", "bucket policy"},
            "AWS::SQS::QueuePolicy", new String[]{"PolicyDocument", "queue policy"},
            "AWS::SNS::TopicPolicy", new String[]{"PolicyDocument", "topic policy"},
            "AWS::SNS::TopicInlinePolicy", new String[]{"PolicyDocument", "topic policy"},
            "AWS::KMS::Key", new String[]{"KeyPolicy", "key policy"},
            "AWS::ECR::Repository", new String[]{"RepositoryPolicyText", "repository policy"},
            "AWS::SecretsManager::ResourcePolicy", new String[]{"ResourcePolicy", "secret policy"},
            "AWS::ApiGateway::RestApi", new String[]{"Policy", "API policy"});

    private ResourcePolicies() {
    }

    /** One subject per resource policy of the (resolved) {@code Resources}. */
    static List<Subject> read(Node.Obj resources, String source) {
        List<Subject> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : resources.fields().entrySet()) {
            if (!(e.getValue() instanceof Node.Obj resource) || !(resource.get("Type") instanceof Node.Str type)
                    || !(resource.get("Properties") instanceof Node.Obj props)) {
                continue;
            }
            String id = e.getKey();
            String[] document = DOCUMENTS.get(type.value());
            if (document != null && props.get(document[0]) != null) {
                out.add(subject(source, document[1] + " " + id, props.get(document[0])));
            } else if (type.value().equals("AWS::Serverless::Api")) {
                serverlessApi(props).ifPresent(doc -> out.add(subject(source, "API policy " + id, doc)));
            } else if (type.value().equals("AWS::Lambda::Permission")) {
                out.add(subject(source, "Lambda permission " + id, LambdaPermissionDocument.of(props)));
            }
        }
        return out;
    }

    private static Subject subject(String source, String name, Node document) {
        SourcedPolicy policy = new SourcedPolicy(source, name, SourcedPolicy.Origin.RESOURCE,
                PolicyParser.parse(document, PolicyKind.RESOURCE));
        return new Subject(source, Optional.of(name), Subject.Type.RESOURCE, Optional.empty(), List.of(policy),
                Optional.empty());
    }

    /** SAM {@code Auth.ResourcePolicy.CustomStatements}: the statements SAM adds to the API's policy. */
    private static Optional<Node> serverlessApi(Node.Obj props) {
        if (props.get("Auth") instanceof Node.Obj auth && auth.get("ResourcePolicy") instanceof Node.Obj policy
                && policy.get("CustomStatements") != null) {
            Node statements = policy.get("CustomStatements");
            return Optional.of(new Node.Obj(Map.of("Version", new Node.Str("2012-10-17", statements.at()),
                    "Statement", statements), policy.at()));
        }
        return Optional.empty();
    }
}
