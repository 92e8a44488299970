#!/usr/bin/env bash
# One command to see the gateway: installs PostgreSQL if missing, starts a private cluster under .data/pg,
# migrates, seeds the demo Comune di Milano on first run and runs the gateway in the foreground.
# Ctrl-C (or SIGTERM) stops the gateway and the cluster. Running it again reuses the data.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
# shellcheck source=scripts/pg-cluster.sh
. scripts/pg-cluster.sh

PORT=${PGW_PG_PORT:-55432}
URLS=${ASPNETCORE_URLS:-http://localhost:8080}
NOTICES=${PGW_DEMO_NOTICES:-10000}
CONN="Host=127.0.0.1;Port=$PORT;Database=paymentgateway;Username=postgres"
FIRST_URL=${URLS%%;*}
GATEWAY_PORT=$(echo "$FIRST_URL" | sed -E 's#^[a-z]+://(\[[^]]*\]|[^:/]+)(:([0-9]+))?.*#\3#')
case "$FIRST_URL" in https://*) GATEWAY_PORT=${GATEWAY_PORT:-443} ;; *) GATEWAY_PORT=${GATEWAY_PORT:-80} ;; esac

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK (dotnet) is not on PATH"
pg_ensure_installed
DATA=$(pg_cluster_dir "$ROOT/.data/pg")

GATEWAY_PID=""
STARTED_CLUSTER=""
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$GATEWAY_PID" ] && kill -0 "$GATEWAY_PID" 2>/dev/null; then
    kill -TERM "$GATEWAY_PID" 2>/dev/null || true
    wait "$GATEWAY_PID" 2>/dev/null || true
  fi
  # Only stop a cluster this run started: another run.sh may be using one it found running.
  if [ -n "$STARTED_CLUSTER" ]; then
    echo "stopping PostgreSQL (.data/pg)..."
    pg_cluster_stop "$DATA" fast
  fi
}

if pg_cluster_running "$DATA"; then
  echo "PostgreSQL already running on port $PORT (.data/pg)"
else
  port_busy "$PORT" && die "port $PORT is busy (another PostgreSQL?): set PGW_PG_PORT to a free port"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    echo "creating a private PostgreSQL cluster in .data/pg (port $PORT)..."
    pg_cluster_init "$DATA" "$PORT"
  fi
  pg_cluster_start "$DATA" "$ROOT/.data/postgresql.log"
  STARTED_CLUSTER=1
fi
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy "$GATEWAY_PORT" && die "port $GATEWAY_PORT is busy: stop what uses it or set ASPNETCORE_URLS"

echo "building (Release)..."
dotnet build "$ROOT/PaymentGateway.sln" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null || {
  dotnet build "$ROOT/PaymentGateway.sln" -c Release -nologo -v quiet -clp:ErrorsOnly; die "build failed"; }

./pgw migrate --connection "$CONN" || die "migration failed"
./pgw seed demo --notices "$NOTICES" --csv "$ROOT/.data/demo-notices.csv" --connection "$CONN" || die "seeding failed"

echo "starting the gateway on $URLS ..."
# The gateway reads appsettings.json from its working directory (the content root), so start it in its folder.
(cd "$ROOT/artifacts/bin/PaymentGateway.Gateway/release" && \
  ConnectionStrings__Gateway="$CONN" ASPNETCORE_URLS="$URLS" Gateway__BrokerFiscalCode="${Gateway__BrokerFiscalCode:-01199250158}" \
  exec dotnet PaymentGateway.Gateway.dll) &
GATEWAY_PID=$!

BASE="http://localhost:$GATEWAY_PORT"
READY=""
for _ in $(seq 1 60); do
  if [ "$(http_status "$GATEWAY_PORT" /health/ready 2>/dev/null)" = "200" ]; then READY=1; break; fi
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway exited during start-up (see the log above)"
  sleep 1
done
[ -n "$READY" ] || die "the gateway did not report ready on $BASE/health/ready within 60 s"
NOTICE=$(sed -n 2p "$ROOT/.data/demo-notices.csv" | cut -d';' -f1)
cat <<INFO

PaymentGateway is ready.
  $BASE/                   what is served
  $BASE/health/ready       200 when PostgreSQL is reachable and migrated
  $BASE/metrics            Prometheus metrics
  $BASE/soap/paForNode     the pagoPA Node's SOAP endpoint (WSDL: ?wsdl)
  $BASE/scalar             the back-office REST API (positions), OpenAPI at /openapi/v1.json
  PostgreSQL               psql "host=127.0.0.1 port=$PORT user=postgres dbname=paymentgateway"
  Demo notices             .data/demo-notices.csv ($(($(wc -l < "$ROOT/.data/demo-notices.csv") - 1)) payable notices)

Try it, as the pagoPA Node would (paVerifyPaymentNotice of demo notice $NOTICE):
  curl -s $BASE/soap/paForNode -H 'Content-Type: text/xml' -H 'SOAPAction: paVerifyPaymentNotice' -d '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><pafn:paVerifyPaymentNoticeReq><idPA>01199250158</idPA><idBrokerPA>01199250158</idBrokerPA><idStation>01199250158_01</idStation><qrCode><fiscalCode>01199250158</fiscalCode><noticeNumber>$NOTICE</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq></soapenv:Body></soapenv:Envelope>'

Press Ctrl-C to stop the gateway and PostgreSQL.
INFO
wait "$GATEWAY_PID"
