"""What nginx adds to every answer, whoever serves it: the security headers on every
location, the trusted-proxy setting (off by default), and the programs' log files."""
import glob
import os
import re
import socket
import stat
import subprocess
import uuid

import pytest
import requests

import dbutil
from web import BASE, Browser, DEMO_EMAIL, signup

HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
TEMPLATE = os.path.join(dbutil.REPO, "nginx", "nginx.conf.in")


def raw(request_bytes):
    """Sends raw HTTP bytes; returns the status and the headers (lowercased names)."""
    host, port = BASE.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(request_bytes)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    return status, {k.lower(): v.strip() for k, v in (h.split(":", 1) for h in head[1:])}


def _get(path):
    return lambda: requests.get(BASE + path, timeout=20, allow_redirects=False)


def _until_429(path):
    """Requests path until nginx's limit_req answers 429 (the test instance's signup zone:
    600 r/m, burst 50), at most 400 times."""
    with requests.Session() as s:
        for _ in range(400):
            r = s.get(BASE + path, timeout=20)
            if r.status_code == 429:
                return r
    raise AssertionError("limit_req never answered 429")


# One request answered by each location of nginx/nginx.conf.in (and by its error pages).
LOCATIONS = {
    "= /400.html": lambda: raw(b"GET /% HTTP/1.1\r\nHost: x\r\n\r\n"),
    "= /413.html": lambda: raw(b"POST /login HTTP/1.1\r\nHost: x\r\n"
                               b"Content-Length: 20000000\r\n\r\n"),
    "= /429.html": lambda: _until_429("/signup"),
    # A 502/504 needs a dead program: covered by test_no_location_has_an_add_header_of_its_own.
    "= /50x.html": None,
    "/static/": _get("/static/app.css"),
    "= /login": _get("/login"),
    "= /signup": _get("/signup"),
    "~ ^/(signup|logout|account|users)(/|$)": _get("/account"),
    "~ ^/(campaigns|practices|templates)(/|$)": _get("/campaigns"),
    "~ ^/patients(/|$)": _get("/patients"),
    "~ ^/patients/import/[^/]+/confirm$": _get("/patients/import/x/confirm"),
    "/hooks/": _get("/hooks/no-such-hook"),
    "~ ^/[rfu]/": _get("/f/no-such-token"),
    "/": _get("/"),
    "= /_bench/static": _get("/_bench/static"),
}


def template_locations():
    with open(TEMPLATE) as f:
        return re.findall(r"^\s*location\s+(.+?)\s*\{", f.read(), re.M)


def test_every_location_of_the_template_is_listed_here():
    assert sorted(template_locations()) == sorted(LOCATIONS)


def test_no_location_has_an_add_header_of_its_own():
    """nginx drops every inherited add_header in a location that has one of its own
    (that is how /static/ lost two headers): headers live at the server level only."""
    with open(TEMPLATE) as f:
        text = f.read()
    for m in re.finditer(r"^\s*location\s+(.+?)\s*\{(.*?)^\s*\}", text, re.M | re.S):
        assert "add_header" not in m.group(2), f"location {m.group(1)} has add_header"


@pytest.mark.parametrize("where", [k for k, v in LOCATIONS.items() if v], ids=str)
def test_every_location_answers_with_every_security_header(where):
    got = LOCATIONS[where]()
    status, headers = got if isinstance(got, tuple) else (
        got.status_code, {k.lower(): v for k, v in got.headers.items()})
    assert status < 500 or where == "= /50x.html", (where, status)
    for name, part in HEADERS.items():
        assert part in headers.get(name.lower(), ""), (where, status, name, headers)


def test_trusted_proxy_is_off_by_default_and_forwarded_for_is_ignored():
    state = os.environ["RM_STATE"]
    with open(os.path.join(state, "nginx", "real_ip.conf")) as f:
        assert f.read().strip() == ""
    email = f"proxy-{uuid.uuid4().hex[:8]}@example.ec"
    r = requests.post(BASE + "/login", data={"email": email, "password": "x"}, timeout=20,
                      headers={"X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 403        # no CSRF token; still a request the programs saw
    b = Browser()
    b.s.headers["X-Forwarded-For"] = "203.0.113.9"
    b.login(email, "no-es-la-clave")
    with dbutil.connected("rm_owner") as conn:
        ips = dbutil.query(conn, "SELECT host(ip_address) FROM login_attempts WHERE email = %s",
                           (email,))
    assert ips == [("127.0.0.1",)]


def test_trusted_proxy_setting_writes_real_ip_and_refuses_garbage():
    env = dict(os.environ, RM_TRUSTED_PROXY="10.1.2.0/24",
               TEST_PORT=os.environ["RM_BASE_URL"].rsplit(":", 1)[1])
    out = subprocess.run([os.path.join(dbutil.REPO, "scripts", "stack.sh"), "nginx-conf", "test"],
                         env=env, capture_output=True, text=True)
    try:
        assert out.returncode == 0, out.stderr
        assert "set_real_ip_from 10.1.2.0/24;" in out.stdout
        assert "real_ip_header X-Forwarded-For;" in out.stdout
        env["RM_TRUSTED_PROXY"] = "10.0.0.0/8; include /etc/passwd"
        bad = subprocess.run([os.path.join(dbutil.REPO, "scripts", "stack.sh"), "nginx-conf",
                              "test"], env=env, capture_output=True, text=True)
        assert bad.returncode != 0 and "RM_TRUSTED_PROXY" in bad.stderr
    finally:
        # Put the instance's own (empty) setting back.
        env.pop("RM_TRUSTED_PROXY")
        subprocess.run([os.path.join(dbutil.REPO, "scripts", "stack.sh"), "nginx-conf", "test"],
                       env=env, capture_output=True, text=True)


def test_program_logs_are_not_world_readable_and_hold_no_personal_data():
    email = f"privado-{uuid.uuid4().hex[:8]}@example.ec"
    b = Browser()
    r, _ = signup(b, email=email)
    assert r.status_code == 303
    Browser().login(email, "no-es-la-clave")
    signup(Browser(), email=email)          # "already exists"
    logs = glob.glob(os.path.join(os.environ["RM_STATE"], "log", "*.log"))
    programs = [l for l in logs if not os.path.basename(l).startswith(("nginx", "postgresql"))]
    assert programs
    for log in programs:
        mode = stat.S_IMODE(os.stat(log).st_mode)
        assert mode & 0o007 == 0, f"{log} is world-readable ({oct(mode)})"
        with open(log, errors="replace") as f:
            text = f.read()
        assert email not in text and DEMO_EMAIL not in text, log


def _upload_routes():
    import routes
    return [r for r in routes.all_routes() if "UPLOAD" in r.flags] or [None]


@pytest.mark.parametrize("route", _upload_routes(), ids=str)
def test_upload_routes_take_up_to_10_mib_and_no_more(route):
    """RM_MAX_UPLOAD (10 MiB) on upload routes, RM_MAX_BODY (1 MiB) elsewhere: 2 MiB is
    not refused for size on an upload route; over 10 MiB nginx answers its 413 page."""
    if route is None:
        pytest.skip("no program declares an upload route yet")
    b = Browser()
    r, _ = signup(b)
    assert r.status_code == 303
    ctype = {"Content-Type": "multipart/form-data; boundary=x"}
    r = b.post(route.path(), b"--x--\r\n" + b"a" * (2 << 20), headers=ctype)
    assert r.status_code != 413, r.status_code
    r = b.post(route.path(), b"a" * ((10 << 20) + 1), headers=ctype)
    assert r.status_code == 413
