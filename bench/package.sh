#!/usr/bin/env bash
# The deployment package in both layouts, in one run: what `sam build` ships now (functions/Makefile: the
# ProGuard-shrunk jar under lib/) and the previous layout (sam's Java Maven builder: target/classes plus every runtime
# dependency jar under lib/), each zipped as `sam package` does, with jar and class counts; then the shaded CLI jar
# and the biggest dependency jars. A measurement, never a test. Usage: bench/package.sh
set -euo pipefail
cd "$(dirname "$0")/../functions"
for tool in make zip unzip; do
  command -v "$tool" > /dev/null || { echo "package.sh: needs $tool (Debian: apt-get install $tool)" >&2; exit 2; }
done
mvn -B -q -o package -DskipTests
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
# Classes in a task root: loose .class files plus those inside lib/*.jar.
classes() {
  local n j
  n=$(find "$1" -name '*.class' | wc -l)
  for j in "$1"/lib/*.jar; do n=$((n + $(unzip -l "$j" | grep -c '\.class$'))); done
  echo "$n"
}
report() { # label, task root
  (cd "$2" && zip -q -r -X "$work/$(basename "$2").zip" .)
  printf '%-56s %s (%d jars, %d classes)\n' "$1" "$(mb "$(stat -c %s "$work/$(basename "$2").zip")")" \
    "$(ls "$2"/lib/*.jar | wc -l)" "$(classes "$2")"
}

ARTIFACTS_DIR="$work/shipped" make --no-print-directory build-EvaluatorFunction > /dev/null
mvn -B -q -o dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/previous/lib" > /dev/null
cp -r target/classes/. "$work/previous/"

echo "deployment package, zipped (goal: under 15 MB)"
report "  sam build now: Makefile, shrunk jar under lib/" "$work/shipped"
report "  previous: target/classes + lib/*.jar" "$work/previous"
printf '%-56s %s\n' "shaded CLI jar (target/iam-guardrail.jar)" "$(mb "$(stat -c %s target/iam-guardrail.jar)")"
echo "largest runtime dependency jars (before shrinking):"
ls -S -l "$work"/previous/lib/*.jar | head -8 | awk '{ printf "  %8.1f MB  %s\n", $5 / 1048576, $9 }' \
  | sed "s|$work/previous/lib/||"
