"""Users (issue 6): the OWNER adds users with a one-time set-password link, changes their
roles and deactivates them; the last owner stays. Through nginx, reading the data back."""
import hashlib
import re

import pytest
from selenium.webdriver.common.by import By

import dbutil
from browser import browser, current_path, sign_in, submit_form  # noqa: F401
from test_html import assert_well_formed
from web import BASE, Browser, DEMO_EMAIL, csrf_of, signup, unique_email

LINK_RE = re.compile(r'value="(https?://[^"/]+)?(/users/password/([0-9a-f]{64}))"')
PASSWORD = "clave-nueva-123"


def owner_rows(sql, *args):
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall() if cur.description else None


def new_owner():
    """A fresh workspace and its signed-in owner (tests do not disturb the demo data)."""
    b = Browser()
    r, email = signup(b)
    assert r.status_code == 303
    return b, email


def user_id(email):
    return owner_rows("SELECT id::text FROM users WHERE email = %s", email)[0][0]


def add_user(owner, role="DOCTOR", name="Dra. Invitada"):
    """Adds a user through the form; returns (email, link path, token)."""
    email = unique_email(role.lower())
    r = owner.submit("/users", "/users", {"name": name, "email": email, "role": role})
    assert r.status_code == 200, r.text
    m = LINK_RE.search(r.text)
    assert m, "the page shows the set-password link"
    return email, m.group(2), m.group(3)


def post_from(b, page_path, action, data):
    """Posts data to action with the CSRF token of the page at page_path (the /users list
    carries one token for all its forms; a guest's token is the same on every page)."""
    page = b.get(page_path)
    assert page.status_code == 200, page.status_code
    return b.post(action, {**data, "_csrf": csrf_of(page.text)})


def set_password(path, password=PASSWORD, password2=None):
    return post_from(Browser(), "/login", path,
                     {"password": password, "password2": password2 or password})


def active_user(owner, role="DOCTOR"):
    email, path, _ = add_user(owner, role)
    assert set_password(path).status_code == 200
    return email


def audit_actions(entity_id):
    return [a for (a,) in owner_rows(
        "SELECT action FROM audit_logs WHERE entity_id = %s AND action LIKE 'user.%%'"
        " ORDER BY created_at, action",
        entity_id)]


def test_added_user_gets_a_link_shown_once_and_stored_only_as_a_hash():
    owner, owner_email = new_owner()
    email, path, token = add_user(owner, "RECEPTIONIST", "Ana Recepción")
    uid = user_id(email)
    rows = owner_rows(
        "SELECT u.role::text, u.name, u.workspace_id = o.workspace_id, t.purpose,"
        "       t.token_hash = sha256(%s::bytea), t.used_at IS NULL,"
        "       t.expires_at - t.created_at"
        "  FROM users u JOIN user_tokens t ON t.user_id = u.id"
        "  JOIN users o ON o.email = %s WHERE u.email = %s",
        token.encode(), owner_email, email)
    assert len(rows) == 1
    role, name, same_ws, purpose, hash_ok, unused, valid_for = rows[0]
    assert (role, name, same_ws, purpose, hash_ok, unused) == (
        "RECEPTIONIST", "Ana Recepción", True, "INVITE", True, True)
    assert valid_for.total_seconds() == 72 * 3600
    # The raw token is in no column of the table.
    dump = owner_rows("SELECT t::text FROM user_tokens t WHERE user_id = %s", uid)[0][0]
    assert token not in dump
    # The list does not show it again, and the new user cannot sign in yet.
    listing = owner.get("/users")
    assert email in listing.text and token not in listing.text
    assert "sin contraseña aún" in listing.text
    assert Browser().login(email, PASSWORD).status_code == 401
    assert audit_actions(uid) == ["user.create"]


def test_set_password_link_works_once():
    owner, _ = new_owner()
    email, path, _ = add_user(owner)
    guest = Browser()
    page = guest.get(path)
    assert page.status_code == 200 and email in page.text
    assert "no-store" in page.headers.get("Cache-Control")
    # A mismatch is refused and leaves the link usable.
    r = set_password(path, PASSWORD, "otra-cosa-123")
    assert r.status_code == 422 and "Las contraseñas no coinciden." in r.text
    assert owner_rows("SELECT used_at IS NULL FROM user_tokens t JOIN users u ON u.id = t.user_id"
                      " WHERE u.email = %s", email) == [(True,)]

    r = set_password(path)
    assert r.status_code == 200 and "Tu contraseña quedó guardada" in r.text
    hash_before = owner_rows("SELECT password_hash FROM users WHERE email = %s", email)
    assert hash_before[0][0].startswith("$2b$")
    assert Browser().login(email, PASSWORD).status_code == 303

    # Used: the page and the form answer 404, and the password stays.
    assert Browser().get(path).status_code == 404
    r = set_password(path, "tercera-clave-1")
    assert r.status_code == 404 and "ya se usó o caducó" in r.text
    assert owner_rows("SELECT password_hash FROM users WHERE email = %s", email) == hash_before
    assert audit_actions(user_id(email)) == ["user.create", "user.password_set"]


def test_set_password_link_expires_after_72_hours():
    owner, _ = new_owner()
    email, path, _ = add_user(owner)
    uid = user_id(email)
    # 71 hours later it still works...
    owner_rows("UPDATE user_tokens SET created_at = created_at - interval '71 hours',"
               " expires_at = expires_at - interval '71 hours' WHERE user_id = %s", uid)
    assert Browser().get(path).status_code == 200
    # ... and past 72 hours it does not, for the page nor the form.
    owner_rows("UPDATE user_tokens SET created_at = created_at - interval '61 minutes',"
               " expires_at = expires_at - interval '61 minutes' WHERE user_id = %s", uid)
    assert Browser().get(path).status_code == 404
    hash_before = owner_rows("SELECT password_hash FROM users WHERE id = %s", uid)
    assert set_password(path).status_code == 404
    assert owner_rows("SELECT password_hash FROM users WHERE id = %s", uid) == hash_before


def test_new_link_replaces_the_old_one():
    owner, _ = new_owner()
    email, old_path, _ = add_user(owner)
    uid = user_id(email)
    r = post_from(owner, "/users", f"/users/{uid}/link", {})
    assert r.status_code == 200
    new_path = LINK_RE.search(r.text).group(2)
    assert new_path != old_path
    assert Browser().get(old_path).status_code == 404
    assert Browser().get(new_path).status_code == 200
    assert owner_rows("SELECT purpose FROM user_tokens WHERE user_id = %s", uid) == [("RESET",)]


@pytest.mark.parametrize("path", ["/users/password/abc", "/users/password/" + "g" * 64,
                                  "/users/password/" + "0" * 64])
def test_bad_set_password_tokens_get_404(path):
    assert Browser().get(path).status_code == 404
    assert set_password(path).status_code == 404


def test_email_used_in_any_workspace_is_refused():
    owner, owner_email = new_owner()
    count = owner_rows("SELECT count(*) FROM users")
    for taken in (DEMO_EMAIL, owner_email.upper()):
        r = owner.submit("/users", "/users", {"name": "Otra Persona", "email": taken,
                                              "role": "DOCTOR"})
        assert r.status_code == 422
        assert "Este correo ya está registrado" in r.text
    assert owner_rows("SELECT count(*) FROM users") == count


def test_unknown_role_is_refused():
    owner, _ = new_owner()
    email = unique_email("x")
    r = owner.submit("/users", "/users", {"name": "Otra Persona", "email": email, "role": "ADMIN"})
    assert r.status_code == 422 and "Elige un rol de la lista." in r.text
    assert owner_rows("SELECT count(*) FROM users WHERE email = %s", email) == [(0,)]


def test_owner_changes_a_role_and_it_is_audited():
    owner, _ = new_owner()
    email, _, _ = add_user(owner, "DOCTOR")
    uid = user_id(email)
    r = post_from(owner, "/users", f"/users/{uid}/role", {"role": "RECEPTIONIST"})
    assert r.status_code == 303 and r.headers["Location"] == "/users?saved=1"
    assert owner_rows("SELECT role::text FROM users WHERE id = %s", uid) == [("RECEPTIONIST",)]
    assert owner_rows(
        "SELECT old_value->>'role', new_value->>'role' FROM audit_logs"
        " WHERE entity_id = %s AND action = 'user.role'", uid) == [("DOCTOR", "RECEPTIONIST")]


def test_last_owner_cannot_be_demoted_or_deactivated():
    owner, owner_email = new_owner()
    uid = user_id(owner_email)
    before = owner_rows("SELECT role::text, deactivated_at FROM users WHERE id = %s", uid)
    r = post_from(owner, "/users", f"/users/{uid}/role", {"role": "DOCTOR"})
    assert r.status_code == 422 and "al menos un propietario activo" in r.text
    r = post_from(owner, "/users", f"/users/{uid}/deactivate", {})
    assert r.status_code == 422 and "al menos un propietario activo" in r.text
    assert owner_rows("SELECT role::text, deactivated_at FROM users WHERE id = %s", uid) == before
    assert audit_actions(uid) == []

    # With a second (active) owner the first may step down.
    active_user(owner, "OWNER")
    r = post_from(owner, "/users", f"/users/{uid}/role", {"role": "DOCTOR"})
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert owner_rows("SELECT role::text FROM users WHERE id = %s", uid) == [("DOCTOR",)]
    assert owner.get("/users").status_code == 403


def test_a_deactivated_owner_does_not_count_as_the_other_owner():
    owner, owner_email = new_owner()
    second = active_user(owner, "OWNER")
    assert post_from(owner, "/users", f"/users/{user_id(second)}/deactivate", {}).status_code == 303
    uid = user_id(owner_email)
    r = post_from(owner, "/users", f"/users/{uid}/role", {"role": "DOCTOR"})
    assert r.status_code == 422
    assert owner_rows("SELECT role::text FROM users WHERE id = %s", uid) == [("OWNER",)]


def test_deactivation_ends_sessions_at_once_and_blocks_sign_in():
    owner, _ = new_owner()
    email = active_user(owner, "DOCTOR")
    uid = user_id(email)
    staff = Browser()
    assert staff.login(email, PASSWORD).status_code == 303
    account = staff.get("/account")
    assert account.status_code == 200
    old_cookie = staff.cookie("rm_session")

    r = post_from(owner, "/users", f"/users/{uid}/deactivate", {})
    assert r.status_code == 303
    assert owner_rows("SELECT deactivated_at IS NOT NULL FROM users WHERE id = %s", uid) == [(True,)]
    assert owner_rows("SELECT count(*) FROM sessions WHERE user_id = %s", uid) == [(0,)]
    assert "user.deactivate" in audit_actions(uid)

    # The old cookie opens nothing: pages send to the login, a form post is refused.
    assert staff.cookie("rm_session") == old_cookie
    r = staff.get("/account")
    assert r.status_code == 303 and r.headers["Location"].startswith("/login")
    r = staff.post("/account", {"_csrf": csrf_of(account.text, "/account"), "name": "Otro",
                                "current_password": PASSWORD})
    assert r.status_code in (303, 403)
    assert owner_rows("SELECT name FROM users WHERE id = %s", uid) == [("Dra. Invitada",)]
    # Nor can they sign in again.
    r = Browser().login(email, PASSWORD)
    assert r.status_code == 401 and "Correo o contraseña incorrectos." in r.text

    # Reactivated, they can.
    assert post_from(owner, "/users", f"/users/{uid}/reactivate", {}).status_code == 303
    assert Browser().login(email, PASSWORD).status_code == 303


def test_a_session_row_of_a_deactivated_user_is_not_honoured():
    """Second wall: even a session row left behind opens nothing once the user is
    deactivated (the lookup skips them)."""
    owner, _ = new_owner()
    email = active_user(owner, "DOCTOR")
    staff = Browser()
    assert staff.login(email, PASSWORD).status_code == 303
    owner_rows("UPDATE users SET deactivated_at = now() WHERE email = %s", email)
    assert staff.get("/account").status_code == 303


def test_another_workspaces_user_is_404_and_unchanged():
    owner_a, _ = new_owner()
    owner_b, _ = new_owner()
    email_b, path_b, _ = add_user(owner_b, "DOCTOR")
    uid_b = user_id(email_b)
    before = owner_rows("SELECT role::text, deactivated_at FROM users WHERE id = %s", uid_b)
    for action, data in (("role", {"role": "OWNER"}), ("deactivate", {}), ("reactivate", {}),
                         ("link", {})):
        r = post_from(owner_a, "/users", f"/users/{uid_b}/{action}", data)
        assert r.status_code == 404, action
    assert owner_rows("SELECT role::text, deactivated_at FROM users WHERE id = %s", uid_b) == before
    assert owner_rows("SELECT count(*) FROM user_tokens WHERE user_id = %s", uid_b) == [(1,)]
    assert email_b not in owner_a.get("/users").text
    assert post_from(owner_a, "/users", "/users/not-a-uuid/role", {"role": "OWNER"}).status_code == 404


def test_users_pages_are_well_formed_html():
    owner, _ = new_owner()
    email, path, _ = add_user(owner, "DOCTOR")
    assert_well_formed("/users", owner.get("/users").text)
    r = owner.submit("/users", "/users", {"name": "X", "email": "no-es-correo", "role": "DOCTOR"})
    assert r.status_code == 422
    assert_well_formed("/users (422)", r.text)
    r = post_from(owner, "/users", f"/users/{user_id(email)}/link", {})
    assert_well_formed("/users/:id/link", r.text)
    new_path = LINK_RE.search(r.text).group(2)
    assert_well_formed("/users/password/:token", Browser().get(new_path).text)
    assert_well_formed("/users/password/:token (422)", set_password(new_path, "corta").text)
    assert_well_formed("/users/password/:token (done)", set_password(new_path).text)


def test_chromium_invite_set_password_and_sign_in(browser):  # noqa: F811
    owner, owner_email = new_owner()
    # The owner's part runs in Chromium too: sign in, add the user, read the link.
    browser.get(BASE + "/login")
    assert sign_in(browser, BASE, owner_email, "clave-segura-1") == "/"
    browser.get(BASE + "/users")
    email = unique_email("chromium")
    submit_form(browser, "/users", {"name": "Dr. Navegador", "email": email,
                                    "role": "DOCTOR"})
    link = browser.find_element(By.ID, "link").get_attribute("value")
    assert "/users/password/" in link
    browser.delete_all_cookies()

    browser.get(link)
    assert "Dr. Navegador" in browser.find_element(By.TAG_NAME, "main").text
    submit_form(browser, link[link.index("/users/password/"):],
                {"password": PASSWORD, "password2": PASSWORD})
    assert "Tu contraseña quedó guardada" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.LINK_TEXT, "Iniciar sesión").click()
    assert sign_in(browser, BASE, email, PASSWORD) == "/"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hola, Dr. Navegador"
    assert current_path(browser, BASE) == "/"


def test_owner_who_deactivates_themself_is_signed_out():
    owner, owner_email = new_owner()
    active_user(owner, "OWNER")
    uid = user_id(owner_email)
    r = post_from(owner, "/users", f"/users/{uid}/deactivate", {})
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert owner_rows("SELECT count(*) FROM sessions WHERE user_id = %s", uid) == [(0,)]
    assert owner.get("/users").status_code == 303


def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    """The workspace row is locked before owners are counted: of two simultaneous
    demotions only one can pass."""
    import threading
    first, first_email = new_owner()
    second_email = active_user(first, "OWNER")
    second = Browser()
    assert second.login(second_email, PASSWORD).status_code == 303
    posts = []
    for b, target in ((first, second_email), (second, first_email)):
        page = b.get("/users")
        posts.append((b, f"/users/{user_id(target)}/role",
                      {"role": "DOCTOR", "_csrf": csrf_of(page.text)}))
    results = [None, None]

    def run(i):
        b, action, data = posts[i]
        results[i] = b.post(action, data).status_code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # One passes. The other is refused: 422 when it counted the owners after the first
    # committed, or 403 when the first had already made its sender a DOCTOR before its
    # request was authorised (which of the two depends only on timing).
    assert results.count(303) == 1 and set(results) - {303} <= {403, 422}, results
    owners = owner_rows("SELECT count(*) FROM users WHERE email IN (%s, %s) AND role = 'OWNER'",
                        first_email, second_email)
    assert owners == [(1,)]
