"""Helpers shared by test_practices.py and test_campaigns.py: a fresh workspace with its
owner signed in, more users of a role, practices and campaigns made through the forms,
patients and messages put straight into the database (their pages belong to other parts),
and reading rows back as rm_owner."""
import re
import uuid

import dbutil
from web import Browser, csrf_of, signup, unique_email

# bcrypt of "demo1234" (the seed's): users made here sign in with it.
DEMO_HASH = "$2b$12$Hk8Lk6auA5eYVsoe5ExzyeZYcsCQ6lTxRrJrb1BpkkmiNNFV9OWgO"
PLACE_ID = "ChIJN1t_tDeuEmsRUsoyG83frY4"
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def owner_sql(query, params=None):
    with dbutil.connected("rm_owner") as conn:
        return dbutil.query(conn, query, params)


def one(query, params=None):
    rows = owner_sql(query, params)
    return rows[0][0] if rows else None


def new_workspace(name=None, with_email=False):
    """(browser signed in as the new workspace's OWNER, workspace id, owner id), and the
    owner's e-mail last when with_email."""
    b = Browser()
    r, email = signup(b, workspace=name)
    assert r.status_code == 303, r.status_code
    ws, uid = owner_sql("SELECT workspace_id, id FROM users WHERE email = %s", (email,))[0]
    return (b, str(ws), str(uid), email) if with_email else (b, str(ws), str(uid))


def add_user(ws, role, name=None):
    """A signed-in browser for a new user of this role in workspace ws, and the user id."""
    email = unique_email(role.lower())
    uid = one("INSERT INTO users (workspace_id, email, password_hash, name, role) "
              "VALUES (%s, %s, %s, %s, %s) RETURNING id",
              (ws, email, DEMO_HASH, name or f"Usuario {role.title()}", role))
    b = Browser()
    assert b.login(email, "demo1234").status_code == 303
    return b, str(uid)


def practice_form(**over):
    form = {"name": "Consultorio Norte", "address": "Av. 6 de Diciembre N34-12",
            "city": "Quito", "state": "Pichincha", "zip_code": "170135", "country": "EC",
            "google_place_id": PLACE_ID, "phone": "+59322345678",
            "email": "norte@clinica.ec", "timezone": "America/Guayaquil",
            "sending_start": "08:00", "sending_end": "21:00"}
    form.update(over)
    return form


def create_practice(b, ws, **over):
    form = practice_form(**over)
    r = b.submit("/practices/new", "/practices", form)
    assert r.status_code == 303, r.text[-600:]
    return str(one("SELECT id FROM practices WHERE workspace_id = %s AND name = %s "
                   "ORDER BY created_at DESC LIMIT 1", (ws, form["name"])))


def create_campaign(b, practice_id, name=None, hours=2):
    r = b.submit("/campaigns/new", "/campaigns", {
        "name": name or f"Campaña {uuid.uuid4().hex[:6]}", "description": "Pacientes de prueba",
        "practice_id": practice_id, "scheduled_hours_after": str(hours)})
    assert r.status_code == 303, r.text[-600:]
    m = re.fullmatch(rf"/campaigns/({UUID_RE})\?saved=1", r.headers["Location"])
    assert m, r.headers["Location"]
    return m.group(1)


def add_patient(ws, campaign, hours_ago=3, **over):
    """A patient of the campaign whose appointment was hours_ago hours ago (None: no
    appointment time). Returns the id."""
    row = {"name": "Paciente", "phone": "+5939" + uuid.uuid4().int.__str__()[:8],
           "email": None, "has_consent": True, "preferred_channel": "SMS",
           "opted_out_at": None, "data_deleted_at": None}
    row.update(over)
    return str(one(
        "INSERT INTO patients (workspace_id, campaign_id, name, phone, email, has_consent,"
        " preferred_channel, opted_out_at, data_deleted_at, appointment_time)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,"
        "  CASE WHEN %s::float IS NULL THEN NULL ELSE now() - %s::float * interval '1 hour' END)"
        " RETURNING id",
        (ws, campaign, row["name"], row["phone"], row["email"], row["has_consent"],
         row["preferred_channel"], row["opted_out_at"], row["data_deleted_at"],
         hours_ago, hours_ago)))


def set_status(campaign, status):
    owner_sql("UPDATE campaigns SET status = %s WHERE id = %s", (status, campaign))


def status_of(campaign):
    return one("SELECT status::text FROM campaigns WHERE id = %s", (campaign,))


def csrf_post(b, action, data=None):
    """Posts with a valid CSRF token taken from any page (for actions whose page does
    not show the form, e.g. a transition the page no longer offers)."""
    tok = csrf_of(b.get("/account").text, "/account")
    body = dict(data or {})
    body["_csrf"] = tok
    return b.post(action, body)


def table_snapshot(table, ws):
    """Every row of a table in a workspace, for before/after comparisons."""
    return owner_sql(f"SELECT to_jsonb(t)::text FROM {table} t WHERE workspace_id = %s "
                     "ORDER BY id", (ws,))


def audit_rows(ws, action):
    return owner_sql("SELECT entity_id::text, old_value, new_value, user_id::text FROM audit_logs "
                     "WHERE workspace_id = %s AND action = %s ORDER BY created_at", (ws, action))


def assert_form_refused(b, ws, form_path, action, form, table, message, audit_action=None):
    """Submits the form at form_path to action: 422 naming the problem (message, found in
    the page's text with entities decoded), a well-formed page, the workspace's rows of
    table exactly as before, and no audit row of audit_action."""
    import html
    from test_html import assert_well_formed
    before = table_snapshot(table, ws)
    r = b.submit(form_path, action, form)
    assert r.status_code == 422, (r.status_code, message)
    assert message in html.unescape(r.text), message
    assert_well_formed(f"422 {message}", r.text)
    assert table_snapshot(table, ws) == before
    if audit_action:
        assert audit_rows(ws, audit_action) == []

