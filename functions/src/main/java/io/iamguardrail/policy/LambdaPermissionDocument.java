package io.iamguardrail.policy;

import io.iamguardrail.json.Node;
import io.iamguardrail.json.SourceLocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lambda permission (the template's {@code AWS::Lambda::Permission} or a CloudTrail {@code AddPermission} call)
 * as the statement Lambda adds to the function's resource policy, so that the resource-policy rules judge it.
 * Property names are those of CloudFormation ({@code Principal}, {@code SourceArn}...).
 */
public final class LambdaPermissionDocument {

    private LambdaPermissionDocument() {
    }

    /**
     * An {@code AWS::Lambda::Permission} as the statement Lambda adds to the function's policy: the principal,
     * the action on the function, and {@code SourceArn}, {@code SourceAccount}, {@code PrincipalOrgID} and
     * {@code FunctionUrlAuthType} as the conditions Lambda writes for them.
     */
    public static Node of(Node.Obj props) {
        SourceLocation at = props.at();
        Map<String, Node> statement = new LinkedHashMap<>();
        statement.put("Effect", new Node.Str("Allow", at));
        Node principal = props.get("Principal");
        Node principalElement;
        if (principal instanceof Node.Str p && p.value().equals("*")) {
            principalElement = p;
        } else if (principal instanceof Node.Str p && p.value().endsWith(".amazonaws.com")) {
            principalElement = new Node.Obj(Map.of("Service", p), p.at());
        } else {
            principalElement = new Node.Obj(Map.of("AWS", principal == null ? new Node.Str("*", at) : principal),
                    principal == null ? at : principal.at());
        }
        statement.put("Principal", principalElement);
        statement.put("Action", props.get("Action") == null ? new Node.Str("lambda:InvokeFunction", at) : props.get("Action"));
        Node function = props.get("FunctionName");
        statement.put("Resource", function instanceof Node.Str f && !f.value().startsWith("arn:")
                ? new Node.Str("arn:aws:lambda:*:*:function:" + f.value(), f.at())
                : function == null ? new Node.Str("*", at) : function);
        Map<String, Node> equals = new LinkedHashMap<>();
        Map<String, Node> arnLike = new LinkedHashMap<>();
        put(equals, "AWS:SourceAccount", props.get("SourceAccount"));
        put(equals, "aws:PrincipalOrgID", props.get("PrincipalOrgID"));
        put(equals, "lambda:FunctionUrlAuthType", props.get("FunctionUrlAuthType"));
        put(arnLike, "AWS:SourceArn", props.get("SourceArn"));
        Map<String, Node> condition = new LinkedHashMap<>();
        if (!equals.isEmpty()) {
            condition.put("StringEquals", new Node.Obj(equals, at));
        }
        if (!arnLike.isEmpty()) {
            condition.put("ArnLike", new Node.Obj(arnLike, at));
        }
        if (!condition.isEmpty()) {
            statement.put("Condition", new Node.Obj(condition, at));
        }
        return new Node.Obj(Map.of("Version", new Node.Str("2012-10-17", at),
                "Statement", new Node.Arr(List.of(new Node.Obj(statement, at)), at)), at);
    }

    private static void put(Map<String, Node> into, String key, Node value) {
        if (value != null && !Branches.isNoValue(value)) {
            into.put(key, value);
        }
    }
}
