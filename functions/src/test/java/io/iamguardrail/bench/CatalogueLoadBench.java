package io.iamguardrail.bench;

import io.iamguardrail.catalog.ActionCatalog;
import io.iamguardrail.catalog.Knowledge;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The first load of the catalogue and the knowledge tables in a fresh JVM, as the CLI and a Lambda cold start pay
 * it: one line of wall and CPU milliseconds. Run once per JVM by bench/engine.sh; a measurement, never a
 * test.
 */
public final class CatalogueLoadBench {

    private CatalogueLoadBench() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        ActionCatalog catalog = ActionCatalog.bundled();
        long c1 = threads.getCurrentThreadCpuTime();
        long t1 = System.nanoTime();
        Knowledge knowledge = Knowledge.bundled();
        long c2 = threads.getCurrentThreadCpuTime();
        long t2 = System.nanoTime();
        System.out.printf("catalogue %.1f %.1f knowledge %.1f %.1f actions %d methods %d%n", (t1 - t0) / 1e6,
                (c1 - c0) / 1e6, (t2 - t1) / 1e6, (c2 - c1) / 1e6, catalog.size(), knowledge.escalationMethods().size());
    }
}
