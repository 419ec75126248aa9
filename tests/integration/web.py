"""Helpers for driving the stack through nginx the way a browser does.

RM_BASE_URL names the test instance (http://127.0.0.1:8081 under make test).
"""
import html.parser
import os
import random
import uuid

import requests
from requests.adapters import HTTPAdapter

BASE = os.environ.get("RM_BASE_URL", "http://127.0.0.1:8081")
DEMO_EMAIL = "demo@reputationmanager.com"
DEMO_PASSWORD = "demo1234"


class _Forms(html.parser.HTMLParser):
    """Collects the hidden inputs of every form, in order."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "fields": {}})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")


def forms(page_html):
    p = _Forms()
    p.feed(page_html)
    return p.forms


def csrf_of(page_html, action=None):
    for f in forms(page_html):
        if action is None or f["action"] == action:
            if "_csrf" in f["fields"]:
                return f["fields"]["_csrf"]
    raise AssertionError(f"no CSRF token in a form for {action!r}")


class Browser:
    """A requests session that follows the product's forms: GET the page, then POST the
    form with the CSRF token the page carried."""

    def __init__(self):
        self.s = requests.Session()

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        return self.s.get(BASE + path, timeout=30, **kw)

    def post(self, path, data, **kw):
        kw.setdefault("allow_redirects", False)
        return self.s.post(BASE + path, data=data, timeout=30, **kw)

    def submit(self, page_path, action, data, **kw):
        """Loads page_path and posts data to action with that page's CSRF token."""
        page = self.get(page_path)
        assert page.status_code == 200, page.status_code
        body = dict(data)
        body["_csrf"] = csrf_of(page.text, action)
        return self.post(action, body, **kw)

    def login(self, email=DEMO_EMAIL, password=DEMO_PASSWORD, next_path=None):
        data = {"email": email, "password": password}
        if next_path:
            data["next"] = next_path
        return self.submit("/login", "/login", data)

    def logout(self):
        home = self.get("/")
        return self.post("/logout", {"_csrf": csrf_of(home.text, "/logout")})

    def cookie(self, name):
        return self.s.cookies.get(name)


def unique_email(tag="user"):
    return f"{tag}-{uuid.uuid4().hex[:12]}@example.ec"


class SourceAdapter(HTTPAdapter):
    """Connections that leave from a chosen loopback address (any 127.x.y.z), so that
    nginx and the programs see a client of their own: REMOTE_ADDR is the source address."""
    def __init__(self, source, **kw):
        self._source = source
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self._source, 0)
        super().init_poolmanager(*args, **kw)


def fresh_loopback_address():
    return "127.%d.%d.%d" % tuple(random.randint(1, 254) for _ in range(3))


def signup(browser, email=None, password="clave-segura-1", workspace=None, name="Dra. Prueba"):
    """Signs up a new clinic. Each clinic signs up from an address of its own, as real
    clinics do: the per-address signup limits (nginx and the application) are then met
    only by the tests that aim at them, not by the suite's many fixtures."""
    if not getattr(browser, "source", None):   # a test that chose an address keeps it
        browser.source = fresh_loopback_address()
        browser.s.mount("http://", SourceAdapter(browser.source))
    email = email or unique_email("owner")
    r = browser.submit("/signup", "/signup", {
        "workspace": workspace or f"Clínica {uuid.uuid4().hex[:6]}",
        "name": name, "email": email, "password": password, "password2": password,
    })
    return r, email
