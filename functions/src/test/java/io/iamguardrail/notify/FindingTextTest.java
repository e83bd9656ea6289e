package io.iamguardrail.notify;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding messages as Slack shows them: escalation methods as a count with examples, long text cut on a word. */
class FindingTextTest {

    /** PRIVILEGE_ESCALATION's message for events/put-role-policy-not-action.json, as the rule writes it. */
    static final String TWENTY_SIX = "statement `EverythingButIam` (#1) allows privilege escalation by 26 methods:"
            + " `Assume a more privileged role` (sts-assume-role: `sts:AssumeRole`); `Replace an existing instance's user"
            + " data and restart it` (ec2-modify-instance-user-data: `ec2:ModifyInstanceAttribute` + `ec2:StopInstances` +"
            + " `ec2:StartInstances`); `Push an SSH key to an instance with EC2 Instance Connect`"
            + " (ec2-instance-connect-send-ssh-public-key: `ec2-instance-connect:SendSSHPublicKey`); `Add a malicious"
            + " launch template version and make it default` (ec2-modify-launch-template: `ec2:CreateLaunchTemplateVersion`"
            + " + `ec2:ModifyLaunchTemplate`); and 22 more (lambda-update-function-code-invoke,"
            + " lambda-update-function-code-add-permission, lambda-update-function-code, glue-update-dev-endpoint,"
            + " cloudformation-update-stack, codebuild-start-build, ecs-execute-command, ssm-start-session,"
            + " ssm-send-command, apprunner-update-service, batch-submit-job, mwaa-update-environment,"
            + " codedeploy-create-deployment, sagemaker-create-presigned-notebook-url, sagemaker-update-notebook-lifecycle-config,"
            + " cloudformation-create-execute-change-set, codebuild-start-build-batch, lambda-update-function-configuration-layer,"
            + " bedrock-agentcore-code-interpreter-session, bedrock-agentcore-invoke-agent-runtime-command,"
            + " codestar-create-project-associate-team-member, bedrock-agentcore-browser-session) (the condition"
            + " `aws:SourceIp` does not narrow it)";

    @Test
    void manyEscalationMethodsReadAsACountWithExamplesThatFit() {
        assertThat(FindingText.summary(TWENTY_SIX, 400)).isEqualTo("statement `EverythingButIam` (#1) allows privilege"
                + " escalation by 26 methods, e.g. `Assume a more privileged role`, `Replace an existing instance's user data"
                + " and restart it`, `Push an SSH key to an instance with EC2 Instance Connect` (the condition"
                + " `aws:SourceIp` does not narrow it) (all 26 in the e-mail and the JSON alert)");
        // Fewer examples rather than a cut one.
        assertThat(FindingText.summary(TWENTY_SIX, 240)).isEqualTo("statement `EverythingButIam` (#1) allows privilege"
                + " escalation by 26 methods, e.g. `Assume a more privileged role` (the condition `aws:SourceIp` does not"
                + " narrow it) (all 26 in the e-mail and the JSON alert)");
    }

    @Test
    void twoMethodsAreBothNamedAndOneIsKeptAsTheRuleWroteIt() {
        String two = "statement #1 allows privilege escalation by 2 methods: `Create a new default version of a managed"
                + " policy` (iam-create-policy-version: `iam:CreatePolicyVersion`); `Switch a managed policy to an older,"
                + " more permissive version` (iam-set-default-policy-version: `iam:SetDefaultPolicyVersion`)";
        assertThat(FindingText.summary(two, 400)).isEqualTo("statement #1 allows privilege escalation by 2 methods:"
                + " `Create a new default version of a managed policy`, `Switch a managed policy to an older, more permissive version`");
        String one = "statement `PassAnyRole` (#1) allows privilege escalation by `Create a Lambda function with a privileged"
                + " role and invoke it` (lambda-passrole-create-function-invoke: `iam:PassRole` + `lambda:CreateFunction`)";
        assertThat(FindingText.summary(one, 400)).isEqualTo(one);
    }

    @Test
    void aLongMessageIsCutAfterAWordWithTheMarkerAndNoOpenCodeSpan() {
        String cut = FindingText.summary("allows `" + "a".repeat(20) + " " + "b".repeat(30) + "` and more words here", 50);
        assertThat(cut).hasSizeLessThanOrEqualTo(50).endsWith(Mrkdwn.CUT).isEqualTo("allows `" + "a".repeat(20) + "`" + Mrkdwn.CUT);
        assertThat(FindingText.summary("<!channel> & more", 100)).isEqualTo("&lt;!channel&gt; &amp; more");
    }
}
