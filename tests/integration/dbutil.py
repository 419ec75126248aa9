"""Shared helpers for integration tests that talk to the project's PostgreSQL.

The harness starts a cluster with scripts/db.sh and exports:
  RM_STATE   state directory (the socket is in $RM_STATE/pg/run)
  RM_PGPORT  the cluster's port
  RM_DB      database name (default repman)
  RM_REPO    repository root (default: two levels above this file)

Authentication is peer through the "rm" ident map, so tests run as root and may connect
as postgres, rm_owner or rm_app.
"""
import contextlib
import os
import subprocess

import psycopg2

PGBIN = "/usr/lib/postgresql/15/bin"
REPO = os.environ.get("RM_REPO") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Fixed ids from sql/seed.sql.
DEMO_WORKSPACE = "10000000-0000-4000-8000-000000000001"
DEMO_OWNER = "20000000-0000-4000-8000-000000000001"
DEMO_DOCTOR = "20000000-0000-4000-8000-000000000002"
DEMO_PRACTICE = "30000000-0000-4000-8000-000000000001"
DEMO_CAMPAIGN = "40000000-0000-4000-8000-000000000001"


def _env(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(
            f"{name} is not set: run the integration tests through the harness, or export "
            "RM_STATE, RM_PGPORT (and RM_DB, RM_REPO) for a cluster started by scripts/db.sh")
    return value


def socket_dir():
    return os.path.join(_env("RM_STATE"), "pg", "run")


def port():
    return int(_env("RM_PGPORT"))


def database():
    """The database under test (RM_DB, default repman)."""
    return _env("RM_DB", "repman")


def connect(user, dbname=None, autocommit=True, **kwargs):
    """A psycopg2 connection over the cluster's unix socket as `user`.

    autocommit defaults to True so that each statement stands alone (a failed statement
    does not poison the next one); pass autocommit=False to manage transactions.
    """
    conn = psycopg2.connect(host=socket_dir(), port=port(), user=user,
                            dbname=dbname or database(), **kwargs)
    conn.autocommit = autocommit
    return conn


@contextlib.contextmanager
def connected(user, dbname=None, autocommit=True):
    """`with connected("rm_owner") as conn:` closes the connection at the end. (psycopg2's
    own `with conn:` wraps a transaction and does not close.)"""
    conn = connect(user, dbname, autocommit)
    try:
        yield conn
    finally:
        conn.close()


def app_connect(workspace_id=None, dbname=None):
    """Connected as rm_app; with workspace_id, app.workspace_id is set for the session."""
    conn = connect("rm_app", dbname)
    if workspace_id is not None:
        set_workspace(conn, workspace_id)
    return conn


def set_workspace(conn, workspace_id):
    """Session-level tenant setting ('' clears it). The programs use is_local=true inside
    their request transaction; tests use the session form."""
    with conn.cursor() as cur:
        cur.execute("SELECT set_config('app.workspace_id', %s, false)", (str(workspace_id),))


def query(conn, sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall() if cur.description else None


def scalar(conn, sql, params=None):
    rows = query(conn, sql, params)
    return rows[0][0] if rows else None


def db_sh(*args, env=None, check=False):
    """Runs scripts/db.sh with the harness environment plus `env`; returns CompletedProcess
    (text mode, stdout and stderr captured)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([os.path.join(REPO, "scripts", "db.sh"), *args], env=full_env,
                          capture_output=True, text=True, check=check)


def pg_dump_schema(dbname):
    """Schema-only dump (as postgres), for comparing two databases' schemas."""
    out = subprocess.run(
        [os.path.join(PGBIN, "pg_dump"), "-h", socket_dir(), "-p", str(port()), "-U",
         "postgres", "--schema-only", "--no-comments", "-d", dbname],
        capture_output=True, text=True, check=True).stdout
    # Drop the lines that differ between two dumps of the same schema: the version header
    # and the random key of \restrict/\unrestrict (pg_dump 15.14+).
    return "\n".join(l for l in out.splitlines()
                     if not l.startswith(("-- Dumped", "\\restrict", "\\unrestrict")))
