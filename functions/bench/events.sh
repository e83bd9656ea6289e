#!/usr/bin/env bash
# Warm per-event latency of the evaluator pipeline in offline mode, per sample of events/ (p50, p99), next to the
# whole-process replay of the same folder. A measurement, never a test.
# Usage: functions/bench/events.sh [EVENTS_DIR] [WARMUP_ROUNDS] [MEASURED_ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-events}
jar=functions/target/iam-guardrail.jar
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
java -XX:TieredStopAtLevel=1 -cp "$jar" io.iamguardrail.cli.EventBench "$dir" "${2:-300}" "${3:-300}"
