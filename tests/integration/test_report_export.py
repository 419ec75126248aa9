"""The messages CSV export (/reports/messages.csv) lists exactly the messages behind the
report's figures, for any range (the demo history goes back three months), streamed.

The expected rows are read from the database by a query written here from the
definitions (not through report_messages), and the CSV's own rows are recounted into the
report's totals, which must equal the table export's.
"""
import csv
import datetime
import io
from collections import Counter

import pytest

import dbutil
from web import BASE, Browser

WS = dbutil.DEMO_WORKSPACE
TZ_NOW = "(now() AT TIME ZONE 'America/Guayaquil')::date"


def parse(response):
    assert response.status_code == 200, response.text[:300]
    assert response.headers["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture(scope="module")
def owner_browser():
    b = Browser()
    assert b.login().status_code == 303
    return b


@pytest.fixture(scope="module")
def old_range():
    """From 80 to 40 days ago: wholly older than the export's former 32-day look-back."""
    with dbutil.connected("rm_owner") as conn:
        start, end = dbutil.query(conn, f"SELECT {TZ_NOW} - 80, {TZ_NOW} - 40")[0]
    return start.isoformat(), end.isoformat()


def expected_rows(start, end, channel=None):
    """The demo workspace's messages that add to a figure of [start, end], as the CSV
    shows them: sends of requests and happy follow-ups by their sent day, ratings by
    their reply day, days in the practice's timezone; failed or cancelled ones never."""
    with dbutil.connected("rm_owner") as conn:
        return dbutil.query(conn, """
            WITH m AS (
              SELECT m.*, coalesce(pr.timezone, 'America/Guayaquil') AS tz, c.name AS campaign
                FROM messages m
                LEFT JOIN campaigns c ON c.id = m.campaign_id
                LEFT JOIN practices pr ON pr.id = c.practice_id
               WHERE m.workspace_id = %(ws)s
                 AND (%(channel)s::message_channel IS NULL OR m.channel = %(channel)s))
            SELECT CASE WHEN p.data_deleted_at IS NULL THEN p.name ELSE '(datos borrados)' END,
                   m.channel::text, m.type::text, m.status::text, coalesce(m.campaign, ''),
                   coalesce(to_char(m.sent_at AT TIME ZONE m.tz, 'YYYY-MM-DD HH24:MI'), ''),
                   coalesce(m.rating::text, '')
              FROM m JOIN patients p ON p.id = m.patient_id
             WHERE (m.type IN ('INITIAL', 'REMINDER', 'FOLLOWUP_HAPPY')
                    AND m.status IN ('SENT', 'DELIVERED', 'REPLIED')
                    AND (m.sent_at AT TIME ZONE m.tz)::date BETWEEN %(from)s AND %(to)s)
                OR (m.rating IS NOT NULL
                    AND (m.replied_at AT TIME ZONE m.tz)::date BETWEEN %(from)s AND %(to)s)""",
                             {"ws": WS, "from": start, "to": end, "channel": channel})


# The names the dashboard (and so the CSV) gives the enum values (fcgi/core/labels.c).
NAMES = {"SMS": "SMS", "WHATSAPP": "WhatsApp", "EMAIL": "Correo",
         "INITIAL": "Solicitud", "REMINDER": "Recordatorio",
         "FOLLOWUP_HAPPY": "Agradecimiento (4-5)", "FOLLOWUP_UNHAPPY": "Disculpa (1-3)",
         "SENT": "Enviado", "DELIVERED": "Entregado", "REPLIED": "Respondido"}


def named(row):
    """An expected row from the database with its channel, type and status named."""
    name, channel, type_, status, *rest = row
    return (name, NAMES[channel], NAMES[type_], NAMES[status], *rest)


def as_tuples(rows):
    return sorted((r["Paciente"], r["Canal"], r["Tipo"], r["Estado"], r["Campaña"],
                   r["Enviado"], r["Calificación"]) for r in rows)


def test_range_older_than_32_days_exports_exactly_its_messages(owner_browser, old_range):
    start, end = old_range
    r = owner_browser.get(f"/reports/messages.csv?range=custom&from={start}&to={end}")
    _, rows = parse(r)
    assert "Content-Length" not in r.headers          # streamed, not built whole
    expected = expected_rows(start, end)
    assert len(expected) > 100                        # the demo history reaches back there
    assert as_tuples(rows) == sorted(named(e) for e in expected)
    sent_days = {r["Enviado"][:10] for r in rows if r["Enviado"]}
    assert min(sent_days) < (datetime.date.today() - datetime.timedelta(days=60)).isoformat()


def test_filtered_export_keeps_the_filter(owner_browser, old_range):
    start, end = old_range
    _, rows = parse(owner_browser.get(
        f"/reports/messages.csv?range=custom&from={start}&to={end}&channel=EMAIL"))
    assert rows and {r["Canal"] for r in rows} == {"Correo"}
    assert as_tuples(rows) == sorted(named(e) for e in expected_rows(start, end, "EMAIL"))


def test_export_recounts_to_the_reports_totals(owner_browser, old_range):
    """Counting the CSV's rows by the definitions gives the report's own totals."""
    start, end = old_range
    query = f"range=custom&from={start}&to={end}"
    _, rows = parse(owner_browser.get("/reports/messages.csv?" + query))
    _, table = parse(owner_browser.get("/reports/table.csv?" + query))
    total = next(t for t in table if t["Grupo"] == "Total")

    def in_range(stamp):
        return bool(stamp) and start <= stamp[:10] <= end

    requests = [r for r in rows
                if r["Tipo"] in ("Solicitud", "Recordatorio") and in_range(r["Enviado"])]
    happy = [r for r in rows if r["Tipo"] == "Agradecimiento (4-5)" and in_range(r["Enviado"])]
    ratings = Counter(r["Calificación"] for r in rows
                      if r["Calificación"] and in_range(r["Respondido"]))
    assert int(total["Enviados"]) == len(requests) > 0
    assert int(total["Entregados"]) == sum(r["Estado"] in ("Entregado", "Respondido")
                                           for r in requests)
    assert int(total["Respondidos"]) == sum(r["Estado"] == "Respondido" for r in requests)
    assert int(total["Seguimientos 4-5 enviados"]) == len(happy)
    assert int(total["Clics en reseña"]) == sum(bool(r["Clic en reseña"]) for r in happy)
    assert [int(total[f"Calificación {n}"]) for n in range(1, 6)] == [
        ratings[str(n)] for n in range(1, 6)]


def test_head_of_the_export_sends_the_headers_only(owner_browser, old_range):
    start, end = old_range
    r = owner_browser.s.head(f"{BASE}/reports/messages.csv?range=custom&from={start}&to={end}",
                             timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Cache-Control"] == "no-store"     # patients' data: never cached
    assert "Content-Length" not in r.headers             # streamed: nginx chunks it
    assert r.content == b""
