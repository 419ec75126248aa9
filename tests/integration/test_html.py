"""Every page the product serves is well-formed HTML (Debian's tidy), in Spanish, titled,
and every form that posts carries its CSRF token. The page templates escape by default.

A tidy finding names the rendered line and, where it can be traced, the template line that
produced it, so the fix goes to the right file.
"""
import glob
import html.parser
import os
import re
import subprocess

import pytest

import dbutil
import routes
from test_nav import add_user
from web import BASE, Browser, DEMO_EMAIL, DEMO_PASSWORD, csrf_of, signup, unique_email

TEMPLATES = os.path.join(dbutil.REPO, "templates")
WWW = os.path.join(dbutil.REPO, "www")
DOCTOR_EMAIL = "doctor@reputationmanager.com"

# tidy findings that are not faults in our pages, each with the reason. Anything else tidy
# reports fails the test.
TOLERATED_WARNINGS = (
    # Debian's tidy 5.6 predates these standard attributes: `minlength` on <input> (HTML
    # Living Standard) and `aria-current` (WAI-ARIA 1.1). Only these exact pairs are let
    # through; any other "proprietary attribute" still fails.
    '<input> proprietary attribute "minlength"',
    '<a> proprietary attribute "aria-current"',
)
# Valid HTML, but markup with nothing in it: reported by its own test
# (test_templates_emit_no_empty_elements) so that one finding does not hide the others.
EMPTY_ELEMENT = "trimming empty <"


def tidy(page_html):
    """Runs tidy over the page; returns (errors, warnings) as lists of message lines."""
    p = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "yes", "--gnu-emacs", "no",
                        "-utf8", "-"], input=page_html.encode("utf-8"),
                       capture_output=True, timeout=30)
    assert p.returncode in (0, 1, 2), (p.returncode, p.stderr)
    errors, warnings = [], []
    for line in p.stderr.decode("utf-8", "replace").splitlines():
        if " - Error: " in line or line.startswith("Error:"):
            errors.append(line)
        elif " - Warning: " in line:
            if not any(t in line for t in TOLERATED_WARNINGS):
                warnings.append(line)
    if p.returncode == 2:
        assert errors, p.stderr           # an error we failed to parse still counts
    return errors, warnings


def _template_lines():
    out = []
    for path in sorted(glob.glob(os.path.join(TEMPLATES, "*.tpl"))):
        with open(path, encoding="utf-8") as f:
            for n, text in enumerate(f, 1):
                static = [re.escape(s) for s in re.split(r"\{\{[^}]*\}\}", text.strip())]
                if "".join(static).strip():
                    out.append((os.path.basename(path), n, re.compile(".*".join(static))))
    return out


def where_from(page_html, finding, only=None):
    """'line N: <rendered line>  [from template.tpl:M]' for a tidy finding; `only` limits
    the candidate templates (the page's own and the layout)."""
    m = re.search(r"line (\d+)", finding)
    if not m:
        return finding
    lines = page_html.splitlines()
    n = int(m.group(1))
    rendered = lines[n - 1] if 0 < n <= len(lines) else ""
    sources = [f"{t}:{k}" for t, k, rx in _template_lines() if rendered.strip() and
               (only is None or t in only) and rx.fullmatch(rendered.strip())]
    return f"{finding}\n      rendered line {n}: {rendered.strip()[:200]!r}" + \
        (f"\n      from {', '.join(sources)}" if sources else "")


def assert_well_formed(name, page_html):
    errors, warnings = tidy(page_html)
    warnings = [w for w in warnings if EMPTY_ELEMENT not in w]
    report = "\n".join(where_from(page_html, f) for f in errors + warnings)
    assert not errors, f"{name}: tidy errors:\n{report}"
    assert not warnings, f"{name}: tidy warnings:\n{report}"


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.title = None
        self._in_title = False
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
            self.title = ""
        elif tag == "form":
            self.forms.append({"method": (a.get("method") or "get").lower(),
                               "action": a.get("action"), "hidden": {}})
        elif tag == "input" and self.forms and (a.get("type") or "").lower() == "hidden":
            self.forms[-1]["hidden"][a.get("name")] = a.get("value")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def assert_page_basics(name, page_html):
    p = _Page()
    p.feed(page_html)
    assert page_html.lstrip().lower().startswith("<!doctype html>"), f"{name}: no doctype"
    assert p.html_lang == "es", f"{name}: <html lang> is {p.html_lang!r}"
    assert p.title and p.title.strip(), f"{name}: no <title>"
    for f in p.forms:
        if f["method"] == "post":
            tok = f["hidden"].get("_csrf")
            assert tok and re.fullmatch(r"[0-9a-f]{32,}", tok), \
                f"{name}: form posting to {f['action']!r} has no usable _csrf ({tok!r})"
    return p


# --- the pages --------------------------------------------------------------------------

def _guest(path):
    def get():
        r = Browser().get(path)
        return r
    return get


def _signed_in(path, email=None, password=None):
    def get():
        b = Browser()
        if email:
            assert b.login(email, password).status_code == 303
        else:
            r, _ = signup(b)
            assert r.status_code == 303
        return b.get(path)
    return get


def _csrf_403():
    b = Browser()
    r, _ = signup(b)
    assert r.status_code == 303
    return b.post("/account", {"name": "Otra", "current_password": "clave-segura-1"})


def _signup_422():
    return Browser().submit("/signup", "/signup", {
        "workspace": "A", "name": "", "email": "no-es-correo", "password": "corta",
        "password2": "otra"})


def _account_422():
    b = Browser()
    r, _ = signup(b)
    assert r.status_code == 303
    return b.submit("/account", "/account", {"name": "Dra. Nueva", "current_password": "mal"})


def _login_401():
    return Browser().login(unique_email("nadie"), "no-es-la-clave")


def _login_422():
    return Browser().submit("/login", "/login", {"email": "no-es-correo", "password": "x"})


def _login_429():
    b = Browser()
    email = unique_email("throttle")
    r, _ = signup(Browser(), email=email, password="clave-correcta-9")
    assert r.status_code == 303
    for _ in range(5):
        assert b.login(email, "mala-clave").status_code == 401
    return b.login(email, "mala-clave")


def _bad_form_400():
    b = Browser()
    tok = csrf_of(b.get("/login").text, "/login")
    return b.post("/login", f"_csrf={tok}&email=%zz",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})


def _method_405():
    b = Browser()
    return b.s.put(BASE + "/login", data="x", timeout=30, allow_redirects=False)


def _program_413():
    b = Browser()
    return b.post("/login", b"x=" + b"a" * (2 << 20),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})


def _nginx_413():
    b = Browser()
    return b.post("/login", b"x=" + b"a" * (11 << 20),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})


def _signup_fails_500():
    """A 500 from a real failure, not a test-only switch in the product: a temporary
    CHECK constraint makes the database refuse signup's default templates."""
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "ALTER TABLE templates ADD CONSTRAINT test_html_refuse"
                           " CHECK (workspace_id IS NULL) NOT VALID")
    try:
        r, _ = signup(Browser())
    finally:
        with dbutil.connected("rm_owner") as conn:
            dbutil.query(conn, "ALTER TABLE templates DROP CONSTRAINT test_html_refuse")
    return r


def _as_role(role, path):
    """GET path signed in as a fresh user of role (the owner of a fresh workspace)."""
    def get():
        owner = Browser()
        r, email = signup(owner)
        assert r.status_code == 303
        if role == "OWNER":
            return owner.get(path)
        b = Browser()
        assert b.login(add_user(email, role), DEMO_PASSWORD).status_code == 303
        return b.get(path)
    return get


def is_download(r):
    """A route answering a file (CSV report, JSON export) rather than a page: it must say
    so with an attachment disposition and a data type; the page checks do not apply."""
    if r.status_code != 200 or "attachment" not in r.headers.get("Content-Disposition", ""):
        return False
    assert r.headers["Content-Type"].split(";")[0] in ("text/csv", "application/json"), r.headers
    return True


def route_pages():
    """Every GET route of every program (from `--routes`), as each role sees it: the page
    for the roles it declares, the 403 page for the others; public ones as a guest."""
    pages = []
    for r in routes.all_routes():
        if r.method != "GET" or "NO_CSRF" in r.flags:
            continue    # provider endpoints (signature-checked) are not pages
        path = r.path()     # a parameter gets an id that exists nowhere: the 404 page
        expect = 404 if path != r.pattern else 200
        if r.public:
            pages.append((f"{r.program}:{r.pattern}:guest", _guest(path), expect))
            continue
        for role in ("OWNER", "DOCTOR", "RECEPTIONIST"):
            status = expect if role in r.roles else 403
            pages.append((f"{r.program}:{r.pattern}:{role}", _as_role(role, path), status))
    return pages


PAGES = route_pages() + [
    ("login-with-next", _guest("/login?next=/account"), 200),
    ("home-demo", _signed_in("/", DEMO_EMAIL, DEMO_PASSWORD), 200),
    ("home-doctor", _signed_in("/", DOCTOR_EMAIL, DEMO_PASSWORD), 200),
    ("account-saved", _signed_in("/account?saved=1"), 200),
    ("500-signup", _signup_fails_500, 500),
    ("404", _guest("/no-existe"), 404),
    ("404-signed-in", _signed_in("/no-existe"), 404),
    ("403-csrf", _csrf_403, 403),
    ("422-signup", _signup_422, 422),
    ("422-account", _account_422, 422),
    ("422-login", _login_422, 422),
    ("401-login", _login_401, 401),
    ("429-login", _login_429, 429),
    ("400-bad-form", _bad_form_400, 400),
    ("405", _method_405, 405),
    ("413-program", _program_413, 413),
    ("413-nginx", _nginx_413, 413),
]


@pytest.mark.parametrize("fetch,status", [(f, s) for _, f, s in PAGES],
                         ids=[n for n, _, _ in PAGES])
def test_page_is_well_formed_spanish_html(request, fetch, status):
    name = request.node.callspec.id
    r = fetch()
    assert r.status_code == status, f"{name}: expected {status}, got {r.status_code}"
    if is_download(r):
        return
    assert r.headers.get("Content-Type", "").startswith("text/html"), r.headers
    assert_page_basics(name, r.text)
    assert_well_formed(name, r.text)


@pytest.mark.parametrize("fname", ["413.html", "429.html", "50x.html"])
def test_nginx_static_error_pages_are_well_formed(fname):
    path = os.path.join(WWW, fname)
    with open(path, encoding="utf-8") as f:
        page = f.read()
    assert_page_basics(fname, page)
    assert_well_formed(f"www/{fname}", page)


def test_503_page_when_the_database_is_down_is_well_formed_spanish_html():
    """PostgreSQL stopped for a moment: the programs answer their own 503 page."""
    r = dbutil.db_sh("stop")
    assert r.returncode == 0, r.stderr
    try:
        page = Browser().get("/login")
    finally:
        r = dbutil.db_sh("start")
        assert r.returncode == 0, r.stderr
    assert page.status_code == 503
    assert "El servicio no está disponible" in page.text
    assert_page_basics("503", page.text)
    assert_well_formed("503", page.text)
    assert Browser().get("/login").status_code == 200    # and they come back by themselves


def test_every_post_form_on_every_page_has_csrf():
    """The signed-in layout adds the logout form to every page: each one carries _csrf,
    and it is the same token the session accepts. Every GET page without parameters of
    every program's route table, as the owner."""
    b = Browser()
    r, _ = signup(b)
    assert r.status_code == 303
    paths = [r.pattern for r in routes.all_routes()
             if r.method == "GET" and ":" not in r.pattern and not r.public]
    assert "/" in paths and "/account" in paths
    for path in paths:
        page = b.get(path)
        assert page.status_code == 200, (path, page.status_code)
        if is_download(page):
            continue
        p = assert_page_basics(path, page.text)
        actions = sorted(f["action"] for f in p.forms if f["method"] == "post")
        assert "/logout" in actions, (path, actions)
        if path == "/account":
            assert "/account" in actions
    # The token works: logging out with it succeeds.
    assert b.logout().status_code == 303


# --- the templates ---------------------------------------------------------------------

def template_files():
    files = sorted(glob.glob(os.path.join(TEMPLATES, "*.tpl")))
    assert files, TEMPLATES
    return files


@pytest.mark.parametrize("path", template_files(), ids=os.path.basename)
def test_template_autoescapes_html(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    first = text.splitlines()[0] if text else ""
    assert first.strip() == '{{%AUTOESCAPE context="HTML"}}', \
        f"{os.path.basename(path)}:1 is {first!r}"


# Modifiers a template may use on a value: escaping for a URL query (`:u`, required there)
# and the explicit forms of what autoescape does anyway. Everything else either turns
# escaping off (:none), trusts its input to be escaped already (:p pre_escape,
# :H=snippet, :H=pre), or is a custom modifier: all refused.
ALLOWED_MODIFIERS = {"u", "url_query_escape", "h", "html_escape", "H=attribute",
                     "html_escape_with_arg=attribute", "j", "javascript_escape"}


def escaping_findings(text, name="template"):
    """Every use in text of a modifier outside ALLOWED_MODIFIERS, and every AUTOESCAPE
    pragma after the first line."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        for m in re.finditer(r"\{\{([^}]*)\}\}", line):
            inner = m.group(1)
            if inner.startswith("%AUTOESCAPE"):
                if n != 1:
                    found.append(f"{name}:{n}: a second AUTOESCAPE")
                continue
            if inner[:1] in "#/>!^%":
                continue
            for mod in (x.strip() for x in inner.split(":")[1:]):
                if mod not in ALLOWED_MODIFIERS:
                    found.append(f"{name}:{n}: modifier :{mod} in {m.group(0)}")
    return found


@pytest.mark.parametrize("path", template_files(), ids=os.path.basename)
def test_template_never_turns_escaping_off(path):
    with open(path, encoding="utf-8") as f:
        found = escaping_findings(f.read(), os.path.basename(path))
    assert not found, "\n".join(found)


def test_escaping_check_catches_raw_and_pre_escaped_values():
    bad = ("{{%AUTOESCAPE context=\"HTML\"}}\n<p>{{A:none}} {{B:p}} {{C:pre_escape}}"
           " {{D:H=snippet}} {{E:x-custom}}</p>\n{{%AUTOESCAPE context=\"JAVASCRIPT\"}}")
    found = escaping_findings(bad)
    assert len(found) == 6, found
    assert not escaping_findings('{{%AUTOESCAPE context="HTML"}}\n<a href="/x?q={{Q:u}}">{{T}}</a>')


def test_templates_emit_no_empty_elements():
    """tidy's "trimming empty <span>": the field-error spans are printed even when there is
    no error. Harmless to browsers, but noise to screen readers and to tidy; the fix is a
    section around each span in the template ({{#ERR_x}}...{{/ERR_x}})."""
    b = Browser()
    r, _ = signup(b)
    assert r.status_code == 303
    pages = {"signup": Browser().get("/signup").text, "account": b.get("/account").text,
             "login": Browser().get("/login").text, "home": b.get("/").text}
    found = []
    for name, page in pages.items():
        _, warnings = tidy(page)
        only = (f"{name}.tpl", "layout.tpl")
        found += [f"{name}: {where_from(page, w, only)}" for w in warnings if EMPTY_ELEMENT in w]
    assert not found, "empty elements:\n" + "\n".join(found)


def test_tidy_catches_a_broken_page():
    """The check itself can fail: tidy flags an unclosed element and a missing title."""
    errors, warnings = tidy("<!DOCTYPE html><html lang=\"es\"><head></head><body><p><b>x"
                            "</p></body></html>")
    assert errors or warnings
    errors, warnings = tidy("<!DOCTYPE html><html lang=\"es\"><head><title>t</title></head>"
                            "<body><div><input bogus=\"1\"></body></html>")
    assert warnings, "an unknown attribute must not be tolerated"
