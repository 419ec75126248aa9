# Shared by the benchmark scripts (sourced, not run): signing in like a browser, and a
# fixed CPU task's time.

# The first _csrf token in the HTML on stdin.
bench_csrf() { grep -o 'name="_csrf" value="[0-9a-f]*"' | sed -n '1{s/.*value="//; s/"$//; p}'; }

# bench_signin BASE JAR EMAIL: signs in through /login (password demo1234) with the cookie
# jar JAR, and prints the session token. Says why on stderr and fails otherwise.
bench_signin() {
  local base="$1" jar="$2" email="$3" csrf status session
  csrf="$(curl -sS -c "$jar" -b "$jar" "$base/login" | bench_csrf)"
  [ -n "$csrf" ] || { echo "no _csrf on $base/login" >&2; return 1; }
  status="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
    --data-urlencode "email=$email" --data-urlencode "password=demo1234" \
    --data-urlencode "_csrf=$csrf" "$base/login")"
  [ "$status" = 303 ] || { echo "POST /login as $email answered $status, not 303" >&2; return 1; }
  session="$(awk -F'\t' '$6 == "rm_session" {print $7}' "$jar" | tail -n1)"
  [[ "$session" =~ ^[0-9a-f]{64}$ ]] || { echo "POST /login set no rm_session cookie" >&2; return 1; }
  printf '%s\n' "$session"
}

# bench_release REPO: the end of a benchmark that started the bench instance. Wipes it,
# unless BENCH_KEEP_STACK=1 or it holds make bench-data's workspace (minutes to generate):
# then it only stops it.
bench_release() {
  local repo="$1" state
  [ "${BENCH_KEEP_STACK:-0}" = 1 ] && return 0
  state="$("$repo/scripts/stack.sh" state-dir bench)"
  if [ -n "$(/usr/lib/postgresql/15/bin/psql -X -q -At -h "$state/pg/run" \
               -p "${BENCH_PGPORT:-5435}" -U postgres -d repman -c "SELECT 1 FROM workspaces
                 WHERE id = 'b0000000-0000-4000-8000-000000000001'" 2>/dev/null)" ]; then
    "$repo/scripts/stack.sh" stop bench >/dev/null 2>&1
  else
    "$repo/scripts/stack.sh" reset bench >/dev/null 2>&1
  fi
}

# bench_up REPO: makes sure the bench instance runs. Prints 1 when it started it (the
# caller then releases it at the end), 0 when it was running already.
bench_up() {
  local state
  state="$("$1/scripts/stack.sh" state-dir bench)"
  if [ -f "$state/run/nginx.pid" ] && kill -0 "$(head -n1 "$state/run/nginx.pid")" 2>/dev/null; then
    echo 0
  else
    "$1/scripts/stack.sh" start bench >/dev/null || return 1
    echo 1
  fi
}

# Seconds a fixed CPU task takes now (SHA-256 of 100 MB of zeros): a hint of the machine's
# speed beside a figure. On the 2-core VM it moves by half within seconds, and the
# database work of an import or a reply is all CPU.
bench_cpu_probe() {
  local t0 t1
  t0="$(date +%s.%N)"; head -c 100000000 /dev/zero | sha256sum >/dev/null; t1="$(date +%s.%N)"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
