#!/usr/bin/env bash
# The dossier's speed goal (issue 8): a citizen's open debts through the gateway (GET /api/v1/dossier/debts, bearer JWT)
# against a bare Kestrel + Npgsql endpoint running the same indexed query (pgw-load baseline, GET /dossier/debts), in
# the same run. Builds Release, starts a throwaway PostgreSQL cluster, migrates, seeds the demo Comune, starts the
# gateway with the dossier on (HS256 key, a Checkout URL that is never called), runs bench/PaymentGateway.Load
# `dossier` and writes bench/results/dossier.md. Everything stops on exit. Loopback only; never part of ./test.sh.
#   bench/run-dossier.sh                          about 2 minutes on 2 cores (10 s per scenario)
#   PGW_BENCH_DURATION=20 bench/run-dossier.sh    a longer run
# Settings: PGW_BENCH_DURATION (10), PGW_BENCH_WARMUP (2), PGW_BENCH_CONCURRENCY (32), PGW_BENCH_NOTICES (20000 seeded
#           positions, one citizen each), PGW_BENCH_OUT (bench/results/dossier.md), PGW_BENCH_PG_PORT (55460).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=../scripts/pg-cluster.sh
. scripts/pg-cluster.sh

DURATION=${PGW_BENCH_DURATION:-10}
WARMUP=${PGW_BENCH_WARMUP:-2}
CONCURRENCY=${PGW_BENCH_CONCURRENCY:-32}
NOTICES=${PGW_BENCH_NOTICES:-20000}
OUT=${PGW_BENCH_OUT:-$ROOT/bench/results/dossier.md}

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
pg_ensure_installed

WORK=$(mktemp -d /tmp/pgw-bench-dossier.XXXXXX)
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
PG_PORT=$(free_port "${PGW_BENCH_PG_PORT:-55460}")
GATEWAY_PORT=$(free_port 18092)
BASELINE_PORT=$(free_port $((GATEWAY_PORT + 1)))

echo "building (Release)..."
dotnet build PaymentGateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null || {
  dotnet build PaymentGateway.sln -c Release -nologo -v quiet -clp:ErrorsOnly; die "build failed"; }

pg_cluster_init "$DATA" "$PG_PORT"
pg_cluster_start "$DATA" "$WORK/postgresql.log"
CONN="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=paymentgateway"
echo "throwaway PostgreSQL on port $PG_PORT ($DATA)"

./pgw migrate --connection "$CONN" >/dev/null || die "migration failed"
./pgw seed demo --notices "$NOTICES" --csv "$WORK/notices.csv" --connection "$CONN" >/dev/null || die "seeding failed"
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d paymentgateway -q -c "vacuum analyze" -c "checkpoint" || die "vacuum failed"

SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 48)
ISSUER=https://login.bench.dossier.invalid
AUDIENCE=pgw-bench
echo "starting the gateway on 127.0.0.1:$GATEWAY_PORT with the dossier on (log: $WORK/gateway.log)..."
(cd "$ROOT/artifacts/bin/PaymentGateway.Gateway/release" && \
  ConnectionStrings__Gateway="$CONN" Gateway__BrokerFiscalCode=01199250158 ASPNETCORE_URLS="http://127.0.0.1:$GATEWAY_PORT" \
  Dossier__Enabled=true Dossier__Jwt__Issuer="$ISSUER" Dossier__Jwt__Audience="$AUDIENCE" Dossier__Jwt__SigningKey="$SECRET" \
  Dossier__Checkout__BaseUrl=https://checkout.bench.invalid/checkout/ec/v1 Dossier__Checkout__SubscriptionKey=unused \
  Dossier__Checkout__ReturnOkUrl=https://dossier.bench.invalid/ok Dossier__Checkout__ReturnCancelUrl=https://dossier.bench.invalid/cancel \
  Dossier__Checkout__ReturnErrorUrl=https://dossier.bench.invalid/error \
  Dossier__RateLimit__PermitLimit=1000000 Dossier__RateLimit__Window=00:01:00 \
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
timeout 600 dotnet "$ROOT/artifacts/bin/PaymentGateway.Load/release/pgw-load.dll" dossier \
  --gateway "http://127.0.0.1:$GATEWAY_PORT" --connection "$CONN" --baseline-port "$BASELINE_PORT" \
  --secret "$SECRET" --issuer "$ISSUER" --audience "$AUDIENCE" \
  --duration "$DURATION" --warmup "$WARMUP" --concurrency "$CONCURRENCY" --out "$OUT" \
  --env "commit=$COMMIT" --env "PostgreSQL=$PG_VERSION" \
  --env "CPU=$(sed -nE 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)" \
  --env "seeded=$NOTICES demo positions (pgw seed demo)"
STATUS=$?
set -e
case "$STATUS" in
  0) echo "target met; report: ${OUT#"$ROOT"/}" ;;
  3) echo "target FAILED (see the report: ${OUT#"$ROOT"/})" ;;
  *) echo "the load harness failed (exit $STATUS); gateway log tail:"; tail -n 20 "$WORK/gateway.log"; exit "$STATUS" ;;
esac
