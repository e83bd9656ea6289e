#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the readers of untrusted input: policy parser, event decoder + offline
# pipeline, template reader, configuration reader. A normal `mvn verify` only replays the seed corpus; this fuzzes
# each target for up to 10 minutes (the @FuzzTest maxDuration) and stops at the first finding.
# Usage: bench/fuzz.sh [TARGET...]   (default: all four)
# A finding is saved as a new file under
#   functions/src/test/resources/io/iamguardrail/fuzz/HostileInputFuzzTestInputs/<target>/
# and from then on every build replays it: fix the bug, keep the file. Jazzer's generated corpus (the inputs that
# reached new code) is kept in functions/.cifuzz-corpus/ between runs (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(policyParser eventDecoderAndPipeline templateReader configReader)
status=0
for t in "${targets[@]}"; do
  echo "== fuzzing $t =="
  if ! JAZZER_FUZZ=1 mvn -B -q -f functions/pom.xml test -Dtest="HostileInputFuzzTest#$t" \
      -Dsurefire.failIfNoSpecifiedTests=false; then
    echo "!! $t: finding (see above and the corpus directory)" >&2
    status=1
  fi
done
exit $status
