#!/usr/bin/env bash
# Starts and stops one instance of the whole stack: PostgreSQL, the FastCGI programs and
# the sender (spawn-fcgi), and nginx. Run as root.
#
#   scripts/stack.sh start|stop|reset|status|migrate|migrate-down|migrate-status|seed INSTANCE
#
# INSTANCE is dev (make run), test (make test), bench (make bench, and make bench-data's
# million patients, kept) or hooks (tests/bench/webhooks.sh, wiped after each run). Each
# has its own ports and state:
#   dev:   PORT (8080), RM_PGPORT (5433)
#   test:  TEST_PORT (8081), TEST_PGPORT (5434)
#   bench: BENCH_PORT (8082), BENCH_PGPORT (5435)
#   hooks: HOOKS_PORT (8083), HOOKS_PGPORT (5436)
#
# State (the cluster, sockets, logs, pid files, the deployed binaries and templates) lives
# in /var/lib/reputation-manager/<hash of this clone's path>/<instance>, and var/ in the
# clone links there. The clone may sit below a directory only root can enter; the
# postgres user, the programs' user (repman) and nginx's workers (www-data) can all reach
# /var/lib/reputation-manager, so they never need to look inside the clone.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
cmd="${1:-}"; inst="${2:-dev}"
die() { echo "stack.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (PostgreSQL runs as postgres, programs as repman)"

case "$inst" in
  dev)  PORT="${PORT:-8080}"; export RM_PGPORT="${RM_PGPORT:-5433}"; RUN_ENV=dev
        LOGIN_RATE=30r/m; LOGIN_BURST=10; SIGNUP_RATE=10r/m; SIGNUP_BURST=5 ;;
  test) PORT="${TEST_PORT:-8081}"; export RM_PGPORT="${TEST_PGPORT:-5434}"; RUN_ENV=test
        LOGIN_RATE=6000r/m; LOGIN_BURST=500; SIGNUP_RATE=600r/m; SIGNUP_BURST=50 ;;
  bench) PORT="${BENCH_PORT:-8082}"; export RM_PGPORT="${BENCH_PGPORT:-5435}"; RUN_ENV=test
        LOGIN_RATE=6000r/m; LOGIN_BURST=500; SIGNUP_RATE=6000r/m; SIGNUP_BURST=500 ;;
  hooks) PORT="${HOOKS_PORT:-8083}"; export RM_PGPORT="${HOOKS_PGPORT:-5436}"; RUN_ENV=test
        LOGIN_RATE=6000r/m; LOGIN_BURST=500; SIGNUP_RATE=6000r/m; SIGNUP_BURST=500 ;;
  *) die "unknown instance '$inst' (dev, test, bench or hooks)" ;;
esac
PROCS="${RM_PROCS:-2}"
# The stand-in providers (tests/fake_providers) listen on the nginx port + 1000.
FAKE_PORT="${RM_FAKE_PORT:-$((PORT + 1000))}"
APP_USER=repman
NGINX_USER=www-data

hash=$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
BASE=/var/lib/reputation-manager/$hash
export RM_STATE="$BASE/$inst"
export RM_DB=repman
BUILD="${BUILD:-$REPO/build/release}"
# The programs are the Makefile's PROGRAMS; the sender among them serves no requests.
PROGRAMS=()
for p in $(make -s --no-print-directory -C "$REPO" print-programs); do
  [ "$p" = sender ] || PROGRAMS+=("$p")
done
[ ${#PROGRAMS[@]} -gt 0 ] || die "no PROGRAMS in the Makefile"

ensure_dirs() {
  install -d -m 0755 /var/lib/reputation-manager "$BASE" "$RM_STATE"
  install -d -m 0755 "$RM_STATE/run" "$RM_STATE/log" "$RM_STATE/app" "$RM_STATE/nginx"
  # var/ in the clone is the way in for people and tools.
  [ -L "$REPO/var" ] || { [ ! -e "$REPO/var" ] || rm -rf "$REPO/var"; ln -s "$BASE" "$REPO/var"; }
  id "$APP_USER" >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$APP_USER"
}

# The secret for CSRF tokens and patient links: made once per instance, kept root-only.
secret() {
  local f="$RM_STATE/secret_key"
  [ -s "$f" ] || (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$f")
  cat "$f"
}

# Copies what the programs and nginx read at run time out of the clone.
deploy() {
  for p in "${PROGRAMS[@]}" sender; do
    [ -x "$BUILD/bin/$p" ] || die "$BUILD/bin/$p missing: run make first"
  done
  local app="$RM_STATE/app" next="$RM_STATE/app.next"
  rm -rf "$next"
  install -d -m 0755 "$next/bin" "$next/templates" "$next/www"
  install -m 0755 "$BUILD"/bin/* "$next/bin/"
  cp -r "$REPO/templates/." "$next/templates/"
  cp -r "$REPO/www/." "$next/www/"
  install -m 0644 "$REPO/tests/fake_providers/fake_providers.py" "$next/"
  chmod -R u=rwX,go=rX "$next"
  rm -rf "$app"
  mv "$next" "$app"
}

pids_of() { [ -f "$1" ] && cat "$1" || true; }

stop_pidfile() {
  local f="$1" pid
  for pid in $(pids_of "$f"); do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in $(pids_of "$f"); do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive -eq 0 ] && break
    sleep 0.1
  done
  for pid in $(pids_of "$f"); do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$f"
}

program_env() {
  export RM_ENV="$RUN_ENV"
  export RM_DATABASE_URL="host=$RM_STATE/pg/run port=$RM_PGPORT dbname=$RM_DB user=rm_app"
  export RM_TEMPLATE_DIR="$RM_STATE/app/templates"
  export RM_BASE_URL="http://127.0.0.1:$PORT"
  RM_SECRET_KEY="$(secret)"; export RM_SECRET_KEY
  [ "$inst" = test ] && export RM_BCRYPT_COST="${RM_BCRYPT_COST:-10}"
  # The suite signs up many workspaces from 127.0.0.1; its cap test uses its own address.
  [ "$RUN_ENV" = test ] && export RM_SIGNUP_MAX_PER_HOUR="${RM_SIGNUP_MAX_PER_HOUR:-1000}"
  provider_env
  return 0
}

# Every provider variable points at the stand-ins unless the caller set it. The
# credentials are the stand-ins' own, not secrets.
provider_env() {
  local fake="http://127.0.0.1:$FAKE_PORT"
  export RM_PUBLIC_BASE_URL="${RM_PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"
  export TWILIO_API_BASE="${TWILIO_API_BASE:-$fake}"
  export TWILIO_ACCOUNT_SID="${TWILIO_ACCOUNT_SID:-AC00000000000000000000000000fake}"
  export TWILIO_AUTH_TOKEN="${TWILIO_AUTH_TOKEN:-fake-twilio-auth-token}"
  export TWILIO_FROM="${TWILIO_FROM:-+15005550006}"
  export WHATSAPP_API_BASE="${WHATSAPP_API_BASE:-$fake}"
  export WHATSAPP_API_VERSION="${WHATSAPP_API_VERSION:-v19.0}"
  export WHATSAPP_TOKEN="${WHATSAPP_TOKEN:-fake-whatsapp-token}"
  export WHATSAPP_PHONE_NUMBER_ID="${WHATSAPP_PHONE_NUMBER_ID:-100000000000001}"
  export WHATSAPP_APP_SECRET="${WHATSAPP_APP_SECRET:-fake-whatsapp-app-secret}"
  export WHATSAPP_VERIFY_TOKEN="${WHATSAPP_VERIFY_TOKEN:-fake-whatsapp-verify-token}"
  export SMTP_URL="${SMTP_URL:-smtp://127.0.0.1:$FAKE_PORT}"
  export SMTP_USER="${SMTP_USER:-fake-smtp-user}"
  export SMTP_PASSWORD="${SMTP_PASSWORD:-fake-smtp-password}"
  export SMTP_FROM="${SMTP_FROM:-Reputation Manager <no-reply@reputationmanager.test>}"
  [ "$TWILIO_API_BASE" = "$fake" ] && export RM_SIMULATOR_URL="${RM_SIMULATOR_URL:-$fake/}"
  return 0
}

start_fake_providers() {
  stop_pidfile "$RM_STATE/run/fake_providers.pid"
  local log="$RM_STATE/log/fake_providers.log"
  touch "$log"; chown "$APP_USER" "$log"; chmod 0640 "$log"
  # setsid and setpriv exec in place, so the pid recorded is python's own.
  setsid setpriv --reuid="$APP_USER" --regid="$APP_USER" --init-groups /usr/bin/python3 \
    "$RM_STATE/app/fake_providers.py" --port "$FAKE_PORT" </dev/null >>"$log" 2>&1 &
  echo $! > "$RM_STATE/run/fake_providers.pid"
  for _ in $(seq 50); do
    curl -fsS -o /dev/null "http://127.0.0.1:$FAKE_PORT/_fake/messages" 2>/dev/null && return 0
    sleep 0.1
  done
  die "the stand-in providers did not start on port $FAKE_PORT (see $log)"
}

start_sender() {
  local log="$RM_STATE/log/sender.log"
  stop_pidfile "$RM_STATE/run/sender.pid"
  rm -f "$RM_STATE/run/sender.sock"
  touch "$log"; chown "$APP_USER" "$log"; chmod 0640 "$log"
  spawn-fcgi -s "$RM_STATE/run/sender.sock" -M 0660 -U "$NGINX_USER" -G "$NGINX_USER" \
    -u "$APP_USER" -F 1 -P "$RM_STATE/run/sender.pid" -d / \
    -- /bin/sh -c "exec $RM_STATE/app/bin/sender 2>>$log" >/dev/null ||
    die "spawn-fcgi failed for sender"
}

start_programs() {
  program_env
  start_fake_providers
  local p
  for p in "${PROGRAMS[@]}"; do
    stop_pidfile "$RM_STATE/run/$p.pid"
    rm -f "$RM_STATE/run/$p.sock"
    local n=$PROCS
    local log="$RM_STATE/log/$p.log"
    # Readable by root and the programs' user only: logs are about patients' clinics.
    touch "$log"; chown "$APP_USER" "$log"; chmod 0640 "$log"
    # spawn-fcgi points a forked child's stdout and stderr at /dev/null; the shell
    # between it and the program sends stderr (the program's log) to a file instead.
    spawn-fcgi -s "$RM_STATE/run/$p.sock" -M 0660 -U "$NGINX_USER" -G "$NGINX_USER" \
      -u "$APP_USER" -F "$n" -P "$RM_STATE/run/$p.pid" -d / \
      -- /bin/sh -c "exec $RM_STATE/app/bin/$p 2>>$log" >/dev/null ||
      die "spawn-fcgi failed for $p"
  done
  start_sender
}

nginx_conf() {
  local conf="$RM_STATE/nginx.conf" p
  install -d -m 0755 "$RM_STATE/nginx"
  for p in "${PROGRAMS[@]}"; do
    echo "upstream $p { server unix:$RM_STATE/run/$p.sock; }"
  done > "$RM_STATE/nginx/upstreams.conf"
  # RM_TRUSTED_PROXY: address or CIDR of the reverse proxy in front (empty: none).
  if [ -n "${RM_TRUSTED_PROXY:-}" ]; then
    [[ "$RM_TRUSTED_PROXY" =~ ^[0-9A-Fa-f.:/]+$ ]] || die "RM_TRUSTED_PROXY is not an address or CIDR"
    printf 'set_real_ip_from %s;\nreal_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n' \
      "$RM_TRUSTED_PROXY"
  fi > "$RM_STATE/nginx/real_ip.conf"
  sed -e "s|@STATE@|$RM_STATE|g" -e "s|@PORT@|$PORT|g" -e "s|@PROCS@|$PROCS|g" \
      -e "s|@NGINX_USER@|$NGINX_USER|g" -e "s|@LOGIN_RATE@|$LOGIN_RATE|g" \
      -e "s|@LOGIN_BURST@|$LOGIN_BURST|g" -e "s|@SIGNUP_RATE@|$SIGNUP_RATE|g" \
      -e "s|@SIGNUP_BURST@|$SIGNUP_BURST|g" "$REPO/nginx/nginx.conf.in" > "$conf"
  nginx -t -q -c "$conf" -e "$RM_STATE/log/nginx-error.log" || die "nginx configuration rejected"
  echo "$conf"
}

start_nginx() {
  local conf; conf=$(nginx_conf)
  local pid; pid=$(pids_of "$RM_STATE/run/nginx.pid")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    nginx -c "$conf" -e "$RM_STATE/log/nginx-error.log" -s reload
  else
    nginx -c "$conf" -e "$RM_STATE/log/nginx-error.log"
  fi
}

wait_http() {
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login" 2>/dev/null && return 0
    sleep 0.1
  done
  die "the stack did not answer on http://127.0.0.1:$PORT/login (logs in $RM_STATE/log)"
}

db() { "$REPO/scripts/db.sh" "$@"; }

case "$cmd" in
  start)
    ensure_dirs
    db init; db start; db bootstrap; db migrate; db seed
    deploy
    start_programs
    start_nginx
    wait_http
    echo
    echo "Reputation Manager ($inst) is running at http://127.0.0.1:$PORT/"
    echo "Demo login: demo@reputationmanager.com / demo1234 (owner);"
    echo "            doctor@reputationmanager.com / demo1234 (doctor)"
    echo "Logs: $RM_STATE/log (var/$inst/log). Stop with: make stop"
    echo "Stand-in providers and the phone simulator: http://127.0.0.1:$FAKE_PORT/"
    ;;
  stop)
    if [ -d "$RM_STATE" ]; then
      if [ -f "$RM_STATE/run/nginx.pid" ]; then
        nginx -c "$RM_STATE/nginx.conf" -e "$RM_STATE/log/nginx-error.log" -s quit 2>/dev/null || true
        for _ in $(seq 50); do [ -f "$RM_STATE/run/nginx.pid" ] || break; sleep 0.1; done
        stop_pidfile "$RM_STATE/run/nginx.pid"
      fi
      for p in "${PROGRAMS[@]}" sender fake_providers; do stop_pidfile "$RM_STATE/run/$p.pid"; done
      [ -d "$RM_STATE/pg/data" ] && db stop
    fi
    echo "stopped ($inst)"
    ;;
  reset)
    "$0" stop "$inst"
    rm -rf "$RM_STATE"
    rmdir "$BASE" 2>/dev/null && rm -f "$REPO/var" || true
    echo "wiped ($inst)"
    ;;
  status)
    for p in nginx "${PROGRAMS[@]}" sender fake_providers; do
      printf '%-10s %s\n' "$p" "$(pids_of "$RM_STATE/run/$p.pid" | tr '\n' ' ')"
    done
    db migrate-status || true
    ;;
  migrate|migrate-down|migrate-status|seed)
    ensure_dirs; db init; db start; db bootstrap; db "$cmd" ;;
  state-dir) echo "$RM_STATE" ;;
  nginx-conf) ensure_dirs; cat "$(nginx_conf)" "$RM_STATE/nginx/upstreams.conf" "$RM_STATE/nginx/real_ip.conf" ;;
  # Tests that run senders of their own stop the stack's one first, and start it again.
  sender-stop) stop_pidfile "$RM_STATE/run/sender.pid" ;;
  sender-start) program_env; start_sender ;;
  # The environment the sender runs with (for tests that start their own senders).
  sender-env) program_env; env | grep -E '^(RM_|TWILIO_|WHATSAPP_|SMTP_)' | grep -v '^RM_SECRET_KEY=' ;;
  fake-port) echo "$FAKE_PORT" ;;
  *) die "usage: stack.sh start|stop|reset|status|migrate|migrate-down|migrate-status|seed|state-dir|nginx-conf|sender-stop|sender-start|sender-env|fake-port dev|test|bench|hooks" ;;
esac
