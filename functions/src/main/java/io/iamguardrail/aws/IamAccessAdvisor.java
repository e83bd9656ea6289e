package io.iamguardrail.aws;

import io.iamguardrail.audit.AccessAdvisor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessAdvisorUsageGranularityType;
import software.amazon.awssdk.services.iam.model.GetServiceLastAccessedDetailsResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.JobStatusType;
import software.amazon.awssdk.services.iam.model.ServiceLastAccessed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Access Advisor through IAM: a {@code GenerateServiceLastAccessedDetails} job (ACTION_LEVEL granularity) per
 * principal, started a batch at a time, then {@code GetServiceLastAccessedDetails} polled with bounded exponential
 * backoff until each job completes, fails or runs out of time.
 */
public final class IamAccessAdvisor implements AccessAdvisor {

    /** Jobs started before polling: IAM runs them in parallel, and a batch bounds the jobs in flight. */
    static final int BATCH = 20;
    static final Duration FIRST_WAIT = Duration.ofMillis(500);
    static final Duration MAX_WAIT = Duration.ofSeconds(8);
    /** A batch whose jobs are not done after this long is reported as timed out, not waited for. */
    static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

    /** Sleeps; tests pass one that does not. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final IamClient iam;
    private final Sleeper sleeper;

    public IamAccessAdvisor(IamClient iam) {
        this(iam, d -> Thread.sleep(d.toMillis()));
    }

    public IamAccessAdvisor(IamClient iam, Sleeper sleeper) {
        this.iam = iam;
        this.sleeper = sleeper;
    }

    @Override
    public Result lastAccessed(List<String> principalArns) {
        Map<String, List<ServiceAccess>> out = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (int from = 0; from < principalArns.size(); from += BATCH) {
            List<String> batch = principalArns.subList(from, Math.min(principalArns.size(), from + BATCH));
            Map<String, String> jobs = new LinkedHashMap<>();
            for (String arn : batch) {
                try {
                    jobs.put(arn, iam.generateServiceLastAccessedDetails(b -> b.arn(arn)
                            .granularity(AccessAdvisorUsageGranularityType.ACTION_LEVEL)).jobId());
                } catch (SdkException e) {
                    failures.put(arn, describe(e));
                    if (from == 0 && jobs.isEmpty()) {
                        // The very first job cannot start (no permission, an emulator without Access Advisor): the
                        // same answer awaits every principal, so do not ask again.
                        principalArns.forEach(a -> failures.putIfAbsent(a, describe(e)));
                        return new Result(out, failures);
                    }
                }
            }
            poll(jobs, out, failures);
        }
        return new Result(out, failures);
    }

    private void poll(Map<String, String> jobs, Map<String, List<ServiceAccess>> out, Map<String, String> failures) {
        Duration wait = FIRST_WAIT;
        Duration waited = Duration.ZERO;
        Map<String, String> pending = new LinkedHashMap<>(jobs);
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var job = it.next();
                try {
                    Optional<List<ServiceAccess>> done = fetch(job.getValue());
                    if (done.isPresent()) {
                        out.put(job.getKey(), done.get());
                        it.remove();
                    }
                } catch (SdkException | IllegalStateException e) {
                    failures.put(job.getKey(), e instanceof SdkException s ? describe(s) : e.getMessage());
                    it.remove();
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (waited.compareTo(BATCH_TIMEOUT) >= 0) {
                pending.keySet().forEach(arn -> failures.put(arn, "job not complete after " + BATCH_TIMEOUT.toSeconds() + " s"));
                return;
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.keySet().forEach(arn -> failures.put(arn, "interrupted"));
                return;
            }
            waited = waited.plus(wait);
            wait = wait.multipliedBy(2).compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait.multipliedBy(2);
        }
    }

    /** The job's services (all pages) when it completed; empty while in progress; throws when it failed. */
    private Optional<List<ServiceAccess>> fetch(String jobId) {
        List<ServiceAccess> services = new ArrayList<>();
        String marker = null;
        do {
            String m = marker;
            GetServiceLastAccessedDetailsResponse r = iam.getServiceLastAccessedDetails(b -> b.jobId(jobId).marker(m));
            if (r.jobStatus() == JobStatusType.IN_PROGRESS) {
                return Optional.empty();
            }
            if (r.jobStatus() != JobStatusType.COMPLETED) {
                throw new IllegalStateException("job " + jobId + " " + r.jobStatusAsString()
                        + (r.error() == null ? "" : ": " + r.error().code() + " " + r.error().message()));
            }
            for (ServiceLastAccessed s : r.servicesLastAccessed()) {
                List<ActionAccess> actions = new ArrayList<>();
                s.trackedActionsLastAccessed().forEach(a -> actions.add(new ActionAccess(a.actionName(),
                        Optional.ofNullable(a.lastAccessedTime()))));
                services.add(new ServiceAccess(s.serviceNamespace(), s.serviceName(),
                        Optional.ofNullable(s.lastAuthenticated()), actions));
            }
            marker = Boolean.TRUE.equals(r.isTruncated()) ? r.marker() : null;
        } while (marker != null);
        return Optional.of(services);
    }

    private static String describe(SdkException e) {
        if (e instanceof IamException i && i.awsErrorDetails() != null) {
            return i.awsErrorDetails().errorCode() + " (HTTP " + i.statusCode() + ")";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse(""));
    }
}
