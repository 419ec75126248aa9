"""Hostile input through nginx: every form route and the GET pages that read a query string.

Each hostile request must get a 4xx with a Spanish page (never a 5xx, never raw markup
from the input), and must leave the database as it was. The database checks are scoped to
the rows the request could have touched (this test's unique e-mail, workspace marker or
user), so they hold while other tests use the same stack.
"""
import http.client
import re
import types
import urllib.parse
import uuid

import pytest
import requests

import dbutil
from web import BASE, Browser, csrf_of, signup, unique_email

PASSWORD = "clave-segura-1"
FORM_CT = {"Content-Type": "application/x-www-form-urlencoded"}

# The Spanish messages the product answers hostile input with.
MSG_BAD_FORM = "El formulario llegó incompleto o mal formado."
MSG_BAD_REQUEST = "La solicitud no es válida."
MSG_CSRF = "El formulario caducó o no es válido."
MSG_BAD_CHARS = "Contiene caracteres no válidos."
MSG_BAD_EMAIL = "Escribe un correo electrónico válido."
MSG_BAD_PATH = "Dirección no válida."
MSG_APP_413 = "El envío supera el máximo de 1 MB."
MSG_NGINX_413 = "supera el tamaño máximo permitido (10 MB)"

SCRIPT = '"\'><script>alert(1)</script>'


# --- helpers -------------------------------------------------------------------------

def owner_scalar(sql, *args):
    with dbutil.connected("rm_owner") as conn:
        return dbutil.scalar(conn, sql, args)


def snapshot(email=None, marker=None, user_id=None):
    """What a hostile request must not change: users with `email`, workspaces whose name
    holds `marker`, and the sessions and row of `user_id`."""
    snap = {}
    with dbutil.connected("rm_owner") as conn:
        if email is not None:
            snap["users"] = dbutil.scalar(
                conn, "SELECT count(*) FROM users WHERE lower(email) = lower(%s)", (email,))
        if marker is not None:
            snap["workspaces"] = dbutil.scalar(
                conn, "SELECT count(*) FROM workspaces WHERE strpos(name, %s) > 0", (marker,))
            snap["users_named"] = dbutil.scalar(
                conn, "SELECT count(*) FROM users WHERE strpos(name, %s) > 0", (marker,))
        if user_id is not None:
            snap["sessions"] = dbutil.scalar(
                conn, "SELECT count(*) FROM sessions WHERE user_id = %s", (user_id,))
            snap["user_row"] = dbutil.query(
                conn, "SELECT name, email, password_hash, updated_at FROM users WHERE id = %s",
                (user_id,))
    return snap


def user_id_of(email):
    uid = owner_scalar("SELECT id::text FROM users WHERE email = %s", email)
    assert uid, email
    return uid


class RawResponse:
    """The parts of a requests.Response the checks here read."""

    def __init__(self, method, url, resp):
        self.status_code = resp.status
        self.headers = requests.structures.CaseInsensitiveDict(resp.getheaders())
        self.set_cookies = resp.headers.get_all("Set-Cookie") or []
        self.text = resp.read().decode("utf-8", "replace")
        self.request = types.SimpleNamespace(method=method, url=url)


def send_raw(browser, method, raw_target, body=None, headers=None):
    """Sends the request target byte for byte, with the browser's cookies: requests and
    urllib3 would re-quote a bad percent escape (%zz becomes %25zz), so it would never
    reach the program."""
    u = urllib.parse.urlsplit(BASE)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    try:
        h = dict(headers or {})
        jar = "; ".join(f"{c.name}={c.value}" for c in browser.s.cookies)
        if jar:
            h["Cookie"] = jar
        conn.request(method, raw_target, body=body, headers=h)
        return RawResponse(method, BASE + raw_target, conn.getresponse())
    finally:
        conn.close()


def assert_spanish_4xx(r, *phrases, status=None):
    """A 4xx HTML page in Spanish that says one of `phrases`, without raw markup or NUL
    from the input."""
    where = f"{r.request.method} {r.request.url[:200]}"
    assert r.status_code < 500, f"{where}: got {r.status_code}"
    if status is not None:
        assert r.status_code == status, f"{where}: expected {status}, got {r.status_code}"
    assert 400 <= r.status_code < 500, f"{where}: got {r.status_code}"
    assert r.headers.get("Content-Type", "").startswith("text/html"), (where, r.headers)
    assert '<html lang="es">' in r.text, f"{where}: not a Spanish page: {r.text[:300]!r}"
    assert any(p in r.text for p in phrases), \
        f"{where}: none of {phrases!r} in the page: {r.text[:1500]!r}"
    assert_no_raw_input(r)


def assert_no_raw_input(r):
    low = r.text.lower()
    assert "<script" not in low, f"raw <script> in the page: {r.text[:2000]!r}"
    assert "\x00" not in r.text, "a NUL byte came back in the page"
    assert "alert(1)\">" not in r.text


def no_injected_headers(r):
    loc = r.headers.get("Location", "")
    assert "\r" not in loc and "\n" not in loc, repr(loc)
    raw_cookies = r.set_cookies if isinstance(r, RawResponse) \
        else r.raw.headers.getlist("Set-Cookie")
    for c in raw_cookies:
        assert "\r" not in c and "\n" not in c, repr(c)
        assert not c.strip().lower().startswith("x="), f"injected cookie: {c!r}"
    for name in r.headers:
        assert name.lower() != "x", r.headers


def assert_local_location(r):
    """If r redirects, it stays on this site."""
    loc = r.headers.get("Location")
    if loc is None:
        return
    assert "\r" not in loc and "\n" not in loc and "\t" not in loc, repr(loc)
    assert loc.startswith("/") and not loc.startswith("//") and not loc.startswith("/\\"), loc
    target = urllib.parse.urlsplit(urllib.parse.urljoin(BASE + "/login", loc))
    assert target.netloc == urllib.parse.urlsplit(BASE).netloc, loc


def encode(fields):
    """urlencodes a list of (name, value) pairs, values given already %-encoded when they
    are bytes (so hostile escapes go through untouched)."""
    out = []
    for name, value in fields:
        n = name if isinstance(name, bytes) else urllib.parse.quote_plus(name).encode()
        v = value if isinstance(value, bytes) else urllib.parse.quote_plus(value).encode()
        out.append(n + b"=" + v)
    return b"&".join(out)


def fresh_page_csrf(browser, path):
    page = browser.get(path)
    assert page.status_code == 200, (path, page.status_code)
    return csrf_of(page.text, path)


@pytest.fixture
def account():
    """A fresh owner (own workspace), signed out, and their e-mail and id."""
    b = Browser()
    r, email = signup(b, password=PASSWORD)
    assert r.status_code == 303, r.status_code
    return email, user_id_of(email)


@pytest.fixture
def signed_in():
    """A fresh owner, signed in: (browser, email, user id)."""
    b = Browser()
    r, email = signup(b, password=PASSWORD)
    assert r.status_code == 303, r.status_code
    return b, email, user_id_of(email)


def stack_still_answers():
    r = Browser().get("/login")
    assert r.status_code == 200, f"/login after a hostile request: {r.status_code}"


# --- POST /login ---------------------------------------------------------------------

# (id, fields beyond the CSRF token; EMAIL and PW are replaced by the account's, phrases)
LOGIN_422 = [
    ("script-in-email", [("email", SCRIPT + "@x.ec"), ("password", "PW")], (MSG_BAD_EMAIL,)),
    ("nul-in-email", [("email", b"EMAIL%00"), ("password", "PW")], (MSG_BAD_CHARS, MSG_BAD_EMAIL)),
    # "clave\0basura" must not be taken as "clave" by a C string compare.
    ("nul-after-password", [("email", "EMAIL"), ("password", b"PW%00basura")], (MSG_BAD_CHARS,)),
    ("long-email", [("email", "a" * 10000 + "@x.ec"), ("password", "PW")],
     (MSG_BAD_EMAIL, "Máximo")),
    ("long-password", [("email", "EMAIL"), ("password", "p" * 10000)], ("Máximo",)),
    ("utf8-c328-email", [("email", b"a%C3%28b@x.ec"), ("password", "PW")],
     (MSG_BAD_CHARS, MSG_BAD_EMAIL)),
    ("utf8-ff-password", [("email", "EMAIL"), ("password", b"PW%FF")], (MSG_BAD_CHARS,)),
]


def _fill(fields, email):
    out = []
    for name, value in fields:
        if isinstance(value, bytes):
            value = value.replace(b"EMAIL", urllib.parse.quote_plus(email).encode()) \
                         .replace(b"PW", PASSWORD.encode())
        else:
            value = email if value == "EMAIL" else PASSWORD if value == "PW" else value
        out.append((name, value))
    return out


@pytest.mark.parametrize("case", LOGIN_422, ids=[c[0] for c in LOGIN_422])
def test_login_invalid_fields_are_422_and_sign_nobody_in(account, case):
    _, fields, phrases = case
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    r = b.post("/login", encode([("_csrf", tok)] + _fill(fields, email)), headers=FORM_CT)
    assert_spanish_4xx(r, *phrases, status=422)
    assert "Location" not in r.headers
    assert b.cookie("rm_session") is None
    no_injected_headers(r)
    assert snapshot(email=email, user_id=uid) == before


# The hidden `next` is not something the user typed or can correct: an invalid one is
# dropped and the user lands on the home page. It must never reach the Location header.
LOGIN_BAD_NEXT = [
    ("nul-in-next", b"/%00x"),
    ("long-next", ("/" + "a" * 10000).encode()),
    ("utf8-overlong-next", b"/%C0%AF"),
    ("crlf-next", b"/%0d%0aSet-Cookie:x=y"),
    ("offsite-next", b"//evil.example/"),
]


@pytest.mark.parametrize("case", LOGIN_BAD_NEXT, ids=[c[0] for c in LOGIN_BAD_NEXT])
def test_login_with_invalid_next_goes_home(account, case):
    _, raw_next = case
    email, _ = account
    b = Browser()
    tok = fresh_page_csrf(b, "/login")
    r = b.post("/login", encode([("_csrf", tok)] + _fill(
        [("email", "EMAIL"), ("password", "PW"), ("next", raw_next)], email)), headers=FORM_CT)
    assert r.status_code == 303, r.status_code
    assert r.headers["Location"] == "/"
    no_injected_headers(r)
    assert b.cookie("rm_session") is not None


def test_login_quotes_and_script_in_next_come_back_escaped(account):
    email, uid = account
    b = Browser()
    tok = fresh_page_csrf(b, "/login")
    nxt = "/\"><script>alert(1)</script>"
    r = b.post("/login", {"_csrf": tok, "email": email, "password": "mala-clave",
                          "next": nxt})
    assert_spanish_4xx(r, "Correo o contraseña incorrectos.", status=401)
    # The value survives the round trip, escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "&quot;&gt;" in r.text or "&#34;&gt;" in r.text


# (id, raw body after "_csrf=TOKEN&", phrases)
BAD_BODIES = [
    ("bad-escape-zz", b"email=a%zz@x.ec&password=PW", (MSG_BAD_FORM,)),
    ("bad-escape-trailing", b"email=EMAIL&password=PW%", (MSG_BAD_FORM,)),
    ("bad-escape-one-digit", b"email=EMAIL&password=PW%4", (MSG_BAD_FORM,)),
    ("bad-escape-in-name", b"em%zzail=EMAIL&password=PW", (MSG_BAD_FORM,)),
    ("nul-in-name", b"em%00ail=EMAIL&password=PW", (MSG_BAD_FORM,)),
    ("nul-in-name-tail", b"email=EMAIL&password=PW&password%00=x", (MSG_BAD_FORM,)),
    ("300-fields", b"email=EMAIL&password=PW&" + b"&".join(b"f%d=1" % i for i in range(300)),
     (MSG_BAD_FORM,)),
]


@pytest.mark.parametrize("case", BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_login_malformed_body_is_400(account, case):
    _, raw, phrases = case
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    body = b"_csrf=" + tok.encode() + b"&" + raw.replace(
        b"EMAIL", urllib.parse.quote_plus(email).encode()).replace(b"PW", PASSWORD.encode())
    r = b.post("/login", body, headers=FORM_CT)
    assert_spanish_4xx(r, *phrases, status=400)
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, user_id=uid) == before


def test_login_body_over_app_limit_is_413_from_the_program(account):
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    body = encode([("_csrf", tok), ("email", email), ("password", PASSWORD)]) + \
        b"&relleno=" + b"a" * (2 << 20)
    r = b.post("/login", body, headers=FORM_CT)
    # The program's own page (in the layout), not nginx's.
    assert_spanish_4xx(r, MSG_APP_413, status=413)
    assert "Código 413" in r.text
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, user_id=uid) == before
    stack_still_answers()


def test_login_body_over_nginx_limit_is_413_from_www(account):
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    body = encode([("_csrf", tok), ("email", email), ("password", PASSWORD)]) + \
        b"&relleno=" + b"a" * (11 << 20)
    try:
        r = b.post("/login", body, headers=FORM_CT)
    except requests.ConnectionError as e:      # nginx may close before reading it all
        pytest.fail(f"nginx closed the connection instead of answering 413: {e}")
    assert_spanish_4xx(r, MSG_NGINX_413, status=413)
    assert "Envío demasiado grande" in r.text     # www/413.html, not the program's page
    assert "Código 413" not in r.text
    assert snapshot(email=email, user_id=uid) == before
    stack_still_answers()


MULTIPART_CASES = [
    ("boundary-mismatch", "multipart/form-data; boundary=abc",
     b"--xyz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nEMAIL\r\n--xyz--\r\n"),
    ("no-boundary-param", "multipart/form-data",
     b"--abc\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nEMAIL\r\n--abc--\r\n"),
    ("empty-boundary", "multipart/form-data; boundary=",
     b"--\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nEMAIL\r\n----\r\n"),
    ("unterminated", "multipart/form-data; boundary=abc",
     b"--abc\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nEMAIL"),
    ("overlong-boundary", "multipart/form-data; boundary=" + "b" * 200,
     b"--" + b"b" * 200 + b"\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx\r\n"),
    ("bad-part-header", "multipart/form-data; boundary=abc",
     b"--abc\r\nContent-Disposition form-data name=email\r\n\r\nEMAIL\r\n--abc--\r\n"),
]


@pytest.mark.parametrize("case", MULTIPART_CASES, ids=[c[0] for c in MULTIPART_CASES])
def test_login_broken_multipart_is_4xx(account, case):
    _, ctype, body = case
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    # The page's own token is the broken body's part, so a parser that took the body for
    # a form would pass the CSRF check: only the body's refusal (400) passes this test,
    # not a 403 from the CSRF check.
    body = body.replace(b'name="email"\r\n\r\nEMAIL', b'name="_csrf"\r\n\r\n' + tok.encode())
    r = b.post("/login", body, headers={"Content-Type": ctype})
    assert_spanish_4xx(r, MSG_BAD_FORM, status=400)
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, user_id=uid) == before


@pytest.mark.parametrize("ctype", ["application/json", "text/plain", "application/octet-stream",
                                   "multipart/form-data; boundary=abc"])
def test_login_content_type_lie_is_4xx(account, ctype):
    """A good urlencoded login, labelled as something else: never read as a form."""
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    body = encode([("_csrf", tok), ("email", email), ("password", PASSWORD)])
    r = b.post("/login", body, headers={"Content-Type": ctype})
    assert_spanish_4xx(r, MSG_CSRF, MSG_BAD_FORM)
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, user_id=uid) == before


def test_login_json_labelled_as_form_is_4xx(account):
    email, uid = account
    b = Browser()
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/login")
    # With a valid token, so that only the JSON's not being read as fields can refuse it:
    # the form then has no email and no password (422), and nobody is signed in.
    body = ('{"email": "%s", "password": "%s"}&_csrf=%s' % (email, PASSWORD, tok)).encode()
    r = b.post("/login", body, headers=FORM_CT)
    assert_spanish_4xx(r, "Este campo es obligatorio.", status=422)
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, user_id=uid) == before


# --- POST /signup --------------------------------------------------------------------

def signup_fields(marker, email_address, over=None):
    f = {"workspace": f"Clínica {marker}", "name": f"Dra. {marker}", "email": email_address,
         "password": PASSWORD, "password2": PASSWORD}
    f.update(over or {})
    return list(f.items())


SIGNUP_422 = [
    # A good workspace name with markup, but a bad e-mail: the page echoes it, escaped.
    ("script-in-workspace", {"workspace": "Clínica MARK " + SCRIPT, "email": "no-es-correo"},
     (MSG_BAD_EMAIL,)),
    ("nul-in-workspace", {"workspace": b"Cl%C3%ADnica+MARK%00x"}, (MSG_BAD_CHARS,)),
    ("nul-in-name", {"name": b"Dra.+MARK%00x"}, (MSG_BAD_CHARS,)),
    ("nul-in-email", {"email": b"EMAIL%00"}, (MSG_BAD_CHARS, MSG_BAD_EMAIL)),
    ("nul-in-password", {"password": b"PW%00x", "password2": b"PW%00x"}, (MSG_BAD_CHARS,)),
    ("long-workspace", {"workspace": "MARK" + "w" * 10000}, ("Máximo 120 caracteres.",)),
    ("long-name", {"name": "MARK" + "n" * 10000}, ("Máximo 120 caracteres.",)),
    ("long-email", {"email": "e" * 10000 + "@x.ec"}, (MSG_BAD_EMAIL, "Máximo")),
    ("long-password", {"password": "p" * 10000, "password2": "p" * 10000}, ("Máximo",)),
    ("utf8-c328-workspace", {"workspace": b"MARK%C3%28"}, (MSG_BAD_CHARS,)),
    ("utf8-ff-name", {"name": b"MARK%FF"}, (MSG_BAD_CHARS,)),
    ("utf8-overlong-name", {"name": b"MARK%C0%AF"}, (MSG_BAD_CHARS,)),
    ("crlf-in-workspace", {"workspace": b"MARK%0d%0aX"}, (MSG_BAD_CHARS,)),
]


@pytest.mark.parametrize("case", SIGNUP_422, ids=[c[0] for c in SIGNUP_422])
def test_signup_invalid_fields_are_422_and_create_nothing(case):
    _, over, phrases = case
    marker = "H" + uuid.uuid4().hex[:10]
    email = unique_email("hostile")
    sub = {}
    for k, v in over.items():
        if isinstance(v, bytes):
            v = v.replace(b"MARK", marker.encode()).replace(
                b"EMAIL", urllib.parse.quote_plus(email).encode()).replace(b"PW", PASSWORD.encode())
        else:
            v = v.replace("MARK", marker)
        sub[k] = v
    b = Browser()
    before = snapshot(email=email, marker=marker)
    assert before == {"users": 0, "workspaces": 0, "users_named": 0}
    tok = fresh_page_csrf(b, "/signup")
    r = b.post("/signup", encode([("_csrf", tok)] + signup_fields(marker, email, sub)),
               headers=FORM_CT)
    assert_spanish_4xx(r, *phrases, status=422)
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, marker=marker) == before
    if case[0] == "script-in-workspace":
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


SIGNUP_400 = [
    ("bad-escape-zz", b"&workspace=Cl%zznica"),
    ("bad-escape-trailing", b"&name=Ana%"),
    ("nul-in-name", b"&work%00space=X"),
    ("300-fields", b"&" + b"&".join(b"g%d=2" % i for i in range(300))),
]


@pytest.mark.parametrize("case", SIGNUP_400, ids=[c[0] for c in SIGNUP_400])
def test_signup_malformed_body_is_400(case):
    marker = "H" + uuid.uuid4().hex[:10]
    email = unique_email("hostile")
    b = Browser()
    before = snapshot(email=email, marker=marker)
    tok = fresh_page_csrf(b, "/signup")
    body = encode([("_csrf", tok)] + signup_fields(marker, email)) + case[1]
    r = b.post("/signup", body, headers=FORM_CT)
    assert_spanish_4xx(r, MSG_BAD_FORM, status=400)
    assert b.cookie("rm_session") is None
    assert snapshot(email=email, marker=marker) == before


def test_signup_oversized_and_mislabelled_bodies():
    marker = "H" + uuid.uuid4().hex[:10]
    email = unique_email("hostile")
    b = Browser()
    before = snapshot(email=email, marker=marker)
    tok = fresh_page_csrf(b, "/signup")
    good = encode([("_csrf", tok)] + signup_fields(marker, email))
    r = b.post("/signup", good + b"&relleno=" + b"z" * (2 << 20), headers=FORM_CT)
    assert_spanish_4xx(r, MSG_APP_413, status=413)
    r = b.post("/signup", good, headers={"Content-Type": "application/json"})
    assert_spanish_4xx(r, MSG_CSRF, MSG_BAD_FORM)
    r = b.post("/signup", good, headers={"Content-Type": "multipart/form-data; boundary=q"})
    assert_spanish_4xx(r, MSG_BAD_FORM, MSG_CSRF)
    assert snapshot(email=email, marker=marker) == before


# --- POST /account (signed in) --------------------------------------------------------

ACCOUNT_422 = [
    # Markup in the name with the wrong current password: echoed escaped, nothing saved.
    ("script-in-name-wrong-password", {"name": "Ana " + SCRIPT, "current_password": "mala"},
     ("La contraseña actual no es correcta.",)),
    ("nul-in-name", {"name": b"Ana%00x"}, (MSG_BAD_CHARS,)),
    ("nul-after-current-password", {"current_password": b"PW%00x"}, (MSG_BAD_CHARS,)),
    ("nul-in-new-password", {"new_password": b"clave-nueva-1%00x",
                             "new_password2": b"clave-nueva-1%00x"}, (MSG_BAD_CHARS,)),
    ("long-name", {"name": "n" * 10000}, ("Máximo 120 caracteres.",)),
    ("long-new-password", {"new_password": "p" * 10000, "new_password2": "p" * 10000},
     ("Máximo",)),
    ("utf8-c328-name", {"name": b"Ana%C3%28"}, (MSG_BAD_CHARS,)),
    ("utf8-ff-name", {"name": b"Ana%FF"}, (MSG_BAD_CHARS,)),
    ("utf8-overlong-name", {"name": b"Ana%C0%AF"}, (MSG_BAD_CHARS,)),
    ("crlf-in-name", {"name": b"Ana%0d%0aSet-Cookie:x=y"}, (MSG_BAD_CHARS,)),
]


@pytest.mark.parametrize("case", ACCOUNT_422, ids=[c[0] for c in ACCOUNT_422])
def test_account_invalid_fields_are_422_and_save_nothing(signed_in, case):
    _, over, phrases = case
    b, email, uid = signed_in
    fields = {"name": "Dra. Cambiada", "current_password": PASSWORD}
    for k, v in over.items():
        fields[k] = v.replace(b"PW", PASSWORD.encode()) if isinstance(v, bytes) else v
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/account")
    r = b.post("/account", encode([("_csrf", tok)] + list(fields.items())), headers=FORM_CT)
    assert_spanish_4xx(r, *phrases, status=422)
    no_injected_headers(r)
    assert snapshot(email=email, user_id=uid) == before
    if case[0].startswith("script"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    # Still signed in, with the old password.
    assert b.get("/account").status_code == 200


ACCOUNT_400 = [
    ("bad-escape-zz", b"&name=Ana%zz"),
    ("bad-escape-trailing", b"&x=%"),
    ("nul-in-name", b"&na%00me=Ana"),
    ("300-fields", b"&" + b"&".join(b"k%d=v" % i for i in range(300))),
]


@pytest.mark.parametrize("case", ACCOUNT_400, ids=[c[0] for c in ACCOUNT_400])
def test_account_malformed_body_is_400(signed_in, case):
    b, email, uid = signed_in
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/account")
    body = encode([("_csrf", tok), ("name", "Dra. Cambiada"),
                   ("current_password", PASSWORD)]) + case[1]
    r = b.post("/account", body, headers=FORM_CT)
    assert_spanish_4xx(r, MSG_BAD_FORM, status=400)
    assert snapshot(email=email, user_id=uid) == before


def test_account_oversized_broken_and_mislabelled_bodies(signed_in):
    b, email, uid = signed_in
    before = snapshot(email=email, user_id=uid)
    tok = fresh_page_csrf(b, "/account")
    good = encode([("_csrf", tok), ("name", "Dra. Cambiada"), ("current_password", PASSWORD)])
    r = b.post("/account", good + b"&relleno=" + b"z" * (2 << 20), headers=FORM_CT)
    assert_spanish_4xx(r, MSG_APP_413, status=413)
    r = b.post("/account", good, headers={"Content-Type": "text/plain"})
    assert_spanish_4xx(r, MSG_CSRF, MSG_BAD_FORM)
    r = b.post("/account", b"--a\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nX",
               headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert_spanish_4xx(r, MSG_BAD_FORM, MSG_CSRF)
    assert snapshot(email=email, user_id=uid) == before


def test_account_markup_in_a_saved_name_is_escaped_everywhere(signed_in):
    """A name with markup is legitimate input: stored as typed, shown escaped."""
    b, email, uid = signed_in
    name = "Ana " + SCRIPT
    r = b.submit("/account", "/account", {"name": name, "current_password": PASSWORD})
    assert r.status_code == 303, r.status_code
    assert owner_scalar("SELECT name FROM users WHERE id = %s", uid) == name
    for path in ("/", "/account"):
        page = b.get(path)
        assert page.status_code == 200
        assert_no_raw_input(page)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path


def test_signup_markup_in_workspace_name_is_escaped_on_every_page():
    b = Browser()
    ws = "Clínica " + SCRIPT
    r, _ = signup(b, workspace=ws, name="Dr. " + SCRIPT)
    assert r.status_code == 303
    for path in ("/", "/account"):
        page = b.get(path)
        assert page.status_code == 200
        assert_no_raw_input(page)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text, path
    assert_no_raw_input(b.get("/no-existe"))


# --- GET pages with query strings ------------------------------------------------------

GET_400 = [
    ("bad-escape-zz", "next=%zz"),
    ("bad-escape-trailing", "next=/a%"),
    ("bad-escape-one-digit", "next=/a%4"),
    ("nul-in-name", "ne%00xt=/"),
    ("300-fields", "&".join(f"q{i}=1" for i in range(300))),
]


@pytest.mark.parametrize("path", ["/login", "/signup", "/no-existe"])
@pytest.mark.parametrize("case", GET_400, ids=[c[0] for c in GET_400])
def test_get_with_malformed_query_is_400(path, case):
    r = send_raw(Browser(), "GET", f"{path}?{case[1]}")
    assert_spanish_4xx(r, MSG_BAD_REQUEST, status=400)


@pytest.mark.parametrize("path", ["/", "/account"])
@pytest.mark.parametrize("case", GET_400, ids=[c[0] for c in GET_400])
def test_get_signed_in_with_malformed_query_is_400(signed_in, path, case):
    b, email, uid = signed_in
    before = snapshot(email=email, user_id=uid)
    r = send_raw(b, "GET", f"{path}?{case[1]}")
    assert_spanish_4xx(r, MSG_BAD_REQUEST, status=400)
    assert snapshot(email=email, user_id=uid) == before


GET_BAD_VALUES = [
    ("nul", "/%00x"),
    ("utf8-c328", "/%C3%28"),
    ("utf8-ff", "/%FF"),
    ("utf8-overlong", "/%C0%AF"),
    ("script", "/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"),
    ("crlf", "/%0d%0aSet-Cookie:x=y"),
]


@pytest.mark.parametrize("case", GET_BAD_VALUES, ids=[c[0] for c in GET_BAD_VALUES])
def test_get_login_bad_next_values_are_never_reflected_raw(case):
    """An invalid `next` on the login link is dropped (the page still offers the form);
    markup in a valid one comes back escaped."""
    r = send_raw(Browser(), "GET", f"/login?next={case[1]}")
    assert r.status_code < 500, r.status_code
    assert r.status_code in (200, 400, 422), r.status_code
    assert '<html lang="es">' in r.text
    assert ("Iniciar sesión" if r.status_code == 200 else MSG_BAD_REQUEST) in r.text
    assert_no_raw_input(r)
    no_injected_headers(r)
    m = re.search(r'<input type="hidden" name="next" value="([^"]*)">', r.text)
    if m and case[0] != "script":
        assert m.group(1) == "", f"invalid next echoed: {m.group(1)!r}"


def test_get_with_10000_char_query_is_a_spanish_4xx():
    """A 10 000-character query string: whoever answers (program or nginx), the answer is
    a 4xx page in Spanish."""
    r = Browser().get("/login?next=/" + "a" * 10000)
    # nginx refuses the request line (414, www/400.html) before any program sees it.
    assert_spanish_4xx(r, "Solicitud", status=414)
    assert 'value="/aaaa' not in r.text


def test_get_signed_in_pages_ignore_hostile_query_values(signed_in):
    b, email, uid = signed_in
    before = snapshot(email=email, user_id=uid)
    for q in ("saved=%3Cscript%3E", "saved=%00", "saved=%FF", "saved=" + "9" * 5000,
              "x=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"):
        for path in ("/", "/account"):
            r = send_raw(b, "GET", f"{path}?{q}")
            assert r.status_code in (200, 400, 422), (path, q, r.status_code)
            assert '<html lang="es">' in r.text
            assert_no_raw_input(r)
            if path == "/account":
                assert "Cambios guardados." not in r.text, q
    assert snapshot(email=email, user_id=uid) == before


# --- header injection and open redirects through `next` ---------------------------------

CRLF_NEXTS = ["/%0d%0aSet-Cookie:x=y", "/%0aSet-Cookie:x=y", "/%0dSet-Cookie:x=y",
              "%0d%0aSet-Cookie:x=y", "/%E5%98%8A%E5%98%8DSet-Cookie:x=y"]


@pytest.mark.parametrize("raw_next", CRLF_NEXTS)
def test_crlf_in_next_never_reaches_headers(account, raw_next):
    email, uid = account
    # POST /login with the right password.
    b = Browser()
    tok = fresh_page_csrf(b, "/login")
    body = encode([("_csrf", tok), ("email", email), ("password", PASSWORD),
                   ("next", raw_next.encode())])
    r = b.post("/login", body, headers=FORM_CT)
    assert r.status_code in (303, 422), r.status_code
    no_injected_headers(r)
    assert_local_location(r)
    if r.status_code == 422:
        assert_spanish_4xx(r, MSG_BAD_PATH, MSG_BAD_CHARS)
    # GET /login?next=... when already signed in redirects to next.
    s = Browser()
    assert s.login(email, PASSWORD).status_code == 303
    r = send_raw(s, "GET", f"/login?next={raw_next}")
    assert r.status_code in (200, 303, 400), r.status_code
    no_injected_headers(r)
    assert_local_location(r)
    # A guest's request for a protected page carries the query into next, encoded.
    r = send_raw(Browser(), "GET", f"/?a={raw_next}")
    assert r.status_code in (303, 400), r.status_code
    no_injected_headers(r)
    assert_local_location(r)


def test_crlf_in_path_never_reaches_headers():
    r = send_raw(Browser(), "GET", "/%0d%0aSet-Cookie:x=y")
    assert 400 <= r.status_code < 500, r.status_code
    no_injected_headers(r)
    assert_local_location(r)
    r = send_raw(Browser(), "GET", "/account%0d%0aSet-Cookie:x=y")
    assert 300 <= r.status_code < 500, r.status_code
    no_injected_headers(r)
    assert_local_location(r)


OFFSITE = ["//evil.example/", "///evil.example/", "/\\evil.example/", "\\\\evil.example/",
           "http://evil.example/", "https://evil.example/", "https:evil.example",
           "javascript:alert(1)", "/\t/evil.example/", " //evil.example/",
           "evil.example", "//evil.example/%2F.."]


@pytest.mark.parametrize("nxt", OFFSITE)
def test_offsite_next_never_redirects_off_site(account, nxt):
    email, uid = account
    b = Browser()
    r = b.login(email, PASSWORD, next_path=nxt)
    assert r.status_code in (303, 422), r.status_code
    assert_local_location(r)
    if r.status_code == 422:
        assert_spanish_4xx(r, MSG_BAD_PATH, MSG_BAD_CHARS)
    s = Browser()
    assert s.login(email, PASSWORD).status_code == 303
    r = s.get("/login", params={"next": nxt})
    assert r.status_code in (200, 303), r.status_code
    assert_local_location(r)


def test_oversized_cookie_header_is_a_spanish_4xx():
    """A 16 KB Cookie header (over nginx's header buffers): a 4xx page in Spanish, as for
    every other refusal, not nginx's English default."""
    r = send_raw(Browser(), "GET", "/login", headers={"Cookie": "a=b; " * 3000})
    assert r.status_code < 500, r.status_code
    assert_spanish_4xx(r, MSG_BAD_REQUEST, "Solicitud", "demasiado")


@pytest.mark.parametrize("cookie", ["rm_session=zz%00", 'rm_session="x"; rm_session=y',
                                    "rm_session=" + "f" * 64, "rm_session=\x7f\x01",
                                    "rm_session=" + "a" * 4000])
def test_garbage_session_cookie_is_a_guest(cookie):
    r = send_raw(Browser(), "GET", "/?a=1", headers={"Cookie": cookie})
    assert r.status_code in (303, 400), r.status_code
    if r.status_code == 303:
        assert r.headers["Location"].startswith("/login?next="), r.headers["Location"]
    else:
        assert_spanish_4xx(r, MSG_BAD_REQUEST)
