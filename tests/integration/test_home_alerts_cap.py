"""The home page lists the 10 newest unresolved unhappy comments and says how many more,
linking to /alerts, which pages through all of them, newest first."""
import html
import re
import uuid

import pytest

import dbutil
from campaign_helpers import new_workspace

UNHAPPY = 25
PASSWORD = "clave-segura-1"     # web.signup's


@pytest.fixture(scope="module")
def workspace():
    """A fresh workspace with 25 unresolved unhappy comments (two at the same instant
    across /alerts' page boundary), 2 resolved ones and a happy one."""
    b, ws, owner, email = new_workspace(f"Clínica Avisos {uuid.uuid4().hex[:6]}",
                                        with_email=True)
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute("""INSERT INTO patients (workspace_id, name, phone, has_consent)
                       VALUES (%s, 'Paciente Avisos', '+593990001122', true) RETURNING id""",
                    (ws,))
        patient = cur.fetchone()[0]
        cur.execute("""
            INSERT INTO feedback (workspace_id, patient_id, rating, body, resolved_at,
                                  resolved_by, created_at)
            SELECT %(ws)s, %(p)s, CASE WHEN i = 28 THEN 5 ELSE 1 + i %% 3 END,
                   'Comentario ' || i,
                   CASE WHEN i IN (26, 27) THEN now() END,
                   CASE WHEN i IN (26, 27) THEN %(owner)s::uuid END,
                   -- 20th and 21st newest (i = 6, 5) at the same instant
                   timestamptz '2026-06-01 12:00+00' + greatest(i, 6) * interval '1 hour'
              FROM generate_series(1, 28) i""", {"ws": ws, "p": patient, "owner": owner})
        cur.execute("""SELECT body FROM feedback WHERE workspace_id = %s
                          AND resolved_at IS NULL AND rating <= 3
                        ORDER BY created_at DESC, id DESC""", (ws,))
        expected = [r[0] for r in cur.fetchall()]
    assert len(expected) == UNHAPPY
    yield b, expected, email
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "DELETE FROM workspaces WHERE id = %s", (ws,))


def comments(page):
    return re.findall(r"<blockquote>(Comentario \d+)</blockquote>", page)


def test_home_shows_the_10_newest_and_how_many_more(workspace):
    b, expected, _ = workspace
    page = b.get("/").text
    assert comments(page) == expected[:10]
    m = re.search(r'<a id="more-alerts" href="([^"]+)">y (\d+) más</a>', page)
    assert m and m.group(1) == "/alerts" and int(m.group(2)) == UNHAPPY - 10


def test_alerts_list_pages_through_every_unresolved_comment(workspace):
    b, expected, _ = workspace
    first = b.get("/alerts")
    assert first.status_code == 200
    assert comments(first.text) == expected[:20]
    assert 'id="alerts-newest"' not in first.text
    older = re.search(r'<a id="alerts-older"[^>]*href="([^"]+)"', first.text)
    second = b.get(html.unescape(older.group(1))).text
    assert comments(second) == expected[20:]
    assert 'id="alerts-older"' not in second
    assert 'id="alerts-newest"' in second
    assert second.count('action="/alerts/') == UNHAPPY - 20   # each can be resolved there


def test_home_with_few_alerts_shows_no_more_link():
    b, ws, _ = new_workspace(f"Clínica Sin Avisos {uuid.uuid4().hex[:6]}")
    try:
        page = b.get("/").text
        assert 'id="more-alerts"' not in page
        assert "No hay comentarios por resolver" in b.get("/alerts").text
    finally:
        with dbutil.connected("rm_owner") as conn:
            dbutil.query(conn, "DELETE FROM workspaces WHERE id = %s", (ws,))
