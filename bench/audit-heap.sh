#!/usr/bin/env bash
# Heap of one account's audit at scale: a generated `get-account-authorization-details` file (ROLES roles, USERS
# users in 25 groups, POLICIES customer-managed policies whose documents are AWS managed policies of the corpus), then
# `audit --authorization-details FILE --format json` with Lambda's JVM settings (C1 only, serial collector) at several
# maximum heaps: 256 MB is what the JVM takes by default in a 1,024 MB function (a quarter of the memory, as
# bench/events.sh and docs/performance.md model it). Prints, per heap: whether it completed, wall time, collections
# and the largest heap left after a collection (an upper bound of the live set: a young collection leaves the old
# generation's garbage); then the live heap phase by phase, each figure after a full collection.
# Usage: bench/audit-heap.sh [CORPUS_DIR] [ROLES] [USERS] [POLICIES]    (defaults: 5000 500 1300)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/aws-managed-policies}
roles=${2:-5000}; users=${3:-500}; policies=${4:-1300}
jar=functions/target/iam-guardrail.jar
[ -d "$corpus" ] || { echo "corpus not found at $corpus (pass its path as the first argument)" >&2; exit 2; }
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
bench=functions/target/test-classes
[ -f "$bench/io/iamguardrail/bench/LargeAccount.class" ] || mvn -B -q -f functions/pom.xml test-compile
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
java -cp "$jar:$bench" io.iamguardrail.bench.LargeAccount "$corpus" "$dir/details.json" "$roles" "$users" "$policies"

printf '%-10s %-10s %9s %6s %18s %10s\n' "max heap" "result" "wall ms" "GCs" "peak after GC MB" "findings"
for heap in ${HEAPS:-1024 512 384 256 192}; do
  log="$dir/gc-$heap.log"
  t=$(date +%s%N)
  status=0
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx${heap}m -Xlog:gc:file="$log" -jar "$jar" audit \
    --authorization-details "$dir/details.json" --format json --output "$dir/report-$heap.json" > /dev/null 2> "$dir/err-$heap" || status=$?
  wall=$(( ($(date +%s%N) - t) / 1000000 ))
  if [ "$status" -le 1 ] && [ -s "$dir/report-$heap.json" ]; then result=completed; else
    result=failed; grep -q OutOfMemoryError "$dir/err-$heap" && result=OOM; fi
  gcs=$(grep -c 'Pause' "$log" || true)
  peak=$(grep -o '[0-9]*M->[0-9]*M' "$log" | sed 's/.*->//; s/M//' | sort -n | tail -1)
  findings=$(sed -n 's/.*"findings" : \([0-9]*\).*/\1/p;T;q' "$dir/report-$heap.json" 2> /dev/null || true)
  printf '%-10s %-10s %9s %6s %18s %10s\n' "${heap} MB" "$result" "$wall" "$gcs" "${peak:--}" "${findings:--}"
done
echo
echo "== live heap after each phase, as the audit function holds it (1,024 MB heap, a collection before each figure) =="
java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx1024m -cp "$jar:$bench" io.iamguardrail.bench.AuditHeapPhases "$dir/details.json"
