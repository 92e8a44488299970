#!/usr/bin/env bash
# Bulk issuance throughput (issue 6): PositionImporter (parse + validate + number + persist) against raw Npgsql binary
# COPY of the same rows into the same indexed tables, measured in the same run on a throwaway PostgreSQL cluster
# (own port and directory under /tmp, removed on exit; fsync and synchronous_commit stay on). Writes
# bench/results/issuance.md. Never part of ./test.sh.
#   bench/run-issuance.sh                              30,000 positions (90,000 options), 2 rounds
#   PGW_BENCH_POSITIONS=3000 bench/run-issuance.sh     a quick smoke
# Settings: PGW_BENCH_POSITIONS (30000), PGW_BENCH_ROUNDS (2), PGW_BENCH_OUT (bench/results/issuance.md),
#           PGW_BENCH_PG_PORT (55450).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=../scripts/pg-cluster.sh
. scripts/pg-cluster.sh

POSITIONS=${PGW_BENCH_POSITIONS:-30000}
ROUNDS=${PGW_BENCH_ROUNDS:-2}
OUT=${PGW_BENCH_OUT:-$ROOT/bench/results/issuance.md}

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
pg_ensure_installed

WORK=$(mktemp -d /tmp/pgw-issuance-bench.XXXXXX)
chmod 755 "$WORK"
DATA=$WORK/pg
cleanup() {
  trap - EXIT INT TERM
  pg_cluster_stop "$DATA" immediate
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

PORT=${PGW_BENCH_PG_PORT:-55450}
while port_busy "$PORT"; do PORT=$((PORT + 1)); done
pg_cluster_init "$DATA" "$PORT"
pg_cluster_start "$DATA" "$WORK/postgresql.log"
echo "throwaway PostgreSQL on port $PORT"

echo "building (Release)..."
dotnet build bench/PaymentGateway.Issuance.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
timeout 600 dotnet artifacts/bin/PaymentGateway.Issuance.Bench/release/pgw-issuance-bench.dll \
  --connection "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=postgres" \
  --positions "$POSITIONS" --rounds "$ROUNDS" --out "$OUT"
