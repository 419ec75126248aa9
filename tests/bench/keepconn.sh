#!/usr/bin/env bash
# Measures fastcgi_keep_conn on against off on a running instance, interleaved, with wrk.
# It served the decision to drop kept connections (README, "FastCGI connections"); "on"
# needs the programs' poll loop of that time (commit a7feaa9) and an upstreams.conf with
# `keepalive N`: today's programs serve one connection per request.
#
#   tests/bench/keepconn.sh STATE_DIR PORT [ROUNDS] [SECONDS]
#
# STATE_DIR is `scripts/stack.sh state-dir test` (or bench). Each round runs, for off
# then on: a guest's GET /account and POST /logout (both answered 303 by the auth program
# after a database round trip; /login is left out because limit_req would answer most
# requests itself), at 8 and 32 connections. nginx
# is reloaded with the setting flipped between runs and left as it was found. Prints one
# line per run: mode method connections requests/s p99.
set -euo pipefail
state="$1"; port="$2"; rounds="${3:-3}"; secs="${4:-5}"
conf="$state/nginx.conf"; orig="$state/nginx.conf.keepconn-orig"
cp "$conf" "$orig"
trap 'cp "$orig" "$conf"; nginx -c "$conf" -e "$state/log/nginx-error.log" -s reload; rm -f "$orig"' EXIT
post=$(mktemp --suffix=.lua)
printf 'wrk.method = "POST"\nwrk.body = "_csrf=x"\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n' > "$post"
set_mode() {
  sed -e "s/fastcgi_keep_conn on;/fastcgi_keep_conn $1;/" "$orig" > "$conf"
  nginx -c "$conf" -e "$state/log/nginx-error.log" -s reload
  sleep 1
}
run() {   # mode method conns
  local args=(-t2 -c"$3" -d"${secs}s" --latency)
  [ "$2" = POST ] && args+=(-s "$post")
  local path=/account; [ "$2" = POST ] && path=/logout
  wrk "${args[@]}" "http://127.0.0.1:$port$path" > /tmp/keepconn.$$ 2>&1
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' /tmp/keepconn.$$)
  p99=$(awk '$1 == "99%" {print $2}' /tmp/keepconn.$$)
  echo "$1 $2 $3 $rps $p99"
}
for r in $(seq "$rounds"); do
  for mode in off on; do
    set_mode "$mode"
    for m in GET POST; do for c in 8 32; do run "$mode" "$m" "$c"; done; done
  done
done
rm -f "$post" /tmp/keepconn.$$
