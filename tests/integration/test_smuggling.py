"""A request body is never read as the next request on a kept FastCGI connection.

An attacker's body holds forged FastCGI records (BEGIN_REQUEST, PARAMS, STDIN). When a
program answers early (400, 404, 405, 413) without reading the body, and libfcgi does
not drain it, the next accept on that kept connection parses the rest of the body as
records: a request nginx never sent. The records are preceded by a sled of empty records
for an unused request id (libfcgi skips those), so whatever record boundary the parser
starts from it reaches the forged request; where the parser starts depends on the size
of nginx's PARAMS, so each body is sent eight times, shifted by 0 to 7 bytes.

Detection: the forged request's path is unique and the programs log every request's path;
it must never appear in any program's log.
"""
import concurrent.futures
import glob
import os
import time
import uuid

import pytest
import requests

import routes
from web import BASE, Browser, DEMO_EMAIL

FCGI_BEGIN_REQUEST, FCGI_PARAMS, FCGI_STDIN = 1, 4, 5

# A path of each program's nginx location that matches none of its routes.
NOT_A_ROUTE = {
    "auth": "/account/no-such-page",
    "campaigns": "/campaigns/no-such-page",
    "patients": "/patients/no-such-page",
    "reports": "/no-such-page",
    "webhooks": "/hooks/no-such-page",
}


def record(rtype, request_id, content=b""):
    pad = -len(content) % 8
    head = bytes([1, rtype, request_id >> 8, request_id & 0xFF, len(content) >> 8,
                  len(content) & 0xFF, pad, 0])
    return head + content + b"\0" * pad


def nv(name, value):
    def n(x):
        return bytes([len(x)]) if len(x) < 128 else (len(x) | 0x80000000).to_bytes(4, "big")
    name, value = name.encode(), value.encode()
    return n(name) + n(value) + name + value


def forged_request(path, request_id=2, method="GET"):
    params = b"".join(nv(k, v) for k, v in [
        ("REQUEST_METHOD", method), ("DOCUMENT_URI", path), ("REQUEST_URI", path),
        ("QUERY_STRING", ""), ("REMOTE_ADDR", "6.6.6.6"), ("CONTENT_LENGTH", "")])
    return (record(FCGI_BEGIN_REQUEST, request_id, b"\0\1\1\0\0\0\0\0")
            + record(FCGI_PARAMS, request_id, params) + record(FCGI_PARAMS, request_id)
            + record(FCGI_STDIN, request_id))


# STDIN records for a request id nobody uses: libfcgi skips them. The second (empty) one
# is also the content of the first, so a parser starting at either 8-byte half of the
# unit skips its way to the next unit with its skip state reset (an empty skipped record
# alone would leave it set, and the forged BEGIN_REQUEST's body would be skipped too).
SLED = record(FCGI_STDIN, 0x7F7F, record(FCGI_STDIN, 0x7F7F))


def smuggling_body(size, tail, shift=0):
    """About size bytes: shift bytes of junk, a sled of skippable records, then tail
    (the forged records)."""
    assert len(tail) < size - 16
    return b"x" * shift + SLED * ((size - len(tail)) // 16 - 1) + tail


def send_shifted(method, path, size, tail):
    """Sends the body eight times, shifted by 0 to 7 bytes; returns the responses."""
    return [requests.request(method, BASE + path, data=smuggling_body(size, tail, k),
                             timeout=20, allow_redirects=False,
                             headers={"Content-Type": "application/octet-stream"})
            for k in range(8)]


def marker():
    return f"/SMUGGLED-{uuid.uuid4().hex}"


def program_logs():
    text = ""
    for f in glob.glob(os.path.join(os.environ["RM_STATE"], "log", "*.log")):
        with open(f, errors="replace") as fh:
            text += fh.read()
    return text


def assert_never_executed(mark, program_path):
    # More requests to the same program than it has processes: each kept connection is
    # used again, which is when a leftover body would be parsed.
    for _ in range(6):
        requests.get(BASE + program_path, timeout=10, allow_redirects=False)
    deadline = time.monotonic() + 0.2
    while time.monotonic() < deadline:
        assert mark not in program_logs(), f"the forged request {mark} was executed"
        time.sleep(0.05)


def early_returns():
    """(program, status, method, path, body size) for every early answer of every program."""
    cases = []
    for prog in routes.programs():
        table = routes.routes(prog)
        base = NOT_A_ROUTE[prog]
        cases.append((prog, 404, "POST", base, None))
        # A path that is not valid UTF-8 once nginx decodes it.
        cases.append((prog, 400, "POST", base.rstrip("/") + "/%FF", None))
        methods = {}
        for r in table:
            methods.setdefault(r.path(), set()).add(r.method)
        for path, ms in methods.items():
            other = next(m for m in ("PUT", "PATCH", "DELETE", "POST") if m not in ms)
            cases.append((prog, 405, other, path, None))
            break
        posts = [r for r in table if r.method == "POST" and "UPLOAD" not in r.flags]
        if posts:
            # Over RM_MAX_BODY (1 MiB), under nginx's own 10 MiB limit.
            cases.append((prog, 413, "POST", posts[0].path(), (1 << 20) + 4096))
    return cases


def _ids(case):
    return f"{case[0]}-{case[1]}"


@pytest.mark.parametrize("case", early_returns(), ids=_ids)
@pytest.mark.parametrize("size", [4096, 8192, 12288, 40960], ids=lambda s: f"{s}B")
def test_forged_records_in_a_body_are_never_executed(case, size):
    prog, status, method, path, big = case
    if big and size != 4096:
        pytest.skip("the 413 body has one size, over the limit")
    mark = marker()
    for r in send_shifted(method, path, big or size, forged_request(mark)):
        assert r.status_code == status, (r.status_code, r.text[:200])
        assert mark not in r.text
    assert_never_executed(mark, NOT_A_ROUTE[prog])


@pytest.mark.parametrize("size", [8192, 9000], ids=lambda s: f"{s}B")
@pytest.mark.parametrize("program", routes.programs())
def test_truncated_forged_record_never_blocks_the_next_request(program, size):
    # A sled, a forged BEGIN_REQUEST, then a PARAMS record announcing 1000 bytes of which
    # the body holds ten: a parser that took the body for records would wait for the
    # rest, and the process with it, until nginx gives up (504 after 60 s).
    unfinished = (record(FCGI_BEGIN_REQUEST, 2, b"\0\1\1\0\0\0\0\0")
                  + bytes([1, FCGI_PARAMS, 0, 2, 1000 >> 8, 1000 & 0xFF, 0, 0])
                  + nv("REQUEST_METHOD", "GET")[:10])
    path = NOT_A_ROUTE[program]
    for r in send_shifted("POST", path, size, unfinished):
        assert r.status_code == 404
    for _ in range(4):
        t = time.monotonic()
        r = requests.get(BASE + path, timeout=5)
        assert r.status_code == 404
        assert time.monotonic() - t < 5


def test_two_interleaved_clients_never_receive_each_others_responses():
    victim = Browser()
    assert victim.login().status_code == 303
    cookie = victim.cookie("rm_session")

    def attacker(i):
        # The forged request is a sign-in page: a response the victim must never get.
        body = smuggling_body(12288, forged_request("/login"), i % 8)
        r = requests.post(BASE + "/account/no-such-page", data=body, timeout=20,
                          allow_redirects=False,
                          headers={"Content-Type": "application/octet-stream"})
        return r.status_code, DEMO_EMAIL in r.text, "rm_session" in r.headers.get("Set-Cookie", "")

    def victim_loads(_):
        s = requests.Session()
        s.cookies.set("rm_session", cookie)
        r = s.get(BASE + "/account", timeout=20, allow_redirects=False)
        return r.status_code, DEMO_EMAIL in r.text, "Iniciar sesión" in r.text

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        attacks = [pool.submit(attacker, i) for i in range(40)]
        loads = [pool.submit(victim_loads, i) for i in range(40)]
        for f in attacks:
            assert f.result() == (404, False, False)
        for f in loads:
            assert f.result() == (200, True, False)
