#!/usr/bin/env bash
# Node-interface load figures (issue 5, "Speed"), end to end on a fresh clone, in about five minutes:
# builds Release, starts a throwaway PostgreSQL cluster (durable: fsync and synchronous_commit stay on), migrates,
# seeds the demo Comune, measures pgbench tpcb-like TPS on a separate database of the same cluster, starts the
# gateway with its default settings, then runs bench/PaymentGateway.Load (which starts the bare Kestrel + Npgsql
# baseline as a child process) and writes bench/results/node-interface.md. Everything stops on exit.
# Loopback only. Never part of ./test.sh.
#   bench/run-node.sh                        the full run (20 s per scenario)
#   PGW_BENCH_DURATION=5 bench/run-node.sh   a quick smoke (seconds per scenario)
# Settings: PGW_BENCH_DURATION (20), PGW_BENCH_WARMUP (3), PGW_BENCH_CONCURRENCY (32), PGW_BENCH_NOTICES (60000),
#           PGW_BENCH_OUT (bench/results/node-interface.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=../scripts/pg-cluster.sh
. scripts/pg-cluster.sh

DURATION=${PGW_BENCH_DURATION:-20}
WARMUP=${PGW_BENCH_WARMUP:-3}
CONCURRENCY=${PGW_BENCH_CONCURRENCY:-32}
NOTICES=${PGW_BENCH_NOTICES:-60000}
PEAK_RATE=${PGW_BENCH_PEAK_RATE:-100}
PEAK_DURATION=${PGW_BENCH_PEAK_DURATION:-60}
OUT=${PGW_BENCH_OUT:-$ROOT/bench/results/node-interface.md}

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
pg_ensure_installed
[ -x "$PG_BIN/pgbench" ] || die "pgbench not found in $PG_BIN (Debian: apt-get install postgresql-contrib)"

WORK=$(mktemp -d /tmp/pgw-bench.XXXXXX)
chmod 755 "$WORK"
DATA=$WORK/pg
GATEWAY_PID=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  pg_cluster_stop "$DATA" immediate
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { local p=$1; while port_busy "$p"; do p=$((p + 1)); done; echo "$p"; }
PG_PORT=$(free_port "${PGW_BENCH_PG_PORT:-55440}")
GATEWAY_PORT=$(free_port 18088)
BASELINE_PORT=$(free_port $((GATEWAY_PORT + 1)))

echo "building (Release)..."
dotnet build PaymentGateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null || {
  dotnet build PaymentGateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly; die "build failed"; }

# The server's defaults plus what pg-cluster.sh sets (max_connections, shared_buffers): durable commits.
pg_cluster_init "$DATA" "$PG_PORT"
pg_cluster_start "$DATA" "$WORK/postgresql.log"
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=paymentgateway"
echo "throwaway PostgreSQL on port $PG_PORT ($DATA), synchronous_commit=on"

./pgw migrate --connection "$CONN" >/dev/null || die "migration failed"
./pgw seed demo --notices "$NOTICES" --csv "$WORK/notices.csv" --connection "$CONN" || die "seeding failed"

# A fresh mass insert leaves autovacuum and the next checkpoint to run during the first scenarios; settle both now,
# as pgbench does for its own tables, so no scenario pays for the seeding.
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d paymentgateway -q -c "vacuum analyze" -c "checkpoint" || die "vacuum failed"

echo "pgbench: initialising scale 10 on database pgbench..."
PGB=(-h 127.0.0.1 -p "$PG_PORT" -U postgres)
"$PG_BIN/createdb" "${PGB[@]}" pgbench
"$PG_BIN/pgbench" "${PGB[@]}" -i -s 10 -q pgbench >"$WORK/pgbench-init.log" 2>&1 || { cat "$WORK/pgbench-init.log" >&2; die "pgbench -i failed"; }
PGBENCH_ARGS=(-c 8 -j 2 -T "$DURATION")
echo "pgbench ${PGBENCH_ARGS[*]} (tpcb-like)..."
"$PG_BIN/pgbench" "${PGB[@]}" "${PGBENCH_ARGS[@]}" pgbench >"$WORK/pgbench.log" 2>&1 || { cat "$WORK/pgbench.log" >&2; die "pgbench failed"; }
TPS=$(sed -nE 's/^tps = ([0-9.]+) \(without initial connection time\).*/\1/p' "$WORK/pgbench.log")
[ -n "$TPS" ] || { cat "$WORK/pgbench.log" >&2; die "could not read TPS from pgbench"; }
echo "pgbench: $TPS TPS"

echo "starting the gateway on 127.0.0.1:$GATEWAY_PORT (log: $WORK/gateway.log)..."
(cd "$ROOT/artifacts/bin/PaymentGateway.Gateway/release" && \
  ConnectionStrings__Gateway="$CONN" Gateway__BrokerFiscalCode=01199250158 ASPNETCORE_URLS="http://127.0.0.1:$GATEWAY_PORT" \
  exec dotnet PaymentGateway.Gateway.dll) >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
READY=""
for _ in $(seq 1 60); do
  if [ "$(http_status "$GATEWAY_PORT" /health/ready 2>/dev/null)" = "200" ]; then READY=1; break; fi
  kill -0 "$GATEWAY_PID" 2>/dev/null || { tail -n 20 "$WORK/gateway.log" >&2; die "the gateway exited during start-up"; }
  sleep 1
done
[ -n "$READY" ] || die "the gateway did not report ready within 60 s"

PG_VERSION=$("$PG_BIN/postgres" --version)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
set +e
timeout 600 dotnet "$ROOT/artifacts/bin/PaymentGateway.Load/release/pgw-load.dll" node \
  --gateway "http://127.0.0.1:$GATEWAY_PORT" --gateway-pid "$GATEWAY_PID" --connection "$CONN" \
  --baseline-port "$BASELINE_PORT" --pgbench-tps "$TPS" \
  --pgbench-command "pgbench -i -s 10; pgbench ${PGBENCH_ARGS[*]}" \
  --duration "$DURATION" --warmup "$WARMUP" --concurrency "$CONCURRENCY" --out "$OUT" \
  --peak-rate "$PEAK_RATE" --peak-duration "$PEAK_DURATION" \
  --env "commit=$COMMIT" --env "PostgreSQL=$PG_VERSION (synchronous_commit on, fsync on)" \
  --env "CPU=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)" \
  --env "seeded=$NOTICES demo positions (pgw seed demo)"
STATUS=$?
set -e
case "$STATUS" in
  0) echo "all targets met; report: ${OUT#"$ROOT"/}" ;;
  3) echo "some targets FAILED (see the report: ${OUT#"$ROOT"/})" ;;
  *) echo "the load harness failed (exit $STATUS); gateway log tail:"; tail -n 20 "$WORK/gateway.log"; exit "$STATUS" ;;
esac
