package io.iamguardrail.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a batch reads: its principals together when told them first, each at most once, nothing kept past the batch. */
class ReadOnceTest {

    private static final PrincipalRef APP = new PrincipalRef(PrincipalRef.Kind.ROLE, "app");
    private static final PrincipalRef OPS = new PrincipalRef(PrincipalRef.Kind.ROLE, "ops");

    /** IAM as the reads see it: which principals were read alone, and which lists of them together. */
    private static final class CountingIam implements IamState {
        final List<PrincipalRef> alone = new ArrayList<>();
        final List<Set<PrincipalRef>> together = new ArrayList<>();
        boolean listingFails;

        @Override
        public PrincipalState principal(PrincipalRef ref) {
            alone.add(ref);
            return state(ref);
        }

        @Override
        public Map<PrincipalRef, PrincipalState> principals(Set<PrincipalRef> wanted) {
            together.add(Set.copyOf(wanted));
            if (listingFails) {
                throw new StateUnavailable("the account's roles: Throttling (the SDK's retries are exhausted)", null);
            }
            Map<PrincipalRef, PrincipalState> out = new HashMap<>();
            wanted.stream().filter(APP::equals).forEach(r -> out.put(r, state(r)));
            return out;
        }

        @Override
        public ManagedPolicy managedPolicy(String arn, Optional<String> versionId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> policyVersions(String arn) {
            return List.of();
        }

        @Override
        public List<PrincipalRef> entitiesForPolicy(String arn, int limit) {
            return List.of();
        }

        @Override
        public boolean live() {
            return true;
        }

        private static PrincipalState state(PrincipalRef ref) {
            return new PrincipalState(ref, "arn:aws:iam::123456789012:role/" + ref.name(), "/", Optional.empty(),
                    Map.of(), List.of(), Optional.empty(), List.of());
        }
    }

    @Test
    void theBatchsPrincipalsAreReadTogetherAndWhatTheListingLackedIsReadAlone() throws Exception {
        CountingIam iam = new CountingIam();
        ReadOnce reads = new ReadOnce(iam);

        reads.expect(Set.of(APP, OPS));
        reads.principal(APP);
        reads.principal(OPS);
        reads.principal(OPS);

        assertThat(iam.together).containsExactly(Set.of(APP, OPS));
        assertThat(iam.alone).as("only the one the listing did not hold, once").containsExactly(OPS);

        // Told again within the batch, nothing already read is asked for.
        reads.expect(Set.of(APP, OPS));
        assertThat(iam.together).hasSize(1);

        reads.forget();
        reads.principal(APP);
        assertThat(iam.alone).as("the next batch reads afresh").containsExactly(OPS, APP);
    }

    @Test
    void aListingThatFailsLeavesEachPrincipalToBeReadAlone() throws Exception {
        CountingIam iam = new CountingIam();
        iam.listingFails = true;
        ReadOnce reads = new ReadOnce(iam);

        reads.expect(Set.of(APP, OPS));

        assertThat(reads.principal(APP).ref()).isEqualTo(APP);
        assertThat(iam.alone).containsExactly(APP);
    }
}
