"""The programs survive the database dropping their connections."""
import dbutil
from web import Browser


def test_requests_succeed_after_database_connections_are_killed():
    b = Browser()
    assert b.login().status_code == 303
    assert b.get("/").status_code == 200
    with dbutil.connected("postgres") as conn, conn.cursor() as cur:
        cur.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE usename = 'rm_app'")
        assert cur.fetchone()[0] >= 1
    # Every process lost its connection; each must reconnect on its next request
    # instead of answering 503 or 500. More requests than processes reach all of them.
    for _ in range(8):
        r = b.get("/")
        assert r.status_code == 200, r.text[:300]
        assert "Consultorio Demo" in r.text
