"""Tenant isolation as a user sees it: through nginx and the programs, one workspace never
shows another's name or figures. (The database-level policies have their own tests; these
check that the app really runs each request scoped to the signed-in workspace.)"""
import re
import uuid

import dbutil
from test_nav import add_user
from web import Browser, DEMO_EMAIL, DEMO_PASSWORD, signup

DOCTOR_EMAIL = "doctor@reputationmanager.com"
DEMO_NAME = "Consultorio Demo"


def figures(page_html):
    """The home page's figures by their Spanish label."""
    return dict(re.findall(
        r'<span class="label">([^<]+)</span><span class="value"[^>]*>([^<]*)</span>', page_html))


def workspace_of(email):
    with dbutil.connected("rm_owner") as conn:
        ws = dbutil.scalar(conn, "SELECT workspace_id::text FROM users WHERE email = %s", (email,))
    assert ws, email
    return ws


def add_practice_and_patients(workspace_id, practices, patients, tag):
    """Gives a workspace figures of its own (as the table owner, outside the app)."""
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        for i in range(practices):
            cur.execute("INSERT INTO practices (workspace_id, name) VALUES (%s, %s)",
                        (workspace_id, f"Sede {tag} {i}"))
        for i in range(patients):
            cur.execute(
                "INSERT INTO patients (workspace_id, name, phone) VALUES (%s, %s, %s)",
                (workspace_id, f"Paciente {tag} {i}", f"+5939{uuid.uuid4().int % 10**8:08d}"))


def signed_up(workspace):
    b = Browser()
    r, email = signup(b, workspace=workspace, name=f"Dra. {workspace}")
    assert r.status_code == 303 and r.headers["Location"] == "/", r.status_code
    return b, email


def test_workspace_a_never_sees_workspace_b():
    tag = uuid.uuid4().hex[:8]
    name_a, name_b = f"Clínica Alfa {tag}", f"Clínica Beta {tag}"
    a, email_a = signed_up(name_a)
    b, email_b = signed_up(name_b)
    add_practice_and_patients(workspace_of(email_b), practices=2, patients=4, tag=tag)

    home_b = b.get("/")
    assert home_b.status_code == 200
    fb = figures(home_b.text)
    assert fb["Consultorio"] == name_b
    assert fb["Pacientes"] == "4" and fb["Consultorios"] == "2", fb

    for path in ("/", "/account"):
        page = a.get(path)
        assert page.status_code == 200, (path, page.status_code)
        assert name_a in page.text, path
        for other in (name_b, f"Dra. {name_b}", email_b, f"Sede {tag}", f"Paciente {tag}",
                      DEMO_NAME):
            assert other not in page.text, f"{path} of workspace A shows {other!r}"
    fa = figures(a.get("/").text)
    assert fa["Consultorio"] == name_a
    # A new workspace: nothing of B's (4 patients, 2 practices) nor of the demo's.
    assert fa["Pacientes"] == "0", fa
    assert fa["Consultorios"] == "0", fa
    assert fa["Campañas activas"] == "0", fa
    assert fa["Solicitudes enviadas (30 días)"] == "0", fa
    assert fa["Créditos de mensajes"] == "50", fa

    # B's session cookie in A's browser shows B, never a mix of the two.
    mixed = Browser()
    mixed.s.cookies.set("rm_session", b.cookie("rm_session"))
    page = mixed.get("/")
    assert page.status_code == 200
    assert name_b in page.text and name_a not in page.text


def demo_count(table_and_condition):
    """count(*) over the demo workspace's rows of "table [WHERE …]"."""
    table, _, condition = table_and_condition.partition(" WHERE ")
    with dbutil.connected("rm_owner") as conn:
        return dbutil.scalar(conn, f"SELECT count(*) FROM {table} WHERE workspace_id = %s"
                             + (f" AND {condition}" if condition else ""),
                             (dbutil.DEMO_WORKSPACE,))


def test_demo_owner_home_shows_the_demo_workspace():
    b = Browser()
    r = b.login(DEMO_EMAIL, DEMO_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"] == "/"
    home = b.get("/")
    assert home.status_code == 200
    f = figures(home.text)
    assert f["Consultorio"] == DEMO_NAME, f
    # The seed plus the demo history (sql/demo_history.sql): counted in the database.
    assert f["Pacientes"] == str(demo_count("patients WHERE data_deleted_at IS NULL")), f
    assert f["Consultorios"] == str(demo_count("practices")) == "2", f
    assert f["Campañas activas"] == str(demo_count("campaigns WHERE status = 'ACTIVE'")) == "1", f
    assert f["Plan"] == "Profesional", f
    assert DEMO_NAME in home.text


def test_doctor_can_sign_in_and_see_home():
    b = Browser()
    r = b.login(DOCTOR_EMAIL, DEMO_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"] == "/", r.status_code
    assert b.cookie("rm_session")
    home = b.get("/")
    assert home.status_code == 200, home.status_code
    assert "Dra. María López" in home.text
    f = figures(home.text)
    assert f["Consultorio"] == DEMO_NAME, f       # the same workspace as the owner
    # ...but the figures of the campaigns she created, as every report she sees: counted
    # here from the rows themselves. Her patients are her campaigns' (erased ones too, as
    # the campaign list counts them).
    mine = f"campaign_id IN (SELECT id FROM campaigns WHERE created_by = '{dbutil.DEMO_DOCTOR}')"
    patients = demo_count(f"patients WHERE {mine}")
    assert 0 < patients < demo_count("patients WHERE data_deleted_at IS NULL")
    assert f["Pacientes"] == str(patients), f
    assert f["Campañas activas"] == str(demo_count(
        f"campaigns WHERE status = 'ACTIVE' AND created_by = '{dbutil.DEMO_DOCTOR}'")), f
    with dbutil.connected("rm_owner") as conn:
        average = dbutil.scalar(conn, "SELECT to_char(avg(rating), 'FM0.0') FROM messages"
                                f" WHERE workspace_id = %s AND {mine}",
                                (dbutil.DEMO_WORKSPACE,))
    assert f["Calificación promedio"] == (average or "—"), f


def test_receptionist_home_shows_no_figures_of_patients_or_ratings():
    r, email = signup(Browser())
    assert r.status_code == 303
    receptionist = Browser()
    assert receptionist.login(add_user(email, "RECEPTIONIST"), DEMO_PASSWORD).status_code == 303
    f = figures(receptionist.get("/").text)
    assert set(f) == {"Consultorio", "Plan", "Créditos de mensajes"}, f


def test_new_workspace_figures_do_not_count_the_demo():
    """Row-level security scopes every count: a fresh workspace's home is all zeros even
    though the demo workspace (and every other test's) has data."""
    b, _ = signed_up(f"Clínica Gamma {uuid.uuid4().hex[:8]}")
    f = figures(b.get("/").text)
    assert (f["Consultorios"], f["Pacientes"], f["Campañas activas"]) == ("0", "0", "0"), f
    assert f["Calificación promedio"] == "—", f
