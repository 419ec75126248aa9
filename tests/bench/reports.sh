#!/usr/bin/env bash
# tests/bench/reports.sh (part of make bench): the home page and /reports for the last 90
# days, measured with wrk through nginx and FastCGI, next to pgbench running the same SQL
# (tests/bench/home.sql, tests/bench/reports.sql) as rm_app. Prints requests/s, p50 and
# p99 for each. Run as root.
#
# The bench instance (scripts/stack.sh … bench) is used as it is when it is already
# running, for example after `make bench-data` loaded 1,000,000 patients and 5,000,000
# messages with BENCH_KEEP_STACK=1; otherwise it is started with the demo data and wiped
# afterwards (unless BENCH_KEEP_STACK=1, or it holds make bench-data's workspace: then it
# is only stopped).
#
# Environment: BENCH_SECONDS [10], BENCH_CONNECTIONS [2], BENCH_PORT [8082],
# BENCH_PGPORT [5435], BENCH_KEEP_STACK [0]. Raw output goes to build/bench/reports/.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
die() { echo "reports.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (it may start the bench instance of the stack)"

SECS="${BENCH_SECONDS:-10}"
CONNS="${BENCH_CONNECTIONS:-2}"
export BENCH_PORT="${BENCH_PORT:-8082}" BENCH_PGPORT="${BENCH_PGPORT:-5435}"
[[ "$SECS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer"
[[ "$CONNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be one positive integer"
BASE="http://127.0.0.1:$BENCH_PORT"
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
STATE="$("$REPO/scripts/stack.sh" state-dir bench)"
OUT="$REPO/build/bench/reports"
rm -rf "$OUT"; mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/rm-bench-reports.XXXXXX)"

. "$REPO/tests/bench/lib.sh"
started=0
if ! curl -fsS -o /dev/null "$BASE/login" 2>/dev/null; then
  echo "reports.sh: starting the bench instance ($BASE) with the demo data"
  "$REPO/scripts/stack.sh" start bench >"$OUT/stack-start.log" 2>&1 ||
    { tail -20 "$OUT/stack-start.log" >&2; die "the bench instance did not start"; }
  started=1
fi
finish() {
  rm -rf "$WORK"
  if [ "$started" = 1 ]; then
    bench_release "$REPO" || echo "reports.sh: releasing the bench instance failed" >&2
  fi
}
trap finish EXIT

# Sign in through /login, like a browser: as the demo owner, or as BENCH_EMAIL (the owner
# of make bench-data's million-patient workspace is bench@reputationmanager.com).
EMAIL="${BENCH_EMAIL:-demo@reputationmanager.com}"
session="$(bench_signin "$BASE" "$WORK/cookies" "$EMAIL")" || die "sign-in failed"
COOKIE="Cookie: rm_session=$session"
hash="$(printf '%s' "$session" | sha256sum | cut -c1-64)"

# The pages must be the real ones before anything is timed.
check() {   # path marker
  local status
  status="$(curl -sS -o "$OUT/check.html" -w '%{http_code}' -H "$COOKIE" "$BASE$1")"
  [ "$status" = 200 ] && grep -q "$2" "$OUT/check.html" || die "GET $1 is not the page ($status)"
}
check / 'id="month-nps"'
check '/reports?range=90' '<svg'
echo "reports.sh: signed in; / and /reports?range=90 answer with their pages"

for page in home reports; do
  path=/; [ "$page" = reports ] && path='/reports?range=90'
  echo "reports.sh: wrk $path, $CONNS connections, ${SECS}s"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -s "$REPO/tests/bench/wrk_report.lua" \
    -H "$COOKIE" "$BASE$path" >"$OUT/wrk_$page.out" 2>&1 || { cat "$OUT/wrk_$page.out" >&2; die "wrk failed"; }
  echo "reports.sh: pgbench tests/bench/$page.sql, $CONNS clients, ${SECS}s"
  (cd "$OUT" && "$PGBENCH" -h "$STATE/pg/run" -p "$BENCH_PGPORT" -U rm_app -n -M prepared \
     -c "$CONNS" -j "$CONNS" -T "$SECS" -l --log-prefix="pgbench_$page" -D hash="$hash" \
     -f "$REPO/tests/bench/$page.sql" repman) >"$OUT/pgbench_$page.out" 2>&1 ||
    { tail -20 "$OUT/pgbench_$page.out" >&2; die "pgbench failed"; }
done
patients="$(/usr/lib/postgresql/15/bin/psql -X -At -h "$STATE/pg/run" -p "$BENCH_PGPORT" -U rm_owner repman \
  -c "SELECT (SELECT count(*) FROM patients) || ' patients, ' || (SELECT count(*) FROM messages) || ' messages'")"

/usr/bin/python3 - "$OUT" "$patients" <<'PY'
import glob, json, os, sys
out, data = sys.argv[1], sys.argv[2]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0
print(f"\nreports bench: {data}")
print(f"{'what':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
for page, label in (("home", "GET /"), ("reports", "GET /reports?range=90")):
    line = next(l for l in open(os.path.join(out, f"wrk_{page}.out")) if l.startswith("BENCH_WRK "))
    w = json.loads(line.split(" ", 1)[1])
    rps = w["requests"] / (w["duration_us"] / 1e6)
    bad = w["status"] + w["timeout"] + w["connect"] + w["read"] + w["write"]
    print(f"{label + ' (wrk)':<34} {rps:>9.0f} {w['p50_us'] / 1000:>8.2f} {w['p99_us'] / 1000:>8.2f}"
          + (f"  {bad} errors" if bad else ""))
    lat = []
    for f in glob.glob(os.path.join(out, f"pgbench_{page}*")):
        if f.endswith(".out"):
            continue
        lat += [int(l.split()[2]) for l in open(f) if l.strip()]
    secs = float(next(l for l in open(os.path.join(out, f"pgbench_{page}.out"))
                      if l.startswith("duration:")).split()[1])
    print(f"{'  same SQL (pgbench)':<34} {len(lat) / secs:>9.0f} {pct(lat, 50) / 1000:>8.2f} "
          f"{pct(lat, 99) / 1000:>8.2f}")
print(f"raw output: {out}")
PY
