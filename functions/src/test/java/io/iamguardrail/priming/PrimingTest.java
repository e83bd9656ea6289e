package io.iamguardrail.priming;

import io.iamguardrail.config.GuardrailConfig;
import io.iamguardrail.decision.Verdict;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PrimingTest {

    @Test
    void beforeCheckpointRunsTheBundledRiskyEventThroughTheOfflinePath() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Priming priming = new Priming(GuardrailConfig.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8));

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        // The bundled event grants iam:PassRole on *: priming must reach the rules and the alert, not stop early.
        assertThat(priming.primed()).contains(Verdict.ALERT);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"priming\":\"beforeCheckpoint\",\"verdict\":\"ALERT\"")
                .contains("\"priming\":\"afterRestore\",\"primed\":true");
        // The samples went round at least once; how many rounds fit the budget depends on the machine.
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("\"sampleRounds\":[1-9]");
    }

    @Test
    void primingLetsTheCollectionBeforeTheSnapshotShrinkTheHeap() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Priming priming = new Priming(GuardrailConfig.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8));

        priming.beforeCheckpoint(null);

        com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
        assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("30");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"heapShrinks\":true");
    }

    @Test
    void aFunctionThatDoesNotPrimeStillGivesItsHeapBackBeforeTheSnapshot() {
        com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        vm.setVMOption("MaxHeapFreeRatio", "70");
        vm.setVMOption("MinHeapFreeRatio", "40");

        SnapshotHeap.registerForCheckpoint().beforeCheckpoint(null);

        assertThat(vm.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo("10");
        assertThat(vm.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo("30");
    }

    @Test
    void theBundledSamplesAreTheProjectsOwnSampleEventsUnchanged() throws java.io.IOException {
        // The package cannot read events/ (sam builds functions/ alone), so priming carries copies; they must not drift.
        for (String name : Priming.SAMPLES) {
            try (java.io.InputStream in = Priming.class.getResourceAsStream("/priming/samples/" + name + ".json")) {
                assertThat(in).as("priming sample " + name).isNotNull();
                assertThat(in.readAllBytes()).as("priming sample " + name + " against events/" + name + ".json")
                        .isEqualTo(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../events", name + ".json")));
            }
        }
    }

    @Test
    void aClientWarmupThatFailsIsLoggedAndTheOthersStillRun() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.List<String> called = new java.util.ArrayList<>();
        Priming priming = new Priming(GuardrailConfig.defaults(), new PrintStream(out, true, StandardCharsets.UTF_8),
                java.util.List.of(new Priming.ClientWarmup("iam", () -> {
                    throw new IllegalStateException("AccessDenied");
                }), new Priming.ClientWarmup("sns", () -> called.add("sns"))));

        priming.prime("init");

        assertThat(called).containsExactly("sns");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("\"client\":\"iam\",\"skipped\":\"IllegalStateException\"")
                .contains("\"priming\":\"init\",\"verdict\":\"ALERT\"").contains("\"clients\":[\"sns\"]");
    }
}
