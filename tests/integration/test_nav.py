"""The navigation follows the role (one table in the core), and sign-in lands each role
on its first entry."""
import re
import uuid

import dbutil
from web import Browser, DEMO_PASSWORD, signup, unique_email

# sql/seed.sql's hash of "demo1234".
DEMO_HASH = "$2b$12$Hk8Lk6auA5eYVsoe5ExzyeZYcsCQ6lTxRrJrb1BpkkmiNNFV9OWgO"


def nav_labels(page_html):
    nav = re.search(r'<nav aria-label="Principal">(.*?)</nav>', page_html, re.S)
    assert nav, "no navigation on the page"
    return re.findall(r'<a href="[^"]*"[^>]*>([^<]*)</a>', nav.group(1))


def add_user(workspace_email, role):
    """A user of `role` in the workspace of the owner `workspace_email`; returns the e-mail."""
    email = unique_email(role.lower())
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn,
                     "INSERT INTO users (workspace_id, email, password_hash, name, role)"
                     " SELECT workspace_id, %s, %s, %s, %s FROM users WHERE email = %s",
                     (email, DEMO_HASH, f"Persona {uuid.uuid4().hex[:4]}", role, workspace_email))
    return email


def test_owner_sees_every_entry_in_the_table_order():
    b = Browser()
    signup(b)
    assert nav_labels(b.get("/account").text) == [
        "Inicio", "Campañas", "Pacientes", "Importar", "Consultorios", "Plantillas",
        "Reportes", "Auditoría", "Usuarios", "Cuenta"]


def test_doctor_sees_no_users_and_no_audit():
    b = Browser()
    r = b.login("doctor@reputationmanager.com", DEMO_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"] == "/"
    labels = nav_labels(b.get("/account").text)
    assert "Usuarios" not in labels and "Auditoría" not in labels
    assert labels[0] == "Inicio" and labels[-1] == "Cuenta"


def test_receptionist_lands_on_import_and_sees_only_import_and_account():
    owner = Browser()
    _, owner_email = signup(owner)
    email = add_user(owner_email, "RECEPTIONIST")
    b = Browser()
    r = b.login(email, DEMO_PASSWORD)
    assert r.status_code == 303 and r.headers["Location"] == "/patients/import"
    assert nav_labels(b.get("/account").text) == ["Importar", "Cuenta"]


def test_current_entry_is_marked_on_its_page():
    b = Browser()
    b.login()
    page = b.get("/account").text
    assert '<a href="/account" aria-current="page">Cuenta</a>' in page
    assert page.count('aria-current="page"') == 1
