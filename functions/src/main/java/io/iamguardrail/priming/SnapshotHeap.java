package io.iamguardrail.priming;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.lang.management.ManagementFactory;

/**
 * Lets the next full collection give the heap back down to its live data plus 30%: the collection before a
 * SnapStart snapshot (the runtime client's, after the hooks) or priming's own in init then leaves a small heap, and
 * a small snapshot. Set before that collection rather than in the functions' JVM options: from JVM start the same
 * ratios held the heap near its 16 MB initial size, and an evaluator init without SnapStart spent 200-245 ms in
 * about 20 collections, some of them full, instead of about 145 ms. Both ratios are manageable flags, so the JVM
 * takes them at run time.
 */
public final class SnapshotHeap implements Resource {

    static final int MIN_HEAP_FREE_PERCENT = 10;
    static final int MAX_HEAP_FREE_PERCENT = 30;

    private SnapshotHeap() {
    }

    /** Registers the ratios for the checkpoint; the caller holds the result (the context keeps weak references). */
    public static SnapshotHeap registerForCheckpoint() {
        SnapshotHeap heap = new SnapshotHeap();
        Core.getGlobalContext().register(heap);
        return heap;
    }

    /** Sets the ratios now; false when this JVM offers no diagnostic bean (a runtime without jdk.management). */
    public static boolean shrinkOnNextCollection() {
        try {
            HotSpotDiagnosticMXBean vm =
                    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            // Minimum first: the JVM refuses a minimum above the maximum, and the defaults are 40 and 70.
            vm.setVMOption("MinHeapFreeRatio", Integer.toString(MIN_HEAP_FREE_PERCENT));
            vm.setVMOption("MaxHeapFreeRatio", Integer.toString(MAX_HEAP_FREE_PERCENT));
            return true;
        } catch (RuntimeException | LinkageError unavailable) {
            return false;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        shrinkOnNextCollection();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to undo: the ratios keep the restored heap as small as it was snapshotted.
    }
}
