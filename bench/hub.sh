#!/usr/bin/env bash
# What a hub's per-account routing adds to each event: the offline evaluator pipeline over events/ as the guardrail
# of the samples' account and as a hub's member account, median per-event p50 side by side and their ratio.
# A measurement, never a test.
# Usage: bench/hub.sh [EVENTS_DIR] [WARMUP_ROUNDS] [MEASURED_ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=functions/target/iam-guardrail.jar
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
bench=functions/target/test-classes
[ -f "$bench/io/iamguardrail/bench/HubRoutingBench.class" ] || mvn -B -q -f functions/pom.xml test-compile
# The JVM as Lambda runs it at 1024 MB (bench/events.sh says why).
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp "$jar:$bench" io.iamguardrail.bench.HubRoutingBench \
  "${1:-events}" "${2:-1000}" "${3:-1000}"
