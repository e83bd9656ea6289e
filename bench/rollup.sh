#!/usr/bin/env bash
# Roll-up benchmark: ACCOUNTS per-account reports made by the real audit (5 to 60 roles each, inline policies drawn
# from the AWS managed policy corpus; 1 account in 100 failed, 1 in 100 without any file), then the organization
# report (read every report.json, build, write JSON and HTML) timed in one JVM with Lambda's settings at 1,024 MB
# (C1 only, serial collector, a quarter of the memory as heap), and as a whole process: `audit --roll-up DIR` next to
# the JVM's start (`--version`), median of RUNS.
# Usage: bench/rollup.sh [CORPUS_DIR] [ACCOUNTS] [RUNS]    (defaults: ../shared/corpus/aws-managed-policies 1000 3)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/aws-managed-policies}
accounts=${2:-1000}
runs=${3:-3}
jar=functions/target/iam-guardrail.jar
[ -d "$corpus" ] || { echo "corpus not found at $corpus (pass its path as the first argument)" >&2; exit 2; }
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
bench=functions/target/test-classes
[ -f "$bench/io/iamguardrail/bench/RollUpBench.class" ] || mvn -B -q -f functions/pom.xml test-compile
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
lambda=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m)

echo "== one JVM as Lambda runs it at 1,024 MB: $accounts reports written, then the roll-up timed (5 rounds) =="
java "${lambda[@]}" -cp "$jar:$bench" io.iamguardrail.bench.RollUpBench "$corpus" "$dir" "$accounts" 5

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
echo
echo "== whole process, median of $runs runs (ms) =="
floor=(); roll=()
for _ in $(seq "$runs"); do
  t=$(date +%s%N); java "${lambda[@]}" -cp "$jar" io.iamguardrail.cli.Main --version > /dev/null; floor+=("$(ms "$t")")
  # Exit 1: the organization has findings and accounts that were not audited.
  t=$(date +%s%N); java "${lambda[@]}" -jar "$jar" audit --roll-up "$dir" --format json > /dev/null || [ $? -eq 1 ]; roll+=("$(ms "$t")")
done
f=$(printf '%s\n' "${floor[@]}" | median)
r=$(printf '%s\n' "${roll[@]}" | median)
printf '  %-52s %6s ms\n' "JVM start + CLI parse (--version, the floor)" "$f"
printf '  %-52s %6s ms  (%sx the floor, %s ms per account)\n' "audit --roll-up DIR --format json, $accounts accounts" "$r" \
  "$(awk -v a="$r" -v b="$f" 'BEGIN { printf "%.1f", a / b }')" "$(awk -v a="$r" -v n="$accounts" 'BEGIN { printf "%.2f", a / n }')"
