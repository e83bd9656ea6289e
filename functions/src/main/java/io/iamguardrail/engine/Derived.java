package io.iamguardrail.engine;

import java.util.Map;
import java.util.function.Function;

/**
 * A value computed from a loaded table (the catalogue, the knowledge) once per table, not once per engine: a
 * process loads one catalogue and one knowledge, but builds an engine per account, and the evaluator SnapStart
 * priming warms is not the one real events use. Derived per rule instance, these tables cost a fresh engine's first
 * event 16-20 ms in a warm JVM. Keyed by identity: a test that loads another table gets its own value.
 */
public final class Derived<T, V> {

    private final Function<T, V> derive;
    private volatile Map.Entry<T, V> last;

    public Derived(Function<T, V> derive) {
        this.derive = derive;
    }

    public V of(T table) {
        Map.Entry<T, V> cached = last;
        if (cached == null || cached.getKey() != table) {
            cached = Map.entry(table, derive.apply(table));
            last = cached;
        }
        return cached.getValue();
    }
}
