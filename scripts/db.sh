#!/usr/bin/env bash
# Database lifecycle and migration runner for Reputation Manager. Run as root.
#
#   scripts/db.sh init | start | stop | bootstrap | migrate | migrate-down |
#                 migrate-status | seed | psql [psql args…]
#
# Environment:
#   RM_STATE        absolute state directory (created by the caller, 0755, reachable by the
#                   postgres OS user; not inside the git clone)
#   RM_PGPORT       port of the cluster (its unix socket lives in $RM_STATE/pg/run)
#   RM_DB           database name (default repman)
#   MIGRATIONS_DIR  where NNNN_name.up.sql / .down.sql live (default <repo>/sql/migrations)
#
# Layout under $RM_STATE: pg/data (cluster, 0700 postgres), pg/run (socket dir, 0755
# postgres), log/postgresql.log.
#
# Authentication is peer-only over the unix socket, through the ident map "rm":
#   root -> postgres, rm_owner, rm_app;  postgres -> postgres;  repman -> rm_app.
# Files given to psql are read by psql running as root, never by the server, so the repo
# may sit below a directory the postgres user cannot enter.
#
# Every command is idempotent. Migrations: each pending up file runs in its own transaction
# together with its schema_migrations row (psql --single-transaction), so a failing migration
# leaves nothing behind. A pending version lower than the highest applied one is refused
# before anything runs. Migration files must not contain BEGIN/COMMIT of their own.
set -euo pipefail

PGBIN=/usr/lib/postgresql/15/bin
REPO="$(cd "$(dirname "$0")/.." && pwd)"

die() { echo "db.sh: $*" >&2; exit 1; }

: "${RM_STATE:?db.sh: RM_STATE must be set (absolute state directory)}"
: "${RM_PGPORT:?db.sh: RM_PGPORT must be set}"
RM_DB="${RM_DB:-repman}"
MIGRATIONS_DIR="${MIGRATIONS_DIR:-$REPO/sql/migrations}"

case "$RM_STATE" in /*) ;; *) die "RM_STATE must be an absolute path: $RM_STATE" ;; esac
[[ "$RM_PGPORT" =~ ^[0-9]{4,5}$ ]] || die "RM_PGPORT is not a port number: $RM_PGPORT"
# The name goes into SQL identifiers and file names: keep it boring.
[[ "$RM_DB" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "RM_DB must match [a-z_][a-z0-9_]*: $RM_DB"

PGDIR="$RM_STATE/pg"
DATA="$PGDIR/data"
RUN="$PGDIR/run"
LOGDIR="$RM_STATE/log"
LOGFILE="$LOGDIR/postgresql.log"

# Run a command as the postgres OS user from a directory it can enter.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# psql as root, connecting over the socket as the given role; -X ignores ~/.psqlrc.
pg() {
  local user="$1" db="$2"; shift 2
  "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN" -p "$RM_PGPORT" -U "$user" -d "$db" "$@"
}
# NOTICEs ("already exists, skipping") are noise for the runner; warnings and errors show.
owner_psql() { PGOPTIONS='-c client_min_messages=warning' pg rm_owner "$RM_DB" "$@"; }

is_running() {
  [ -f "$DATA/PG_VERSION" ] && as_postgres "$PGBIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}
require_running() { is_running || die "PostgreSQL is not running (scripts/db.sh start)"; }

cmd_init() {
  if [ -f "$DATA/PG_VERSION" ]; then
    echo "db.sh: cluster already initialised in $DATA"
    return 0
  fi
  install -d -o postgres -g postgres -m 0755 "$PGDIR"
  install -d -o postgres -g postgres -m 0755 "$RUN"
  as_postgres "$PGBIN/initdb" -D "$DATA" --auth-local=peer --auth-host=reject \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  # Later settings win over the defaults initdb wrote above them.
  cat >>"$DATA/postgresql.conf" <<EOF

# ---- Reputation Manager (scripts/db.sh init) ----
listen_addresses = ''                 # unix socket only; nothing listens on TCP
port = $RM_PGPORT
unix_socket_directories = '$RUN'
timezone = 'UTC'
log_timezone = 'UTC'
max_connections = 100
shared_buffers = 1GB                  # the hot indexes of a million patients fit
fsync = on
# Full-page images compressed: the first change to each page after a checkpoint logs the
# whole page, and a CSV import's 10,000 rows land on random pages of the patients'
# indexes (their emails, their phones' last digits; issue 6).
wal_compression = lz4
log_line_prefix = '%m [%p] %q%u@%d '
log_min_duration_statement = 1000     # log statements slower than 1 s
EOF
  # Peer authentication only, and only through the map below.
  cat >"$DATA/pg_hba.conf" <<'EOF'
# TYPE  DATABASE  USER  METHOD
local   all       all   peer map=rm
EOF
  cat >"$DATA/pg_ident.conf" <<'EOF'
# MAPNAME  SYSTEM-USERNAME  PG-USERNAME
rm         root             postgres
rm         root             rm_owner
rm         root             rm_app
rm         postgres         postgres
# The FastCGI programs and the sender run as the repman system user.
rm         repman           rm_app
EOF
  chown postgres:postgres "$DATA/postgresql.conf" "$DATA/pg_hba.conf" "$DATA/pg_ident.conf"
  chmod 0600 "$DATA/pg_hba.conf" "$DATA/pg_ident.conf"
  echo "db.sh: initialised cluster in $DATA (port $RM_PGPORT, socket $RUN)"
}

cmd_start() {
  [ -f "$DATA/PG_VERSION" ] || die "no cluster in $DATA (scripts/db.sh init)"
  if is_running; then
    echo "db.sh: PostgreSQL already running"
    return 0
  fi
  install -d -o postgres -g postgres -m 0755 "$RUN"
  [ -d "$LOGDIR" ] || install -d -m 0755 "$LOGDIR"
  touch "$LOGFILE"
  chown postgres:postgres "$LOGFILE"
  chmod 0640 "$LOGFILE"
  as_postgres "$PGBIN/pg_ctl" start -w -t 60 -D "$DATA" -l "$LOGFILE" >/dev/null \
    || die "PostgreSQL failed to start; see $LOGFILE"
  echo "db.sh: PostgreSQL started (socket $RUN, port $RM_PGPORT)"
}

cmd_stop() {
  if ! is_running; then
    echo "db.sh: PostgreSQL not running"
    return 0
  fi
  as_postgres "$PGBIN/pg_ctl" stop -w -m fast -D "$DATA" >/dev/null
  echo "db.sh: PostgreSQL stopped"
}

cmd_bootstrap() {
  require_running
  # Roles and database (cluster-wide). CREATE DATABASE cannot run in a DO block: \gexec.
  pg postgres postgres -v db="$RM_DB" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rm_owner') THEN
    CREATE ROLE rm_owner LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'rm_app') THEN
    CREATE ROLE rm_app LOGIN;
  END IF;
END
$$;
-- Re-assert the attributes on every run: rm_owner owns everything but is not a superuser;
-- rm_app is subject to RLS (NOBYPASSRLS) and owns nothing.
ALTER ROLE rm_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE rm_app   LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SELECT format('CREATE DATABASE %I OWNER rm_owner TEMPLATE template0 ENCODING %L LOCALE %L',
              :'db', 'UTF8', 'C.UTF-8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO rm_owner', :'db') \gexec
-- Only our two roles may connect; nobody gets TEMP (PUBLIC has it by default).
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO rm_app', :'db') \gexec
-- No JIT: every statement here is a short one, but a stale estimate can push its cost over
-- jit_above_cost, and compiling then costs 100 ms or more where the query needs one (the
-- sender's once-a-second poll took 150-1100 ms over five million messages). Set on the
-- database, so clusters made before this line get it too.
SELECT format('ALTER DATABASE %I SET jit = off', :'db') \gexec
SQL
  # Inside the database: the public schema belongs to rm_owner and nobody else may create
  # objects in it (PUBLIC lost CREATE in PG15 already; revoke USAGE too).
  pg postgres "$RM_DB" <<'SQL'
ALTER SCHEMA public OWNER TO rm_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO rm_app;
-- A safe default search_path for the application role (the C layer also sets it).
ALTER ROLE rm_app SET search_path = public, pg_temp;
SQL
  echo "db.sh: roles rm_owner, rm_app and database $RM_DB ready"
}

# ---- migrations -------------------------------------------------------------------------

# Lists "version name" for every up file, sorted by version. Refuses odd file names (they
# are interpolated into SQL below, so only [0-9a-z_] may pass).
list_migrations() {
  [ -d "$MIGRATIONS_DIR" ] || die "no migrations directory: $MIGRATIONS_DIR"
  local f base
  for f in "$MIGRATIONS_DIR"/*.up.sql; do
    [ -e "$f" ] || continue
    base="$(basename "$f" .up.sql)"
    [[ "$base" =~ ^([0-9]{4})_([a-z0-9_]+)$ ]] \
      || die "bad migration file name: $(basename "$f") (want NNNN_name.up.sql)"
    [ -f "$MIGRATIONS_DIR/$base.down.sql" ] || die "missing $base.down.sql"
    echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
  done | sort
}

ensure_migrations_table() {
  owner_psql -c "CREATE TABLE IF NOT EXISTS schema_migrations (
      version    text PRIMARY KEY,
      name       text,
      applied_at timestamptz NOT NULL DEFAULT now())"
}

applied_versions() { owner_psql -At -c "SELECT version FROM schema_migrations ORDER BY version"; }

cmd_migrate() {
  require_running
  local all; all="$(list_migrations)"
  # Check for duplicate versions (0003_a and 0003_b).
  local dups; dups="$(awk '{print $1}' <<<"$all" | uniq -d)"
  [ -z "$dups" ] || die "duplicate migration versions: $dups"
  ensure_migrations_table
  local applied; applied="$(applied_versions)"
  local highest=""; [ -n "$applied" ] && highest="$(tail -n1 <<<"$applied")"

  local pending=() v n
  while read -r v n; do
    [ -n "$v" ] || continue
    grep -qx "$v" <<<"$applied" || pending+=("$v $n")
  done <<<"$all"

  if [ ${#pending[@]} -eq 0 ]; then
    echo "db.sh: nothing to migrate (database at ${highest:-empty})"
    return 0
  fi
  # Refuse out-of-order before applying anything.
  local bad=()
  for p in "${pending[@]}"; do
    v="${p%% *}"
    [ -n "$highest" ] && [[ "$v" < "$highest" ]] && bad+=("$v")
  done
  if [ ${#bad[@]} -gt 0 ]; then
    die "refusing to migrate: pending migration(s) ${bad[*]} are older than the highest applied ($highest); out-of-order migrations are not applied. Renumber them above $highest. Nothing was applied."
  fi
  for p in "${pending[@]}"; do
    v="${p%% *}"; n="${p#* }"
    echo "db.sh: applying ${v}_${n}"
    owner_psql --single-transaction \
      -f "$MIGRATIONS_DIR/${v}_${n}.up.sql" \
      -c "INSERT INTO schema_migrations (version, name) VALUES ('$v', '$n')" \
      || die "migration ${v}_${n} failed; it was rolled back (earlier ones stay applied)"
  done
  echo "db.sh: migrated to ${pending[-1]%% *}"
}

cmd_migrate_down() {
  require_running
  ensure_migrations_table
  local latest; latest="$(owner_psql -At -c "SELECT version || ' ' || coalesce(name, '') FROM schema_migrations ORDER BY version DESC LIMIT 1")"
  if [ -z "$latest" ]; then
    echo "db.sh: nothing to revert"
    return 0
  fi
  local v="${latest%% *}" f=""
  [[ "$v" =~ ^[0-9]{4}$ ]] || die "unexpected version in schema_migrations: $v"
  local cand
  for cand in "$MIGRATIONS_DIR/${v}"_*.down.sql; do
    [ -e "$cand" ] && { [ -z "$f" ] || die "several down files for $v"; f="$cand"; }
  done
  [ -n "$f" ] || die "no down file for applied migration $v in $MIGRATIONS_DIR"
  echo "db.sh: reverting $(basename "$f" .down.sql)"
  owner_psql --single-transaction -f "$f" \
    -c "DELETE FROM schema_migrations WHERE version = '$v'" \
    || die "reverting $v failed; it was rolled back"
}

cmd_migrate_status() {
  require_running
  local all; all="$(list_migrations)"
  # Read-only: a database without schema_migrations simply has everything pending.
  local rows="" exists
  exists="$(owner_psql -At -c "SELECT to_regclass('public.schema_migrations') IS NOT NULL")"
  if [ "$exists" = t ]; then
    rows="$(owner_psql -At -F ' ' -c "SELECT version, to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM schema_migrations ORDER BY version")"
  fi
  local v n at
  while read -r v n; do
    [ -n "$v" ] || continue
    at="$(awk -v v="$v" '$1 == v {print $2 " " $3}' <<<"$rows")"
    if [ -n "$at" ]; then
      printf '%s  %-40s applied  %s UTC\n' "$v" "$n" "$at"
    else
      printf '%s  %-40s pending\n' "$v" "$n"
    fi
  done <<<"$all"
  # Applied versions whose files are gone are worth a loud line.
  while read -r v _; do
    [ -n "$v" ] || continue
    awk '{print $1}' <<<"$all" | grep -qx "$v" || printf '%s  %-40s applied  (file missing!)\n' "$v" "?"
  done <<<"$rows"
}

cmd_seed() {
  require_running
  owner_psql --single-transaction -f "$REPO/sql/seed.sql"
  # Three months of demo history (loaded once; does nothing when already there).
  owner_psql --single-transaction -f "$REPO/sql/demo_history.sql"
  echo "db.sh: seeded $RM_DB"
}

cmd_psql() {
  require_running
  exec "$PGBIN/psql" -h "$RUN" -p "$RM_PGPORT" -U rm_owner -d "$RM_DB" "$@"
}

[ "$(id -u)" -eq 0 ] || die "run as root"
cmd="${1:-}"; [ $# -gt 0 ] && shift
case "$cmd" in
  init)           cmd_init ;;
  start)          cmd_start ;;
  stop)           cmd_stop ;;
  bootstrap)      cmd_bootstrap ;;
  migrate)        cmd_migrate ;;
  migrate-down)   cmd_migrate_down ;;
  migrate-status) cmd_migrate_status ;;
  seed)           cmd_seed ;;
  psql)           cmd_psql "$@" ;;
  *) die "usage: db.sh init|start|stop|bootstrap|migrate|migrate-down|migrate-status|seed|psql" ;;
esac
