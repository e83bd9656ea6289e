package io.iamguardrail.bench;

import io.iamguardrail.audit.AccountSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * An account at IAM's quota scale, generated from a seed: 5,000 roles, 500 users in 50 groups, 1,300 customer-managed
 * policies. Forty teams, each with its data, service, deploy and operations policies; service roles trusted by
 * Lambda, ECS tasks and EC2, cross-team roles trusted by the account, deploy roles trusted by their team's CI role,
 * vendor roles trusted by another account, GitHub OIDC roles; a few administrators, boundaries on a tenth of the
 * roles, and the risky grants real accounts carry (PassRole on a team's roles, assume on a team's roles, SSM on
 * tagged instances, a team's policy versions). A measurement input, never a fixture.
 */
final class QuotaAccount {

    static final String ID = "123456789012";
    private static final String ARN = "arn:aws:iam::" + ID + ":";
    private static final Instant CREATED = Instant.parse("2025-01-15T10:00:00Z");
    private static final int TEAMS = 40;

    private QuotaAccount() {
    }

    private static String doc(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String allow(String actions, String resources) {
        return "{\"Effect\":\"Allow\",\"Action\":" + actions + ",\"Resource\":" + resources + "}";
    }

    private static String q(String s) {
        return "\"" + s + "\"";
    }

    private static String trust(String principal) {
        return doc("{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"sts:AssumeRole\"}");
    }

    /** The policy of kind {@code k} (0..31) of team {@code t}, number {@code i}. */
    private static String policy(int t, int i, int k) {
        String team = "team" + t;
        return switch (k % 16) {
            case 0, 1, 2, 3 -> doc(allow("[\"s3:GetObject\",\"s3:PutObject\",\"s3:ListBucket\"]",
                    "[\"arn:aws:s3:::" + team + "-data-" + i + "\",\"arn:aws:s3:::" + team + "-data-" + i + "/*\"]"));
            case 4, 5, 6 -> doc(allow("[\"dynamodb:GetItem\",\"dynamodb:PutItem\",\"dynamodb:Query\",\"dynamodb:UpdateItem\"]",
                    q("arn:aws:dynamodb:us-east-1:" + ID + ":table/" + team + "-" + i)));
            case 7, 8 -> doc(allow("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]", q("arn:aws:logs:us-east-1:" + ID
                    + ":log-group:/aws/lambda/" + team + "-*")), allow("[\"sqs:SendMessage\",\"sqs:ReceiveMessage\","
                    + "\"sqs:DeleteMessage\"]", q("arn:aws:sqs:us-east-1:" + ID + ":" + team + "-*")));
            case 9 -> doc(allow("[\"iam:PassRole\"]", q(ARN + "role/" + team + "-svc-*")),
                    allow("[\"lambda:CreateFunction\",\"lambda:UpdateFunctionCode\",\"lambda:InvokeFunction\"]",
                            q("arn:aws:lambda:us-east-1:" + ID + ":function:" + team + "-*")));
            case 10 -> doc(allow("[\"sts:AssumeRole\"]", q(ARN + "role/" + team + "-*")));
            case 11 -> doc("{\"Effect\":\"Allow\",\"Action\":[\"ssm:StartSession\",\"ssm:SendCommand\"],\"Resource\":\"*\","
                    + "\"Condition\":{\"StringEquals\":{\"ssm:resourceTag/team\":\"" + team + "\"}}}");
            case 12 -> doc(allow("[\"iam:Get*\",\"iam:List*\"]", q("*")));
            case 13 -> doc(allow("[\"ecs:RunTask\",\"ecs:RegisterTaskDefinition\",\"ecs:DescribeTasks\"]", q("*")),
                    "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"" + ARN + "role/" + team + "-svc-*\","
                            + "\"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"ecs-tasks.amazonaws.com\"}}}");
            case 14 -> doc(allow("[\"iam:CreatePolicyVersion\",\"iam:SetDefaultPolicyVersion\"]",
                    q(ARN + "policy/" + team + "-*")));
            default -> doc(allow("[\"kms:Decrypt\",\"kms:GenerateDataKey\"]", q("arn:aws:kms:us-east-1:" + ID + ":key/*")),
                    "{\"Effect\":\"Deny\",\"Action\":\"kms:ScheduleKeyDeletion\",\"Resource\":\"*\"}");
        };
    }

    static AccountSnapshot generate(long seed) {
        Random r = new Random(seed);
        Map<String, AccountSnapshot.ManagedPolicy> policies = new HashMap<>();
        List<List<String>> byTeam = new ArrayList<>();
        for (int t = 0; t < TEAMS; t++) {
            byTeam.add(new ArrayList<>());
        }
        for (int i = 0; i < 1300; i++) {
            int t = i % TEAMS;
            String name = "team" + t + "-p" + i;
            String arn = ARN + "policy/" + name;
            policies.put(arn, new AccountSnapshot.ManagedPolicy(arn, name, "v1", Optional.of(policy(t, i, r.nextInt(32))), 1));
            byTeam.get(t).add(arn);
        }
        String boundary = ARN + "policy/team-boundary";
        policies.put(boundary, new AccountSnapshot.ManagedPolicy(boundary, "team-boundary", "v3", Optional.of(doc(
                allow("[\"s3:*\",\"dynamodb:*\",\"logs:*\",\"sqs:*\",\"lambda:*\",\"kms:Decrypt\",\"sts:AssumeRole\"]", q("*")))), 0));
        List<AccountSnapshot.Role> roles = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int t = i % TEAMS;
            String team = "team" + t;
            int shape = r.nextInt(100);
            String name;
            String trustPolicy;
            if (shape < 55) {
                name = team + "-svc-fn-" + i;
                trustPolicy = trust("{\"Service\":\"lambda.amazonaws.com\"}");
            } else if (shape < 70) {
                name = team + "-svc-task-" + i;
                trustPolicy = trust("{\"Service\":\"ecs-tasks.amazonaws.com\"}");
            } else if (shape < 80) {
                name = team + "-svc-ec2-" + i;
                trustPolicy = trust("{\"Service\":\"ec2.amazonaws.com\"}");
            } else if (shape < 90) {
                name = team + "-ops-" + i;
                trustPolicy = trust("{\"AWS\":\"" + ARN + "root\"}");
            } else if (shape < 95) {
                name = team + "-deploy-" + i;
                trustPolicy = trust("{\"AWS\":\"" + ARN + "role/" + team + "-ci\"}");
            } else if (shape < 98) {
                name = "vendor-" + i;
                trustPolicy = trust("{\"AWS\":\"arn:aws:iam::999988887777:root\"}");
            } else {
                name = team + "-github-" + i;
                trustPolicy = doc("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + ARN
                        + "oidc-provider/token.actions.githubusercontent.com\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
                        + "\"Condition\":{\"StringLike\":{\"token.actions.githubusercontent.com:sub\":\"repo:example/" + team + ":*\"}}}");
            }
            if (i < TEAMS) {
                name = team + "-ci";
                trustPolicy = trust("{\"Service\":\"codebuild.amazonaws.com\"}");
            }
            List<String> attached = new ArrayList<>();
            List<String> teamPolicies = byTeam.get(t);
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                attached.add(teamPolicies.get(r.nextInt(teamPolicies.size())));
            }
            int extra = r.nextInt(100);
            if (extra < 1) {
                attached.add("arn:aws:iam::aws:policy/AdministratorAccess");
            } else if (extra < 4) {
                attached.add("arn:aws:iam::aws:policy/ReadOnlyAccess");
            } else if (extra < 20 && name.contains("-fn-")) {
                attached.add("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
            }
            Map<String, String> inline = new LinkedHashMap<>();
            if (r.nextInt(4) == 0) {
                inline.put("extra", policy(t, i, r.nextInt(32)));
            }
            if (i < TEAMS) {
                inline.put("deploy", doc(allow("[\"sts:AssumeRole\"]", q(ARN + "role/" + team + "-deploy-*"))));
            }
            String path = "/";
            roles.add(new AccountSnapshot.Role(name, ARN + "role/" + name, path, Optional.of(CREATED), trustPolicy, inline,
                    attached, r.nextInt(10) == 0 ? Optional.of(boundary) : Optional.empty(),
                    Optional.of(Instant.parse("2026-11-20T00:00:00Z"))));
        }
        List<AccountSnapshot.Group> groups = new ArrayList<>();
        for (int g = 0; g < 50; g++) {
            int t = g % TEAMS;
            List<String> teamPolicies = byTeam.get(t);
            groups.add(new AccountSnapshot.Group("team" + t + "-g" + g, ARN + "group/team" + t + "-g" + g, Map.of(),
                    List.of(teamPolicies.get(r.nextInt(teamPolicies.size())), teamPolicies.get(r.nextInt(teamPolicies.size())))));
        }
        List<AccountSnapshot.User> users = new ArrayList<>();
        for (int u = 0; u < 500; u++) {
            AccountSnapshot.Group g = groups.get(r.nextInt(groups.size()));
            Map<String, String> inline = new LinkedHashMap<>();
            if (r.nextInt(5) == 0) {
                inline.put("own-keys", doc(allow("[\"iam:CreateAccessKey\",\"iam:UpdateAccessKey\",\"iam:DeleteAccessKey\"]",
                        q(ARN + "user/${aws:username}"))));
            }
            users.add(new AccountSnapshot.User("user-" + u, ARN + "user/user-" + u, "/", inline,
                    u < 3 ? List.of("arn:aws:iam::aws:policy/AdministratorAccess") : List.of(), List.of(g.name()),
                    Optional.empty()));
        }
        return new AccountSnapshot(Optional.of(ID), roles, users, groups, policies);
    }
}
