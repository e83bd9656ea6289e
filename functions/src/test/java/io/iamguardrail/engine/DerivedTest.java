package io.iamguardrail.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DerivedTest {

    @Test
    void aValueIsDerivedOncePerTableAndAgainForAnotherTable() {
        AtomicInteger derivations = new AtomicInteger();
        Derived<StringBuilder, String> upper = new Derived<>(t -> {
            derivations.incrementAndGet();
            return t.toString().toUpperCase();
        });
        StringBuilder catalogue = new StringBuilder("iam");
        StringBuilder equalButAnother = new StringBuilder("iam");

        assertThat(upper.of(catalogue)).isEqualTo("IAM");
        assertThat(upper.of(catalogue)).isEqualTo("IAM");
        assertThat(derivations).hasValue(1);
        // Identity, not equality: a table loaded again is derived again.
        assertThat(upper.of(equalButAnother)).isEqualTo("IAM");
        assertThat(derivations).hasValue(2);
    }
}
