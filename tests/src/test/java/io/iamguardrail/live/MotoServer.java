package io.iamguardrail.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * moto server, the real AWS API on loopback: one process per test class, on a free port, with AWS managed policies
 * loaded (as in a real account). Needs {@code moto_server} on the PATH (.ci/run checks for it).
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Process process;
    private URI endpoint;
    private Path log;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        log = Files.createTempFile("moto", ".log");
        ProcessBuilder pb = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("expected `moto_server` on the PATH (pip install 'moto[server]') but it could"
                    + " not be started: " + e.getMessage(), e);
        }
        endpoint = URI.create("http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto_server did not accept connections on port " + port + " within 60 s");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    /** The emulator's address, for processes configured through AWS_ENDPOINT_URL. */
    public URI endpoint() {
        return endpoint;
    }

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    public IamClient iam() {
        return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.ADAPTIVE_V2)).build();
    }

    public SnsClient sns() {
        return SnsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public S3Client s3() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public KmsClient kms() {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** A new HMAC key as the stack's MAC key is ({@code HMAC_256}, {@code GENERATE_VERIFY_MAC}): its ARN. */
    public String createMacKey() {
        try (KmsClient kms = kms()) {
            return kms.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC)
                    .description("iam-guardrail backups and snapshots")).keyMetadata().arn();
        }
    }

    /** The guardrail's state table as the template declares it: one string key `pk`, on demand. */
    public void createStateTable(String name) {
        dynamo().createTable(b -> b.tableName(name)
                .billingMode(software.amazon.awssdk.services.dynamodb.model.BillingMode.PAY_PER_REQUEST)
                .keySchema(software.amazon.awssdk.services.dynamodb.model.KeySchemaElement.builder().attributeName("pk")
                        .keyType(software.amazon.awssdk.services.dynamodb.model.KeyType.HASH).build())
                .attributeDefinitions(software.amazon.awssdk.services.dynamodb.model.AttributeDefinition.builder()
                        .attributeName("pk").attributeType(software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType.S)
                        .build()));
    }

    /** A new queue subscribed to {@code topicArn} (subscription attributes such as RawMessageDelivery optional). */
    public String subscribeQueue(String topicArn, String queueName, java.util.Map<String, String> attributes) {
        String url = sqs().createQueue(b -> b.queueName(queueName)).queueUrl();
        String arn = sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        sns().subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(arn).attributes(attributes));
        return url;
    }

    /**
     * Every message waiting in the queue, taken off it: three receives of a second each, so that a message SNS is
     * still delivering is taken too. Each body is the SNS envelope as SQS receives it.
     */
    public List<JsonNode> drain(String queueUrl) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<Message> messages = sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            for (Message m : messages) {
                out.add(JSON.readTree(m.body()));
                sqs().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }
}
