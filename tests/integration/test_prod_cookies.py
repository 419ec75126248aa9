"""In production (RM_ENV=prod) every cookie the programs set is Secure.

The test instance runs RM_ENV=test (plain http on loopback), so this starts one more auth
process in prod mode on its own socket, with the instance's other settings, and speaks
FastCGI to it directly."""
import os
import re
import socket
import subprocess
import time
import urllib.parse

import routes
from test_smuggling import nv, record
from web import DEMO_EMAIL, DEMO_PASSWORD, csrf_of


def fastcgi(sock_path, method, path, cookie="", body=b""):
    """One request over a fresh connection; returns (headers, body) of the answer."""
    params = {"REQUEST_METHOD": method, "DOCUMENT_URI": path, "REQUEST_URI": path,
              "QUERY_STRING": "", "REMOTE_ADDR": "127.0.0.1", "HTTP_COOKIE": cookie,
              "CONTENT_LENGTH": str(len(body)) if body else "",
              "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else ""}
    req = (record(1, 1, b"\0\1\0\0\0\0\0\0") + record(4, 1, b"".join(nv(k, v) for k, v in params.items()))
           + record(4, 1) + (record(5, 1, body) if body else b"") + record(5, 1))
    out = b""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(10)
        s.connect(sock_path)
        s.sendall(req)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    while data:
        rtype, clen, pad = data[1], (data[4] << 8) | data[5], data[6]
        if rtype == 6:
            out += data[8:8 + clen]
        data = data[8 + clen + pad:]
    head, _, page = out.partition(b"\r\n\r\n")
    headers = [tuple(h.split(": ", 1)) for h in head.decode().split("\r\n")]
    return headers, page.decode()


def cookies(headers):
    return [v for k, v in headers if k.lower() == "set-cookie"]


def test_cookies_are_secure_in_prod(tmp_path):
    state = os.environ["RM_STATE"]
    pid = open(os.path.join(state, "run", "auth.pid")).read().split()[0]
    env = dict(v.split("=", 1) for v in
               open(f"/proc/{pid}/environ", "rb").read().decode().split("\0") if "=" in v)
    env["RM_ENV"] = "prod"
    sock = str(tmp_path / "auth-prod.sock")
    proc = subprocess.Popen(["spawn-fcgi", "-n", "-s", sock, "--", routes.binary("auth")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        headers, page = fastcgi(sock, "GET", "/login")
        [csrf_cookie] = cookies(headers)
        assert csrf_cookie.startswith("rm_csrf=") and "; Secure" in csrf_cookie
        token = csrf_of(page, "/login")
        jar = csrf_cookie.split(";")[0]
        body = urllib.parse.urlencode({"_csrf": token, "email": DEMO_EMAIL,
                                       "password": DEMO_PASSWORD}).encode()
        headers, _ = fastcgi(sock, "POST", "/login", cookie=jar, body=body)
        session = [c for c in cookies(headers) if c.startswith("rm_session=")]
        assert session and "; Secure" in session[0] and "HttpOnly" in session[0], headers
        assert re.search(r"Max-Age=\d+", session[0])
    finally:
        proc.terminate()
        proc.wait(timeout=10)
