"""Signing up, in and out, through nginx, as a browser would."""
import re
import uuid

import dbutil
from web import BASE, Browser, DEMO_EMAIL, csrf_of, signup, unique_email


def owner_query(sql, *args):
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def test_home_redirects_guests_to_login_with_next():
    b = Browser()
    r = b.get("/?desde=menu")
    assert r.status_code == 303
    assert r.headers["Location"] == "/login?next=%2F%3Fdesde%3Dmenu"


def test_signup_login_home_logout():
    b = Browser()
    r, email = signup(b, workspace="Clínica Dental Sonrisa")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    home = b.get("/")
    assert home.status_code == 200
    assert "Clínica Dental Sonrisa" in home.text
    assert "Gratis" in home.text                      # FREE plan
    assert re.search(r'id="credits-left">50<', home.text)
    for label in ("Inicio", "Campañas", "Pacientes", "Plantillas", "Reportes", "Usuarios", "Cuenta"):
        assert f">{label}</a>" in home.text

    # Signup made the owner and the four default templates in the new workspace.
    rows = owner_query(
        "SELECT u.role::text, w.plan::text, w.message_credits,"
        "       (SELECT count(*) FROM templates t WHERE t.workspace_id = w.id AND t.is_default)"
        "  FROM users u JOIN workspaces w ON w.id = u.workspace_id WHERE u.email = %s", email)
    assert rows == [("OWNER", "FREE", 50, 4)]

    r = b.logout()
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert b.get("/").status_code == 303              # the session is gone

    r = b.login(email, "clave-segura-1")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert b.get("/").status_code == 200
    actions = [a for (a,) in owner_query(
        "SELECT action FROM audit_logs a JOIN users u ON u.id = a.user_id"
        " WHERE u.email = %s ORDER BY a.created_at, a.action", email)]
    assert actions[:3] == ["signup", "logout", "login"]
    assert owner_query("SELECT last_login_at IS NOT NULL FROM users WHERE email = %s", email) == [(True,)]


def test_demo_login_and_next_is_followed_only_when_local():
    b = Browser()
    r = b.login(next_path="/account")
    assert r.status_code == 303 and r.headers["Location"] == "/account"
    b2 = Browser()
    r = b2.login(next_path="//evil.example/")
    # An off-site next counts as absent (it is a hidden field the user cannot correct):
    # signed in, and sent to their landing page, not off the site.
    assert r.status_code == 303 and r.headers["Location"] == "/"


def test_wrong_password_is_refused_and_audited():
    b = Browser()
    _, email = signup(Browser())
    failed = ("SELECT count(*) FROM audit_logs a JOIN users u ON u.id = a.user_id"
              " WHERE a.action = 'login_failed' AND u.email = %s")
    assert owner_query(failed, email) == [(0,)]
    r = b.login(email, "no-es-la-clave")
    assert r.status_code == 401
    assert "Correo o contraseña incorrectos." in r.text
    assert b.cookie("rm_session") is None
    assert owner_query(failed, email) == [(1,)]
    # Unknown e-mail: same answer, no hint that the address does not exist.
    r = b.login("nadie@example.ec", "no-es-la-clave")
    assert r.status_code == 401 and "Correo o contraseña incorrectos." in r.text


def test_login_throttled_after_five_failures():
    b = Browser()
    email = unique_email("throttle")
    b2 = Browser()
    r, _ = signup(b2, email=email, password="clave-correcta-9")
    assert r.status_code == 303
    for _ in range(5):
        assert b.login(email, "mala-clave").status_code == 401
    r = b.login(email, "clave-correcta-9")
    assert r.status_code == 429
    assert "Demasiados intentos" in r.text
    assert b.cookie("rm_session") is None


def test_session_cookie_flags():
    b = Browser()
    r = b.login()
    cookie = [v for k, v in r.headers.items() if k.lower() == "set-cookie" and "rm_session=" in v]
    assert cookie, r.headers
    c = cookie[0]
    assert re.match(r"rm_session=[0-9a-f]{64};", c)
    assert "HttpOnly" in c and "SameSite=Lax" in c and "Path=/" in c
    # The token is stored only as its SHA-256.
    token = b.cookie("rm_session")
    assert owner_query("SELECT count(*) FROM sessions WHERE token_hash = decode(%s, 'hex')", token) == [(0,)]
    assert owner_query(
        "SELECT count(*) FROM sessions WHERE token_hash = sha256(convert_to(%s, 'UTF8'))", token) == [(1,)]


def test_csrf_missing_or_wrong_is_403_and_changes_nothing():
    b = Browser()
    assert b.login().status_code == 303
    before = owner_query("SELECT name FROM users WHERE email = %s", DEMO_EMAIL)
    page = b.get("/account")
    good = csrf_of(page.text, "/account")
    data = {"name": "Nombre Cambiado", "current_password": "demo1234"}
    r = b.post("/account", data)                                   # missing
    assert r.status_code == 403 and "formulario" in r.text
    r = b.post("/account", dict(data, _csrf="0" * 64))             # wrong
    assert r.status_code == 403
    r = b.post("/account", dict(data, _csrf=good[:-1]))            # truncated
    assert r.status_code == 403
    assert owner_query("SELECT name FROM users WHERE email = %s", DEMO_EMAIL) == before
    # A guest form needs its token too.
    g = Browser()
    r = g.post("/signup", {"workspace": "X Clínica", "name": "Ana", "email": unique_email(),
                           "password": "clave-segura-1", "password2": "clave-segura-1"})
    assert r.status_code == 403


def test_account_change_name_and_password():
    b = Browser()
    _, email = signup(b, password="clave-vieja-1")
    r = b.submit("/account", "/account", {"name": "Dra. Nueva", "current_password": "mal"})
    assert r.status_code == 422 and "La contraseña actual no es correcta." in r.text
    r = b.submit("/account", "/account", {
        "name": "Dra. Nueva", "current_password": "clave-vieja-1",
        "new_password": "clave-nueva-2", "new_password2": "clave-nueva-2"})
    assert r.status_code == 303 and r.headers["Location"] == "/account?saved=1"
    assert "Cambios guardados." in b.get("/account?saved=1").text
    assert "Dra. Nueva" in b.get("/").text
    b.logout()
    assert Browser().login(email, "clave-vieja-1").status_code == 401
    assert Browser().login(email, "clave-nueva-2").status_code == 303


def test_signup_duplicate_email_and_bad_fields():
    b = Browser()
    r, email = signup(b)
    assert r.status_code == 303
    r, _ = signup(Browser(), email=email)
    assert r.status_code == 422 and "Ya existe una cuenta con este correo." in r.text
    r = Browser().submit("/signup", "/signup", {
        "workspace": "A", "name": "", "email": "no-es-correo", "password": "corta",
        "password2": "otra"})
    assert r.status_code == 422
    for msg in ("Mínimo 2 caracteres.", "Este campo es obligatorio.",
                "Escribe un correo electrónico válido.", "Mínimo 8 caracteres."):
        assert msg in r.text


def test_security_headers():
    r = Browser().get("/login")
    h = r.headers
    assert "default-src 'self'" in h["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"]
    assert h["Cache-Control"] == "no-store"


def test_unknown_path_and_method():
    b = Browser()
    r = b.get("/no-existe")
    assert r.status_code == 404 and "No encontramos la página" in r.text
    r = b.s.put(BASE + "/login", data="x", timeout=10)
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


def test_password_change_ends_the_users_other_sessions():
    here, there = Browser(), Browser()
    _, email = signup(here, password="clave-vieja-1")
    assert there.login(email, "clave-vieja-1").status_code == 303
    assert there.get("/").status_code == 200
    r = here.submit("/account", "/account", {
        "name": "Dra. Prueba", "current_password": "clave-vieja-1",
        "new_password": "clave-nueva-2", "new_password2": "clave-nueva-2"})
    assert r.status_code == 303
    assert here.get("/").status_code == 200          # the session that changed it stays
    assert there.get("/").status_code == 303         # the other one is gone
    new = owner_query(
        "SELECT a.new_value FROM audit_logs a JOIN users u ON u.id = a.user_id"
        " WHERE u.email = %s AND a.action = 'account.update'", email)
    assert new == [({"name": "Dra. Prueba", "password_changed": True},)]


def test_weaker_hash_is_upgraded_to_bcrypt_at_login():
    import subprocess
    b = Browser()
    _, email = signup(b, password="clave-segura-1")
    b.logout()
    sha512 = subprocess.run(["openssl", "passwd", "-6", "clave-segura-1"], check=True,
                            capture_output=True, text=True).stdout.strip()
    assert sha512.startswith("$6$")
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute("UPDATE users SET password_hash = %s WHERE email = %s", (sha512, email))
    assert Browser().login(email, "clave-segura-1").status_code == 303
    (stored,), = owner_query("SELECT password_hash FROM users WHERE email = %s", email)
    assert stored.startswith("$2b$")
    # The new hash is of the same password: signing in still works.
    assert Browser().login(email, "clave-segura-1").status_code == 303


def test_expired_session_is_a_guest():
    b = Browser()
    assert b.login().status_code == 303
    token = b.cookie("rm_session")
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute("UPDATE sessions SET expires_at = now() - interval '1 second'"
                    " WHERE token_hash = sha256(convert_to(%s, 'UTF8'))", (token,))
        assert cur.rowcount == 1
    r = b.get("/")
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")


def test_logout_needs_post_and_csrf():
    b = Browser()
    assert b.login().status_code == 303
    assert b.get("/logout").status_code == 405
    assert b.post("/logout", {"_csrf": "0" * 64}).status_code == 403
    assert b.get("/").status_code == 200             # still signed in


def _account_data(name="Nombre Cambiado"):
    return {"name": name, "current_password": "demo1234"}


def test_csrf_token_of_another_session_is_refused():
    a, b = Browser(), Browser()
    assert a.login().status_code == 303 and b.login().status_code == 303
    token_a = csrf_of(a.get("/account").text, "/account")
    before = owner_query("SELECT name, updated_at FROM users WHERE email = %s", DEMO_EMAIL)
    r = b.post("/account", dict(_account_data(), _csrf=token_a))
    assert r.status_code == 403
    assert owner_query("SELECT name, updated_at FROM users WHERE email = %s", DEMO_EMAIL) == before
    # The same form with b's own token goes through: only the token was wrong.
    token_b = csrf_of(b.get("/account").text, "/account")
    name = owner_query("SELECT name FROM users WHERE email = %s", DEMO_EMAIL)[0][0]
    assert b.post("/account", dict(_account_data(name), _csrf=token_b)).status_code == 303


def test_guest_csrf_token_is_refused_once_signed_in():
    b = Browser()
    guest_token = csrf_of(b.get("/login").text, "/login")   # bound to the rm_csrf cookie
    assert b.cookie("rm_csrf")
    assert b.login().status_code == 303
    r = b.post("/account", dict(_account_data(), _csrf=guest_token))
    assert r.status_code == 403


def test_x_csrf_token_header_is_accepted_and_checked():
    b = Browser()
    assert b.login().status_code == 303
    token = csrf_of(b.get("/account").text, "/account")
    name = owner_query("SELECT name FROM users WHERE email = %s", DEMO_EMAIL)[0][0]
    r = b.post("/account", _account_data(name), headers={"X-CSRF-Token": "0" * 64})
    assert r.status_code == 403
    r = b.post("/account", _account_data(name), headers={"X-CSRF-Token": token})
    assert r.status_code == 303 and r.headers["Location"] == "/account?saved=1"


def _set_cookie(r, name):
    found = [v for k, v in r.headers.items()
             if k.lower() == "set-cookie" and v.startswith(name + "=")]
    assert len(found) == 1, r.headers
    return found[0]


def test_session_cookie_lasts_the_session_hours_and_logout_expires_it():
    b = Browser()
    c = _set_cookie(b.login(), "rm_session")
    assert "Max-Age=43200" in c                       # RM_SESSION_HOURS default: 12
    assert "Secure" not in c                          # the test instance is RM_ENV=test
    r = b.logout()
    c = _set_cookie(r, "rm_session")
    assert c.startswith("rm_session=;") and "Max-Age=0" in c
    assert b.cookie("rm_session") is None


def test_guest_csrf_cookie_is_a_browser_session_cookie():
    r = Browser().get("/login")
    c = _set_cookie(r, "rm_csrf")
    assert re.match(r"rm_csrf=[0-9a-f]{64};", c)
    assert "HttpOnly" in c and "SameSite=Lax" in c and "Path=/" in c
    assert "Max-Age" not in c and "Expires" not in c  # gone when the browser closes


def test_email_with_non_ascii_capitals_is_normalised_once():
    b = Browser()
    email = f"ÑANDÚ-{uuid.uuid4().hex[:8]}@Clínica.EC"
    r, _ = signup(b, email=email)
    assert r.status_code == 303
    stored = owner_query("SELECT email FROM users WHERE email = %s", email.lower())
    assert stored == [(email.lower(),)]
    r = Browser().login(email.lower(), "clave-segura-1")
    assert r.status_code == 303
    # Beyond Latin-1: refused with a message, never a 500.
    r, _ = signup(Browser(), email=f"ΑΛΦΑ-{uuid.uuid4().hex[:6]}@example.com")
    assert r.status_code == 422 and "letras latinas" in r.text


def test_signup_is_one_transaction_a_failed_step_leaves_nothing():
    """The default templates' step fails (a temporary CHECK refuses them): no workspace,
    no user, no session, no audit row is left behind, and the answer is the 500 page."""
    marker = uuid.uuid4().hex[:10]
    signups = "SELECT count(*) FROM audit_logs WHERE action = 'signup'"
    audited = owner_query(signups)
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "ALTER TABLE templates ADD CONSTRAINT test_refuse_templates"
                           " CHECK (workspace_id IS NULL) NOT VALID")
    try:
        b = Browser()
        r, email = signup(b, workspace=f"Clínica {marker}")
        assert r.status_code == 500 and "No se guardó ningún cambio" in r.text
    finally:
        with dbutil.connected("rm_owner") as conn:
            dbutil.query(conn, "ALTER TABLE templates DROP CONSTRAINT test_refuse_templates")
    assert owner_query("SELECT count(*) FROM workspaces WHERE name = %s", f"Clínica {marker}") == [(0,)]
    assert owner_query("SELECT count(*) FROM users WHERE email = %s", email) == [(0,)]
    assert owner_query(signups) == audited
    assert b.cookie("rm_session") is None
    # The same signup goes through once the step works again.
    r, _ = signup(Browser(), email=email, workspace=f"Clínica {marker}")
    assert r.status_code == 303
