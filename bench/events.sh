#!/usr/bin/env bash
# Warm per-event latency of the evaluator pipeline in offline mode, per sample of events/ (p50, p99), next to the
# whole-process replay of the same folder. A measurement, never a test.
# Usage: bench/events.sh [EVENTS_DIR] [WARMUP_ROUNDS] [MEASURED_ROUNDS]
# With BASELINE=/path/to/older/iam-guardrail.jar that jar runs first, in the same session.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-events}
jar=functions/target/iam-guardrail.jar
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
# The benchmark mains are test code: compiled next to the tests, run against the packaged jar.
bench=functions/target/test-classes
[ -f "$bench/io/iamguardrail/bench/EventBench.class" ] || mvn -B -q -f functions/pom.xml test-compile
# A baseline jar from before the benchmark mains moved to the test sources carries its own main; use it, since the
# current main may call what that jar does not have.
baseline_run() { # main class of this build, main class inside older jars
  if jar tf "$BASELINE" 2>/dev/null | grep -qx "${2//.//}.class"; then echo "-cp $BASELINE $2"; else echo "-cp $BASELINE:$bench $1"; fi
}
# The JVM as Lambda runs it at 1024 MB: C1 only, and (under two vCPUs) the serial collector with a quarter of the
# memory as heap. G1 on this two-core machine made the same jar's p50 vary by 2x from run to run.
flags=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m)
if [ -n "${BASELINE:-}" ]; then
  echo "-- baseline $BASELINE"
  java "${flags[@]}" $(baseline_run io.iamguardrail.bench.EventBench io.iamguardrail.cli.EventBench) "$dir" "${2:-2000}" "${3:-1000}"
  echo "-- this build"
fi
java "${flags[@]}" -cp "$jar:$bench" io.iamguardrail.bench.EventBench "$dir" "${2:-2000}" "${3:-1000}"
