# Shared by the benchmark scripts (sourced, not run): signing in like a browser.

# The first _csrf token in the HTML on stdin.
bench_csrf() { grep -o -m1 'name="_csrf" value="[0-9a-f]*"' | sed 's/.*value="//; s/"$//'; }

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
