package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iamguardrail.aws.Clients;
import io.iamguardrail.wiring.AwsClients;
import io.iamguardrail.wiring.EvaluatorEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.iamguardrail.live.LiveEvaluatorTest.LAMBDA_TRUST;
import static io.iamguardrail.live.LiveEvaluatorTest.event;
import static io.iamguardrail.live.LiveEvaluatorTest.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * REMEDIATE mode end to end: the risky state created in moto with the SDK, the CloudTrail event replayed by the real
 * jar ({@code replay --live --mode remediate --backup-bucket B}, AWS_ENDPOINT_URL at moto), then the state, the backup
 * object and the alert checked, and {@code restore} run to put everything back exactly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemediationLiveTest {

    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    static final String BUCKET = "guardrail-backups";
    static final String ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";
    static final String ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    static final String READ_LOGS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:GetLogEvents\",\"Resource\":\"arn:aws:logs:us-east-1:123456789012:log-group:/app/*\"}]}";
    private static final ObjectMapper JSON = new ObjectMapper();

    IamClient iam;
    S3Client s3;
    @TempDir
    Path dir;

    @BeforeAll
    void setUp() {
        iam = MOTO.iam();
        s3 = MOTO.s3();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status("Enabled")));
        MOTO.createStateTable(TABLE);
        quarantineArn = iam.createPolicy(b -> b.policyName("iam-guardrail-quarantine").policyDocument(DENY_ALL)).policy().arn();
        macKey = MOTO.createMacKey();
    }

    /** The stack's HMAC key: every backup and snapshot of these runs is signed with it. */
    static String macKey;

    static final String TABLE = "guardrail";
    static final String DENY_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    static final String ANYONE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
    String quarantineArn;

    /** Two separate runs share the snapshot store through the table, as Lambda invocations do. */
    Run remediateWithTable(Path event, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--live", "--mode", "remediate", "--format", "json",
                "--backup-bucket", BUCKET, "--quarantine-policy-arn", quarantineArn, "--mac-key-id", macKey));
        args.addAll(List.of(extra));
        args.add(event.toString());
        return cliWith(java.util.Map.of("GUARDRAIL_TABLE_NAME", TABLE), args.toArray(String[]::new));
    }

    String trust(String role) {
        return iam.getRole(b -> b.roleName(role)).role().assumeRolePolicyDocument();
    }

    @Test
    void aRiskyTrustPolicyIsReplacedByTheLastOneThatEvaluatedClean() throws Exception {
        iam.createRole(b -> b.roleName("partner").assumeRolePolicyDocument(LAMBDA_TRUST));
        Run clean = remediateWithTable(file("trust-clean.json", event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"partner\",\"policyDocument\":" + quoted(LAMBDA_TRUST) + "}")));
        assertThat(clean.event().get("verdict").asText()).as(clean.out() + clean.err()).isEqualTo("NO_ALERT");
        iam.updateAssumeRolePolicy(b -> b.roleName("partner").policyDocument(ANYONE));
        Run run = remediateWithTable(file("trust-risky.json", event("UpdateAssumeRolePolicy",
                "{\"roleName\":\"partner\",\"policyDocument\":" + quoted(ANYONE) + "}")));
        assertThat(normalised(trust("partner"))).as(run.out() + run.err()).isEqualTo(normalised(LAMBDA_TRUST));
        JsonNode r = run.remediation();
        assertThat(r.get("status").asText()).isEqualTo("DONE");
        assertThat(r.get("actions").get(0).get("action").asText()).isEqualTo("RESTORE_TRUST_POLICY");
        JsonNode values = backup(r.get("backupId").asText()).get("entries").get(0).get("values");
        assertThat(normalised(values.get("document").asText())).isEqualTo(normalised(ANYONE));

        Run restored = restore(r.get("backupId").asText());
        assertThat(restored.exit()).as(restored.out() + restored.err()).isEqualTo(0);
        assertThat(normalised(trust("partner"))).isEqualTo(normalised(ANYONE));
    }

    @Test
    void aRiskyTrustWithNoKnownGoodOneIsQuarantinedAndTagged() throws Exception {
        iam.createRole(b -> b.roleName("open-door").assumeRolePolicyDocument(ANYONE));
        String ev = event("CreateRole", "{\"roleName\":\"open-door\",\"assumeRolePolicyDocument\":" + quoted(ANYONE) + "}");
        String eventId = JSON.readTree(ev).get("detail").get("eventID").asText();
        Run run = remediateWithTable(file("create-open.json", ev));
        assertThat(attached("open-door")).as(run.out() + run.err()).containsExactly(quarantineArn);
        assertThat(iam.listRoleTags(b -> b.roleName("open-door")).tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("iam-guardrail:quarantined=" + eventId));
        JsonNode r = run.remediation();
        assertThat(r.get("actions").get(0).get("action").asText()).isEqualTo("QUARANTINE");
        assertThat(r.get("undo").get("aws").toString()).contains("aws iam detach-role-policy --role-name open-door --policy-arn "
                + quarantineArn, "aws iam untag-role --role-name open-door --tag-keys iam-guardrail:quarantined");

        assertThat(restore(r.get("backupId").asText()).exit()).isEqualTo(0);
        assertThat(attached("open-door")).isEmpty();
        assertThat(iam.listRoleTags(b -> b.roleName("open-door")).tags()).isEmpty();
    }

    @Test
    void aQuarantinePolicyNeuteredWithANewDefaultVersionIsNeverAttachedAndTheAlertSaysSo() throws Exception {
        // The attack: make every later quarantine attach `Allow sts:GetCallerIdentity` and still report DONE.
        String neutered = iam.createPolicy(b -> b.policyName("neutered-quarantine").policyDocument(DENY_ALL)).policy().arn();
        iam.createPolicyVersion(b -> b.policyArn(neutered).setAsDefault(true).policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}"));
        iam.createRole(b -> b.roleName("open-door-2").assumeRolePolicyDocument(ANYONE));
        String stackQuarantine = quarantineArn;
        quarantineArn = neutered;
        Run run;
        try {
            run = remediateWithTable(file("create-open-2.json", event("CreateRole",
                    "{\"roleName\":\"open-door-2\",\"assumeRolePolicyDocument\":" + quoted(ANYONE) + "}")));
        } finally {
            quarantineArn = stackQuarantine;
        }

        assertThat(attached("open-door-2")).as(run.out() + run.err()).isEmpty();
        JsonNode r = run.remediation();
        assertThat(r.get("status").asText()).isEqualTo("FAILED");
        assertThat(r.toString()).contains("the quarantine policy " + neutered + " was tampered with");
        assertThat(run.event().get("verdict").asText()).isEqualTo("ALERT");
    }

    @Test
    void aRemovedPermissionsBoundaryIsPutBackFromTheSnapshot() throws Exception {
        String boundary = iam.createPolicy(b -> b.policyName("dev-boundary").policyDocument(READ_LOGS)).policy().arn();
        iam.createRole(b -> b.roleName("bounded").assumeRolePolicyDocument(LAMBDA_TRUST).permissionsBoundary(boundary));
        Path config = file("boundary.yaml", "rules:\n  PERMISSIONS_BOUNDARY_REMOVED: { remediate: true }\n");
        Run clean = remediateWithTable(file("boundary-put.json", event("PutRolePermissionsBoundary",
                "{\"roleName\":\"bounded\",\"permissionsBoundary\":\"" + boundary + "\"}")), "--config", config.toString());
        assertThat(clean.event().get("verdict").asText()).as(clean.out() + clean.err()).isEqualTo("NO_ALERT");
        iam.deleteRolePermissionsBoundary(b -> b.roleName("bounded"));
        Run run = remediateWithTable(file("boundary-delete.json", event("DeleteRolePermissionsBoundary",
                "{\"roleName\":\"bounded\"}")), "--config", config.toString());
        assertThat(iam.getRole(b -> b.roleName("bounded")).role().permissionsBoundary()).as(run.out() + run.err())
                .isNotNull().satisfies(pb -> assertThat(pb.permissionsBoundaryArn()).isEqualTo(boundary));
        assertThat(run.remediation().get("actions").get(0).get("action").asText()).isEqualTo("RESTORE_BOUNDARY");

        assertThat(restore(run.remediation().get("backupId").asText()).exit()).isEqualTo(0);
        assertThat(iam.getRole(b -> b.roleName("bounded")).role().permissionsBoundary()).isNull();
    }

    record Run(int exit, String out, String err) {
        JsonNode event() throws Exception {
            return JSON.readTree(out).get("events").get(0);
        }

        JsonNode remediation() throws Exception {
            return event().get("remediation");
        }
    }

    Run cli(String... args) throws Exception {
        return cliWith(java.util.Map.of(), args);
    }

    Run cliWith(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("guardrail.jar")).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AWS_ENDPOINT_URL", MOTO.endpoint().toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", "testing");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().remove("GUARDRAIL_ROLE_ARN");
        pb.environment().remove("GUARDRAIL_TABLE_NAME");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    Path file(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    Run remediate(Path event, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("replay", "--live", "--mode", "remediate", "--format", "json",
                "--backup-bucket", BUCKET, "--mac-key-id", macKey));
        args.addAll(List.of(extra));
        args.add(event.toString());
        return cli(args.toArray(String[]::new));
    }

    /** The backup object the alert names, read back from the bucket. */
    JsonNode backup(String backupId) throws Exception {
        return JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("backups/" + backupId + ".json")).asUtf8String());
    }

    Run restore(String backupId, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("restore", "--backup-bucket", BUCKET));
        args.addAll(List.of(extra));
        args.add(backupId);
        return cli(args.toArray(String[]::new));
    }

    static JsonNode normalised(String document) throws Exception {
        return JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8));
    }

    List<String> attached(String role) {
        return iam.listAttachedRolePolicies(b -> b.roleName(role)).attachedPolicies().stream().map(AttachedPolicy::policyArn).toList();
    }

    /** The fields every successful remediation alert carries. */
    static void assertDone(JsonNode r, String action, String backupId) {
        assertThat(r.get("mode").asText()).isEqualTo("REMEDIATE");
        assertThat(r.get("status").asText()).as(r.toString()).isEqualTo("DONE");
        assertThat(r.get("actions").get(0).get("action").asText()).isEqualTo(action);
        assertThat(r.get("actions").get(0).get("status").asText()).isEqualTo("DONE");
        assertThat(r.get("backupId").asText()).isEqualTo(backupId);
        assertThat(r.get("undo").get("command").asText())
                .isEqualTo("java -jar functions/target/iam-guardrail.jar restore " + backupId + " --backup-bucket " + BUCKET
                        + " --mac-key-id " + macKey);
        assertThat(r.get("undo").get("aws")).isNotEmpty();
    }

    @Test
    void aRiskyManagedPolicyIsDetachedBackedUpAndTheAlertSaysHowToUndo() throws Exception {
        iam.createRole(b -> b.roleName("deploy").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("deploy").policyArn(ADMIN_ARN));
        String ev = event("AttachRolePolicy", "{\"roleName\":\"deploy\",\"policyArn\":\"" + ADMIN_ARN + "\"}");
        String eventId = JSON.readTree(ev).get("detail").get("eventID").asText();
        Run run = remediate(file("attach.json", ev));
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(attached("deploy")).doesNotContain(ADMIN_ARN);
        JsonNode r = run.remediation();
        assertDone(r, "DETACH_POLICY", eventId + "/1");
        assertThat(r.get("undo").get("aws").get(0).asText())
                .isEqualTo("aws iam attach-role-policy --role-name deploy --policy-arn " + ADMIN_ARN);
        JsonNode entry = backup(eventId + "/1").get("entries").get(0);
        assertThat(entry.get("action").asText()).isEqualTo("DETACH_POLICY");
        assertThat(entry.get("values").get("policyArn").asText()).isEqualTo(ADMIN_ARN);
        JsonNode alert = run.event().get("alert");
        assertThat(alert.get("message").get("remediation")).isEqualTo(r);
        assertThat(alert.get("email").asText()).contains("Remediation: DONE (REMEDIATE mode)",
                "Undo:\n    java -jar functions/target/iam-guardrail.jar restore " + eventId + "/1 --backup-bucket " + BUCKET);

        Run restored = restore(eventId + "/1");
        assertThat(restored.exit()).as(restored.out() + restored.err()).isEqualTo(0);
        assertThat(restored.out()).isEqualTo("RESTORED DETACH_POLICY " + ADMIN_ARN + ": re-attached " + ADMIN_ARN
                + " to role deploy\n");
        assertThat(attached("deploy")).containsExactly(ADMIN_ARN);
        Run again = restore(eventId + "/1");
        assertThat(again.out()).startsWith("ALREADY_IN_PLACE DETACH_POLICY");
        assertThat(again.exit()).isEqualTo(0);
    }

    @Test
    void aRiskyInlinePolicyIsDeletedAfterItsDocumentIsBackedUp() throws Exception {
        iam.createUser(b -> b.userName("ci-bot"));
        iam.putUserPolicy(b -> b.userName("ci-bot").policyName("everything").policyDocument(ADMIN));
        String ev = event("PutUserPolicy", "{\"userName\":\"ci-bot\",\"policyName\":\"everything\",\"policyDocument\":" + quoted(ADMIN) + "}");
        String eventId = JSON.readTree(ev).get("detail").get("eventID").asText();
        Run run = remediate(file("put.json", ev));
        assertThat(iam.listUserPolicies(b -> b.userName("ci-bot")).policyNames()).as(run.out() + run.err()).isEmpty();
        assertDone(run.remediation(), "DELETE_INLINE_POLICY", eventId + "/1");
        JsonNode values = backup(eventId + "/1").get("entries").get(0).get("values");
        assertThat(normalised(values.get("document").asText())).isEqualTo(normalised(ADMIN));

        Run restored = restore(eventId + "/1");
        assertThat(restored.exit()).as(restored.out() + restored.err()).isEqualTo(0);
        assertThat(normalised(iam.getUserPolicy(b -> b.userName("ci-bot").policyName("everything")).policyDocument()))
                .isEqualTo(normalised(ADMIN));
    }

    @Test
    void aForgedEventAboutACompliantPrincipalRemediatesNothing() throws Exception {
        // The event claims an administrator inline policy; IAM holds a scoped one under that name. The live state
        // decides: nothing is deleted, nothing is backed up.
        String scoped = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::reports/*\"}]}";
        iam.createUser(b -> b.userName("report-reader"));
        iam.putUserPolicy(b -> b.userName("report-reader").policyName("read").policyDocument(scoped));
        String ev = event("PutUserPolicy", "{\"userName\":\"report-reader\",\"policyName\":\"read\",\"policyDocument\":"
                + quoted(ADMIN) + "}");
        String eventId = JSON.readTree(ev).get("detail").get("eventID").asText();

        Run run = remediate(file("forged.json", ev));

        assertThat(iam.listUserPolicies(b -> b.userName("report-reader")).policyNames()).as(run.out() + run.err())
                .containsExactly("read");
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("backups/" + eventId)).contents()).isEmpty();
        JsonNode remediation = run.remediation();
        assertThat(remediation == null || remediation.isNull() || !remediation.path("status").asText().equals("DONE"))
                .as(run.out()).isTrue();
    }

    @Test
    void restoreRefusesWhenTheStateMovedOnAndForceOverridesIt() throws Exception {
        iam.createRole(b -> b.roleName("moved").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.putRolePolicy(b -> b.roleName("moved").policyName("p").policyDocument(ADMIN));
        String ev = event("PutRolePolicy", "{\"roleName\":\"moved\",\"policyName\":\"p\",\"policyDocument\":" + quoted(ADMIN) + "}");
        String eventId = JSON.readTree(ev).get("detail").get("eventID").asText();
        assertThat(remediate(file("moved.json", ev)).remediation().get("status").asText()).isEqualTo("DONE");
        // Someone fixed it by hand in the meantime, with a scoped document under the same name.
        iam.putRolePolicy(b -> b.roleName("moved").policyName("p").policyDocument(READ_LOGS));
        Run refused = restore(eventId + "/1");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.out()).isEqualTo("MOVED_ON DELETE_INLINE_POLICY role moved inline policy p: role moved has a"
                + " different inline policy p now\n");
        assertThat(refused.err()).endsWith("iam-guardrail: refused to restore " + eventId + "/1: the state changed since the"
                + " remediation (see above); nothing was changed. Use --force to restore anyway.\n");
        assertThat(normalised(iam.getRolePolicy(b -> b.roleName("moved").policyName("p")).policyDocument()))
                .isEqualTo(normalised(READ_LOGS));
        Run forced = restore(eventId + "/1", "--force");
        assertThat(forced.exit()).as(forced.out() + forced.err()).isEqualTo(0);
        assertThat(normalised(iam.getRolePolicy(b -> b.roleName("moved").policyName("p")).policyDocument()))
                .isEqualTo(normalised(ADMIN));
    }

    @Test
    void restoreOfAnUnknownBackupIsOneClearLine() throws Exception {
        Run run = restore("no-such-event/1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines().filter(l -> l.startsWith("iam-guardrail:")).toList()).containsExactly(
                "iam-guardrail: no backup `no-such-event/1` in s3://" + BUCKET + "/backups/no-such-event/1.json (expected an id"
                        + " as the alert gives it: <eventId>/<n>)");
    }

    @Test
    void aRiskyDefaultVersionIsReplacedByTheLastCleanDefaultAndKeptForReview() throws Exception {
        String arn = iam.createPolicy(b -> b.policyName("app-logs").policyDocument(READ_LOGS)).policy().arn();
        Run clean = remediateWithTable(file("policy-created.json", createPolicyEvent(arn, "app-logs", READ_LOGS)));
        assertThat(clean.event().get("verdict").asText()).as(clean.out() + clean.err()).isEqualTo("NO_ALERT");
        iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(ADMIN).setAsDefault(true));
        String ev = versionEvent(arn, "v2", ADMIN);
        String eventId = JSON.readTree(ev).get("detail").get("eventID").asText();
        Run run = remediateWithTable(file("version.json", ev));
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).as(run.out() + run.err()).isEqualTo("v1");
        assertThat(iam.getPolicyVersion(b -> b.policyArn(arn).versionId("v2")).policyVersion().isDefaultVersion()).isFalse();
        assertDone(run.remediation(), "RESTORE_DEFAULT_VERSION", eventId + "/1");
        assertThat(run.remediation().get("undo").get("aws").get(0).asText())
                .isEqualTo("aws iam set-default-policy-version --policy-arn " + arn + " --version-id v2");

        assertThat(restore(eventId + "/1").exit()).isEqualTo(0);
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v2");
    }

    @Test
    void aStagedVersionThatWasNeverDefaultIsNeverRestored() throws Exception {
        // The attacker stages an admin v2 without making it default, then makes a risky v3 default, hoping the
        // guardrail "goes back" to the newest other version: v2.
        String arn = iam.createPolicy(b -> b.policyName("staged").policyDocument(READ_LOGS)).policy().arn();
        remediateWithTable(file("staged-created.json", createPolicyEvent(arn, "staged", READ_LOGS)));
        iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(ADMIN).setAsDefault(false));
        iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(PASS_ANY_ROLE).setAsDefault(true));
        Run run = remediateWithTable(file("staged-v3.json", versionEvent(arn, "v3", PASS_ANY_ROLE)));
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).as(run.out() + run.err())
                .isEqualTo("v1");
        assertThat(run.remediation().get("status").asText()).isEqualTo("DONE");
    }

    @Test
    void withoutACleanDefaultOnRecordTheHoldersAreQuarantinedNotAnOlderVersionSet() throws Exception {
        // A policy the guardrail never saw clean: v1 is admin already, and v2 (admin) is made default.
        String arn = iam.createPolicy(b -> b.policyName("never-seen").policyDocument(ADMIN)).policy().arn();
        iam.createRole(b -> b.roleName("holder").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("holder").policyArn(arn));
        iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(ADMIN).setAsDefault(true));
        Run run = remediateWithTable(file("never-seen.json", versionEvent(arn, "v2", ADMIN)));
        assertThat(iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId()).as(run.out() + run.err())
                .isEqualTo("v2");
        assertThat(attached("holder")).contains(quarantineArn);
        JsonNode r = run.remediation();
        assertThat(r.get("summary").asText()).contains("no version of " + arn + " is recorded as a default that"
                + " evaluated clean: quarantined instead");
        assertThat(r.get("status").asText()).as("the quarantined holder no longer alerts").isEqualTo("DONE");
    }

    static final String PASS_ANY_ROLE = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "[\"iam:PassRole\",\"lambda:CreateFunction\",\"lambda:InvokeFunction\"],\"Resource\":\"*\"}]}";

    static String createPolicyEvent(String arn, String name, String document) {
        return event("CreatePolicy", "{\"policyName\":\"" + name + "\",\"policyDocument\":" + quoted(document) + "}")
                .replace("\"responseElements\":null", "\"responseElements\":{\"policy\":{\"policyName\":\"" + name
                        + "\",\"arn\":\"" + arn + "\",\"defaultVersionId\":\"v1\"}}");
    }

    static String versionEvent(String arn, String version, String document) {
        return event("CreatePolicyVersion", "{\"policyArn\":\"" + arn + "\",\"setAsDefault\":true,\"policyDocument\":"
                + quoted(document) + "}").replace("\"responseElements\":null",
                "\"responseElements\":{\"policyVersion\":{\"versionId\":\"" + version
                        + "\",\"isDefaultVersion\":true,\"createDate\":\"Nov 28, 2026 3:00:00 PM\"}}");
    }

    @Test
    void aBackdoorAccessKeyIsDeactivatedNotDeleted() throws Exception {
        iam.createUser(b -> b.userName("victim"));
        String key = iam.createAccessKey(b -> b.userName("victim")).accessKey().accessKeyId();
        String ev = event("CreateAccessKey", "{\"userName\":\"victim\"}").replace("\"responseElements\":null",
                "\"responseElements\":{\"accessKey\":{\"accessKeyId\":\"" + key + "\",\"status\":\"Active\",\"userName\":\"victim\",\"createDate\":\"Nov 28, 2026 3:00:00 PM\"}}");
        Path config = file("key.yaml", "rules:\n  ACCESS_KEY_FOR_OTHER_USER: { remediate: true }\n");
        Run run = remediate(file("key.json", ev), "--config", config.toString());
        assertThat(iam.listAccessKeys(b -> b.userName("victim")).accessKeyMetadata())
                .singleElement().satisfies(k -> assertThat(k.statusAsString()).as(run.out() + run.err()).isEqualTo("Inactive"));
        assertThat(run.remediation().get("status").asText()).isEqualTo("DONE");
        assertThat(run.remediation().get("undo").get("aws").get(0).asText())
                .isEqualTo("aws iam update-access-key --user-name victim --access-key-id " + key + " --status Active");

        assertThat(restore(run.remediation().get("backupId").asText()).exit()).isEqualTo(0);
        assertThat(iam.listAccessKeys(b -> b.userName("victim")).accessKeyMetadata().get(0).statusAsString()).isEqualTo("Active");
    }

    @Test
    void aUserJustAddedToAPrivilegedGroupIsRemoved() throws Exception {
        iam.createGroup(b -> b.groupName("admins"));
        iam.attachGroupPolicy(b -> b.groupName("admins").policyArn(ADMIN_ARN));
        iam.createUser(b -> b.userName("mallory"));
        iam.addUserToGroup(b -> b.groupName("admins").userName("mallory"));
        Path config = file("group.yaml", "rules:\n  PRIVILEGED_GROUP_MEMBERSHIP: { remediate: true }\n");
        Run run = remediate(file("group.json", event("AddUserToGroup", "{\"groupName\":\"admins\",\"userName\":\"mallory\"}")),
                "--config", config.toString());
        assertThat(iam.listGroupsForUser(b -> b.userName("mallory")).groups()).as(run.out() + run.err()).isEmpty();
        assertThat(run.remediation().get("actions").get(0).get("action").asText()).isEqualTo("REMOVE_FROM_GROUP");
        assertThat(run.remediation().get("status").asText()).isEqualTo("DONE");

        assertThat(restore(run.remediation().get("backupId").asText()).exit()).isEqualTo(0);
        assertThat(groups(iam, "mallory")).containsExactly("admins");
    }

    // ---- safety rails: nothing touched ----

    @Test
    void remediateWithoutABackupBucketIsRefusedWithOneLineAndNothingIsTouched() throws Exception {
        iam.createRole(b -> b.roleName("no-backup").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("no-backup").policyArn(ADMIN_ARN));
        Run run = cli("replay", "--live", "--mode", "remediate",
                file("nb.json", event("AttachRolePolicy", "{\"roleName\":\"no-backup\",\"policyArn\":\"" + ADMIN_ARN + "\"}")).toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("iam-guardrail: --mode remediate needs --backup-bucket BUCKET: nothing is remediated"
                + " without a backup\n");
        assertThat(attached("no-backup")).contains(ADMIN_ARN);
    }

    @Test
    void aBreakGlassRoleIsNeverTouched() throws Exception {
        iam.createRole(b -> b.roleName("break-glass").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("break-glass").policyArn(ADMIN_ARN));
        Path config = file("bg.yaml", "remediation:\n  breakGlassPrincipals: [\"break-glass\"]\n");
        Run run = remediate(file("bg.json", event("AttachRolePolicy", "{\"roleName\":\"break-glass\",\"policyArn\":\"" + ADMIN_ARN + "\"}")),
                "--config", config.toString());
        assertThat(attached("break-glass")).contains(ADMIN_ARN);
        assertThat(run.remediation().get("status").asText()).isEqualTo("SKIPPED");
        assertThat(run.remediation().get("reason").asText()).startsWith("break-glass principal:");
    }

    @Test
    void aServiceLinkedRoleIsNeverTouchedEvenWhenItsNameDoesNotSaySo() throws Exception {
        iam.createRole(b -> b.roleName("ops-linked").path("/aws-service-role/ops.example.amazonaws.com/")
                .assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("ops-linked").policyArn(ADMIN_ARN));
        Run run = remediate(file("slr.json", event("AttachRolePolicy", "{\"roleName\":\"ops-linked\",\"policyArn\":\"" + ADMIN_ARN + "\"}")));
        assertThat(attached("ops-linked")).as(run.out() + run.err()).contains(ADMIN_ARN);
        assertThat(run.remediation().get("actions").get(0).get("status").asText()).isEqualTo("SKIPPED");
        assertThat(run.remediation().get("actions").get(0).get("detail").asText()).startsWith("service-linked role:");
    }

    @Test
    void aProblemAlreadyFixedIsANoopAndARedeliveryDoesNotActTwice() throws Exception {
        iam.createRole(b -> b.roleName("twice").assumeRolePolicyDocument(LAMBDA_TRUST));
        iam.attachRolePolicy(b -> b.roleName("twice").policyArn(ADMIN_ARN));
        Path ev = file("twice.json", event("AttachRolePolicy", "{\"roleName\":\"twice\",\"policyArn\":\"" + ADMIN_ARN + "\"}"));
        assertThat(remediate(ev).remediation().get("status").asText()).isEqualTo("DONE");
        Run again = remediate(ev);
        assertThat(again.remediation().get("status").asText()).isEqualTo("NOOP");
        assertThat(again.remediation().get("actions").get(0).get("detail").asText())
                .isEqualTo(ADMIN_ARN + " is no longer attached to role twice");
        assertThat(again.remediation().has("backupId")).isFalse();
        String eventId = JSON.readTree(Files.readString(ev)).get("detail").get("eventID").asText();
        List<S3Object> objects = s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("backups/" + eventId + "/")).contents();
        assertThat(objects).hasSize(1);
    }

    @Test
    void theRateGuardDefersWhatIsOverTheBudgetAndSaysSo() throws Exception {
        for (String r : List.of("burst-1", "burst-2")) {
            iam.createRole(b -> b.roleName(r).assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.attachRolePolicy(b -> b.roleName(r).policyArn(ADMIN_ARN));
            file(r + ".json", event("AttachRolePolicy", "{\"roleName\":\"" + r + "\",\"policyArn\":\"" + ADMIN_ARN + "\"}"));
        }
        Path config = file("rate.yaml", "remediation:\n  maxPerMinute: 1\n");
        Run run = cli("replay", "--live", "--mode", "remediate", "--format", "json", "--backup-bucket", BUCKET,
                "--config", config.toString(), dir.resolve("burst-1.json").toString(), dir.resolve("burst-2.json").toString());
        JsonNode events = JSON.readTree(run.out()).get("events");
        assertThat(events.get(0).get("remediation").get("status").asText()).isEqualTo("DONE");
        JsonNode second = events.get(1).get("remediation");
        assertThat(second.get("status").asText()).isEqualTo("DEFERRED");
        assertThat(second.get("reason").asText()).isEqualTo("rate guard: this minute's share of 1 remediations for"
                + " CRITICAL findings is spent; deferred, and retried on the event's next delivery");
        assertThat(attached("burst-1")).doesNotContain(ADMIN_ARN);
        assertThat(attached("burst-2")).contains(ADMIN_ARN);
    }

    @Test
    void theLambdaRemediatesFromItsEnvironmentAndItsRateGuardCountsInTheTable() throws Exception {
        software.amazon.awssdk.services.sns.SnsClient sns = MOTO.sns();
        String topic = sns.createTopic(b -> b.name("remediation-alerts")).topicArn();
        var service = EvaluatorEnvironment.service(java.util.Map.of("TOPIC_ARN", topic,
                "TABLE_NAME", TABLE, "MODE", "REMEDIATE", "BACKUP_BUCKET", BUCKET, "QUARANTINE_POLICY_ARN", quarantineArn,
                "GUARDRAIL_CONFIG", "remediation:\n  maxPerMinute: 1\n", "CONFIRM_EVENTS", "false"), new AwsClients(iam, sns, MOTO.dynamo(), MOTO::s3, Clients::kms, Clients::cloudTrail));
        List<String> statuses = new ArrayList<>();
        for (String r : List.of("lambda-1", "lambda-2")) {
            iam.createRole(b -> b.roleName(r).assumeRolePolicyDocument(LAMBDA_TRUST));
            iam.attachRolePolicy(b -> b.roleName(r).policyArn(ADMIN_ARN));
            var outcome = service.process(event("AttachRolePolicy", "{\"roleName\":\"" + r + "\",\"policyArn\":\""
                    + ADMIN_ARN + "\"}").getBytes(StandardCharsets.UTF_8), r);
            statuses.add(outcome.remediation().orElseThrow().status().name());
            assertThat(JSON.readTree(outcome.alert().orElseThrow().json()).get("remediation").get("status").asText())
                    .isEqualTo(statuses.get(statuses.size() - 1));
        }
        assertThat(statuses.get(0)).isEqualTo("DONE");
        assertThat(attached("lambda-1")).doesNotContain(ADMIN_ARN);
    }

    @Test
    void theTableRateGuardIsAtomicPerMinute() {
        java.time.Instant t = java.time.Instant.parse("2026-11-28T15:00:10Z");
        var clock = new java.util.concurrent.atomic.AtomicReference<>(t);
        java.time.Clock c = new java.time.Clock() {
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public java.time.Instant instant() {
                return clock.get();
            }
        };
        var guard = new io.iamguardrail.aws.DynamoDbRateGuard(MOTO.dynamo(), TABLE, 2, c);
        var critical = io.iamguardrail.config.Severity.CRITICAL;
        var high = io.iamguardrail.config.Severity.HIGH;
        assertThat(List.of(guard.tryAcquire(high), guard.tryAcquire(high))).as("lower severities get half the budget")
                .containsExactly(true, false);
        assertThat(List.of(guard.tryAcquire(critical), guard.tryAcquire(critical))).containsExactly(true, false);
        clock.set(t.plusSeconds(60));
        assertThat(guard.tryAcquire(critical)).as("a new minute").isTrue();
    }

    static List<String> groups(IamClient iam, String user) {
        return iam.listGroupsForUser(b -> b.userName(user)).groups().stream().map(Group::groupName).toList();
    }
}
