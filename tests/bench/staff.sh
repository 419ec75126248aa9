#!/usr/bin/env bash
# Staff pages against the benchmark workspace (1,000,000 patients, 5,000,000 messages; see
# scripts/bench-data.sh): p50 and p99 latency of each page in tests/bench/staff_urls.txt,
# measured with wrk through nginx, signed in as bench@reputationmanager.com. Run as root;
# part of `make bench`. Aim (issue 6): p99 under 20 ms each.
#
# Each page is asked once first: 200 is measured; 404 is skipped with a note (the page
# is not written yet); any other answer fails the run. The benchmark data is generated
# first when it is not there. The bench instance is started when it is not running and
# stopped (not wiped) at the end.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS [10]      length of each measurement
#   BENCH_CONNECTIONS [2]   wrk connections (one thread)
#   BENCH_URLS [tests/bench/staff_urls.txt]
#   BENCH_PORT [8082], BENCH_PGPORT [5435]
# Raw wrk output goes to build/bench/staff/.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
die() { echo "staff.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (it starts the bench instance of the stack)"
export BENCH_PORT="${BENCH_PORT:-8082}" BENCH_PGPORT="${BENCH_PGPORT:-5435}"
SECS="${BENCH_SECONDS:-10}"
CONNS="${BENCH_CONNECTIONS:-2}"
URLS="${BENCH_URLS:-$REPO/tests/bench/staff_urls.txt}"
BASE="http://127.0.0.1:$BENCH_PORT"
OUT="$REPO/build/bench/staff"
[[ "$SECS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer"
[[ "$CONNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive integer"
[ -r "$URLS" ] || die "no URL list at $URLS"
for tool in wrk curl; do command -v "$tool" >/dev/null || die "$tool is missing (make deps)"; done

"$REPO/scripts/bench-data.sh"

STATE="$("$REPO/scripts/stack.sh" state-dir bench)"
. "$REPO/tests/bench/lib.sh"
started="$(bench_up "$REPO")" || die "the bench instance did not start"
WORK="$(mktemp -d /tmp/rm-staff-bench.XXXXXX)"
finish() {
  rm -rf "$WORK"
  [ "$started" = 1 ] && "$REPO/scripts/stack.sh" stop bench >/dev/null 2>&1 || true
}
trap finish EXIT
rm -rf "$OUT"; mkdir -p "$OUT"

# Sign in like a browser: the login form's CSRF token and cookie, then the session cookie.
session="$(bench_signin "$BASE" "$WORK/cookies" bench@reputationmanager.com)" || die "sign-in failed"
COOKIE="Cookie: rm_session=$session"

printf '%-16s %-56s %9s %9s %9s %7s\n' page path p50_ms p99_ms req/s errors
measured=0
while read -r name path; do
  [ -z "$name" ] || [[ "$name" == \#* ]] && continue
  status="$(curl -sS -o "$OUT/$name.html" -w '%{http_code}' -H "$COOKIE" "$BASE$path")"
  if [ "$status" = 404 ]; then
    printf '%-16s %-56s skipped: 404 (page not there yet)\n' "$name" "$path"
    continue
  fi
  [ "$status" = 200 ] || die "$name: GET $path answered $status (see $OUT/$name.html)"
  wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 5s --latency -s "$REPO/tests/bench/wrk_report.lua" \
    -H "$COOKIE" "$BASE$path" >"$OUT/$name.out" 2>&1 || die "wrk failed on $name"
  line="$(grep '^BENCH_WRK ' "$OUT/$name.out")" || die "wrk printed no figures for $name"
  /usr/bin/python3 - "$name" "$path" "${line#BENCH_WRK }" <<'PY'
import json, sys
name, path, d = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
secs = d["duration_us"] / 1e6
errors = d["connect"] + d["read"] + d["write"] + d["status"] + d["timeout"]
if d["requests"] == 0:
    print(f"{name:<16} {path:<56} no request completed in {secs:.0f} s: each takes longer")
    sys.exit(0)
print(f"{name:<16} {path:<56} {d['p50_us'] / 1000:9.2f} {d['p99_us'] / 1000:9.2f} "
      f"{d['requests'] / secs:9.1f} {errors:7d}")
PY
  measured=$((measured + 1))
done <"$URLS"
echo "staff.sh: $measured page(s) measured, $CONNS connection(s), ${SECS}s each; raw output in $OUT"
