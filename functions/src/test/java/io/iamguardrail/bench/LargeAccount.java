package io.iamguardrail.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes the {@code aws iam get-account-authorization-details} output of a large account: ROLES roles, USERS users in
 * 25 groups, POLICIES customer-managed policies whose documents are real AWS managed policies of the corpus, roles
 * that attach one to three of them (one in fifty also an AWS managed policy by ARN) and carry one inline corpus
 * document, trusts of Lambda, EC2, a vendor account and GitHub's OIDC provider. Seeded: the same file every run.
 * Usage: LargeAccount CORPUS_DIR OUT_FILE [ROLES] [USERS] [POLICIES]
 */
public final class LargeAccount {

    static final String ACCOUNT = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TRUSTS = {
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::999988887777:root\"},\"Action\":\"sts:AssumeRole\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\"}}}]}"};
    private static final String[] AWS_MANAGED = {"AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "IAMFullAccess"};

    private LargeAccount() {
    }

    public static void main(String[] args) throws IOException {
        Path corpus = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int roles = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        int users = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int policies = args.length > 4 ? Integer.parseInt(args[4]) : 1300;
        List<Path> files;
        try (Stream<Path> s = Files.list(corpus)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        Random random = new Random(20261207);
        List<JsonNode> docs = new ArrayList<>();
        for (Path f : files) {
            docs.add(JSON.readTree(f.toFile()));
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode policyList = root.putArray("Policies");
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < policies; i++) {
            String name = "team-" + i + "-" + files.get(i % files.size()).getFileName().toString().replace(".json", "");
            String arn = "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
            arns.add(arn);
            ObjectNode p = policyList.addObject().put("PolicyName", name).put("PolicyId", "ANPA" + i).put("Arn", arn)
                    .put("Path", "/").put("DefaultVersionId", "v1").put("AttachmentCount", 1).put("IsAttachable", true);
            p.putArray("PolicyVersionList").addObject().put("VersionId", "v1").put("IsDefaultVersion", true)
                    .set("Document", docs.get(i % docs.size()));
        }
        ArrayNode groupList = root.putArray("GroupDetailList");
        for (int g = 0; g < 25; g++) {
            ObjectNode group = groupList.addObject().put("GroupName", "team-" + g).put("Arn",
                    "arn:aws:iam::" + ACCOUNT + ":group/team-" + g).put("Path", "/");
            group.putArray("GroupPolicyList");
            group.putArray("AttachedManagedPolicies").addObject().put("PolicyArn", arns.get(random.nextInt(arns.size())));
        }
        ArrayNode roleList = root.putArray("RoleDetailList");
        for (int i = 0; i < roles; i++) {
            String name = "service-" + i;
            ObjectNode r = roleList.addObject().put("RoleName", name).put("Arn", "arn:aws:iam::" + ACCOUNT + ":role/" + name)
                    .put("Path", "/").put("CreateDate", "2025-0" + (1 + i % 9) + "-15T10:00:00Z");
            r.set("AssumeRolePolicyDocument", JSON.readTree(TRUSTS[random.nextInt(TRUSTS.length)]));
            r.putArray("RolePolicyList").addObject().put("PolicyName", "inline").set("PolicyDocument",
                    docs.get(random.nextInt(docs.size())));
            ArrayNode attached = r.putArray("AttachedManagedPolicies");
            for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                attached.addObject().put("PolicyArn", arns.get(random.nextInt(arns.size())));
            }
            if (i % 50 == 0) {
                attached.addObject().put("PolicyArn", "arn:aws:iam::aws:policy/" + AWS_MANAGED[random.nextInt(AWS_MANAGED.length)]);
            }
            r.putObject("RoleLastUsed").put("LastUsedDate", "2026-1" + (i % 2) + "-0" + (1 + i % 9) + "T08:00:00Z");
        }
        ArrayNode userList = root.putArray("UserDetailList");
        for (int i = 0; i < users; i++) {
            String name = "person-" + i;
            ObjectNode u = userList.addObject().put("UserName", name).put("Arn", "arn:aws:iam::" + ACCOUNT + ":user/" + name)
                    .put("Path", "/");
            u.putArray("GroupList").add("team-" + (i % 25));
            u.putArray("UserPolicyList");
            ArrayNode attached = u.putArray("AttachedManagedPolicies");
            if (i % 10 == 0) {
                attached.addObject().put("PolicyArn", arns.get(random.nextInt(arns.size())));
            }
        }
        JSON.writeValue(out.toFile(), root);
        System.out.printf("large account: %d roles, %d users, %d groups, %d customer-managed policies, %d KB%n",
                roles, users, 25, policies, Files.size(out) / 1024);
    }
}
