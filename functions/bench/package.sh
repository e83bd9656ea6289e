#!/usr/bin/env bash
# Deployment package as `sam build` makes it for a Java Maven function (target/classes plus every runtime
# dependency jar under lib/, zipped), next to the shaded CLI jar: sizes, jars, classes, and the biggest jars.
# A measurement, never a test. Usage: functions/bench/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o package -DskipTests
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mvn -B -q -o dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$work/pkg/lib" > /dev/null
cp -r target/classes/. "$work/pkg/"
(cd "$work/pkg" && zip -q -r -X "$work/package.zip" .)
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
classes=0
for j in "$work"/pkg/lib/*.jar; do classes=$((classes + $(unzip -l "$j" | grep -c '\.class$'))); done
classes=$((classes + $(find "$work/pkg" -name '*.class' | wc -l)))
printf '%-52s %s (%d jars, %d classes; goal: under 15 MB)\n' "sam build package (classes + lib/*.jar), zipped" \
  "$(mb "$(stat -c %s "$work/package.zip")")" "$(ls "$work"/pkg/lib/*.jar | wc -l)" "$classes"
printf '%-52s %s\n' "shaded CLI jar (target/iam-guardrail.jar)" "$(mb "$(stat -c %s target/iam-guardrail.jar)")"
echo "largest runtime jars:"
ls -S -l "$work"/pkg/lib/*.jar | head -8 | awk '{ printf "  %8.1f MB  %s\n", $5 / 1048576, $9 }' | sed "s|$work/pkg/lib/||"
