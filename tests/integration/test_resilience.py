"""The programs survive the database dropping their connections, and serve more clients
than they have processes."""
import concurrent.futures
import os
import time

import requests

import dbutil
import routes
from test_smuggling import NOT_A_ROUTE
from web import BASE, Browser


def _processes(program):
    with open(os.path.join(os.environ["RM_STATE"], "run", f"{program}.pid")) as f:
        return len(f.read().split())


def _app_backends():
    with dbutil.connected("postgres") as conn:
        return dbutil.scalar(conn, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'rm_app'"
                                   " AND pid <> pg_backend_pid()")


def _database_page(program):
    """A signed-in GET of this program that needs the database: a page of its route
    table, else its 404 page (which loads the session to show the navigation)."""
    for r in routes.routes(program):
        if r.method == "GET" and ":" not in r.pattern and not r.public:
            return r.pattern, 200
    return NOT_A_ROUTE[program], 404


def test_every_process_of_every_program_reconnects_after_the_database_drops_them():
    b = Browser()
    assert b.login().status_code == 303
    cookie = b.cookie("rm_session")
    programs = routes.programs()
    # The sender's connection is not counted: it reconnects only when it next uses it.
    want = sum(_processes(p) for p in programs)
    with dbutil.connected("postgres") as conn:
        killed = dbutil.scalar(conn, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                     " WHERE usename = 'rm_app'")
    assert killed >= 1

    def load(program):
        path, status = _database_page(program)
        s = requests.Session()
        s.cookies.set("rm_session", cookie)
        r = s.get(BASE + path, timeout=30, allow_redirects=False)
        # 200/404 with the signed-in navigation: the session came from the database.
        return r.status_code == status and "Cerrar sesión" in r.text, (program, r.status_code)

    # Concurrent requests spread over every process of every program; each process must
    # reconnect on its next request instead of answering 503 or 500. Rounds continue
    # until every process has a connection again (each got at least one request).
    deadline = time.monotonic() + 20
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        while time.monotonic() < deadline:
            for ok, what in pool.map(load, [p for p in programs for _ in range(8)]):
                assert ok, what
            if _app_backends() >= want:
                break
    assert _app_backends() >= want


def test_more_concurrent_clients_than_processes_are_all_served():
    """nginx keeps FastCGI connections open; with more clients than program processes
    the extra connections must not starve behind idle kept ones."""
    import concurrent.futures
    import time

    b = Browser()
    assert b.login().status_code == 303
    cookie = {"rm_session": b.cookie("rm_session")}

    def client(_):
        s = Browser()
        s.s.cookies.update(cookie)
        worst = 0.0
        for _ in range(10):
            t = time.monotonic()
            r = s.get("/")
            worst = max(worst, time.monotonic() - t)
            assert r.status_code == 200
        return worst

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        worst = max(pool.map(client, range(16)))
    # Starvation shows as requests waiting for nginx's 60 s read timeout.
    assert worst < 5.0, f"slowest request took {worst:.1f}s"


def test_concurrent_posts_never_meet_a_closed_connection():
    """nginx does not retry a POST it has already sent. Under more concurrent clients
    than processes, no POST may be lost to a FastCGI connection closed under it (502)."""
    import collections
    import concurrent.futures

    def client(_):
        s = Browser()
        seen = collections.Counter()
        for _ in range(25):
            # A guest's POST to a signed-in route: cheap, and answered 303 to /login.
            seen[s.post("/logout", {"_csrf": "x"}).status_code] += 1
        return seen

    total = collections.Counter()
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        for seen in pool.map(client, range(16)):
            total.update(seen)
    assert total == {303: 16 * 25}, total
