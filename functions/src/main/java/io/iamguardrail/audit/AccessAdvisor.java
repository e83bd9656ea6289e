package io.iamguardrail.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IAM Access Advisor: when each service (and, for the services AWS tracks at action level, each action) a principal
 * is allowed was last used. A port: the SDK adapter runs GenerateServiceLastAccessedDetails jobs; offline there is
 * no data ({@link #NONE}).
 */
public interface AccessAdvisor {

    /** One service the principal's policies allow; {@code lastAuthenticated} is absent when never used. */
    record ServiceAccess(String namespace, String name, Optional<Instant> lastAuthenticated,
                         List<ActionAccess> trackedActions) {
        public ServiceAccess {
            trackedActions = List.copyOf(trackedActions);
        }
    }

    /** One action AWS tracks at action level ({@code s3:PutObject}); {@code lastAccessed} absent when never used. */
    record ActionAccess(String action, Optional<Instant> lastAccessed) {
    }

    /** What Access Advisor returned, and for which principals it could not answer (and why). */
    record Result(Map<String, List<ServiceAccess>> byPrincipal, Map<String, String> failures) {
        public Result {
            byPrincipal = Map.copyOf(byPrincipal);
            failures = Map.copyOf(failures);
        }
    }

    /** Last-accessed data for each of the principals (ARNs); a principal it cannot answer for is in the failures. */
    Result lastAccessed(List<String> principalArns);

    /** Whether this advisor has data at all (offline it does not, and the report says so). */
    default boolean available() {
        return true;
    }

    AccessAdvisor NONE = new AccessAdvisor() {
        @Override
        public Result lastAccessed(List<String> principalArns) {
            return new Result(Map.of(), Map.of());
        }

        @Override
        public boolean available() {
            return false;
        }
    };
}
