#!/usr/bin/env bash
# Runs the test suites and prints one closing line: "N passed, N failed".
#
#   scripts/test.sh unit UNIT_BINARIES...         cmocka unit tests only
#   scripts/test.sh integration                   throwaway stack + pytest through nginx
#   scripts/test.sh all UNIT_BINARIES...          unit, fuzz corpora, integration
#
# The throwaway stack (scripts/stack.sh … test) starts first, so the unit tests of the
# database layer run against its PostgreSQL; it is wiped at the end.
#
# Every suite runs even when an earlier one failed, so one run shows everything; the
# exit status is non-zero when anything failed.
set -uo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-all}"; shift || true
PY=/usr/bin/python3
passed=0; failed=0
LOG_DIR="$REPO/build/test-logs"; mkdir -p "$LOG_DIR"

count_cmocka() {   # $1: output file
  local p f
  p=$(grep -oE '^\[  PASSED  \] [0-9]+' "$1" | awk '{s+=$4} END {print s+0}')
  f=$(grep -oE '^\[  FAILED  \] [0-9]+' "$1" | awk '{s+=$4} END {print s+0}')
  echo "$p $f"
}

run_unit() {
  local t out rc p f
  for t in "$@"; do
    out="$LOG_DIR/$(basename "$t").log"
    CMOCKA_MESSAGE_OUTPUT=stdout "$t" >"$out" 2>&1; rc=$?
    read -r p f < <(count_cmocka "$out")
    # A crash before cmocka's summary still counts as a failure.
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p)); failed=$((failed + f))
    printf 'unit %-22s %3d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
    [ "$f" -eq 0 ] || sed 's/^/    /' "$out" | grep -E 'FAIL|ERROR|error|Assert|ASan|runtime' | head -20
  done
}

run_fuzz_corpora() {
  local bins=("$REPO"/build/fuzz/fuzz_*)
  [ -x "${bins[0]}" ] || return 0
  local b
  for b in "${bins[@]}"; do
    if "$REPO/scripts/fuzz.sh" 0 "$b" >"$LOG_DIR/$(basename "$b").log" 2>&1; then
      passed=$((passed + 1)); printf 'fuzz %-22s corpus replayed\n' "$(basename "$b")"
    else
      failed=$((failed + 1)); printf 'fuzz %-22s FAILED (see %s)\n' "$(basename "$b")" "$LOG_DIR/$(basename "$b").log"
    fi
  done
}

STATE=""
start_stack() {
  "$REPO/scripts/stack.sh" reset test >/dev/null 2>&1
  if ! "$REPO/scripts/stack.sh" start test >"$LOG_DIR/stack-start.log" 2>&1; then
    echo "integration: the test stack did not start:"; tail -30 "$LOG_DIR/stack-start.log"
    failed=$((failed + 1)); return 1
  fi
  STATE=$("$REPO/scripts/stack.sh" state-dir test)
  # Unit tests of the database layer use the same cluster, as the application role.
  export RM_TEST_DATABASE_URL="host=$STATE/pg/run port=${TEST_PGPORT:-5434} dbname=repman user=rm_app"
}

stop_stack() {
  [ -n "$STATE" ] && cp "$STATE"/log/*.log "$LOG_DIR/" 2>/dev/null
  "$REPO/scripts/stack.sh" reset test >/dev/null 2>&1
}

run_integration() {
  local junit="$LOG_DIR/integration.xml" p f
  [ -n "$STATE" ] || return 0
  rm -f "$junit"
  RM_BASE_URL="http://127.0.0.1:${TEST_PORT:-8081}" RM_STATE="$STATE" \
  RM_PGPORT="${TEST_PGPORT:-5434}" RM_DB=repman RM_REPO="$REPO" \
    $PY -m pytest -q -p no:cacheprovider --junitxml="$junit" "$REPO/tests/integration" \
    ${PYTEST_ARGS:-} 2>&1 | tee "$LOG_DIR/integration.log" | tail -40
  if [ -s "$junit" ]; then
    read -r p f < <($PY - "$junit" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
suites = [r] if r.tag == "testsuite" else list(r)
t = sum(int(s.get("tests", 0)) for s in suites)
bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
skip = sum(int(s.get("skipped", 0)) for s in suites)
print(t - bad - skip, bad)
PY
)
    passed=$((passed + p)); failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
}

case "$mode" in
  unit) run_unit "$@" ;;
  integration) start_stack && run_integration; stop_stack ;;
  all) start_stack; run_unit "$@"; run_fuzz_corpora; run_integration; stop_stack ;;
  *) echo "usage: test.sh unit|integration|all [unit binaries]" >&2; exit 2 ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
