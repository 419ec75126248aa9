#!/usr/bin/env bash
# The sender's benchmark (make bench runs it after scripts/bench.sh). Run as root. In one run,
# on the bench instance of the stack:
#   1. the stand-in's own ceiling: wrk POSTing Twilio sends to tests/fake_providers
#      (Python), and to a canned Twilio answer served by a throwaway nginx;
#   2. the sender's throughput: BENCH_MESSAGES (20,000) PENDING SMS of one workspace,
#      content rendered at claim time, sent to the faster of the two (the canned nginx
#      unless the stand-in is faster), timed from start until all are SENT; the
#      sender's peak RSS (VmHWM);
#   3. the claim-and-complete SQL alone: pgbench -M extended running the sender's two
#      transactions (sender_claim, then sender_complete with every message sent) over
#      the same 20,000 messages reset to PENDING;
# then the ratios. Figures on a shared machine are noisy: compare runs on one machine.
#
# Environment: BENCH_MESSAGES [20000], BENCH_BATCH [500], BENCH_PARALLEL [32],
# BENCH_SECONDS [5] (each wrk run), BENCH_PORT/BENCH_PGPORT (the bench instance),
# BENCH_KEEP_STACK [0].
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
die() { echo "sender.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root"
N="${BENCH_MESSAGES:-20000}"; BATCH="${BENCH_BATCH:-500}"; PAR="${BENCH_PARALLEL:-32}"
SECS="${BENCH_SECONDS:-5}"
export BENCH_PORT="${BENCH_PORT:-8082}" BENCH_PGPORT="${BENCH_PGPORT:-5435}"
STACK="$REPO/scripts/stack.sh"
STATE="$("$STACK" state-dir bench)"
FAKE_PORT="$("$STACK" fake-port bench)"
CANNED_PORT=$((BENCH_PORT + 2000))
OUT="$(mktemp -d /tmp/rm-bench-sender.XXXXXX)"
PSQL=(psql -X -q -t -A -h "$STATE/pg/run" -p "$BENCH_PGPORT" -d repman)
WS=10000000-0000-4000-8000-0000000000be

. "$REPO/tests/bench/lib.sh"
cleanup() {
  [ -n "${SENDER_PID:-}" ] && kill "$SENDER_PID" 2>/dev/null || true
  [ -f "$OUT/nginx.pid" ] && kill "$(cat "$OUT/nginx.pid")" 2>/dev/null || true
  mkdir -p "$REPO/build/bench" && cp -r "$OUT"/. "$REPO/build/bench/sender/" 2>/dev/null || true
  bench_release "$REPO" || true
  rm -rf "$OUT"
}
trap cleanup EXIT

"$STACK" start bench >"$OUT/stack-start.log" 2>&1 || { tail -20 "$OUT/stack-start.log"; die "stack did not start"; }
"$STACK" sender-stop bench
eval "$("$STACK" sender-env bench | sed 's/^/export /; s/=\(.*\)$/="\1"/')"
RM_SECRET_KEY="$(cat "$STATE/secret_key")"; export RM_SECRET_KEY

# --- 1. ceilings -------------------------------------------------------------------------
cat >"$OUT/nginx.conf" <<EOF
worker_processes 1; pid $OUT/nginx.pid; error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http { access_log off;
  server { listen 127.0.0.1:$CANNED_PORT; keepalive_requests 100000;
    location / { default_type application/json;
      return 201 '{"sid":"SM00000000000000000000000000000000","status":"queued","error_code":null,"error_message":null,"price":null}'; } } }
EOF
nginx -c "$OUT/nginx.conf" -e "$OUT/nginx-error.log"
cat >"$OUT/twilio.lua" <<EOF
wrk.method = "POST"
wrk.body = "To=%2B593987654321&From=%2B15005550006&Body=Hola&StatusCallback=http%3A%2F%2F127.0.0.1%2Fhooks%2Ftwilio%2Fstatus"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(printf '%s:%s' "$TWILIO_ACCOUNT_SID" "$TWILIO_AUTH_TOKEN" | base64 -w0)"
EOF
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"callbacks": false}' "http://127.0.0.1:$FAKE_PORT/_fake/config" >/dev/null
path="/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json"
rps() { wrk -t1 -c"$PAR" -d"${SECS}s" -s "$OUT/twilio.lua" "$1" | tee "$2" | awk '/Requests\/sec/ {print int($2)}'; }
fake_rps=$(rps "http://127.0.0.1:$FAKE_PORT$path" "$OUT/wrk-fake.txt")
canned_rps=$(rps "http://127.0.0.1:$CANNED_PORT$path" "$OUT/wrk-canned.txt")
target="http://127.0.0.1:$CANNED_PORT"; target_name="canned nginx"; ceiling=$canned_rps
if [ "$fake_rps" -gt "$canned_rps" ]; then target="http://127.0.0.1:$FAKE_PORT"; target_name="stand-in"; ceiling=$fake_rps; fi
curl -fsS -X POST -d '{}' "http://127.0.0.1:$FAKE_PORT/_fake/reset" >/dev/null

# --- 2. the sender -----------------------------------------------------------------------
"${PSQL[@]}" -U rm_owner >/dev/null <<SQL
DELETE FROM workspaces WHERE id = '$WS';   -- a kept instance's previous run
INSERT INTO workspaces (id, name, message_credits) VALUES ('$WS', 'Bench', $N);
SELECT app_create_default_templates('$WS');
INSERT INTO practices (id, workspace_id, name, sending_start, sending_end)
VALUES ('30000000-0000-4000-8000-0000000000be', '$WS', 'Consultorio Bench', '00:00', '23:59:59.999');
INSERT INTO campaigns (id, workspace_id, name, practice_id)
VALUES ('40000000-0000-4000-8000-0000000000be', '$WS', 'Bench', '30000000-0000-4000-8000-0000000000be');
INSERT INTO patients (workspace_id, name, phone, has_consent, campaign_id)
SELECT '$WS', 'Paciente ' || g, '+5939' || lpad(g::text, 8, '0'), true, '40000000-0000-4000-8000-0000000000be'
  FROM generate_series(1, $N) g;
INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel)
SELECT workspace_id, id, campaign_id, 'INITIAL', 'SMS' FROM patients WHERE workspace_id = '$WS';
VACUUM ANALYZE messages;
SQL
t0=$(date +%s.%N)
TWILIO_API_BASE="$target" RM_SENDER_BATCH="$BATCH" RM_SENDER_PARALLEL="$PAR" RM_LOG_LEVEL=info \
  "$STATE/app/bin/sender" 2>"$OUT/sender.log" &
SENDER_PID=$!
peak=0
while :; do
  left=$("${PSQL[@]}" -U rm_owner -c "SELECT count(*) FROM messages WHERE workspace_id = '$WS' AND status <> 'SENT'")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$SENDER_PID/status" 2>/dev/null || echo 0)
  [ "${hwm:-0}" -gt "$peak" ] && peak=$hwm
  [ "$left" -eq 0 ] && break
  kill -0 "$SENDER_PID" 2>/dev/null || die "the sender died (see $OUT/sender.log)"
  sleep 0.2
done
t1=$(date +%s.%N)
kill "$SENDER_PID"; wait "$SENDER_PID" || true; SENDER_PID=
sender_mps=$(echo "$N / ($t1 - $t0)" | bc -l)

# --- 3. the SQL alone --------------------------------------------------------------------
"${PSQL[@]}" -U rm_owner -c "UPDATE messages SET status = 'PENDING', content = NULL, sent_at = NULL,
  external_id = NULL, attempts = 0 WHERE workspace_id = '$WS';
  UPDATE workspaces SET message_credits = $N WHERE id = '$WS'" >/dev/null
"${PSQL[@]}" -U rm_owner -c "VACUUM ANALYZE messages" >/dev/null
cat >"$OUT/claim.sql" <<'EOF'
BEGIN;
SELECT set_config('app.workspace_id', :ws, true);
SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'outcome', 'sent', 'external_id', 'SMbench')), '[]') AS results FROM sender_claim(:batch, 300) \gset
COMMIT;
BEGIN;
SELECT set_config('app.workspace_id', :ws, true);
SELECT sender_complete(:results::jsonb);
COMMIT;
EOF
runs=$(( (N + BATCH - 1) / BATCH ))
/usr/lib/postgresql/15/bin/pgbench -n -M extended -c 1 -t "$runs" -D ws="$WS" -D batch="$BATCH" \
  -h "$STATE/pg/run" -p "$BENCH_PGPORT" -U rm_app -f "$OUT/claim.sql" repman >"$OUT/pgbench.txt" 2>&1 ||
  { cat "$OUT/pgbench.txt"; die "pgbench failed"; }
tps=$(awk '/^tps/ {print $3; exit}' "$OUT/pgbench.txt")
sql_mps=$(echo "$tps * $BATCH" | bc -l)
sent_sql=$("${PSQL[@]}" -U rm_owner -c "SELECT count(*) FROM messages WHERE workspace_id = '$WS' AND status = 'SENT'")

printf '\nSender benchmark (%d messages, batch %d, %d connections)\n' "$N" "$BATCH" "$PAR"
printf '  %-44s %10s\n' "stand-in (Python) ceiling, Twilio sends/s" "$fake_rps"
printf '  %-44s %10s\n' "canned nginx ceiling, Twilio sends/s" "$canned_rps"
printf '  %-44s %10.0f   (to the %s)\n' "sender throughput, messages/s" "$sender_mps" "$target_name"
printf '  %-44s %10.0f   (%s of %d sent)\n' "claim+complete SQL alone (pgbench), msgs/s" "$sql_mps" "$sent_sql" "$N"
printf '  %-44s %10.2f\n' "sender / target ceiling" "$(echo "$sender_mps / $ceiling" | bc -l)"
printf '  %-44s %10.2f\n' "sender / SQL alone" "$(echo "$sender_mps / $sql_mps" | bc -l)"
printf '  %-44s %10.1f\n' "sender peak RSS, MB" "$(echo "$peak / 1024" | bc -l)"
grep -c 'msg=batch' "$OUT/sender.log" | xargs printf '  %-44s %10s\n' "batches logged"
