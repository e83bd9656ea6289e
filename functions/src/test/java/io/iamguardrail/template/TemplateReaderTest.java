package io.iamguardrail.template;

import io.iamguardrail.engine.Engine;
import io.iamguardrail.engine.Finding;
import io.iamguardrail.engine.Report;
import io.iamguardrail.engine.SourcedPolicy;
import io.iamguardrail.engine.Subject;
import io.iamguardrail.json.Node;
import io.iamguardrail.json.NodeReader;
import io.iamguardrail.rules.Rules;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Templates read as CloudFormation would deploy them: what each principal really gets. */
class TemplateReaderTest {

    private static final Engine ENGINE = Rules.engine().build();

    private static List<Subject> read(String yaml) throws Exception {
        return TemplateReader.read((Node.Obj) NodeReader.readYaml(yaml), "template.yaml", Optional.empty());
    }

    private static List<Finding> findings(String yaml) throws Exception {
        List<Finding> out = new ArrayList<>();
        for (Subject s : read(yaml)) {
            Report r = ENGINE.evaluate(s);
            out.addAll(r.findings());
        }
        return out;
    }

    private static Subject principal(List<Subject> subjects, String label) {
        return subjects.stream().filter(s -> s.principal().orElse("").equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no subject " + label + " in " + subjects));
    }

    private static final String ROLE_HEAD = """
            Resources:
              %s:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Statement:
                      - Effect: Allow
                        Principal: {Service: ec2.amazonaws.com}
                        Action: sts:AssumeRole
            """;

    @Test
    void awsManagedPolicyArnsResolveWhetherLiteralSubOrJoin() throws Exception {
        String yaml = """
                AWSTemplateFormatVersion: "2010-09-09"
                Resources:
                  Literal:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
                      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                  Substituted:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
                      ManagedPolicyArns:
                        - !Sub "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"
                  Joined:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
                      ManagedPolicyArns:
                        - !Join ["", ["arn:", !Ref "AWS::Partition", ":iam::aws:policy/AdministratorAccess"]]
                """;
        List<Finding> admin = findings(yaml).stream().filter(f -> f.ruleId().equals("ADMIN_ACCESS")).toList();
        assertThat(admin).extracting(f -> f.principal().orElse(""))
                .containsExactlyInAnyOrder("role Literal", "role Substituted", "role Joined");
        assertThat(admin).allSatisfy(f -> {
            assertThat(f.severity().name()).isEqualTo("CRITICAL");
            assertThat(f.location().pointer()).endsWith("/Properties/ManagedPolicyArns/0");
            assertThat(f.location().line()).isPositive();
            assertThat(f.message()).contains("AWS managed policy AdministratorAccess");
        });
    }

    @Test
    void samPoliciesResolveManagedNamesAndExpandPolicyTemplatesAtTheirWidest() throws Exception {
        String yaml = """
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  BucketParam: {Type: String}
                Resources:
                  Admin:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies: [AdministratorAccess]
                  Scoped:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies:
                        - AWSLambdaBasicExecutionRole
                        - S3ReadPolicy: {BucketName: acme-reports}
                  Widest:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies:
                        - S3CrudPolicy: {BucketName: !Ref BucketParam}
                        - SQSPollerPolicy: {QueueName: "*"}
                """;
        List<Subject> subjects = read(yaml);
        Subject scoped = principal(subjects, "the execution role of function Scoped");
        assertThat(scoped.permissions()).extracting(SourcedPolicy::name)
                .containsExactly("AWS managed policy AWSLambdaBasicExecutionRole", "SAM policy template S3ReadPolicy");
        assertThat(scoped.permissions()).allSatisfy(p -> assertThat(p.parsed().isValid()).isTrue());

        List<Finding> all = findings(yaml);
        assertThat(all).filteredOn(f -> f.ruleId().equals("ADMIN_ACCESS")).extracting(f -> f.principal().orElse(""))
                .containsExactly("the execution role of function Admin");
        assertThat(all).filteredOn(f -> f.principal().orElse("").endsWith("Scoped"))
                .allSatisfy(f -> assertThat(f.severity().atLeast(io.iamguardrail.config.Severity.HIGH)).as("%s", f).isFalse());
        // A bucket from a template parameter, and "*": every bucket's objects may be read and written, every queue polled.
        List<Finding> widest = all.stream().filter(f -> f.principal().orElse("").endsWith("Widest")).toList();
        assertThat(widest).extracting(Finding::ruleId).contains("DATA_EXFILTRATION", "WRITE_WITHOUT_RESOURCE_SCOPE");
        assertThat(widest).anyMatch(f -> f.message().contains("SAM policy template SQSPollerPolicy"));
    }

    @Test
    void theOwnAccountRootThroughSubIsTheOwnAccountNotAnOutsideOneNamedDollarBrace() throws Exception {
        String yaml = """
                Resources:
                  Ops:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument:
                        Statement:
                          - Effect: Allow
                            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                            Action: sts:AssumeRole
                      Policies:
                        - PolicyName: read
                          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::acme/*}]}
                """;
        List<Finding> found = findings(yaml);
        assertThat(found).extracting(Finding::ruleId).doesNotContain("TRUST_EXTERNAL_ACCOUNT", "TRUST_MISSING_EXTERNAL_ID")
                .contains("TRUST_ACCOUNT_ROOT");
        assertThat(found).noneMatch(f -> f.message().contains("`${AWS`"));
        // With the account known, the same trust reads as that account.
        List<Subject> known = TemplateReader.read((Node.Obj) NodeReader.readYaml(yaml), "t.yaml", Optional.of("111122223333"));
        assertThat(known.get(0).trust().orElseThrow().document().orElseThrow().statements().get(0).principals()
                .orElseThrow().principals().get(0).value()).isEqualTo("arn:aws:iam::111122223333:root");
    }

    @Test
    void anAwsManagedPermissionsBoundaryIsAppliedAsOne() throws Exception {
        String yaml = ROLE_HEAD.formatted("Bounded") + """
                      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                      PermissionsBoundary: !Sub arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess
                """;
        Subject s = read(yaml).get(0);
        assertThat(s.boundary()).map(SourcedPolicy::name).contains("AWS managed policy ReadOnlyAccess");
        List<Finding> found = findings(yaml);
        assertThat(found).extracting(Finding::ruleId).doesNotContain("ADMIN_ACCESS");
    }

    @Test
    void aBoundaryOnlyOneBranchSetsOrThatCannotBeResolvedIsLeftOutTheWorstCase() throws Exception {
        String conditional = ROLE_HEAD.formatted("Maybe") + """
                      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                      PermissionsBoundary: !If [Prod, arn:aws:iam::aws:policy/ReadOnlyAccess, !Ref "AWS::NoValue"]
                """;
        assertThat(read(conditional).get(0).boundary()).isEmpty();
        assertThat(findings(conditional)).extracting(Finding::ruleId).contains("ADMIN_ACCESS");
        String fromParameter = "Parameters:\n  Boundary: {Type: String}\n" + ROLE_HEAD.formatted("Param") + """
                      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                      PermissionsBoundary: !Ref Boundary
                """;
        assertThat(read(fromParameter).get(0).boundary()).isEmpty();
        assertThat(findings(fromParameter)).extracting(Finding::ruleId).contains("ADMIN_ACCESS");
    }

    @Test
    void bothBranchesOfFnIfCountAndTheFindingSaysWhichBranch() throws Exception {
        String yaml = """
                Conditions:
                  IsSandbox: !Equals [!Ref "AWS::AccountId", "111122223333"]
                Resources:
                  App:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
                      ManagedPolicyArns:
                        - !If [IsSandbox, arn:aws:iam::aws:policy/AdministratorAccess, arn:aws:iam::aws:policy/ReadOnlyAccess]
                        - !If [IsSandbox, !Ref "AWS::NoValue", arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess]
                """;
        Subject s = read(yaml).get(0);
        assertThat(s.permissions()).extracting(SourcedPolicy::name).containsExactly(
                "AWS managed policy AdministratorAccess (when `IsSandbox` is true)",
                "AWS managed policy ReadOnlyAccess (when `IsSandbox` is false)",
                "AWS managed policy AmazonSQSReadOnlyAccess (when `IsSandbox` is false)");
        assertThat(findings(yaml)).anyMatch(f -> f.ruleId().equals("ADMIN_ACCESS")
                && f.message().contains("AdministratorAccess (when `IsSandbox` is true)"));
    }

    @Test
    void whatCannotBeResolvedIsReportedWhereItIsWritten() throws Exception {
        String yaml = """
                Parameters:
                  ExtraPolicy: {Type: String}
                Resources:
                  Worker:
                    Type: AWS::IAM::User
                    Properties:
                      ManagedPolicyArns:
                        - !Ref ExtraPolicy
                        - !ImportValue shared-PolicyArn
                        - arn:aws:iam::123456789012:policy/team-boundary
                        - arn:aws:iam::aws:policy/NoSuchManagedPolicy
                """;
        List<Finding> unverified = findings(yaml).stream().filter(f -> f.ruleId().equals("UNVERIFIED_REFERENCE")).toList();
        assertThat(unverified).extracting(f -> f.location().pointer()).containsExactlyInAnyOrder(
                "/Resources/Worker/Properties/ManagedPolicyArns/0", "/Resources/Worker/Properties/ManagedPolicyArns/1",
                "/Resources/Worker/Properties/ManagedPolicyArns/2", "/Resources/Worker/Properties/ManagedPolicyArns/3");
        assertThat(unverified).anyMatch(f -> f.message().contains("template parameter `ExtraPolicy`"));
        assertThat(unverified).anyMatch(f -> f.message().contains("imported from another stack"));
        assertThat(unverified).allSatisfy(f -> assertThat(f.principal()).contains("user Worker"));
    }

    @Test
    void resourcePoliciesOfTheListedTypesAreEvaluated() throws Exception {
        String yaml = """
                Resources:
                  Bucket: {Type: AWS::S3::Bucket}
                  BucketPolicy:
                    Type: AWS::S3::BucketPolicy
                    Properties:
                      Bucket: !Ref Bucket
                      PolicyDocument:
                        Statement: [{Effect: Allow, Principal: "*", Action: "s3:*", Resource: !Sub "${Bucket.Arn}/*"}]
                  Queue: {Type: AWS::SQS::Queue}
                  QueuePolicy:
                    Type: AWS::SQS::QueuePolicy
                    Properties:
                      Queues: [!Ref Queue]
                      PolicyDocument:
                        Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}]
                  Key:
                    Type: AWS::KMS::Key
                    Properties:
                      KeyPolicy:
                        Statement:
                          - {Effect: Allow, Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}, Action: "kms:*", Resource: "*"}
                          - {Effect: Allow, Principal: {AWS: "arn:aws:iam::999988887777:root"}, Action: kms:Decrypt, Resource: "*"}
                  Repo:
                    Type: AWS::ECR::Repository
                    Properties:
                      RepositoryPolicyText:
                        Statement: [{Effect: Allow, Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]
                  Fn: {Type: AWS::Lambda::Function, Properties: {Role: arn:aws:iam::111122223333:role/fn}}
                  PublicUrl:
                    Type: AWS::Lambda::Permission
                    Properties: {Action: "lambda:InvokeFunctionUrl", FunctionName: !Ref Fn, Principal: "*", FunctionUrlAuthType: NONE}
                  Api:
                    Type: AWS::ApiGateway::RestApi
                    Properties:
                      Policy: {Statement: [{Effect: Allow, Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: {IpAddress: {"aws:SourceIp": "203.0.113.0/24"}}}]}
                """;
        List<Finding> found = findings(yaml);
        assertThat(found).extracting(f -> f.ruleId() + " " + f.principal().orElse("") + " " + f.severity()).contains(
                "RESOURCE_PUBLIC bucket policy BucketPolicy CRITICAL",
                "RESOURCE_SERVICE_CONFUSED_DEPUTY queue policy QueuePolicy MEDIUM",
                "RESOURCE_CROSS_ACCOUNT key policy Key MEDIUM",
                "RESOURCE_PUBLIC repository policy Repo HIGH",
                "RESOURCE_PUBLIC Lambda permission PublicUrl CRITICAL",
                "RESOURCE_PUBLIC API policy Api HIGH"); // invoking is a write; an IP range lowers it one step
        // The default key statement (kms:* to the own account root) is no wildcard finding.
        assertThat(found).noneMatch(f -> f.principal().orElse("").equals("key policy Key") && f.ruleId().equals("SERVICE_WILDCARD"));
    }

    @Test
    void aUserGetsThePoliciesOfTheTemplateGroupsItIsIn() throws Exception {
        String yaml = """
                Resources:
                  Admins:
                    Type: AWS::IAM::Group
                    Properties:
                      GroupName: platform-admins
                      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
                  Alice:
                    Type: AWS::IAM::User
                    Properties:
                      Groups: [!Ref Admins]
                  Bob:
                    Type: AWS::IAM::User
                    Properties:
                      Policies:
                        - PolicyName: read
                          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::acme/*}]}
                  BobIsAdmin:
                    Type: AWS::IAM::UserToGroupAddition
                    Properties:
                      GroupName: platform-admins
                      Users: [!Ref Bob]
                """;
        List<Finding> admin = findings(yaml).stream().filter(f -> f.ruleId().equals("ADMIN_ACCESS")).toList();
        assertThat(admin).extracting(f -> f.principal().orElse("")).contains("group platform-admins", "user Alice", "user Bob");
    }

    @Test
    void aStatementInAnFnIfBranchIsNamedWithItsBranch() throws Exception {
        String yaml = """
                Conditions:
                  IsSandbox: !Equals [!Ref "AWS::AccountId", "111122223333"]
                Resources:
                  Dev:
                    Type: AWS::IAM::Role
                    Properties:
                      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
                      Policies:
                        - PolicyName: dev
                          PolicyDocument:
                            Statement:
                              - Effect: Allow
                                Action: s3:GetObject
                                Resource: arn:aws:s3:::acme-dev/*
                              - !If
                                - IsSandbox
                                - {Effect: Allow, Action: "*", Resource: "*"}
                                - !Ref AWS::NoValue
                """;
        Finding admin = findings(yaml).stream().filter(f -> f.ruleId().equals("ADMIN_ACCESS")).findFirst().orElseThrow();
        assertThat(admin.message()).startsWith("statement #2 (when `IsSandbox` is true) allows every action");
    }
}
