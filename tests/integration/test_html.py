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


PAGES = [
    ("login", _guest("/login"), 200),
    ("login-with-next", _guest("/login?next=/account"), 200),
    ("signup", _guest("/signup"), 200),
    ("home-owner", _signed_in("/"), 200),
    ("home-demo", _signed_in("/", DEMO_EMAIL, DEMO_PASSWORD), 200),
    ("home-doctor", _signed_in("/", DOCTOR_EMAIL, DEMO_PASSWORD), 200),
    ("account", _signed_in("/account"), 200),
    ("account-saved", _signed_in("/account?saved=1"), 200),
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


def test_every_post_form_on_every_page_has_csrf():
    """The signed-in layout adds the logout form to every page: each one carries _csrf,
    and it is the same token the session accepts."""
    b = Browser()
    r, _ = signup(b)
    assert r.status_code == 303
    for path in ("/", "/account"):
        page = b.get(path)
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


@pytest.mark.parametrize("path", template_files(), ids=os.path.basename)
def test_template_never_turns_escaping_off(path):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            for m in re.finditer(r"\{\{([^}]*)\}\}", line):
                mods = m.group(1).split(":")[1:]
                assert "none" not in [x.strip() for x in mods], \
                    f"{os.path.basename(path)}:{n} uses :none in {m.group(0)}"
                # Other ways to emit raw text: a second AUTOESCAPE pragma switching
                # context, or the pre-escaped modifiers on untrusted data.
                if m.group(1).startswith("%AUTOESCAPE"):
                    assert n == 1, f"{os.path.basename(path)}:{n}: a second AUTOESCAPE"


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
