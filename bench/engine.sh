#!/usr/bin/env bash
# Engine benchmark on the AWS managed policy corpus: warm-JVM throughput (policies/s, p50/p99 per policy, the
# slowest ten, wall and CPU time), the cold catalogue load in fresh JVMs, and the whole-process time of `check` on
# the corpus, median of several runs, side by side in one run.
# Usage: bench/engine.sh [CORPUS_DIR] [RUNS]
# With BASELINE=/path/to/older/iam-guardrail.jar the warm loop runs that jar too, alternating with this one.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/aws-managed-policies}
runs=${2:-5}
jar=functions/target/iam-guardrail.jar
[ -d "$corpus" ] || { echo "corpus not found at $corpus (pass its path as the first argument)" >&2; exit 2; }
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
# The benchmark mains are test code: compiled next to the tests, run against the packaged jar.
bench=functions/target/test-classes
[ -f "$bench/io/iamguardrail/bench/EventBench.class" ] || mvn -B -q -f functions/pom.xml test-compile
# A baseline jar from before the benchmark mains moved to the test sources carries its own main; use it, since the
# current main may call what that jar does not have.
baseline_run() { # main class of this build, main class inside older jars
  if jar tf "$BASELINE" 2>/dev/null | grep -qx "${2//.//}.class"; then echo "-cp $BASELINE $2"; else echo "-cp $BASELINE:$bench $1"; fi
}

echo "== warm JVM: parse + all rules per policy (1 cold round, 20 warm-up rounds, median of 20 measured) =="
if [ -n "${BASELINE:-}" ]; then
  for _ in 1 2; do
    echo "-- baseline $BASELINE"; java $(baseline_run io.iamguardrail.bench.EngineBench io.iamguardrail.cli.Bench) "$corpus" 20 20 | grep -v '^    '
    echo "-- this build"; java -cp "$jar:$bench" io.iamguardrail.bench.EngineBench "$corpus" 20 20 | grep -v '^    '
  done
else
  java -cp "$jar:$bench" io.iamguardrail.bench.EngineBench "$corpus" 20 20
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo
echo "== cold catalogue load: first load in a fresh JVM (the CLI and the Lambda init pay it), median of $runs JVMs (ms) =="
loads=$(for _ in $(seq "$runs"); do java -cp "$jar:$bench" io.iamguardrail.bench.CatalogueLoadBench; done)
for col in "2 catalogue wall" "3 catalogue CPU" "5 knowledge wall" "6 knowledge CPU"; do
  set -- $col
  printf '  %-44s %6s ms\n' "$2 load, $3" "$(echo "$loads" | awk -v c="$1" '{print $c}' | median)"
done

echo
echo "== whole process, median of $runs runs (ms) =="
check=(); c1=(); floor=()
for _ in $(seq "$runs"); do
  t=$(date +%s%N); java -cp "$jar" io.iamguardrail.cli.Main --version > /dev/null; floor+=("$(ms "$t")")
  t=$(date +%s%N); java -jar "$jar" check --format json "$corpus" > /dev/null || true; check+=("$(ms "$t")")
  # C1 only: in a run of a second or two on two cores, C2's compiler threads cost more than their code saves.
  t=$(date +%s%N); java -XX:TieredStopAtLevel=1 -jar "$jar" check --format json "$corpus" > /dev/null || true; c1+=("$(ms "$t")")
done
f=$(printf '%s\n' "${floor[@]}" | median)
c=$(printf '%s\n' "${check[@]}" | median)
q=$(printf '%s\n' "${c1[@]}" | median)
ratio() { awk -v c="$1" -v f="$f" 'BEGIN { printf "%.1f", c / f }'; }
printf '  %-52s %6s ms\n' "JVM start + CLI parse (--version, the floor)" "$f"
printf "  %-52s %6s ms  (%sx the floor)\n" "check --format json on $(ls "$corpus" | wc -l) policies" "$c" "$(ratio "$c")"
printf "  %-52s %6s ms  (%sx the floor)\n" "the same with -XX:TieredStopAtLevel=1" "$q" "$(ratio "$q")"
for tool in parliament cloudsplaining; do
  if command -v "$tool" > /dev/null; then
    t=$(date +%s%N); "$tool" --help > /dev/null 2>&1 || true
    echo "  $tool is installed: compare with its own corpus run in this same session"
  else
    echo "  $tool: not installed here (reference on this machine kind: Parliament ~12 s, Cloudsplaining ~6 s)"
  fi
done
