#!/usr/bin/env bash
# Notice PDF throughput: NoticePdfRenderer (1 thread, all cores) vs a warm headless Chromium printing the same notice
# from HTML. Writes bench/results/notices.md (or PGW_BENCH_OUT). Installs Debian's chromium when missing (as root).
#   bench/run-notices.sh [COUNT]     COUNT notices for our renderer (default 400), COUNT/10 for Chromium
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-400}
if ! command -v chromium >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }
  echo "installing chromium with apt-get..."
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
dotnet build bench/PaymentGateway.NoticesBench -c Release -nologo -v quiet -clp:ErrorsOnly
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet artifacts/bin/PaymentGateway.NoticesBench/release/pgw-notices-bench.dll "$COUNT" chromium "${PGW_BENCH_OUT:-bench/results/notices.md}"
