"""/audit pages newest first by keyset (the entry a page starts after), with links that
keep the filters and work without JavaScript."""
import html
import re
import uuid

import pytest

import dbutil
from test_html import tidy
from campaign_helpers import new_workspace

PAGE = 50


@pytest.fixture(scope="module")
def workspace():
    """A fresh workspace with 120 entries of one action (the 27th to the 56th newest at the
    same instant, across the first page's end) and 40 of another, interleaved."""
    b, ws, user = new_workspace(f"Clínica Auditoría {uuid.uuid4().hex[:6]}")
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute("""
            INSERT INTO audit_logs (workspace_id, user_id, action, entity_type, entity_id,
                                    old_value, new_value, created_at)
            SELECT %s, %s, CASE WHEN i %% 4 = 0 THEN 'otra.accion' ELSE 'prueba.paginar' END,
                   'prueba', gen_random_uuid(), jsonb_build_object('n', i - 1),
                   jsonb_build_object('n', i),
                   -- after the 26 newest (i > 125), so across the first page's end
                   CASE WHEN i BETWEEN 40 AND 79 THEN timestamptz '2026-05-06 17:30+00'
                        ELSE timestamptz '2026-05-01 12:00+00' + i * interval '1 hour' END
              FROM generate_series(1, 160) i""", (ws, user))
        cur.execute("""SELECT entity_id::text FROM audit_logs
                        WHERE workspace_id = %s AND action = 'prueba.paginar'
                        ORDER BY created_at DESC, id DESC""", (ws,))
        expected = [r[0] for r in cur.fetchall()]
    assert len(expected) == 120
    yield b, expected
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "DELETE FROM workspaces WHERE id = %s", (ws,))


def entries(page):
    return re.findall(r'<span class="entity"[^>]*>prueba ([0-9a-f-]{36})</span>', page)


def link(page, anchor_id):
    m = re.search(r'<a id="%s"[^>]*href="([^"]+)"' % anchor_id, page)
    return html.unescape(m.group(1)) if m else None


def test_paging_back_and_forth_keeps_filters_and_neither_repeats_nor_skips(workspace):
    b, expected = workspace
    first = b.get("/audit?action=prueba.paginar&from=2026-04-01&to=2026-06-30")
    assert first.status_code == 200
    pages = [first.text]
    while link(pages[-1], "audit-older"):
        url = link(pages[-1], "audit-older")
        assert "action=prueba.paginar" in url and "from=2026-04-01" in url
        assert "to=2026-06-30" in url
        pages.append(b.get(url).text)
    assert [len(entries(p)) for p in pages] == [PAGE, PAGE, 20]
    assert [e for p in pages for e in entries(p)] == expected
    assert link(pages[0], "audit-newer") is None       # the first page has nothing newer
    assert "otra.accion" not in "".join(pages)
    # Back from the last page: the same pages again, and no older link from the last.
    back = b.get(link(pages[2], "audit-newer"))
    assert entries(back.text) == entries(pages[1])
    assert "action=prueba.paginar" in link(back.text, "audit-newer")
    top = b.get(link(back.text, "audit-newer")).text
    assert entries(top) == entries(pages[0])
    assert link(top, "audit-newer") is None
    for p in pages:
        assert tidy(p) == ([], []), tidy(p)


def test_both_directions_at_once_is_refused(workspace):
    b, expected = workspace
    r = b.get(f"/audit?before={expected[0]}&after={expected[1]}")
    assert r.status_code == 422
    assert "una sola dirección" in r.text
    assert b.get("/audit?before=no-es-uuid").status_code == 422
