#!/usr/bin/env bash
# Burst benchmark: a Terraform apply of ROLES roles (5 CloudTrail events each: CreateRole, 2 PutRolePolicy,
# 2 AttachRolePolicy; 1 role in 10 gets iam:PassRole on *, 1 in 20 AdministratorAccess) through the evaluator against
# moto, 4 containers in parallel, through the fault proxy: one invocation per event and through the evaluator's queue
# (events emitted at 500/s, 10 s batching window), clean, with every 10th IAM request throttled, and with the IAM
# read limit on (2 reads/s per container). Prints time, events/s, IAM requests per event (by action) and the most in
# any one second, throttles, alerts and the risky events they name, and through the queue the time from the apply's
# last event to the last alert; the run fails if any risky event is not named by exactly one alert or any other
# event is named.
# Usage: bench/burst.sh [ROLES] [THROTTLED_ROLES] [LIMITED_ROLES]    (defaults 200, 40 and 20: 1,000, 200, 100 events)
# Needs moto_server on the PATH (pip install 'moto[server]').
set -euo pipefail
cd "$(dirname "$0")/.."
roles=${1:-200}
throttled=${2:-40}
limited=${3:-20}
log=$(mktemp)
status=0
mvn -B -q verify -pl tests -am -Dtest=BurstTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none \
  -Dburst.roles="$roles" -Dburst.throttledRoles="$throttled" -Dburst.limitedRoles="$limited" > "$log" 2>&1 || status=$?
grep -E '^burst ' "$log" || true
if [ "$status" -ne 0 ]; then
  grep -E 'FAIL|ERROR\]' "$log" | head -20 >&2
  echo "burst: failed (full log: $log)" >&2
  exit "$status"
fi
rm -f "$log"
