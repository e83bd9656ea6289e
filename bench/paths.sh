#!/usr/bin/env bash
# Privilege-graph benchmark at IAM's quota scale: a generated account of 5,000 roles, 500 users in 50 groups and
# 1,300 customer-managed policies (realistic trust and permission policies, a seed, the same every run), audited
# offline with PRIVILEGE_PATH and without it, alternating in one warm JVM: wall time, CPU time and allocation per
# run (medians), the graph's share side by side with the audit's own time, and the heap the report keeps.
# Usage: bench/paths.sh [WARMUP] [MEASURED]
set -euo pipefail
cd "$(dirname "$0")/.."
warmup=${1:-2}
measured=${2:-5}
jar=functions/target/iam-guardrail.jar
[ -f "$jar" ] || mvn -B -q -f functions/pom.xml package -DskipTests
# The benchmark mains are test code: compiled next to the tests, run against the packaged jar.
bench=functions/target/test-classes
[ -f "$bench/io/iamguardrail/bench/PathsBench.class" ] || mvn -B -q -f functions/pom.xml test-compile
echo "== privilege graph at quota scale: audit with and without PRIVILEGE_PATH ($warmup warm-up rounds, median of $measured) =="
java -Xmx1g -cp "$jar:$bench" io.iamguardrail.bench.PathsBench "$warmup" "$measured"
echo "  (this machine: $(nproc) cores shared with other builds; compare CPU time first, wall time measures the neighbours too)"
