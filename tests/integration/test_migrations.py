"""The migration runner (scripts/db.sh) and the migrations themselves.

Works in scratch databases of its own (created with `db.sh bootstrap` under another RM_DB,
dropped at the end), so the harness's database is never touched.
"""
import glob
import os
import re
import shutil

import psycopg2
import pytest

import dbutil

MIGRATIONS = os.path.join(dbutil.REPO, "sql", "migrations")


def versions():
    names = sorted(os.path.basename(f) for f in glob.glob(os.path.join(MIGRATIONS, "*.up.sql")))
    return [re.match(r"^(\d{4})_", n).group(1) for n in names]


def make_scratch(name):
    r = dbutil.db_sh("bootstrap", env={"RM_DB": name})
    assert r.returncode == 0, r.stderr
    return name


def drop_scratch(name):
    with dbutil.connected("postgres", "postgres") as conn:
        dbutil.query(conn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch():
    name = f"rm_scratch_{os.getpid()}"
    drop_scratch(name)
    make_scratch(name)
    yield name
    drop_scratch(name)


def run(cmd, db, migrations_dir=None):
    env = {"RM_DB": db}
    if migrations_dir:
        env["MIGRATIONS_DIR"] = migrations_dir
    return dbutil.db_sh(cmd, env=env)


def applied(db):
    with dbutil.connected("rm_owner", db) as conn:
        return [r[0] for r in dbutil.query(conn, "SELECT version FROM schema_migrations ORDER BY 1")]


def leftovers(db):
    """Our objects in schema public other than schema_migrations (and its pkey/type)."""
    with dbutil.connected("rm_owner", db) as conn:
        rels = dbutil.query(conn, """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public'
               AND c.relname NOT IN ('schema_migrations', 'schema_migrations_pkey')""")
        types = dbutil.query(conn, """
            SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = 'public' AND t.typname NOT IN ('schema_migrations', '_schema_migrations')""")
        funcs = dbutil.query(conn, """
            SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public'""")
        policies = dbutil.query(conn, "SELECT policyname FROM pg_policies WHERE schemaname = 'public'")
    return rels + types + funcs + policies


def test_up_down_up_is_reversible(scratch):
    all_versions = versions()
    assert all_versions == sorted(set(all_versions)), "duplicate migration versions"
    assert len(all_versions) >= 2

    r = run("migrate", scratch)
    assert r.returncode == 0, r.stderr
    assert applied(scratch) == all_versions
    first = dbutil.pg_dump_schema(scratch)
    assert "CREATE TABLE public.messages" in first

    # A second migrate is a no-op.
    r = run("migrate", scratch)
    assert r.returncode == 0, r.stderr
    assert dbutil.pg_dump_schema(scratch) == first

    # Down, one at a time, latest first.
    for expected_left in range(len(all_versions) - 1, -1, -1):
        r = run("migrate-down", scratch)
        assert r.returncode == 0, r.stderr
        assert applied(scratch) == all_versions[:expected_left]
    assert leftovers(scratch) == []
    # Nothing left to revert: still success, still nothing.
    r = run("migrate-down", scratch)
    assert r.returncode == 0, r.stderr
    assert "nothing to revert" in r.stdout

    r = run("migrate", scratch)
    assert r.returncode == 0, r.stderr
    assert dbutil.pg_dump_schema(scratch) == first


def test_status_lists_every_migration(scratch):
    r = run("migrate-status", scratch)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert [l.split()[0] for l in lines] == versions()
    assert all(l.split()[2] == "pending" for l in lines)
    with dbutil.connected("rm_owner", scratch) as conn:     # status is read-only
        assert dbutil.scalar(conn, "SELECT to_regclass('public.schema_migrations') IS NULL")

    assert run("migrate", scratch).returncode == 0
    r = run("migrate-status", scratch)
    lines = r.stdout.strip().splitlines()
    assert [l.split()[0] for l in lines] == versions()
    assert all(l.split()[2] == "applied" for l in lines), r.stdout


def test_out_of_order_is_refused(scratch, tmp_path):
    mdir = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, mdir)
    top = int(versions()[-1])
    (mdir / f"{top + 1:04d}_marker.up.sql").write_text("CREATE TABLE marker_a (x int);\n")
    (mdir / f"{top + 1:04d}_marker.down.sql").write_text("DROP TABLE marker_a;\n")
    r = run("migrate", scratch, str(mdir))
    assert r.returncode == 0, r.stderr
    before = applied(scratch)
    dump_before = dbutil.pg_dump_schema(scratch)

    # A new file numbered below the highest applied one, plus one above it: neither runs.
    (mdir / "0000_early.up.sql").write_text("CREATE TABLE early_marker (x int);\n")
    (mdir / "0000_early.down.sql").write_text("DROP TABLE early_marker;\n")
    (mdir / f"{top + 2:04d}_later.up.sql").write_text("CREATE TABLE later_marker (x int);\n")
    (mdir / f"{top + 2:04d}_later.down.sql").write_text("DROP TABLE later_marker;\n")
    r = run("migrate", scratch, str(mdir))
    assert r.returncode != 0
    assert "out-of-order" in r.stderr and "0000" in r.stderr
    assert applied(scratch) == before
    assert dbutil.pg_dump_schema(scratch) == dump_before

    # A middle migration whose record went missing is refused the same way.
    (mdir / "0000_early.up.sql").unlink()
    (mdir / "0000_early.down.sql").unlink()
    (mdir / f"{top + 2:04d}_later.up.sql").unlink()
    (mdir / f"{top + 2:04d}_later.down.sql").unlink()
    middle = versions()[len(versions()) // 2]
    with dbutil.connected("rm_owner", scratch) as conn:
        dbutil.query(conn, "DELETE FROM schema_migrations WHERE version = %s", (middle,))
    r = run("migrate", scratch, str(mdir))
    assert r.returncode != 0
    assert middle in r.stderr
    assert middle not in applied(scratch)

    # migrate-status names the gap.
    r = run("migrate-status", scratch, str(mdir))
    assert re.search(rf"^{middle}\s+\S+\s+pending", r.stdout, re.M), r.stdout


def test_failing_migration_rolls_back(scratch, tmp_path):
    mdir = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, mdir)
    top = int(versions()[-1])
    (mdir / f"{top + 1:04d}_good.up.sql").write_text("CREATE TABLE good_a (x int);\n")
    (mdir / f"{top + 1:04d}_good.down.sql").write_text("DROP TABLE good_a;\n")
    (mdir / f"{top + 2:04d}_bad.up.sql").write_text(
        "CREATE TABLE bad_a (x int);\nSELECT 1/0;\n")
    (mdir / f"{top + 2:04d}_bad.down.sql").write_text("DROP TABLE bad_a;\n")
    r = run("migrate", scratch, str(mdir))
    assert r.returncode != 0
    # Each migration is its own transaction: the good one stays, the bad one left nothing.
    assert applied(scratch) == versions() + [f"{top + 1:04d}"]
    with dbutil.connected("rm_owner", scratch) as conn:
        assert dbutil.scalar(conn, "SELECT to_regclass('public.good_a') IS NOT NULL")
        assert dbutil.scalar(conn, "SELECT to_regclass('public.bad_a') IS NULL")

    # migrate-down reverts exactly the latest applied one.
    r = run("migrate-down", scratch, str(mdir))
    assert r.returncode == 0, r.stderr
    assert applied(scratch) == versions()
    with dbutil.connected("rm_owner", scratch) as conn:
        assert dbutil.scalar(conn, "SELECT to_regclass('public.good_a') IS NULL")


def test_bad_file_names_are_refused(scratch, tmp_path):
    mdir = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, mdir)
    (mdir / "9999_Bad-Name.up.sql").write_text("SELECT 1;\n")
    (mdir / "9999_Bad-Name.down.sql").write_text("SELECT 1;\n")
    r = run("migrate", scratch, str(mdir))
    assert r.returncode != 0
    assert "bad migration file name" in r.stderr
    with dbutil.connected("rm_owner", scratch) as conn:
        # The file list is checked before the database is touched.
        assert dbutil.scalar(conn, "SELECT to_regclass('public.schema_migrations') IS NULL")


def test_every_up_has_a_down():
    ups = {os.path.basename(f)[:-len(".up.sql")] for f in glob.glob(os.path.join(MIGRATIONS, "*.up.sql"))}
    downs = {os.path.basename(f)[:-len(".down.sql")] for f in glob.glob(os.path.join(MIGRATIONS, "*.down.sql"))}
    assert ups == downs
    for name in ups:
        assert re.fullmatch(r"\d{4}_[a-z0-9_]+", name), name
        text = open(os.path.join(MIGRATIONS, name + ".up.sql"), encoding="utf-8").read()
        # The runner wraps each file in a transaction; a file's own COMMIT would break that.
        assert not re.search(r"^\s*(BEGIN|COMMIT)\s*;", text, re.M | re.I), name
