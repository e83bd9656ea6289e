#!/usr/bin/env bash
# Burst benchmark: a Terraform apply of ROLES roles (5 CloudTrail events each: CreateRole, 2 PutRolePolicy,
# 2 AttachRolePolicy; 1 role in 10 gets iam:PassRole on *, 1 in 20 AdministratorAccess) through the evaluator against
# moto, 4 containers in parallel, through the fault proxy: once clean, once with every 10th IAM request throttled.
# Prints time, events/s, IAM requests per event (by action), throttles and alerts; the run fails if any risky event
# is not alerted exactly once or any other event alerts.
# Usage: bench/burst.sh [ROLES] [THROTTLED_ROLES]    (defaults 200 and 40: 1,000 and 200 events)
# Needs moto_server on the PATH (pip install 'moto[server]').
set -euo pipefail
cd "$(dirname "$0")/.."
roles=${1:-200}
throttled=${2:-40}
log=$(mktemp)
status=0
mvn -B -q verify -pl tests -am -Dtest=BurstTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none \
  -Dburst.roles="$roles" -Dburst.throttledRoles="$throttled" > "$log" 2>&1 || status=$?
grep -E '^burst ' "$log" || true
if [ "$status" -ne 0 ]; then
  grep -E 'FAIL|ERROR\]' "$log" | head -20 >&2
  echo "burst: failed (full log: $log)" >&2
  exit "$status"
fi
rm -f "$log"
