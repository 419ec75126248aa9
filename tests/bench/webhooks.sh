#!/usr/bin/env bash
# tests/bench/webhooks.sh: signed Twilio callbacks per second through nginx → webhooks →
# PostgreSQL over a table of BENCH_MESSAGES messages (500,000 by default), with p50 and
# p99, next to pgbench running the same SQL as rm_app (tests/bench/webhooks_status.sql,
# webhooks_inbound.sql). Two runs: status callbacks ("delivered", each message once) and
# inbound replies "5" (each one rates its message and enqueues a follow-up). Each kind
# runs twice through nginx: at saturation (every connection sends again as soon as it
# has its answer: the figure compared with pgbench), and paced (each connection waits
# BENCH_PACE_MS before each request: the latency below saturation), on other messages.
# Uses an instance of scripts/stack.sh of its own (hooks), with the same nginx
# configuration as `make run`, wiped at the end: never the bench instance, whose million
# patients of make bench-data the other benchmarks keep (this script once shared it, and
# its load began by deleting that workspace: a cascade PostgreSQL was killed for, at 23 GB). Run as root. Last, the time of a fixed CPU task taken just before each run:
# the machine's speed moves by half within minutes, and the figures with it.
#
# The bench workspace has no templates by default: the sender claims each follow-up and
# records it failed at render, so the figures hold the sender's database work but not its
# sending. BENCH_TEMPLATES=1 gives the workspace its default templates: the sender then
# renders and sends each follow-up to the stand-in Twilio, which posts its status
# callbacks back, all on this machine (the stand-in's own CPU is Twilio's, in production).
#
# BENCH_NO_CHECKS=1 measures what the p99 aim would cost (issue 8's notes): the programs'
# role (rm_app, pgbench's too) runs with session_replication_role = replica, so no
# foreign key is checked and no trigger fires (no rollups, no counts) in any of their
# statements. Not a configuration to run: the figures it prints are a trade's, and the
# instance is wiped at the end as always.
#
# Environment: BENCH_SECONDS [10], BENCH_CONNECTIONS [4], BENCH_MESSAGES [500000],
# BENCH_PACE_MS [12], HOOKS_PORT [8083], HOOKS_PGPORT [5436], BENCH_KEEP_STACK [0],
# BENCH_TEMPLATES [0], BENCH_NO_CHECKS [0], RM_PROCS [2].
# Raw output: build/bench/webhooks/.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
. "$REPO/tests/bench/lib.sh"
die() { echo "webhooks.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (it starts an instance of the stack)"

SECS="${BENCH_SECONDS:-10}"
CONNS="${BENCH_CONNECTIONS:-4}"
PACE="${BENCH_PACE_MS:-12}"
N="${BENCH_MESSAGES:-500000}"
export RM_PROCS="${RM_PROCS:-2}"
export HOOKS_PORT="${HOOKS_PORT:-8083}" HOOKS_PGPORT="${HOOKS_PGPORT:-5436}"
for v in "$SECS" "$CONNS" "$N" "$PACE"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] ||
    die "BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_MESSAGES, BENCH_PACE_MS: positive integers"
done
[ "$N" -ge 1000 ] || die "BENCH_MESSAGES must be at least 1000"
BASE="http://127.0.0.1:$HOOKS_PORT"
PY=/usr/bin/python3
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
PSQL=/usr/lib/postgresql/15/bin/psql
export BENCH_DIR="$REPO/tests/bench"
STATE="$("$REPO/scripts/stack.sh" state-dir hooks)"
OUT="$REPO/build/bench/webhooks"
rm -rf "$OUT"; mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/rm-bench-webhooks.XXXXXX)"
finish() {
  rm -rf "$WORK"
  # The instance's logs (slow statements, each request's time) outlive its reset.
  cp "$STATE/log/postgresql.log" "$STATE/log/webhooks.log" "$OUT/" 2>/dev/null || true
  [ "${BENCH_KEEP_STACK:-0}" = 1 ] || "$REPO/scripts/stack.sh" reset hooks >/dev/null 2>&1 || true
}
trap finish EXIT

echo "webhooks.sh: starting the hooks instance ($BASE, RM_PROCS=$RM_PROCS)"
"$REPO/scripts/stack.sh" start hooks >"$OUT/stack-start.log" 2>&1 ||
  { tail -20 "$OUT/stack-start.log" >&2; die "the hooks instance did not start"; }
psql_as() { local u="$1"; shift; "$PSQL" -X -q -At -v ON_ERROR_STOP=1 -h "$STATE/pg/run" -p "$HOOKS_PGPORT" -U "$u" -d repman "$@"; }

# What a stall in the timed runs would leave in the PostgreSQL log: checkpoints, every
# autovacuum, lock waits over deadlock_timeout (1 s), statements over 50 ms. The hooks
# instance is wiped at the end, so its settings go with it.
psql_as postgres -c "ALTER SYSTEM SET log_checkpoints = on" \
  -c "ALTER SYSTEM SET log_autovacuum_min_duration = 0" -c "ALTER SYSTEM SET log_lock_waits = on" \
  -c "ALTER SYSTEM SET log_min_duration_statement = 50" -c "SELECT pg_reload_conf()" >/dev/null

if [ "${BENCH_NO_CHECKS:-0}" = 1 ]; then
  echo "webhooks.sh: BENCH_NO_CHECKS=1: no foreign-key checks and no triggers for rm_app"
  psql_as postgres -c "ALTER ROLE rm_app SET session_replication_role = replica" >/dev/null
  # The programs connected at start: they start again to take the setting (before the
  # load, so that the timed runs find PostgreSQL as warm as without it).
  { "$REPO/scripts/stack.sh" stop hooks && "$REPO/scripts/stack.sh" start hooks; } \
    >>"$OUT/stack-start.log" 2>&1 || die "the hooks instance did not start again"
fi
echo "webhooks.sh: loading $N patients and $N sent messages"
"$PY" "$BENCH_DIR/webhooks_data.py" sql "$N" | psql_as rm_owner >"$OUT/load.log" 2>&1 ||
  { tail -20 "$OUT/load.log" >&2; die "loading the data failed"; }
# The load writes about a gigabyte of WAL: without a checkpoint now, the one it calls for
# starts during the timed runs, and every page first touched after it goes whole into the
# WAL (seen: p99 of 40 ms in one run, 12 ms in the next).
# Likewise the vacuum that a million fresh rows call for (autovacuum's insert threshold):
# left to autovacuum, it read all of messages and its indexes during the timed runs (seen:
# the replies' rate fell from 700 to 400 a second for five seconds, while it ran). Tables
# that old would have been vacuumed long before; the vacuums the runs' own updates call
# for still run when they come.
psql_as rm_owner -c "VACUUM patients" >/dev/null
psql_as rm_owner -c "VACUUM messages" >/dev/null
WS=b0000000-0000-4000-8000-000000000001
if [ "${BENCH_TEMPLATES:-0}" = 1 ]; then
  psql_as rm_owner -c "SELECT app_create_default_templates('$WS')" >/dev/null
fi
psql_as postgres -c "CHECKPOINT" >/dev/null
K=$N; [ "$K" -le 200000 ] || K=200000
# Two sets per kind: the saturation run's, and the paced run's (other messages, so that
# none of its requests is a replay).
for kind in status inbound; do
  "$PY" "$BENCH_DIR/webhooks_data.py" requests "$kind" "$N" $((K / 4)) "$BASE/hooks/twilio/$kind" \
    "$WORK/$kind.req"
  "$PY" "$BENCH_DIR/webhooks_data.py" requests "$kind" "$N" $((K / 4)) "$BASE/hooks/twilio/$kind" \
    "$WORK/${kind}_paced.req" $((K / 4))
done

# One request of each kind must do what it says before anything is timed.
check() {   # kind expected-status
  local body sig
  IFS=$'\t' read -r body sig < <(tail -n1 "$WORK/$1.req")
  curl -sS -o /dev/null -w '%{http_code}' -H "X-Twilio-Signature: $sig" --data "$body" \
    "$BASE/hooks/twilio/$1"
}
[ "$(check status)" = 200 ] || die "a signed status callback was not accepted"
[ "$(check inbound)" = 200 ] || die "a signed inbound reply was not accepted"
[ "$(psql_as rm_owner -c "SELECT count(*) FROM messages WHERE workspace_id = '$WS' AND type = 'FOLLOWUP_HAPPY'")" = 1 ] ||
  die "the checked reply enqueued no follow-up"

{
  echo "SECONDS=$SECS"; echo "CONNECTIONS=$CONNS"; echo "MESSAGES=$N"; echo "PROCS=$RM_PROCS"
  echo "PACE_MS=$PACE"; echo "TEMPLATES=${BENCH_TEMPLATES:-0}"
  echo "NO_CHECKS=${BENCH_NO_CHECKS:-0}"
  echo "NPROC=$(nproc)"; echo "LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)"
} >"$OUT/meta.env"

date -u +%FT%TZ >"$OUT/timed_from"
probes=""
for kind in status inbound; do
  probes="$probes $kind $(bench_cpu_probe)"
  echo "webhooks.sh: wrk $kind, $CONNS connections, ${SECS}s"
  BENCH_REQUESTS="$WORK/$kind.req" wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 5s --latency \
    -s "$BENCH_DIR/wrk_signed.lua" "$BASE/hooks/twilio/$kind" >"$OUT/wrk_$kind.out" 2>&1 ||
    { cat "$OUT/wrk_$kind.out" >&2; die "wrk failed ($kind)"; }
  probes="$probes, paced $(bench_cpu_probe)"
  echo "webhooks.sh: wrk $kind paced, $CONNS connections each waiting ${PACE} ms, ${SECS}s"
  BENCH_PACE_MS="$PACE" BENCH_REQUESTS="$WORK/${kind}_paced.req" wrk -t1 -c"$CONNS" \
    -d"${SECS}s" --timeout 5s --latency -s "$BENCH_DIR/wrk_signed.lua" \
    "$BASE/hooks/twilio/$kind" >"$OUT/wrk_${kind}_paced.out" 2>&1 ||
    { cat "$OUT/wrk_${kind}_paced.out" >&2; die "wrk failed ($kind, paced)"; }
  probes="$probes, pgbench $(bench_cpu_probe);"
  echo "webhooks.sh: pgbench webhooks_$kind.sql, $CONNS clients, ${SECS}s"
  (cd "$OUT" && "$PGBENCH" -h "$STATE/pg/run" -p "$HOOKS_PGPORT" -U rm_app -n -M prepared \
     -c "$CONNS" -j "$CONNS" -T "$SECS" -r -l --log-prefix="pgbench_$kind.log" \
     -D ws="$WS" -D count="$N" -f "$BENCH_DIR/webhooks_$kind.sql" repman) \
     >"$OUT/pgbench_$kind.out" 2>&1 ||
    { tail -30 "$OUT/pgbench_$kind.out" >&2; die "pgbench failed ($kind)"; }
done
psql_as rm_owner -c "SELECT type, status, count(*) FROM messages WHERE workspace_id = '$WS' GROUP BY 1, 2 ORDER BY 1, 2" >"$OUT/after.txt"
"$PY" "$BENCH_DIR/webhooks_data.py" report "$OUT"
echo "the machine's speed just before each run (bench_cpu_probe: SHA-256 of 100 MB, s):${probes%;}"
# Requests the program itself took 50 ms or more over, per second (a stall of the whole
# stack shows as several in the same second), and what PostgreSQL logged meanwhile.
cp "$STATE/log/webhooks.log" "$STATE/log/postgresql.log" "$OUT/" 2>/dev/null || true
echo "requests of 50 ms or more inside the program, per second (webhooks.log):"
awk -v from="$(cat "$OUT/timed_from")" '$1 >= "ts=" from && /msg=request/ {
    ms = $NF; sub(/^ms=/, "", ms); if (ms + 0 >= 50) { n[substr($1, 4)]++; w[substr($1, 4)] = w[substr($1, 4)] " " ms } }
  END { for (t in n) print "  " t, n[t], "requests, ms:" w[t] }' "$OUT/webhooks.log" | sort | head -20
echo "PostgreSQL during the timed runs (checkpoints, autovacuum, lock waits, statements over 50 ms):"
awk -v from="$(cat "$OUT/timed_from" | tr T ' ' | tr -d Z)" '$1 " " substr($2, 1, 8) >= from' "$OUT/postgresql.log" |
  grep -E "checkpoint|automatic (vacuum|analyze)|still waiting|duration:" | cut -c1-200 | head -20 || true
echo "raw output: $OUT"
