"""Tenant isolation: row-level security, composite foreign keys, rm_app's privileges, the
SECURITY DEFINER lookups, and the schema conventions the isolation relies on.

Tenant tables are discovered from the catalog (every table with a workspace_id column, plus
workspaces), so a table added later is checked without anyone editing this file, and a
table without RLS, its policy or a row builder below fails loudly.

Two throwaway workspaces A and B get one row in every tenant table (inserted as rm_owner,
which bypasses RLS); they are deleted at the end (the workspace FK cascades).
"""
import datetime
import hashlib
import random
import uuid
import warnings

import psycopg2
import pytest
from psycopg2 import errors, sql

import dbutil
from sender_util import own_senders

# Parents before children. Extend ROW_BUILDERS when adding a tenant table.
ORDER = ["workspaces", "report_counts", "users", "sessions", "practices", "campaigns", "patients",
         "templates", "messages", "feedback", "opt_outs", "webhook_events", "audit_logs", "report_daily"]


def _uid():
    return str(uuid.uuid4())


def _phone():
    return "+5939" + "".join(random.choice("0123456789") for _ in range(8))


def _later(days=1):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)


# 0030 (users): set-password links belong to a user.
ORDER.insert(ORDER.index("sessions") + 1, "user_tokens")

# 0020 (patients): a CSV import waiting for confirmation (its rows are a document on it
# since 0100).
ORDER += ["import_batches"]

# 0070 (staff outbox): e-mails to staff, after the feedback they tell about.
ORDER.insert(ORDER.index("feedback") + 1, "staff_outbox")

# 0072 (campaign counts): a campaign's number of patients, kept by triggers on patients.
ORDER.insert(ORDER.index("campaigns") + 1, "campaign_counts")

# 0110 (rollup changes): appended by message changes, folded into report_daily.
ORDER.insert(ORDER.index("report_daily") + 1, "report_daily_delta")


def make_row(table, ws, p):
    """A fresh valid row of `table` in workspace `ws`; `p` maps parent table -> id."""
    base = {"id": _uid(), "workspace_id": ws}
    if table == "workspaces":
        return {"id": ws if "workspaces" not in p else _uid(), "name": "RLS test"}
    if table == "users":
        return {**base, "email": f"rls-{uuid.uuid4().hex}@example.com",
                "password_hash": "$2b$12$x", "name": "Test User", "role": "DOCTOR"}
    if table == "sessions":
        return {**base, "user_id": p["users"], "expires_at": _later(),
                "token_hash": psycopg2.Binary(hashlib.sha256(uuid.uuid4().bytes).digest())}
    if table == "user_tokens":
        return {**base, "user_id": p["users"], "purpose": "INVITE", "expires_at": _later(),
                "token_hash": psycopg2.Binary(hashlib.sha256(uuid.uuid4().bytes).digest())}
    if table == "practices":
        return {**base, "name": "Practice", "city": "Quito"}
    if table == "campaigns":
        # DRAFT: the stack's sender leaves a draft's messages PENDING, as these tests need.
        return {**base, "name": "Campaign", "practice_id": p["practices"],
                "created_by": p["users"], "status": "DRAFT"}
    if table == "patients":
        return {**base, "name": "Paciente", "phone": _phone(), "campaign_id": p["campaigns"],
                "has_consent": True}
    if table == "templates":
        return {**base, "name": "Reminder", "type": "REMINDER", "content": "Hola {{name}}",
                "variables": ["name"]}
    if table == "messages":
        return {**base, "patient_id": p["patients"], "campaign_id": p["campaigns"],
                "type": "INITIAL", "channel": "SMS", "external_id": "SM" + uuid.uuid4().hex}
    if table == "feedback":
        return {**base, "patient_id": p["patients"], "message_id": p["messages"], "rating": 2,
                "body": "Mucha espera", "resolved_by": p["users"]}
    if table == "opt_outs":
        return {**base, "phone": _phone(), "channel": "SMS", "source": "reply"}
    if table == "webhook_events":
        return {**base, "provider": "twilio", "event_id": uuid.uuid4().hex, "payload": "{}"}
    if table == "audit_logs":
        return {**base, "user_id": p["users"], "action": "test.rls", "entity_type": "patient"}
    if table == "report_counts":
        return {**base, "patients": 0}
    if table == "campaign_counts":
        return {**base, "campaign_id": p["campaigns"], "patients": 0}
    if table == "report_daily":
        # A random day, so that two rows built for one workspace never share the upsert key.
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=random.randrange(3650))
        return {**base, "day": day, "campaign_id": p["campaigns"], "practice_id": p["practices"],
                "channel": "SMS", "sent": 1}
    if table == "report_daily_delta":
        return {**base, "day": datetime.date(2020, 1, 1), "campaign_id": p["campaigns"],
                "practice_id": p["practices"], "channel": "SMS", "sent": 1}
    if table == "import_batches":
        return {**base, "campaign_id": p["campaigns"], "created_by": p["users"],
                "delimiter": ";", "encoding": "UTF-8", "total_rows": 1}
    if table == "staff_outbox":
        # SENT: the stack's sender leaves it alone, as these tests need.
        return {**base, "user_id": p["users"], "feedback_id": p["feedback"],
                "recipient": "rls@example.com", "subject": "Opinión", "body": "Texto",
                "status": "SENT"}
    raise KeyError(f"no row builder for tenant table {table}: add one to test_rls.py")


def insert(conn, table, row):
    q = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, row)),
        sql.SQL(", ").join(sql.Placeholder() * len(row)))
    with conn.cursor() as cur:
        cur.execute(q, list(row.values()))


def execute(conn, query, params=None):
    """Runs a statement, returns its rowcount."""
    with conn.cursor() as cur:
        cur.execute(query, params)
        return cur.rowcount


def tenant_tables(conn):
    rows = dbutil.query(conn, """
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND (c.relname = 'workspaces' OR EXISTS (
                 SELECT FROM pg_attribute a WHERE a.attrelid = c.oid
                    AND a.attname = 'workspace_id' AND NOT a.attisdropped))
         ORDER BY 1""")
    return [r[0] for r in rows]


def ws_col(table):
    return "id" if table == "workspaces" else "workspace_id"


@pytest.fixture(scope="module", autouse=True)
def _no_fold():
    """The stack's sender stopped meanwhile: its fold (0110) would move the rows built in
    report_daily_delta into report_daily under the tests' feet."""
    with own_senders():
        yield


@pytest.fixture(scope="module")
def owner():
    conn = dbutil.connect("rm_owner")
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def tenants(owner):
    """Workspaces A and B with one row in every tenant table; ids[ws][table] = row id."""
    a, b = _uid(), _uid()
    ids = {a: {}, b: {}}
    tables = tenant_tables(owner)
    missing = sorted(set(tables) - set(ORDER))
    assert not missing, f"tenant tables without a row builder in test_rls.py: {missing}"
    try:
        for ws in (a, b):
            for table in ORDER:
                row = make_row(table, ws, ids[ws])
                insert(owner, table, row)
                ids[ws][table] = row["id"]
        yield {"A": a, "B": b, "ids": ids, "tables": tables}
    finally:
        execute(owner, "DELETE FROM workspaces WHERE id IN (%s, %s)", (a, b))


@pytest.fixture
def app():
    """rm_app connections; closed at the end of the test."""
    conns = []

    def open_(workspace=None):
        conn = dbutil.app_connect(workspace)
        conns.append(conn)
        return conn
    yield open_
    for c in conns:
        c.close()


# ---- catalog: the conventions isolation depends on ------------------------------------

def test_every_tenant_table_has_rls_and_one_tenant_policy(owner):
    tables = tenant_tables(owner)
    assert set(ORDER) <= set(tables)
    for t in tables:
        rls, forced = dbutil.query(owner, """
            SELECT relrowsecurity, relforcerowsecurity FROM pg_class
             WHERE oid = %s::regclass""", (f"public.{t}",))[0]
        assert rls, f"{t}: ROW LEVEL SECURITY is not enabled"
        assert not forced, f"{t}: RLS is FORCEd (the owner must bypass it for migrations/seed)"
        policies = dbutil.query(owner, """
            SELECT cmd, roles::text[], qual, with_check FROM pg_policies
             WHERE schemaname = 'public' AND tablename = %s""", (t,))
        assert len(policies) == 1, f"{t}: expected one policy, got {policies}"
        cmd, roles, qual, check = policies[0]
        assert cmd == "ALL" and roles == ["public"], (t, cmd, roles)
        for expr in (qual, check):
            assert expr is not None, f"{t}: policy lacks USING or WITH CHECK"
            assert "current_setting('app.workspace_id'" in expr and ws_col(t) in expr, (t, expr)


def test_every_tenant_table_is_keyed_by_workspace(owner):
    for t in tenant_tables(owner):
        if t == "workspaces":
            continue
        notnull = dbutil.scalar(owner, """
            SELECT attnotnull FROM pg_attribute
             WHERE attrelid = %s::regclass AND attname = 'workspace_id'""", (f"public.{t}",))
        assert notnull, f"{t}.workspace_id must be NOT NULL"
        # UNIQUE (workspace_id, id): the target of composite FKs.
        assert dbutil.scalar(owner, """
            SELECT count(*) FROM pg_constraint c
             WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'p')
               AND (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
                   = ARRAY['workspace_id', 'id']""", (f"public.{t}",)) == 1, t
        # Some index leads with workspace_id (the unique one does).
        assert dbutil.scalar(owner, """
            SELECT count(*) FROM pg_index i JOIN pg_attribute a
                ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
             WHERE i.indrelid = %s::regclass AND a.attname = 'workspace_id'""",
                             (f"public.{t}",)) >= 1, t


def test_foreign_keys_between_tenant_tables_are_composite(owner):
    """Every FK from a tenant table is either workspace_id -> workspaces(id) or
    (workspace_id, x) -> parent(workspace_id, id)."""
    rows = dbutil.query(owner, """
        SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text,
               (SELECT array_agg(a.attname::text ORDER BY k.ord)
                  FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
               (SELECT array_agg(a.attname::text ORDER BY k.ord)
                  FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
          FROM pg_constraint c
         WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace""")
    tenant = set(tenant_tables(owner))
    assert rows
    for name, child, parent, cols, pcols in rows:
        if child not in tenant:
            continue
        if parent == "workspaces":
            assert cols == ["workspace_id"] and pcols == ["id"], name
        else:
            assert parent in tenant, name
            assert len(cols) == 2 and cols[0] == "workspace_id", (name, cols)
            assert pcols == ["workspace_id", "id"], (name, pcols)


def test_every_table_has_timestamps_and_the_trigger(owner):
    tables = [r[0] for r in dbutil.query(owner, """
        SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace
           AND relkind = 'r' AND relname <> 'schema_migrations'""")]
    assert "login_attempts" in tables
    for t in tables:
        for col in ("created_at", "updated_at"):
            typ, notnull, default = dbutil.query(owner, """
                SELECT format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid)
                  FROM pg_attribute a
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE a.attrelid = %s::regclass AND a.attname = %s""",
                                                 (f"public.{t}", col))[0]
            assert typ == "timestamp with time zone" and notnull and default == "now()", (t, col)
        assert dbutil.scalar(owner, """
            SELECT count(*) FROM pg_trigger
             WHERE tgrelid = %s::regclass AND NOT tgisinternal
               AND tgfoid = 'public.set_updated_at'::regproc""", (f"public.{t}",)) == 1, t


# ---- isolation as rm_app ---------------------------------------------------------------

def test_select_sees_only_own_workspace(tenants, owner, app):
    a = tenants["A"]
    conn = app(a)
    for t in tenants["tables"]:
        col = ws_col(t)
        expected = dbutil.scalar(owner, sql.SQL("SELECT count(*) FROM {} WHERE {} = %s").format(
            sql.Identifier(t), sql.Identifier(col)), (a,))
        assert expected >= 1, t
        got = dbutil.scalar(conn, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t)))
        assert got == expected, f"{t}: rm_app in A sees {got} rows, A has {expected}"
        others = dbutil.scalar(conn, sql.SQL("SELECT count(*) FROM {} WHERE {} <> %s").format(
            sql.Identifier(t), sql.Identifier(col)), (a,))
        assert others == 0, t


@pytest.mark.parametrize("setting", [None, ""], ids=["unset", "empty"])
def test_no_workspace_sees_and_writes_nothing(tenants, owner, app, setting):
    a, ids = tenants["A"], tenants["ids"]
    conn = app(setting)
    before = {}
    for t in tenants["tables"]:
        before[t] = dbutil.scalar(owner, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t)))
        ident = sql.Identifier(t)
        assert dbutil.scalar(conn, sql.SQL("SELECT count(*) FROM {}").format(ident)) == 0, t
        for stmt in (sql.SQL("UPDATE {} SET updated_at = now()").format(ident),
                     sql.SQL("DELETE FROM {}").format(ident)):
            try:
                assert execute(conn, stmt) == 0, (t, stmt)
            except errors.InsufficientPrivilege:
                pass            # not granted at all (audit_logs, webhook_events): also fine
        with pytest.raises(errors.InsufficientPrivilege):
            insert(conn, t, make_row(t, a, ids[a]))
    for t in tenants["tables"]:
        after = dbutil.scalar(owner, sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t)))
        assert after == before[t], t


def test_cannot_touch_another_workspace(tenants, owner, app):
    a, b, ids = tenants["A"], tenants["B"], tenants["ids"]
    conn = app(a)
    for t in tenants["tables"]:
        ident, col = sql.Identifier(t), sql.Identifier(ws_col(t))
        # Inserting B's row (with B's own, valid parents) is refused by the policy.
        with pytest.raises(errors.InsufficientPrivilege):
            insert(conn, t, make_row(t, b, ids[b]))
        # B's rows are invisible to UPDATE and DELETE.
        for stmt in (sql.SQL("UPDATE {} SET updated_at = now() WHERE {} = %s").format(ident, col),
                     sql.SQL("DELETE FROM {} WHERE {} = %s").format(ident, col)):
            try:
                assert execute(conn, stmt, (b,)) == 0, (t, stmt)
            except errors.InsufficientPrivilege:
                pass
        # Moving one of A's rows into B is refused (WITH CHECK), or not granted at all.
        with pytest.raises(errors.InsufficientPrivilege):
            execute(conn, sql.SQL("UPDATE {} SET {} = %s WHERE id = %s").format(ident, col),
                    (b, ids[a][t]))
        assert dbutil.scalar(owner, sql.SQL("SELECT {} FROM {} WHERE id = %s").format(col, ident),
                             (ids[a][t],)) == a, t


def test_child_in_a_cannot_reference_parent_in_b(tenants, owner, app):
    a, b, ids = tenants["A"], tenants["B"], tenants["ids"]
    fks = dbutil.query(owner, """
        SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,
               (SELECT a.attname::text FROM pg_attribute a
                 WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[2])
          FROM pg_constraint c
         WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
           AND array_length(c.conkey, 1) = 2""")
    assert len(fks) >= 10
    conn = app(a)
    for child, parent, col in fks:
        row = make_row(child, a, ids[a])
        row[col] = ids[b][parent]
        with pytest.raises(errors.ForeignKeyViolation):
            insert(conn, child, row)
        # Also through UPDATE of an existing row (rm_app may not update audit_logs nor
        # report_daily_delta at all: both are append-only for it).
        if child not in ("audit_logs", "report_daily_delta"):
            with pytest.raises(errors.ForeignKeyViolation):
                execute(conn, sql.SQL("UPDATE {} SET {} = %s WHERE id = %s").format(
                    sql.Identifier(child), sql.Identifier(col)), (ids[b][parent], ids[a][child]))


def test_app_role_limits(tenants, app):
    conn = app(tenants["A"])
    denied = [
        "SELECT count(*) FROM login_attempts",
        "INSERT INTO login_attempts (email, succeeded) VALUES ('x@example.com', true)",
        "DELETE FROM login_attempts",
        "SELECT count(*) FROM schema_migrations",
        "ALTER TABLE patients ADD COLUMN evil int",
        "ALTER TABLE patients DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE patients NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY tenant_isolation ON patients",
        "DROP TABLE patients",
        "TRUNCATE messages",
        "CREATE TABLE evil (x int)",
        "CREATE FUNCTION evil() RETURNS int LANGUAGE sql AS 'SELECT 1'",
        "UPDATE audit_logs SET action = 'forged'",
        "DELETE FROM audit_logs",
        "DELETE FROM webhook_events",
        "UPDATE report_daily_delta SET sent = 1000",
        "SET ROLE rm_owner",
        "CREATE TEMP TABLE evil (x int)",
    ]
    for stmt in denied:
        with pytest.raises(errors.InsufficientPrivilege):
            execute(conn, stmt)
    attrs = dbutil.query(conn, """
        SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles
         WHERE rolname = 'rm_app'""")[0]
    assert attrs == (False, False, False, False)
    assert dbutil.scalar(conn, """
        SELECT count(*) FROM pg_class WHERE relowner = 'rm_app'::regrole""") == 0
    assert dbutil.scalar(conn, """
        SELECT count(*) FROM pg_proc WHERE proowner = 'rm_app'::regrole""") == 0


# ---- SECURITY DEFINER lookups ------------------------------------------------------------

DEFINERS = {
    "app_login_workspace(text)": "uuid",
    "app_session_workspace(bytea)": "uuid",
    "app_login_begin(text,inet,integer,interval)": "record",
    "app_login_succeeded(uuid)": "void",
    "app_signup_attempt(inet,integer)": "boolean",
    "app_message_workspace(text)": "uuid",
    "app_reply_route(text,text)": "record",
    "app_enqueue_reminders(uuid)": "integer",
    "app_complete_campaigns(uuid)": "integer",
    "app_stripe_workspace(text)": "uuid",
    "app_due_workspaces(integer)": "uuid",
}

# 0030 (users): a set-password link's workspace; whether an email is taken anywhere.
DEFINERS.update({"app_user_token_workspace(bytea)": "uuid", "app_email_taken(text)": "boolean"})
# 0071 (patients): a page of the patient list, whose search indexes RLS would not use.
DEFINERS["app_patients_page(text,text,uuid,boolean,boolean,boolean,uuid,integer,integer)"] = \
    "record"

# 0090 (webhooks): a status callback's workspace, kept for later when no message has the
# id yet; the trigger that applies kept callbacks; their purge.
DEFINERS.update({
    "app_status_workspace(text,text,text,message_status,text)": "uuid",
    "messages_apply_early_statuses()": "trigger",
    "app_early_statuses_purge()": "integer",
})
# 0110 (rollups): the fold of every workspace's appended rollup changes.
DEFINERS["report_daily_fold()"] = "integer"


def test_definer_functions_are_narrow(owner):
    for sig, ret in DEFINERS.items():
        secdef, owner_name, config, rettype, public_exec, app_exec = dbutil.query(owner, """
            SELECT p.prosecdef, p.proowner::regrole::text, p.proconfig,
                   format_type(p.prorettype, NULL),
                   has_function_privilege('public', p.oid, 'EXECUTE'),
                   has_function_privilege('rm_app', p.oid, 'EXECUTE')
              FROM pg_proc p WHERE p.oid = %s::regprocedure""", (f"public.{sig}",))[0]
        assert secdef, sig
        assert owner_name == "rm_owner", sig
        assert config == ["search_path=public, pg_temp"], (sig, config)
        assert rettype == ret, (sig, rettype)
        assert not public_exec and app_exec, sig
    # Everything else rm_app can execute in our schema is SECURITY INVOKER.
    extra = dbutil.query(owner, """
        SELECT p.oid::regprocedure::text FROM pg_proc p
         WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef""")
    assert sorted(r[0] for r in extra) == sorted(DEFINERS)
    invoker = dbutil.query(owner, """
        SELECT p.prosecdef, has_function_privilege('public', p.oid, 'EXECUTE'),
               has_function_privilege('rm_app', p.oid, 'EXECUTE')
          FROM pg_proc p WHERE p.oid = 'public.app_create_default_templates(uuid)'::regprocedure""")
    assert invoker == [(False, False, True)]


def test_patients_page_lists_only_the_current_workspace(tenants, owner, app):
    a, b, ids = tenants["A"], tenants["B"], tenants["ids"]
    page = "SELECT id FROM app_patients_page(%s, %s, NULL, NULL, NULL, NULL, NULL, 0, 51)"
    name_b, phone_b = dbutil.query(owner, "SELECT name, phone FROM patients WHERE id = %s",
                                   (ids[b]["patients"],))[0]
    conn = app(a)
    assert [r[0] for r in dbutil.query(conn, page, ("all", None))] == [ids[a]["patients"]]
    # B's patient, searched for from A by its name (A's has the same one) and its number.
    assert [r[0] for r in dbutil.query(conn, page, ("name", name_b))] == [ids[a]["patients"]]
    assert dbutil.query(conn, page, ("phone", phone_b.lstrip("+"))) == []
    assert [r[0] for r in dbutil.query(app(b), page, ("phone", phone_b.lstrip("+")))] == \
        [ids[b]["patients"]]
    # No workspace, or a search that is not digits for a phone: nothing.
    assert dbutil.query(app(), page, ("all", None)) == []
    assert dbutil.query(conn, page, ("phone", "59' OR 1=1 --")) == []


def test_login_and_session_lookups(tenants, owner, app):
    a, ids = tenants["A"], tenants["ids"]
    conn = app()                 # no workspace: these are the pre-tenant lookups
    assert dbutil.scalar(conn, "SELECT app_login_workspace(%s)",
                         (" Demo@ReputationManager.com ",)) == dbutil.DEMO_WORKSPACE
    assert dbutil.scalar(conn, "SELECT app_login_workspace('nobody@example.com')") is None
    email = dbutil.scalar(owner, "SELECT email FROM users WHERE id = %s", (ids[a]["users"],))
    assert dbutil.scalar(conn, "SELECT app_login_workspace(%s)", (email.upper(),)) == a

    token = hashlib.sha256(b"live-" + uuid.uuid4().bytes).digest()
    old = hashlib.sha256(b"old-" + uuid.uuid4().bytes).digest()
    for h, exp in ((token, _later(1)), (old, _later(-1))):
        insert(owner, "sessions", {"workspace_id": a, "user_id": ids[a]["users"],
                                   "token_hash": psycopg2.Binary(h), "expires_at": exp})
    assert dbutil.scalar(conn, "SELECT app_session_workspace(%s)", (psycopg2.Binary(token),)) == a
    assert dbutil.scalar(conn, "SELECT app_session_workspace(%s)", (psycopg2.Binary(old),)) is None
    assert dbutil.scalar(conn, "SELECT app_session_workspace(%s)",
                         (psycopg2.Binary(b"\0" * 32),)) is None


def test_login_throttle_functions(owner, app):
    conn = app()
    email = f"throttle-{uuid.uuid4().hex}@example.com"
    try:
        def begin(ip, mx=3):
            return dbutil.query(conn, "SELECT attempt_id, email_failures FROM app_login_begin("
                                      "%s, %s::inet, %s, interval '15 minutes')",
                                (email.upper(), ip, mx))[0]
        ids = [begin("192.0.2.1")[0] for _ in range(3)]     # three failures from one address
        assert all(ids)
        assert begin("192.0.2.1") == (None, 3)               # that address is stopped ...
        other, failures = begin("192.0.2.2")                 # ... another is not
        assert other and failures == 3
        dbutil.scalar(conn, "SELECT app_login_succeeded(%s)", (other,))
        # The success resets the count across addresses, but not the stopped address's own.
        assert begin("192.0.2.3")[1] == 0
        assert begin("192.0.2.1")[0] is None
        # Stored lowercased; refused attempts are not recorded; old rows are pruned.
        assert dbutil.query(owner, "SELECT count(*) FILTER (WHERE succeeded), count(*)"
                                   " FROM login_attempts WHERE email = %s", (email,)) == [(1, 5)]
        execute(owner, "INSERT INTO login_attempts (email, succeeded, attempted_at) "
                       "VALUES (%s, false, now() - interval '2 days')", (email,))
        begin("192.0.2.4")
        assert dbutil.scalar(owner, "SELECT count(*) FROM login_attempts WHERE email = %s"
                                    " AND attempted_at < now() - interval '1 day'", (email,)) == 0
    finally:
        execute(owner, "DELETE FROM login_attempts WHERE email = %s", (email,))
        conn.close()


def test_webhook_and_sender_lookups(tenants, owner, app):
    a, ids = tenants["A"], tenants["ids"]
    conn = app()
    ext = dbutil.scalar(owner, "SELECT external_id FROM messages WHERE id = %s", (ids[a]["messages"],))
    assert dbutil.scalar(conn, "SELECT app_message_workspace(%s)", (ext,)) == a
    assert dbutil.scalar(conn, "SELECT app_message_workspace('SMnope')") is None

    phone = dbutil.scalar(owner, "SELECT phone FROM patients WHERE id = %s", (ids[a]["patients"],))
    assert dbutil.scalar(conn, "SELECT ws FROM app_reply_route(%s)", (phone,)) is None   # nothing sent yet
    customer = "cus_" + uuid.uuid4().hex
    execute(owner, "UPDATE workspaces SET stripe_customer_id = %s WHERE id = %s", (customer, a))
    assert dbutil.scalar(conn, "SELECT app_stripe_workspace(%s)", (customer,)) == a
    assert dbutil.scalar(conn, "SELECT app_stripe_workspace('cus_nope')") is None

    # A's fixture message is PENDING and due now.
    due = [r[0] for r in dbutil.query(conn, "SELECT * FROM app_due_workspaces(1000)")]
    assert a in due
    try:
        execute(owner, "UPDATE messages SET status = 'SENT', sent_at = now() WHERE id = %s",
                (ids[a]["messages"],))
        assert dbutil.scalar(conn, "SELECT ws FROM app_reply_route(%s)", (phone,)) == a
        due = [r[0] for r in dbutil.query(conn, "SELECT * FROM app_due_workspaces(1000)")]
        assert a not in due
    finally:
        execute(owner, "UPDATE messages SET status = 'PENDING', sent_at = NULL WHERE id = %s",
                (ids[a]["messages"],))


# ---- templates, timestamps, cascades, seed ---------------------------------------------

def test_one_default_template_per_workspace_and_type(tenants, owner, app):
    a, b = tenants["A"], tenants["B"]
    conn = app(a)
    dbutil.scalar(conn, "SELECT app_create_default_templates(%s)", (a,))
    dbutil.scalar(conn, "SELECT app_create_default_templates(%s)", (a,))   # idempotent
    rows = dbutil.query(conn, "SELECT type::text FROM templates WHERE is_default ORDER BY 1")
    assert [r[0] for r in rows] == ["FOLLOWUP_HAPPY", "FOLLOWUP_UNHAPPY", "INITIAL", "REMINDER"]
    with pytest.raises(errors.UniqueViolation):
        insert(conn, "templates", {"workspace_id": a, "name": "Otra", "type": "INITIAL",
                                   "content": "Hola", "is_default": True})
    insert(conn, "templates", {"workspace_id": a, "name": "Otra", "type": "INITIAL",
                               "content": "Hola", "is_default": False})
    # Switching the default inside one transaction works.
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute("UPDATE templates SET is_default = false WHERE type = 'INITIAL' AND is_default")
        cur.execute("UPDATE templates SET is_default = true WHERE type = 'INITIAL' AND name = 'Otra'")
    conn.commit()
    conn.autocommit = True
    assert dbutil.scalar(conn, "SELECT name FROM templates WHERE type = 'INITIAL' AND is_default") == "Otra"
    # Under RLS the function cannot seed another workspace.
    with pytest.raises(errors.InsufficientPrivilege):
        dbutil.scalar(conn, "SELECT app_create_default_templates(%s)", (b,))
    assert dbutil.scalar(owner, "SELECT count(*) FROM templates WHERE workspace_id = %s AND is_default",
                         (b,)) == 0


def test_updated_at_changes_on_update(tenants, owner):
    a, ids = tenants["A"], tenants["ids"]
    for t in ORDER:
        old_updated, created = dbutil.query(owner, sql.SQL(
            "SELECT updated_at, created_at FROM {} WHERE id = %s").format(sql.Identifier(t)),
            (ids[a][t],))[0]
        # Even an explicit attempt to set it is overridden by the trigger.
        new_updated, new_created = dbutil.query(owner, sql.SQL(
            "UPDATE {} SET updated_at = '2000-01-01' WHERE id = %s "
            "RETURNING updated_at, created_at").format(sql.Identifier(t)), (ids[a][t],))[0]
        assert new_updated > old_updated, t
        assert new_created == created, t


def test_delete_rules(owner):
    """Deleting a user or campaign keeps history; deleting a workspace removes everything."""
    ws = _uid()
    p = {}
    for t in ORDER:
        row = make_row(t, ws, p)
        insert(owner, t, row)
        p[t] = row["id"]
    try:
        execute(owner, "DELETE FROM users WHERE id = %s", (p["users"],))
        assert dbutil.scalar(owner, "SELECT count(*) FROM sessions WHERE id = %s", (p["sessions"],)) == 0
        assert dbutil.query(owner, "SELECT created_by, practice_id FROM campaigns WHERE id = %s",
                            (p["campaigns"],)) == [(None, p["practices"])]
        assert dbutil.query(owner, "SELECT user_id, workspace_id FROM audit_logs WHERE id = %s",
                            (p["audit_logs"],)) == [(None, ws)]
        assert dbutil.scalar(owner, "SELECT resolved_by FROM feedback WHERE id = %s",
                             (p["feedback"],)) is None
        # A practice still used by a campaign cannot go by itself.
        with pytest.raises(errors.ForeignKeyViolation):
            execute(owner, "DELETE FROM practices WHERE id = %s", (p["practices"],))
        execute(owner, "DELETE FROM campaigns WHERE id = %s", (p["campaigns"],))
        assert dbutil.query(owner, "SELECT campaign_id, workspace_id FROM patients WHERE id = %s",
                            (p["patients"],)) == [(None, ws)]
        assert dbutil.scalar(owner, "SELECT count(*) FROM messages WHERE id = %s", (p["messages"],)) == 0
        assert dbutil.scalar(owner, "SELECT message_id FROM feedback WHERE id = %s",
                             (p["feedback"],)) is None
    finally:
        execute(owner, "DELETE FROM workspaces WHERE id = %s", (ws,))
    for t in tenant_tables(owner):
        assert dbutil.scalar(owner, sql.SQL("SELECT count(*) FROM {} WHERE {} = %s").format(
            sql.Identifier(t), sql.Identifier(ws_col(t))), (ws,)) == 0, t


def test_constraints(owner, tenants):
    a, ids = tenants["A"], tenants["ids"]
    bad = [
        ("users", {"email": "Upper@Example.com"}),
        ("patients", {"phone": "0987654321"}),
        ("opt_outs", {"phone": None, "email": None}),
        ("messages", {"rating": 6}),
        ("campaigns", {"scheduled_hours_after": 721}),
    ]
    for table, override in bad:
        row = {**make_row(table, a, ids[a]), **override}
        with pytest.raises(errors.CheckViolation):
            insert(owner, table, row)
    with pytest.raises(errors.CheckViolation):
        execute(owner, "UPDATE workspaces SET message_credits = -1 WHERE id = %s", (a,))
    # One opt-out row per phone in a workspace.
    phone = dbutil.scalar(owner, "SELECT phone FROM opt_outs WHERE id = %s", (ids[a]["opt_outs"],))
    with pytest.raises(errors.UniqueViolation):
        insert(owner, "opt_outs", {**make_row("opt_outs", a, ids[a]), "phone": phone})
    # Webhook events are unique per provider event id, across workspaces.
    ev = dbutil.query(owner, "SELECT provider, event_id FROM webhook_events WHERE id = %s",
                      (ids[a]["webhook_events"],))[0]
    b = tenants["B"]
    with pytest.raises(errors.UniqueViolation):
        insert(owner, "webhook_events", {**make_row("webhook_events", b, ids[b]),
                                         "provider": ev[0], "event_id": ev[1]})


def test_seed_demo_workspace(owner):
    ws = dbutil.DEMO_WORKSPACE
    # 2000 credits, less one for each message the stack's sender has taken since the seed
    # (seed.sql's three rating requests: the demo history never gives it anything to send,
    # see test_demo_history.py).
    assert dbutil.query(owner, """
        SELECT name, plan::text, message_credits + (
                 SELECT count(*)::integer FROM messages m
                  WHERE m.workspace_id = w.id AND m.created_at >= w.created_at AND NOT m.free
                    AND m.status IN ('SENDING', 'SENT', 'DELIVERED', 'REPLIED'))
          FROM workspaces w WHERE id = %s""", (ws,)) == [("Consultorio Demo", "PROFESSIONAL", 2000)]
    users = dbutil.query(owner, "SELECT email, role::text, name, password_hash FROM users "
                                "WHERE workspace_id = %s ORDER BY email", (ws,))
    assert [(u[0], u[1], u[2]) for u in users] == [
        ("demo@reputationmanager.com", "OWNER", "Dr. Demo"),
        ("doctor@reputationmanager.com", "DOCTOR", "Dra. María López")]
    assert all(u[3].startswith("$2b$12$") and len(u[3]) == 60 for u in users)
    with warnings.catch_warnings():        # deprecated in 3.11, still libxcrypt underneath
        warnings.simplefilter("ignore", DeprecationWarning)
        import crypt
    assert crypt.crypt("demo1234", users[0][3]) == users[0][3]
    # seed.sql's three patients (the demo history adds ~600 more, with other ids).
    pts = dbutil.query(owner, "SELECT name, phone, preferred_channel::text, has_consent, "
                              "consent_at IS NOT NULL FROM patients WHERE campaign_id = %s "
                              # seed.sql's own three (demo_history.sql adds hundreds more)
                              "AND id::text LIKE '50000000-%%' ORDER BY phone",
                              (dbutil.DEMO_CAMPAIGN,))
    assert pts == [("Juan Pérez", "+593987654321", "SMS", True, True),
                   ("María García", "+593987654322", "WHATSAPP", True, True),
                   ("Carlos Ramírez", "+593987654323", "SMS", True, True)]
    # The demo campaign's patients were seen a few hours before the seed ran, and each got
    # its rating request through campaign_enqueue, due at once (the sender may already have
    # sent it, so only what it does not change is checked).
    msgs = dbutil.query(owner, """
        SELECT p.name, p.appointment_time < now() AND p.appointment_time > now() - interval '1 day',
               m.type::text, m.channel::text, m.scheduled_at <= m.created_at
          FROM patients p LEFT JOIN messages m ON m.patient_id = p.id AND m.campaign_id = p.campaign_id
         WHERE p.campaign_id = %s AND p.id::text LIKE '50000000-%%'   -- seed.sql's own three
         ORDER BY p.phone""", (dbutil.DEMO_CAMPAIGN,))
    assert msgs == [("Juan Pérez", True, "INITIAL", "SMS", True),
                    ("María García", True, "INITIAL", "WHATSAPP", True),
                    ("Carlos Ramírez", True, "INITIAL", "SMS", True)]
    tpl = dict(dbutil.query(owner, "SELECT type::text, content FROM templates "
                                   "WHERE workspace_id = %s AND is_default", (ws,)))
    assert set(tpl) == {"INITIAL", "REMINDER", "FOLLOWUP_HAPPY", "FOLLOWUP_UNHAPPY"}
    assert tpl["INITIAL"] == ("Hola {{name}}, ¿cómo calificarías tu visita al {{practice}}? "
                              "Responde del 1 al 5.")
    assert "{{reviewLink}}" in tpl["FOLLOWUP_HAPPY"]
    assert "{{feedbackLink}}" in tpl["FOLLOWUP_UNHAPPY"] and "{{reviewLink}}" in tpl["FOLLOWUP_UNHAPPY"]


def test_demo_history_is_three_months_of_lived_in_data(owner):
    ws = dbutil.DEMO_WORKSPACE
    q = lambda sql: dbutil.query(owner, sql, {"ws": ws})  # noqa: E731
    assert q("SELECT count(*) FROM practices WHERE workspace_id = %(ws)s") == [(2,)]
    assert q("SELECT status::text FROM campaigns WHERE workspace_id = %(ws)s ORDER BY 1") == [
        ("ACTIVE",), ("CANCELLED",), ("COMPLETED",), ("DRAFT",)]
    patients = q("SELECT count(*) FROM patients WHERE workspace_id = %(ws)s")[0][0]
    assert 550 <= patients <= 650
    assert q("""SELECT count(*) FROM patients WHERE workspace_id = %(ws)s
                 AND data_deleted_at IS NULL AND phone NOT LIKE '+5939%%'""") == [(0,)]
    channels = q("""SELECT channel::text, count(*) FROM messages WHERE workspace_id = %(ws)s
                     GROUP BY 1 ORDER BY 1""")
    assert [c for c, _ in channels] == ["EMAIL", "SMS", "WHATSAPP"]
    # Mostly 4-5, some 1-3; some failures; review clicks; feedback; nothing left to send.
    (high, low), = q("""SELECT count(*) FILTER (WHERE rating >= 4), count(*) FILTER (WHERE rating <= 3)
                          FROM messages WHERE workspace_id = %(ws)s""")
    assert high > 2 * low > 0
    assert q("""SELECT count(*) > 0 FROM messages WHERE workspace_id = %(ws)s
                 AND status = 'FAILED'""") == [(True,)]
    assert q("""SELECT count(*) > 0 FROM messages WHERE workspace_id = %(ws)s
                 AND review_clicked_at IS NOT NULL""") == [(True,)]
    assert q("SELECT count(*) > 0 FROM feedback WHERE workspace_id = %(ws)s") == [(True,)]
    # (seed.sql's own three patients, 50000000-…, are queued for the sender on purpose)
    assert q("""SELECT count(*) FROM messages WHERE workspace_id = %(ws)s
                 AND status IN ('PENDING', 'SENDING')
                 AND patient_id::text NOT LIKE '50000000-%%'""") == [(0,)]
    # Three months back from the day it was loaded, nothing in the future.
    (oldest, newest), = q("""SELECT min(sent_at) > now() - interval '95 days',
                                     max(sent_at) <= now() FROM messages
                               WHERE workspace_id = %(ws)s""")
    assert oldest and newest
    assert q("SELECT count(*) >= 5 FROM audit_logs WHERE workspace_id = %(ws)s") == [(True,)]


def test_seed_is_idempotent(owner):
    # The rollups as the reports read them: the stack's sender may fold appended changes
    # into report_daily (0110) between the two reads, which changes both tables and no sum.
    rollups = """SELECT workspace_id, day, campaign_id, channel, sum(sent), sum(delivered),
                        sum(replied), sum(happy_sent), sum(happy_clicked), sum(rating_1),
                        sum(rating_2), sum(rating_3), sum(rating_4), sum(rating_5)
                   FROM report_daily_now GROUP BY 1, 2, 3, 4
                 HAVING (sum(sent), sum(delivered), sum(replied), sum(happy_sent),
                         sum(happy_clicked), sum(rating_1), sum(rating_2), sum(rating_3),
                         sum(rating_4), sum(rating_5))
                        IS DISTINCT FROM (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)"""

    def contents():
        """Every row of every table, as text, in a stable order (the rollups summed)."""
        rows = {t: dbutil.query(owner, f"SELECT array_agg(x::text ORDER BY x::text) FROM {t} x")
                for t in ORDER if t not in ("report_daily", "report_daily_delta")}
        rows["report_daily_now"] = dbutil.query(
            owner, f"SELECT array_agg(x::text ORDER BY x::text) FROM ({rollups}) x")
        return rows
    before = contents()
    r = dbutil.db_sh("seed")
    assert r.returncode == 0, r.stderr
    assert contents() == before
