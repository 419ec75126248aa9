#!/usr/bin/env bash
# make bench-data: fills the bench instance's "Clínica Benchmark" workspace with 1,000,000
# patients and 5,000,000 messages (tests/bench/bench_data.sql), once. The cluster of the
# bench instance keeps them between runs: when the workspace already holds that many rows
# this does nothing. Run as root. Prints how long the generation took.
#
# Starts the bench instance (scripts/stack.sh start bench) when it is not running, and
# stops it again afterwards (stop, not reset: the data stays). `scripts/stack.sh reset
# bench` wipes it.
#
# Environment: BENCH_PORT [8082], BENCH_PGPORT [5435] (the bench instance's ports);
# BENCH_DATA_REDO=1 generates again even when the data is there (after changing
# tests/bench/bench_data.sql).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "bench-data.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (it starts the bench instance of the stack)"
export BENCH_PORT="${BENCH_PORT:-8082}" BENCH_PGPORT="${BENCH_PGPORT:-5435}"
PATIENTS=1000000
MESSAGES=5000000
WS=b0000000-0000-4000-8000-000000000001

STATE="$("$REPO/scripts/stack.sh" state-dir bench)"
alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }
started=0
if ! alive "$STATE/pg/data/postmaster.pid"; then
  echo "bench-data.sh: starting the bench instance"
  "$REPO/scripts/stack.sh" start bench >/dev/null || die "the bench instance did not start"
  started=1
fi
stop_again() { [ "$started" = 1 ] && "$REPO/scripts/stack.sh" stop bench >/dev/null 2>&1 || true; }
trap stop_again EXIT

psql_pg() {
  /usr/lib/postgresql/15/bin/psql -X -q -At -v ON_ERROR_STOP=1 -h "$STATE/pg/run" \
    -p "$BENCH_PGPORT" -U postgres -d repman "$@"
}

counts() {
  psql_pg -F ' ' -c "SELECT (SELECT count(*) FROM patients WHERE workspace_id = '$WS'),
                            (SELECT count(*) FROM messages WHERE workspace_id = '$WS')"
}

read -r have_patients have_messages < <(counts)
if [ "${BENCH_DATA_REDO:-0}" != 1 ] &&
   [ "$have_patients" -ge "$PATIENTS" ] && [ "$have_messages" -ge "$MESSAGES" ]; then
  echo "bench-data.sh: already there ($have_patients patients, $have_messages messages); nothing to do"
  exit 0
fi

echo "bench-data.sh: generating $PATIENTS patients and $MESSAGES messages (one transaction)"
start=$(date +%s.%N)
psql_pg --single-transaction -f "$REPO/tests/bench/bench_data.sql" ||
  die "generation failed; nothing was kept"
psql_pg -c "ANALYZE patients; ANALYZE messages; ANALYZE campaigns;"
end=$(date +%s.%N)
read -r have_patients have_messages < <(counts)
[ "$have_patients" -eq "$PATIENTS" ] && [ "$have_messages" -eq "$MESSAGES" ] ||
  die "expected $PATIENTS patients and $MESSAGES messages, found $have_patients and $have_messages"
printf 'bench-data.sh: done in %.0f s (%s patients, %s messages)\n' \
  "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$have_patients" "$have_messages"
