#!/usr/bin/env bash
# Builds (Release) and runs every test against a throwaway PostgreSQL cluster (own directory and port, removed
# afterwards). Ends with one line "N passed, N failed[, N skipped]"; exits non-zero on any failure.
#   ./test.sh            the normal suite
#   ./test.sh --long     also the long reliability tests (PGW_LONG_TESTS=1)
#   ./test.sh -- ARGS    extra arguments for `dotnet test` (e.g. -- --filter FullyQualifiedName~Core)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
# shellcheck source=scripts/pg-cluster.sh
. scripts/pg-cluster.sh

EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) export PGW_LONG_TESTS=1 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) die "unknown argument $1 (use --long, or -- followed by dotnet test arguments)" ;;
  esac
  shift
done

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
pg_ensure_installed
ensure_tools

WORK=$(mktemp -d /tmp/pgw-test.XXXXXX)
chmod 755 "$WORK"
DATA=$WORK/pg
cleanup() {
  pg_cluster_stop "$DATA" immediate
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=${PGW_TEST_PG_PORT:-55433}
while port_busy "$PORT"; do PORT=$((PORT + 1)); done
# Durability is pointless for a cluster that is deleted in a minute; turning it off makes the suite much faster.
pg_cluster_init "$DATA" "$PORT" "fsync = off" "synchronous_commit = off" "full_page_writes = off"
pg_cluster_start "$DATA" "$WORK/postgresql.log"
export PGW_TEST_CONNECTION="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres"
echo "throwaway PostgreSQL on port $PORT ($DATA)"

echo "building (Release)..."
if ! dotnet build PaymentGateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

LOG=$WORK/test.log
set +e
dotnet test PaymentGateway.sln -c Release --no-build -nologo "${EXTRA[@]}" 2>&1 | tee "$LOG"
STATUS=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ..."
sum() { { grep -E '^(Passed|Failed)! +- ' "$LOG" || true; } | sed -E "s/.*$1: +([0-9]+).*/\1/" | awk '{s += $1} END {print s + 0}'; }
PASSED=$(sum Passed); FAILED=$(sum Failed); SKIPPED=$(sum Skipped)
ASSEMBLIES=$(grep -cE '^(Passed|Failed)! +- ' "$LOG" || true)
if [ "$STATUS" -ne 0 ] && [ "$FAILED" -eq 0 ]; then
  echo "dotnet test exited with $STATUS without a failing test (a test host crashed or a project did not run)"
  FAILED=1
fi
echo "test assemblies: $ASSEMBLIES"
if [ "$SKIPPED" -gt 0 ]; then
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
  echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" -eq 0 ]
