package io.iamguardrail.aws;

import io.iamguardrail.audit.AccessAdvisor;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessAdvisorUsageGranularityType;
import software.amazon.awssdk.services.iam.model.GenerateServiceLastAccessedDetailsRequest;
import software.amazon.awssdk.services.iam.model.GenerateServiceLastAccessedDetailsResponse;
import software.amazon.awssdk.services.iam.model.GetServiceLastAccessedDetailsRequest;
import software.amazon.awssdk.services.iam.model.GetServiceLastAccessedDetailsResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.JobStatusType;
import software.amazon.awssdk.services.iam.model.ServiceLastAccessed;
import software.amazon.awssdk.services.iam.model.TrackedActionLastAccessed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Access Advisor adapter against a stub at the SDK boundary (moto 5.2.1 does not implement these APIs). The
 * responses follow AWS's documented example for GetServiceLastAccessedDetails (iam used, s3 never used), with
 * the action-level fields of an ACTION_LEVEL job, an IN_PROGRESS poll first and a second page.
 */
class IamAccessAdvisorTest {

    static final String USER = "arn:aws:iam::123456789012:user/AWSExampleUser01";

    /** IAM as the adapter sees it: one job per principal, in progress on the first poll. */
    static class StubIam implements IamClient {
        final List<GenerateServiceLastAccessedDetailsRequest> generated = new ArrayList<>();
        final Map<String, Integer> polls = new java.util.HashMap<>();
        boolean denied;

        @Override
        public GenerateServiceLastAccessedDetailsResponse generateServiceLastAccessedDetails(GenerateServiceLastAccessedDetailsRequest r) {
            if (denied) {
                throw (IamException) IamException.builder().statusCode(403).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("AccessDenied").errorMessage("not authorized").build()).build();
            }
            generated.add(r);
            return GenerateServiceLastAccessedDetailsResponse.builder().jobId("examplef-1305-c245-eba4-71fe298bcda7").build();
        }

        @Override
        public GetServiceLastAccessedDetailsResponse getServiceLastAccessedDetails(GetServiceLastAccessedDetailsRequest r) {
            int n = polls.merge(r.jobId() + "|" + r.marker(), 1, Integer::sum);
            if (r.marker() == null && n == 1) {
                return GetServiceLastAccessedDetailsResponse.builder().jobStatus(JobStatusType.IN_PROGRESS)
                        .jobType(AccessAdvisorUsageGranularityType.ACTION_LEVEL)
                        .jobCreationDate(Instant.parse("2018-10-24T19:47:31.466Z")).servicesLastAccessed(List.of()).build();
            }
            if (r.marker() == null) {
                return GetServiceLastAccessedDetailsResponse.builder().jobStatus(JobStatusType.COMPLETED)
                        .jobType(AccessAdvisorUsageGranularityType.ACTION_LEVEL)
                        .jobCreationDate(Instant.parse("2018-10-24T19:47:31.466Z"))
                        .jobCompletionDate(Instant.parse("2018-10-24T19:47:35.241Z"))
                        .servicesLastAccessed(ServiceLastAccessed.builder().serviceName("AWS Identity and Access Management")
                                .serviceNamespace("iam").lastAuthenticated(Instant.parse("2018-10-24T19:11:00Z"))
                                .lastAuthenticatedEntity(USER).totalAuthenticatedEntities(2)
                                .trackedActionsLastAccessed(TrackedActionLastAccessed.builder().actionName("CreateAccessKey")
                                        .build(), TrackedActionLastAccessed.builder().actionName("ListRoles")
                                        .lastAccessedEntity(USER).lastAccessedRegion("us-east-1")
                                        .lastAccessedTime(Instant.parse("2018-10-24T19:11:00Z")).build()).build())
                        .isTruncated(true).marker("page-2").build();
            }
            return GetServiceLastAccessedDetailsResponse.builder().jobStatus(JobStatusType.COMPLETED)
                    .jobType(AccessAdvisorUsageGranularityType.ACTION_LEVEL)
                    .jobCreationDate(Instant.parse("2018-10-24T19:47:31.466Z"))
                    .jobCompletionDate(Instant.parse("2018-10-24T19:47:35.241Z"))
                    .servicesLastAccessed(ServiceLastAccessed.builder().serviceName("Amazon Simple Storage Service")
                            .serviceNamespace("s3").totalAuthenticatedEntities(0).build())
                    .isTruncated(false).build();
        }

        @Override
        public String serviceName() {
            return "iam";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void pollsEachActionLevelJobUntilDoneAndReadsEveryPage() {
        StubIam iam = new StubIam();
        List<Duration> slept = new ArrayList<>();
        AccessAdvisor.Result r = new IamAccessAdvisor(iam, slept::add).lastAccessed(List.of(USER));

        assertThat(iam.generated).singleElement().satisfies(g -> {
            assertThat(g.arn()).isEqualTo(USER);
            assertThat(g.granularity()).isEqualTo(AccessAdvisorUsageGranularityType.ACTION_LEVEL);
        });
        assertThat(slept).containsExactly(Duration.ofMillis(500));
        assertThat(r.failures()).isEmpty();
        List<AccessAdvisor.ServiceAccess> services = r.byPrincipal().get(USER);
        assertThat(services).extracting(AccessAdvisor.ServiceAccess::namespace).containsExactly("iam", "s3");
        assertThat(services.get(0).lastAuthenticated()).contains(Instant.parse("2018-10-24T19:11:00Z"));
        assertThat(services.get(0).trackedActions()).containsExactly(
                new AccessAdvisor.ActionAccess("CreateAccessKey", Optional.empty()),
                new AccessAdvisor.ActionAccess("ListRoles", Optional.of(Instant.parse("2018-10-24T19:11:00Z"))));
        assertThat(services.get(1).lastAuthenticated()).isEmpty();
    }

    @Test
    void whenNoJobCanStartItStopsAskingAndSaysWhy() {
        StubIam iam = new StubIam();
        iam.denied = true;
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            arns.add("arn:aws:iam::123456789012:role/r" + i);
        }
        AccessAdvisor.Result r = new IamAccessAdvisor(iam, d -> { }).lastAccessed(arns);
        assertThat(r.byPrincipal()).isEmpty();
        assertThat(r.failures()).hasSize(45).containsValue("AccessDenied (HTTP 403)");
    }

    @Test
    void aJobThatNeverCompletesTimesOutWithBoundedBackoff() {
        StubIam iam = new StubIam() {
            @Override
            public GetServiceLastAccessedDetailsResponse getServiceLastAccessedDetails(GetServiceLastAccessedDetailsRequest r) {
                return GetServiceLastAccessedDetailsResponse.builder().jobStatus(JobStatusType.IN_PROGRESS).build();
            }
        };
        List<Duration> slept = new ArrayList<>();
        AccessAdvisor.Result r = new IamAccessAdvisor(iam, slept::add).lastAccessed(List.of(USER));
        assertThat(r.failures()).containsEntry(USER, "job not complete after 120 s");
        assertThat(slept).allMatch(d -> d.compareTo(Duration.ofSeconds(8)) <= 0);
        assertThat(slept.stream().mapToLong(Duration::toMillis).sum()).isBetween(120_000L, 128_000L);
    }
}
