#!/usr/bin/env bash
# Reconciliation throughput (issue 7, "Speed"): FdR files parsed, stored and classified end to end (FdrFlowStore +
# FdrMatcher, what `pgw reconcile import` and `pgw reconcile run` do) against PostgreSQL's own hash join of the same FdR
# rows with the same receipts, measured in the same run on a throwaway PostgreSQL cluster (own port and directory
# under /tmp, removed on exit; fsync and synchronous_commit stay on). Writes bench/results/reconciliation.md.
# Never part of ./test.sh.
#   bench/run-reconcile.sh                             1,000,000 FdR rows (20 files of 50,000), about 330 MiB of XML
#   PGW_BENCH_ROWS=100000 bench/run-reconcile.sh       a quick smoke
# Settings: PGW_BENCH_ROWS (1000000), PGW_BENCH_ROWS_PER_FLOW (50000), PGW_BENCH_OUT (bench/results/reconciliation.md),
#           PGW_BENCH_PG_PORT (55460).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=../scripts/pg-cluster.sh
. scripts/pg-cluster.sh

ROWS=${PGW_BENCH_ROWS:-1000000}
ROWS_PER_FLOW=${PGW_BENCH_ROWS_PER_FLOW:-50000}
OUT=${PGW_BENCH_OUT:-$ROOT/bench/results/reconciliation.md}

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
pg_ensure_installed

WORK=$(mktemp -d /tmp/pgw-reconcile-bench.XXXXXX)
chmod 755 "$WORK"
DATA=$WORK/pg
cleanup() {
  trap - EXIT INT TERM
  pg_cluster_stop "$DATA" immediate
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

PORT=${PGW_BENCH_PG_PORT:-55460}
while port_busy "$PORT"; do PORT=$((PORT + 1)); done
# Enough WAL between checkpoints that a million-row COPY does not force checkpoints half-way (the default 1GB would).
pg_cluster_init "$DATA" "$PORT" "max_wal_size = 4GB"
pg_cluster_start "$DATA" "$WORK/postgresql.log"
echo "throwaway PostgreSQL on port $PORT"

echo "building (Release)..."
dotnet build bench/PaymentGateway.Reconciliation.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
timeout 1800 dotnet artifacts/bin/PaymentGateway.Reconciliation.Bench/release/pgw-reconcile-bench.dll \
  --connection "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres" \
  --work "$WORK/flows" --rows "$ROWS" --rows-per-flow "$ROWS_PER_FLOW" --out "$OUT"
