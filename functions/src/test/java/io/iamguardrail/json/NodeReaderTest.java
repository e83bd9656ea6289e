package io.iamguardrail.json;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeReaderTest {

    private static final String POLICY = """
            {
              "Version": "2012-10-17",
              "Statement": [
                {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                 "Resource": [], "Condition": {}},
                {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
                 "Condition": {"StringLike": {"aws:PrincipalTag/team~x": ["a", 1, true, null]}}}
              ]
            }
            """;

    @Test
    void everyNodeKnowsItsPointerLineAndColumn() throws NodeReadException {
        Node.Obj root = (Node.Obj) NodeReader.readJson(POLICY);
        assertThat(root.at()).isEqualTo(new SourceLocation("", 1, 1));
        Node.Arr statements = (Node.Arr) root.get("Statement");
        assertThat(statements.at()).isEqualTo(new SourceLocation("/Statement", 3, 16));
        Node.Obj first = (Node.Obj) statements.items().get(0);
        assertThat(first.fields().keySet()).containsExactly("Sid", "Effect", "Action", "Resource", "Condition");
        Node.Arr actions = (Node.Arr) first.get("Action");
        assertThat(actions.items().get(1).at()).isEqualTo(new SourceLocation("/Statement/0/Action/1", 4, 67));
        assertThat(((Node.Arr) first.get("Resource")).items()).isEmpty();
        assertThat(((Node.Obj) first.get("Condition")).fields()).isEmpty();
        assertThat(first.get("Condition").at().pointer()).isEqualTo("/Statement/0/Condition");
    }

    @Test
    void keysWithSlashOrTildeAreEscapedInPointersAndScalarsKeepTheirKind() throws NodeReadException {
        Node.Obj root = (Node.Obj) NodeReader.readJson(POLICY);
        Node.Obj second = (Node.Obj) ((Node.Arr) root.get("Statement")).items().get(1);
        Node.Obj like = (Node.Obj) ((Node.Obj) second.get("Condition")).get("StringLike");
        Node.Arr values = (Node.Arr) like.get("aws:PrincipalTag/team~x");
        assertThat(values.at().pointer()).isEqualTo("/Statement/1/Condition/StringLike/aws:PrincipalTag~1team~0x");
        assertThat(values.items()).extracting(Node::kind).containsExactly("a string", "a number", "a boolean", "null");
        assertThat(values.items().get(3).at().pointer())
                .isEqualTo("/Statement/1/Condition/StringLike/aws:PrincipalTag~1team~0x/3");
    }

    @Test
    void yamlShortFormTagsBecomeTheLongFormAtAnyDepth() throws NodeReadException {
        Node.Obj root = (Node.Obj) NodeReader.readYaml("""
                Resources:
                  Role:
                    Properties:
                      Policies:
                        - PolicyName: !Sub "${AWS::StackName}-read"
                          Arns: [!GetAtt Bucket.Arn, !Ref Other]
                """);
        Node.Obj policy = (Node.Obj) ((Node.Arr) ((Node.Obj) ((Node.Obj) ((Node.Obj) root.get("Resources"))
                .get("Role")).get("Properties")).get("Policies")).items().get(0);
        Node.Obj name = (Node.Obj) policy.get("PolicyName");
        assertThat(name.fields().keySet()).containsExactly("Fn::Sub");
        assertThat(name.at().pointer()).isEqualTo("/Resources/Role/Properties/Policies/0/PolicyName");
        List<Node> arns = ((Node.Arr) policy.get("Arns")).items();
        assertThat(Intrinsics.functionOf(arns.get(0))).isEqualTo("Fn::GetAtt");
        assertThat(((Node.Arr) ((Node.Obj) arns.get(0)).get("Fn::GetAtt")).items())
                .extracting(n -> ((Node.Str) n).value()).containsExactly("Bucket", "Arn");
        assertThat(Intrinsics.functionOf(arns.get(1))).isEqualTo("Ref");
    }

    @Test
    void aRepeatedKeyIsReportedWhereItRepeats() {
        assertThatThrownBy(() -> NodeReader.readJson("{\"Statement\": [{\"Effect\": \"Allow\",\n  \"Effect\": \"Deny\"}]}"))
                .isInstanceOf(NodeReadException.class)
                .hasMessage("expected unique keys but `Effect` appears twice")
                .satisfies(e -> assertThat(((NodeReadException) e).at())
                        .isEqualTo(new SourceLocation("/Statement/0/Effect", 2, 3)));
    }

    @Test
    void deepNestingWithinTheLimitIsRead() throws NodeReadException {
        int depth = NodeReader.MAX_DEPTH - 1;
        Node node = NodeReader.readJson("[".repeat(depth) + "]".repeat(depth));
        for (int i = 1; i < depth; i++) {
            node = ((Node.Arr) node).items().get(0);
        }
        assertThat(node.at().pointer()).isEqualTo("/0".repeat(depth - 1));
    }

    @Test
    void yamlAliasesAreExpandedToTheValueTheirAnchorNames() throws NodeReadException {
        Node.Obj root = (Node.Obj) NodeReader.readYaml("""
                Shared: &admin
                  Effect: Allow
                  Action: "*"
                  Resource: "*"
                Statement:
                  - *admin
                  - {Effect: Allow, Action: &read [s3:GetObject], Resource: "*"}
                  - {Effect: Allow, Action: *read, Resource: arn:aws:s3:::x/*}
                """);
        Node.Arr statements = (Node.Arr) root.get("Statement");
        assertThat(Node.sameValue(statements.items().get(0), root.get("Shared"))).isTrue();
        assertThat(((Node.Obj) statements.items().get(0)).get("Action")).isInstanceOf(Node.Str.class);
        assertThat(Node.scalarText(((Node.Arr) ((Node.Obj) statements.items().get(2)).get("Action")).items().get(0)))
                .isEqualTo("s3:GetObject");
    }

    @Test
    void aBillionLaughsIsAnErrorAfterBoundedWorkNotAHang() {
        StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            yaml.append("]\n");
        }
        assertThatThrownBy(() -> NodeReader.readYaml(yaml.toString()))
                .isInstanceOf(NodeReadException.class)
                .hasMessageContaining("expected at most " + NodeReader.MAX_NODES + " values but the document has more once its"
                        + " YAML aliases are expanded");
    }

    @Test
    void anAliasWithoutItsAnchorIsAnErrorAtItsPlace() {
        assertThatThrownBy(() -> NodeReader.readYaml("Statement:\n  - *missing\n"))
                .isInstanceOf(NodeReadException.class).hasMessageContaining("before the alias `*missing`");
        // An anchored single value is not seen by the YAML reader: a clear error, never a silently different value.
        assertThatThrownBy(() -> NodeReader.readYaml("A: &x s3:GetObject\nB: *x\n"))
                .isInstanceOf(NodeReadException.class).hasMessageContaining("anchors on single values are not read");
    }
}
