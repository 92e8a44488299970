#!/usr/bin/env bash
# Every performance goal in one table: runs the Node-interface, issuance, notice-PDF, reconciliation and dossier benchmarks (each
# against its baseline, side by side, on its own throwaway PostgreSQL cluster) and writes bench/results/latest.md.
#   bench/run.sh quick    about 7 minutes on 2 cores: 5 s per Node scenario, 5,000 positions, 200 PDFs, 100,000 FdR rows
#   bench/run.sh full     about 20 minutes: the defaults of each script; also refreshes their own reports
# Exit status: 0 when every run completed (the table says PASS or FAIL per goal), non-zero when a run failed.
# Loopback only, bounded in time; never part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-quick}
WORK=$(mktemp -d /tmp/pgw-bench-all.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

case "$MODE" in
  quick)
    NODE=(env PGW_BENCH_DURATION=5 PGW_BENCH_WARMUP=2 PGW_BENCH_NOTICES=20000 PGW_BENCH_PEAK_DURATION=15 PGW_BENCH_OUT="$WORK/node.md")
    ISSUANCE=(env PGW_BENCH_POSITIONS=5000 PGW_BENCH_ROUNDS=2 PGW_BENCH_OUT="$WORK/issuance.md")
    NOTICES=(env PGW_BENCH_OUT="$WORK/notices.md"); NOTICE_COUNT=200
    RECONCILE=(env PGW_BENCH_ROWS=100000 PGW_BENCH_ROWS_PER_FLOW=25000 PGW_BENCH_OUT="$WORK/reconciliation.md")
    DOSSIER=(env PGW_BENCH_DURATION=5 PGW_BENCH_OUT="$WORK/dossier.md") ;;
  full)
    NODE=(env PGW_BENCH_OUT="$WORK/node.md"); ISSUANCE=(env PGW_BENCH_OUT="$WORK/issuance.md")
    NOTICES=(env PGW_BENCH_OUT="$WORK/notices.md"); NOTICE_COUNT=400
    RECONCILE=(env PGW_BENCH_OUT="$WORK/reconciliation.md")
    DOSSIER=(env PGW_BENCH_OUT="$WORK/dossier.md") ;;
  *) echo "usage: bench/run.sh quick|full" >&2; exit 2 ;;
esac

started=$(date +%s)
echo "== Node interface"; "${NODE[@]}" bench/run-node.sh | tail -n 3
echo "== Issuance"; "${ISSUANCE[@]}" bench/run-issuance.sh | tail -n 3
echo "== Notice PDFs"; "${NOTICES[@]}" bench/run-notices.sh "$NOTICE_COUNT" | tail -n 3
echo "== Reconciliation"; "${RECONCILE[@]}" bench/run-reconcile.sh | tail -n 3
echo "== Dossier"; "${DOSSIER[@]}" bench/run-dossier.sh | tail -n 3

# One row per goal: the Node report's own Goals table, then the ratio lines of the other two reports.
row() { echo "| $1 | $2 | $3 |"; }
ratio_line() { grep -m1 -E "$2" "$1" | sed -E 's/\*//g'; }
{
  echo "# All performance goals ($MODE run)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, $(($(date +%s) - started)) s."
  echo "Every figure is a ratio against a baseline measured in the same run; the sections below link each run's details."
  echo
  echo "## Node interface (issue 5)"
  echo
  sed -n '/^## Goals/,/^## Scenarios/p' "$WORK/node.md" | sed '1d;$d'
  echo "## Issuance and notices (issue 6)"
  echo
  echo "| goal | measured | result |"
  echo "| --- | --- | --- |"
  row "issuance ≥ 0.5× raw binary COPY" "$(ratio_line "$WORK/issuance.md" '^\*\*Ratio issuance')" "$(grep -q 'target ≥ 0.5: PASS' "$WORK/issuance.md" && echo PASS || echo '**FAIL**')"
  row "Milan's 730,000 positions < 20 s" "$(ratio_line "$WORK/issuance.md" "^Milan's")" "$(grep -q 'target < 20 s: \*\*FAIL' "$WORK/issuance.md" && echo '**FAIL**' || echo PASS)"
  row "notice PDFs ≥ 10× warm Chromium" "$(ratio_line "$WORK/notices.md" '^Ratio')" "$(grep -q 'target ≥ 10×: \*\*PASS' "$WORK/notices.md" && echo PASS || echo '**FAIL**')"
  echo
  echo "## Reconciliation (issue 7)"
  echo
  echo "| goal | measured | result |"
  echo "| --- | --- | --- |"
  row "FdR parse + store + classify ≥ 0.15× PostgreSQL's hash join" "$(ratio_line "$WORK/reconciliation.md" '^\*\*Ratio ours')" "$(grep -q 'target ≥ 0.15: PASS' "$WORK/reconciliation.md" && echo PASS || echo '**FAIL**')"
  row "1,000,000 FdR rows ≤ 10 s on 2 cores" "$(ratio_line "$WORK/reconciliation.md" '^At this rate')" "$(grep -q 'target ≤ 10 s on 2 cores: PASS' "$WORK/reconciliation.md" && echo PASS || echo '**FAIL**')"
  echo
  echo "## Dossier (issue 8)"
  echo
  sed -n '/^## Goal/,/^## Scenarios/p' "$WORK/dossier.md" | sed '1,2d;$d'
  for f in node issuance notices reconciliation dossier; do echo "<details><summary>$f report</summary>"; echo; cat "$WORK/$f.md"; echo; echo "</details>"; echo; done
} > bench/results/latest.md
if [ "$MODE" = full ]; then
  cp "$WORK/node.md" bench/results/node-interface.md
  cp "$WORK/issuance.md" bench/results/issuance.md
  cp "$WORK/notices.md" bench/results/notices.md
  cp "$WORK/reconciliation.md" bench/results/reconciliation.md
  cp "$WORK/dossier.md" bench/results/dossier.md
fi
sed -n '1,/^<details>/p' bench/results/latest.md | sed '$d'
echo "written: bench/results/latest.md"
