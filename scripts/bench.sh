#!/usr/bin/env bash
# make bench: what the signed-in home page costs, measured in one run against a stack of its
# own (the bench instance of scripts/stack.sh), next to two ceilings. Run as root; prints a
# small table.
#
#   1. nginx alone: wrk on /_bench/static (`return 200` in nginx.conf.in), the HTTP ceiling.
#   2. nginx -> FastCGI (reports) -> PostgreSQL: wrk on GET / with the rm_session cookie of
#      the demo owner, signed in first through /login like a browser. The page is checked
#      (200, the signed-in home of "Consultorio Demo") before anything is measured.
#   3. PostgreSQL alone: pgbench -M prepared running the same SQL that page runs
#      (tests/bench/home.sql: BEGIN, session lookup, set tenant, session row, touch,
#      home figures, COMMIT) as rm_app over the unix socket, with that session's token hash.
# Each at the same concurrency; 2 / 1 is what the app costs against bare HTTP, 2 / 3 what
# nginx + FastCGI + rendering cost on top of the database work.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS [10]       length of each measurement
#   BENCH_CONNECTIONS [2]    concurrency; a list ("2 8") runs the three measurements per level
#   BENCH_THREADS [1]        wrk threads (capped at the concurrency)
#   BENCH_WRK_TIMEOUT [5s]   wrk's per-request timeout (slower requests count as timeouts)
#   RM_PROCS [2]             FastCGI processes per program
#   BENCH_PORT [8082], BENCH_PGPORT [5435]   the bench instance's ports (scripts/stack.sh)
#   BENCH_KEEP_STACK [0]     1 leaves the instance running afterwards (else it is wiped)
# Raw output (wrk, pgbench and its per-transaction logs, nginx errors) is written to a
# temporary directory (safe from a concurrent make clean) and copied to build/bench/ at the end.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "bench.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (it starts the bench instance of the stack)"

SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-2}"
THREADS="${BENCH_THREADS:-1}"
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-5s}"
export RM_PROCS="${RM_PROCS:-2}"
export BENCH_PORT="${BENCH_PORT:-8082}" BENCH_PGPORT="${BENCH_PGPORT:-5435}"
PY=/usr/bin/python3
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
BASE="http://127.0.0.1:$BENCH_PORT"
BENCH_DIR="$REPO/tests/bench"

[[ "$SECONDS_PER_RUN" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer"
CONNECTIONS="${CONNECTIONS//,/ }"
for c in $CONNECTIONS; do
  [[ "$c" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be positive integers: $CONNECTIONS"
done
[ -n "${CONNECTIONS// /}" ] || die "BENCH_CONNECTIONS is empty"
[[ "$RM_PROCS" =~ ^[1-9][0-9]*$ ]] || die "RM_PROCS must be a positive integer"
for tool in wrk curl "$PGBENCH" "$PY" sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (make deps)"
done

STACK="$REPO"
STATE="$("$STACK/scripts/stack.sh" state-dir bench)"
alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }
if alive "$STATE/run/nginx.pid" || alive "$STATE/pg/data/postmaster.pid"; then
  die "the bench instance is already running ($STATE): another make bench is using it"
fi
if ss -Hltn "sport = :$BENCH_PORT" | grep -q .; then
  die "port $BENCH_PORT is taken by another process; set BENCH_PORT to a free port"
fi

WORK="$(mktemp -d /tmp/rm-bench.XXXXXX)"
OUT="$WORK/results"; mkdir -p "$OUT"
FINAL="$REPO/build/bench"
stop_stack() {
  rm -rf "$FINAL"; mkdir -p "$FINAL" && cp -r "$OUT/." "$FINAL/" ||
    echo "bench.sh: could not copy the raw output to $FINAL" >&2
  rm -rf "$WORK"
  [ "${BENCH_KEEP_STACK:-0}" = 1 ] && return 0
  # The benchmark workspace of make bench-data takes minutes to generate: when the cluster
  # holds it, stop the instance instead of wiping it (scripts/stack.sh reset bench does).
  if [ -n "$(/usr/lib/postgresql/15/bin/psql -X -q -At -h "$STATE/pg/run" -p "$BENCH_PGPORT" \
               -U postgres -d repman -c "SELECT 1 FROM workspaces
                                          WHERE id = 'b0000000-0000-4000-8000-000000000001'" \
               2>/dev/null)" ]; then
    "$STACK/scripts/stack.sh" stop bench >/dev/null 2>&1 || echo "bench.sh: stopping the bench instance failed" >&2
    return 0
  fi
  "$STACK/scripts/stack.sh" reset bench >/dev/null 2>&1 || echo "bench.sh: wiping the bench instance failed" >&2
}
trap stop_stack EXIT

echo "bench.sh: starting the bench instance (http://127.0.0.1:$BENCH_PORT, RM_PROCS=$RM_PROCS)"
"$STACK/scripts/stack.sh" start bench >"$OUT/stack-start.log" 2>&1 ||
  { tail -30 "$OUT/stack-start.log" >&2; die "the bench instance did not start (see $FINAL/stack-start.log)"; }

# ---- sign in as the demo owner, like a browser -------------------------------------------
JAR="$WORK/cookies"
login_page="$(curl -fsS -c "$JAR" -b "$JAR" "$BASE/login")" || die "GET /login failed"
csrf="$(grep -o 'name="_csrf" value="[0-9a-f]*"' <<<"$login_page" | head -n1 | sed 's/.*value="//; s/"$//')"
[ -n "$csrf" ] || die "no _csrf hidden input on /login"
grep -q $'\trm_csrf\t' "$JAR" || die "GET /login set no rm_csrf cookie"
status="$(curl -sS -o "$WORK/login-post.html" -w '%{http_code}' -c "$JAR" -b "$JAR" \
  --data-urlencode "email=demo@reputationmanager.com" --data-urlencode "password=demo1234" \
  --data-urlencode "_csrf=$csrf" "$BASE/login")"
[ "$status" = 303 ] || [ "$status" = 302 ] || die "POST /login answered $status, not a redirect"
session="$(awk -F'\t' '$6 == "rm_session" {print $7}' "$JAR" | tail -n1)"
[[ "$session" =~ ^[0-9a-f]{64}$ ]] || die "POST /login set no rm_session cookie"
COOKIE="Cookie: rm_session=$session"
token_hash="$(printf '%s' "$session" | sha256sum | cut -c1-64)"

status="$(curl -sS -o "$WORK/home.html" -w '%{http_code}' -H "$COOKIE" "$BASE/")"
[ "$status" = 200 ] || die "GET / with the session answered $status, not 200"
{ cp "$WORK/home.html" "$OUT/home-check.html"; grep -q 'Consultorio Demo' "$WORK/home.html"; } ||
  die "GET / is not the signed-in home of Consultorio Demo (see $FINAL/home-check.html)"
grep -q 'id="workspace-name"' "$WORK/home.html" || die "GET / is not the home page"
status="$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/_bench/static")"
[ "$status" = 200 ] || die "GET /_bench/static answered $status, not 200"
echo "bench.sh: signed in as demo@reputationmanager.com; GET / is the signed-in home (200)"

# pgbench must see the session the same way before it is timed.
psql_app() {
  /usr/lib/postgresql/15/bin/psql -X -q -At -h "$STATE/pg/run" -p "$BENCH_PGPORT" -U rm_app \
    -d repman "$@"
}
ws="$(psql_app -c "SELECT app_session_workspace(decode('$token_hash', 'hex'))")"
[ "$ws" = 10000000-0000-4000-8000-000000000001 ] ||
  die "the session's token hash does not resolve to the demo workspace ($ws)"

# ---- measure ------------------------------------------------------------------------------
{
  echo "SECONDS=$SECONDS_PER_RUN"
  echo "CONNECTIONS=$CONNECTIONS"
  echo "PROCS=$RM_PROCS"
  echo "NPROC=$(nproc)"
  echo "CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1 | tr -s ' ')"
  echo "THREADS=$THREADS"
  echo "WRK_TIMEOUT=$WRK_TIMEOUT"
  echo "LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/meta.env"

run_wrk() {   # name conc url [curl header]
  local name="$1" c="$2" url="$3" t="$THREADS"; shift 3
  [ "$t" -le "$c" ] || t="$c"
  echo "bench.sh: wrk $name, $c connections, ${SECONDS_PER_RUN}s"
  wrk -t"$t" -c"$c" -d"${SECONDS_PER_RUN}s" --timeout "$WRK_TIMEOUT" --latency \
    -s "$BENCH_DIR/wrk_report.lua" "$@" "$url" >"$OUT/${name}_c$c.out" 2>&1 ||
    { cat "$OUT/${name}_c$c.out" >&2; die "wrk failed ($name, $c connections)"; }
  grep -q '^BENCH_WRK ' "$OUT/${name}_c$c.out" || die "wrk printed no figures ($name)"
}

for c in $CONNECTIONS; do
  run_wrk static "$c" "$BASE/_bench/static"
  # What nginx logs during the home run (retried or failed upstream connections) is part
  # of the result: a request nginx retried behind the client's back shows only there.
  before="$(wc -l <"$STATE/log/nginx-error.log")"
  run_wrk home "$c" "$BASE/" -H "$COOKIE"
  tail -n +"$((before + 1))" "$STATE/log/nginx-error.log" >"$OUT/home_c$c.nginx-errors"
  echo "bench.sh: pgbench tests/bench/home.sql, $c clients, ${SECONDS_PER_RUN}s"
  # The per-transaction logs go to a directory root owns; pgbench runs as root (peer -> rm_app).
  (cd "$OUT" && "$PGBENCH" -h "$STATE/pg/run" -p "$BENCH_PGPORT" -U rm_app -n -M prepared \
      -c "$c" -j "$c" -T "$SECONDS_PER_RUN" -r -l --log-prefix="pgbench_c$c.log" \
      -D hash="$token_hash" -f "$BENCH_DIR/home.sql" repman) >"$OUT/pgbench_c$c.out" 2>&1 ||
    { tail -30 "$OUT/pgbench_c$c.out" >&2; die "pgbench failed ($c clients)"; }
  # The app's page must still be the signed-in home after the load (no silent 302s).
  status="$(curl -sS -o "$WORK/home.html" -w '%{http_code}' --max-time 70 -H "$COOKIE" "$BASE/" || true)"
  [ "$status" = 200 ] && { cp "$WORK/home.html" "$OUT/home-check.html"; grep -q 'Consultorio Demo' "$WORK/home.html"; } ||
    echo "bench.sh: WARNING: after the $c-connection runs GET / answered $status" >&2
done

"$PY" "$BENCH_DIR/report.py" "$OUT" | sed "s|^raw output: .*|raw output: $FINAL|"
