"""Reports: the figures against hand-computed values on a fixture of known messages, the
role rules, the CSV exports parsed back, the SVG charts as XML, and tidy on every page.

The fixture is a fresh workspace (signed up through the site) whose practice is in
America/Guayaquil (UTC-5): a message sent at 2026-04-01 03:00 UTC belongs to March 31st
there. Its messages, all in March 2026 unless said:

  request  channel   status     rating  note
  a        SMS       REPLIED    5
  b        SMS       REPLIED    4
  c        WHATSAPP  REPLIED    3
  d        SMS       REPLIED    1
  e        SMS       DELIVERED
  f        SMS       FAILED
  g        EMAIL     SENT
  h        SMS       CANCELLED
  i        SMS       PENDING
  j        SMS       REPLIED    2       replied 2026-04-01 04:30 UTC = March 31st, 23:30 local
  k        SMS       REPLIED    5       sent and replied February 28th, 23:59 local
  l        SMS       REPLIED    4       patient erased afterwards (the rating stays)
  happy follow-ups: one clicked, one not (both March), one FAILED

March by hand: sent = a b c d e g j l = 8; delivered = a b c d e j l = 7; replied = 6;
ratings 5 4 3 1 2 4: promoters 3, passives 1, detractors 2, NPS = round(100/6) = 17;
conversion round(6/8·100) = 75; delivery round(7/8·100) = 88 (87.5 rounds up);
click-through 1/2 = 50.
"""
import csv
import io
import html
import re
import uuid
import xml.etree.ElementTree as ET

import pytest

import dbutil
from test_audit_labels import action_names
from test_html import tidy
from web import Browser, DEMO_EMAIL, DEMO_PASSWORD, signup

MARCH = "range=custom&from=2026-03-01&to=2026-03-31"
SVG_NS = "{http://www.w3.org/2000/svg}"


def figures(page):
    """The report's summary figures by their element id."""
    ids = ("nps", "promoters", "passives", "detractors", "conversion", "delivery-rate",
           "click-through")
    out = {}
    for i in ids:
        m = re.search(rf'id="{i}">([^<]*)<', page)
        assert m, f"no #{i} on the page"
        out[i] = m.group(1)
    return out


def table_rows(page):
    """The per-campaign and per-channel table: {row heading: [cells]}."""
    body = page.split('id="report-table"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for heading, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', body):
        rows[heading] = re.findall(r"<td>([^<]*)</td>", cells)
    return rows


def svgs(page):
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", page, re.S)]


def _msg(cur, ws, patient, campaign, status, channel="SMS", type_="INITIAL", rating=None,
         sent=None, replied=None, clicked=None):
    cur.execute("""
        INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,
                              rating, sent_at, delivered_at, replied_at, review_clicked_at,
                              reply_text, created_at)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s,
                CASE WHEN %s IN ('DELIVERED', 'REPLIED') THEN %s::timestamptz END,
                %s, %s, %s, coalesce(%s::timestamptz, '2026-03-01 12:00+00'))""",
                (ws, patient, campaign, type_, channel, status, rating, sent, status, sent,
                 replied, clicked, str(rating) if rating else None, sent))


@pytest.fixture(scope="module")
def fixture():
    """A signed-up workspace with the messages of the module docstring; yields the owner's
    browser and the ids."""
    b = Browser()
    r, email = signup(b, workspace=f"Clínica Reportes {uuid.uuid4().hex[:6]}")
    assert r.status_code == 303, r.status_code
    with dbutil.connected("rm_owner") as conn, conn.cursor() as cur:
        cur.execute("SELECT workspace_id, id FROM users WHERE email = %s", (email,))
        ws, owner = cur.fetchone()
        practice, campaign = str(uuid.uuid4()), str(uuid.uuid4())
        cur.execute("""INSERT INTO practices (id, workspace_id, name, timezone)
                       VALUES (%s, %s, 'Consultorio Prueba', 'America/Guayaquil')""",
                    (practice, ws))
        cur.execute("""INSERT INTO campaigns (id, workspace_id, name, practice_id, created_by)
                       VALUES (%s, %s, 'Marzo', %s, %s)""", (campaign, ws, practice, owner))
        patients = {}
        for key in "abcdefghijklmn":
            patients[key] = str(uuid.uuid4())
            name = "=HYPERLINK(\"http://x\")" if key == "a" else f"Paciente {key.upper()}"
            cur.execute("""INSERT INTO patients (id, workspace_id, name, phone, campaign_id,
                                                 has_consent)
                           VALUES (%s, %s, %s, %s, %s, true)""",
                        (patients[key], ws, name, "+5939%08d" % (10000000 + ord(key)),
                         campaign))
        mid = "2026-03-15 15:00+00"
        p = patients
        _msg(cur, ws, p["a"], campaign, "REPLIED", rating=5, sent=mid, replied=mid)
        _msg(cur, ws, p["b"], campaign, "REPLIED", rating=4, sent=mid, replied=mid)
        _msg(cur, ws, p["c"], campaign, "REPLIED", "WHATSAPP", rating=3, sent=mid, replied=mid)
        _msg(cur, ws, p["d"], campaign, "REPLIED", rating=1, sent=mid, replied=mid)
        _msg(cur, ws, p["e"], campaign, "DELIVERED", sent=mid)
        _msg(cur, ws, p["f"], campaign, "FAILED", sent=mid)
        _msg(cur, ws, p["g"], campaign, "SENT", "EMAIL", sent=mid)
        _msg(cur, ws, p["h"], campaign, "CANCELLED")
        _msg(cur, ws, p["i"], campaign, "PENDING")
        _msg(cur, ws, p["j"], campaign, "REPLIED", rating=2, sent="2026-03-31 20:00+00",
             replied="2026-04-01 04:30+00")
        _msg(cur, ws, p["k"], campaign, "REPLIED", rating=5, sent="2026-02-28 20:00+00",
             replied="2026-03-01 04:59+00")
        _msg(cur, ws, p["l"], campaign, "REPLIED", rating=4, sent=mid, replied=mid)
        _msg(cur, ws, p["a"], campaign, "DELIVERED", type_="FOLLOWUP_HAPPY", sent=mid,
             clicked="2026-03-15 16:00+00")
        _msg(cur, ws, p["b"], campaign, "DELIVERED", type_="FOLLOWUP_HAPPY", sent=mid)
        _msg(cur, ws, p["l"], campaign, "FAILED", type_="FOLLOWUP_HAPPY", sent=mid)
        # Erasure keeps the row and the rating, blanks the person.
        cur.execute("""UPDATE patients SET name = '', phone = NULL, data_deleted_at = now()
                        WHERE id = %s""", (p["l"],))
        cur.execute("UPDATE messages SET reply_text = NULL WHERE patient_id = %s", (p["l"],))
    yield {"browser": b, "ws": ws, "campaign": campaign, "practice": practice,
           "patients": patients}
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "DELETE FROM workspaces WHERE id = %s", (ws,))


def test_march_figures_match_the_hand_computed_values(fixture):
    page = fixture["browser"].get("/reports?" + MARCH)
    assert page.status_code == 200
    assert figures(page.text) == {
        "nps": "17", "promoters": "3", "passives": "1", "detractors": "2",
        "conversion": "75", "delivery-rate": "88", "click-through": "50"}
    rows = table_rows(page.text)
    # Enviados, Entregados, Respondidos, Conversión, Entrega, Clics, Calificaciones, NPS
    assert rows["Total"] == ["8", "7", "6", "75", "88", "1", "6", "17"]
    assert rows["Campaña: Marzo"] == rows["Total"]
    assert rows["Canal: SMS"] == ["6", "6", "5", "83", "100", "1", "5", "20"]
    assert rows["Canal: WhatsApp"] == ["1", "1", "1", "100", "100", "0", "1", "0"]
    assert rows["Canal: Correo"] == ["1", "0", "0", "0", "0", "0", "0", "—"]


def test_ratings_distribution_chart_and_its_table_show_the_same_counts(fixture):
    page = fixture["browser"].get("/reports?" + MARCH).text
    charts = svgs(page)
    assert len(charts) == 3
    ratings = charts[0]
    assert ratings.find(SVG_NS + "title").text == "Distribución de calificaciones"
    assert ratings.find(SVG_NS + "desc").text
    bars = [r.find(SVG_NS + "title").text for r in ratings.iter(SVG_NS + "rect")]
    assert bars == ["1: 1", "2: 1", "3: 1", "4: 2", "5: 1"]
    figure = page.split("Distribución de calificaciones</figcaption>", 1)[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\d)</th><td>(\d+)</td>', figure) == [
        ("1", "1"), ("2", "1"), ("3", "1"), ("4", "2"), ("5", "1")]


def test_funnel_counts_sent_delivered_replied_and_review_clicks(fixture):
    funnel = svgs(fixture["browser"].get("/reports?" + MARCH).text)[2]
    bars = [r.find(SVG_NS + "title").text for r in funnel.iter(SVG_NS + "rect")]
    assert bars == ["Enviados: 8", "Entregados: 7", "Respondidos: 6", "Clic en reseña: 1"]


def test_weekly_nps_line_has_a_point_per_week_with_ratings(fixture):
    line = svgs(fixture["browser"].get("/reports?" + MARCH).text)[1]
    points = [c.find(SVG_NS + "title").text for c in line.iter(SVG_NS + "circle")]
    # a b c d l were rated on Sunday the 15th (week of Monday the 9th): 5 4 3 1 4, so
    # (3 - 1) / 5 = 40. j on the 31st (week of the 30th): a 2, so -100.
    assert points == ["09/03: 40", "30/03: -100"]


def test_empty_range_shows_dashes_not_zeros(fixture):
    page = fixture["browser"].get("/reports?range=custom&from=2025-01-01&to=2025-01-31").text
    f = figures(page)
    assert f["nps"] == "—" and f["conversion"] == "—" and f["click-through"] == "—"
    assert table_rows(page)["Total"] == ["0", "0", "0", "—", "—", "0", "0", "—"]
    assert "Sin datos en el período" in page
    # The range as the pages write dates.
    assert ('Del <time id="range-from" datetime="2025-01-01">01/01/2025</time> al '
            '<time id="range-to" datetime="2025-01-31">31/01/2025</time>') in page
    for svg in svgs(page):
        assert svg.find(SVG_NS + "title").text


def test_single_rating_at_the_start_of_the_day_in_the_practice_timezone(fixture):
    """k was rated at 04:59 UTC on March 1st: still February 28th in Guayaquil."""
    page = fixture["browser"].get("/reports?range=custom&from=2026-02-28&to=2026-02-28").text
    assert figures(page)["nps"] == "100"
    assert table_rows(page)["Total"] == ["1", "1", "1", "100", "100", "0", "1", "100"]


def test_rating_late_in_the_evening_counts_on_that_local_day(fixture):
    """j was rated at 04:30 UTC on April 1st: March 31st, 23:30 in Guayaquil."""
    b = fixture["browser"]
    last = b.get("/reports?range=custom&from=2026-03-31&to=2026-03-31").text
    assert figures(last)["detractors"] == "1" and figures(last)["nps"] == "-100"
    april = b.get("/reports?range=custom&from=2026-04-01&to=2026-04-01").text
    assert figures(april)["nps"] == "—"


def test_filters_by_channel_and_by_campaign(fixture):
    b = fixture["browser"]
    whatsapp = b.get("/reports?" + MARCH + "&channel=WHATSAPP").text
    assert figures(whatsapp)["passives"] == "1" and figures(whatsapp)["nps"] == "0"
    other = b.get("/reports?" + MARCH + "&campaign=" + str(uuid.uuid4())).text
    assert table_rows(other)["Total"][0] == "0"
    practice = b.get("/reports?" + MARCH + "&practice=" + fixture["practice"]).text
    assert table_rows(practice)["Total"][0] == "8"


@pytest.mark.parametrize("query", [
    "range=custom&from=2026-02-31&to=2026-03-01", "range=custom&from=2026-03-02&to=2026-03-01",
    "range=custom&from=hoy&to=2026-03-01", "range=365", "channel=FAX", "practice=no-es-uuid",
])
def test_bad_filters_get_422_with_a_spanish_message(fixture, query):
    for path in ("/reports", "/reports/table.csv", "/reports/messages.csv"):
        r = fixture["browser"].get(path + "?" + query)
        assert r.status_code == 422, (path, query, r.status_code)
        assert "text/html" in r.headers["Content-Type"]
        assert re.search(r"[Ee]lige|[Ee]scribe|fecha|válid", r.text), r.text[:500]


def parse_csv(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def test_table_csv_has_the_same_figures_as_the_page(fixture):
    rows = parse_csv(fixture["browser"].get("/reports/table.csv?" + MARCH))
    header = rows[0]
    by_name = {(r[0], r[1]): dict(zip(header, r)) for r in rows[1:]}
    total = by_name[("Total", "Total")]
    assert (total["Enviados"], total["Entregados"], total["Respondidos"]) == ("8", "7", "6")
    assert (total["NPS"], total["Conversión %"], total["Entrega %"], total["Clics %"]) == (
        "17", "75", "88", "50")
    assert [total[f"Calificación {n}"] for n in range(1, 6)] == ["1", "1", "1", "2", "1"]
    assert by_name[("Campaña", "Marzo")]["Enviados"] == "8"
    assert by_name[("Canal", "WhatsApp")]["Pasivos"] == "1"


def test_messages_csv_lists_the_messages_with_formulas_neutralised_and_erasure_kept(fixture):
    rows = parse_csv(fixture["browser"].get("/reports/messages.csv?" + MARCH))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Paciente", "Teléfono o correo", "Canal"]
    with dbutil.connected("rm_owner") as conn:
        expected = dbutil.scalar(conn, """
            SELECT count(*) FROM messages
             WHERE workspace_id = %s AND status IN ('SENT', 'DELIVERED', 'REPLIED')
               AND ((sent_at AT TIME ZONE 'America/Guayaquil')::date
                      BETWEEN '2026-03-01' AND '2026-03-31'
                    OR (replied_at AT TIME ZONE 'America/Guayaquil')::date
                      BETWEEN '2026-03-01' AND '2026-03-31')""", (fixture["ws"],))
    # The messages behind the figures: a-g but f (failed), j, l, a's and b's follow-ups;
    # not h and i (never sent) nor l's failed follow-up, which count in no figure.
    assert len(body) == expected == 10
    names = [r[0] for r in body]
    assert "Paciente F" not in names and "Paciente H" not in names
    assert "'=HYPERLINK(\"http://x\")" in names          # csv_out's apostrophe
    erased = [r for r in body if r[0] == "(datos borrados)"]
    assert len(erased) == 1 and erased[0][1] == ""
    assert erased[0][9] == "4"                            # the rating stays


def test_doctor_reports_cover_only_their_campaigns():
    """The demo doctor created "Control trimestral" and "Limpieza dental"; the seed's
    campaign is the owner's."""
    b = Browser()
    assert b.login("doctor@reputationmanager.com", DEMO_PASSWORD).status_code == 303
    page = b.get("/reports?range=90").text
    names = {k for k in table_rows(page) if k.startswith("Campaña: ")}
    assert names <= {"Campaña: Control trimestral", "Campaña: Limpieza dental"}, names
    assert "Pacientes Noviembre 2025" not in page          # not even in the filter
    with dbutil.connected("rm_owner") as conn:
        sent = dbutil.scalar(conn, """
            SELECT coalesce(sum(r.sent), 0) FROM report_daily_now r
              JOIN campaigns c ON c.id = r.campaign_id
             WHERE c.created_by = %s
               AND r.day > (now() AT TIME ZONE 'America/Guayaquil')::date - 90""",
                             (dbutil.DEMO_DOCTOR,))
    assert table_rows(page)["Total"][0] == str(sent)
    rows = parse_csv(b.get("/reports/messages.csv?range=90"))
    assert {r[5] for r in rows[1:]} <= {"Control trimestral", "Limpieza dental"}


@pytest.fixture(scope="module")
def receptionist():
    email = f"recepcion-{uuid.uuid4().hex[:8]}@example.ec"
    with dbutil.connected("rm_owner") as conn:
        hash_ = dbutil.scalar(conn, "SELECT password_hash FROM users WHERE id = %s",
                              (dbutil.DEMO_OWNER,))
        uid = dbutil.scalar(conn, """
            INSERT INTO users (workspace_id, email, password_hash, name, role)
            VALUES (%s, %s, %s, 'Recepción', 'RECEPTIONIST') RETURNING id""",
                            (dbutil.DEMO_WORKSPACE, email, hash_))
    yield email
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, "DELETE FROM users WHERE id = %s", (uid,))


@pytest.mark.parametrize("path", ["/reports", "/reports/table.csv", "/reports/messages.csv",
                                  "/audit"])
def test_receptionist_is_refused_every_report(receptionist, path):
    b = Browser()
    assert b.login(receptionist, DEMO_PASSWORD).status_code == 303
    assert b.get(path).status_code == 403


def test_receptionist_home_shows_no_report_figures(receptionist):
    b = Browser()
    b.login(receptionist, DEMO_PASSWORD)
    home = b.get("/")
    assert home.status_code == 200
    assert 'id="month-nps"' not in home.text and 'id="activity"' not in home.text


def test_doctor_is_refused_the_audit_log():
    b = Browser()
    b.login("doctor@reputationmanager.com", DEMO_PASSWORD)
    assert b.get("/audit").status_code == 403


def test_signed_out_visitor_is_sent_to_login():
    r = Browser().get("/reports")
    assert r.status_code in (302, 303) and "/login" in r.headers["Location"]


def owner():
    b = Browser()
    assert b.login(DEMO_EMAIL, DEMO_PASSWORD).status_code == 303
    return b


def test_audit_shows_changes_field_by_field_newest_first_in_spanish():
    page = owner().get("/audit?entity=campaign").text
    entries = re.findall(r'<li class="entry">(.*?)</li>', page, re.S)
    assert len(entries) >= 3
    times = [re.search(r'<time datetime="([^"]*)">', e).group(1) for e in entries]
    assert times == sorted(times, reverse=True)
    completed = [e for e in entries if 'title="campaign.complete"' in e]
    assert completed and 'Completó una campaña' in completed[0]
    assert ('<span class="field" title="status">Estado</span>: <span class="old">Activa</span>'
            ' → <span class="new">Completada</span>') in completed[0]


def test_audit_filters_offer_every_action_by_its_spanish_name():
    page = owner().get("/audit?action=campaign.cancel").text
    options = dict(re.findall(r'<option value="([a-z_.]+)"( selected)?>', page))
    assert options["campaign.cancel"] == " selected"
    assert {"patient.erase", "import.confirm", "user.role", "login"} <= set(options)
    assert '<option value="patient.erase">Borró los datos de un paciente</option>' in page
    # Every action of audit_labels.c's table, each by its name there.
    action_select = page[page.index('<select id="action"'):page.index("</select>",
                                                                      page.index('id="action"'))]
    offered = {v: html.unescape(t) for v, t in re.findall(
        r'<option value="([a-z_.]+)"(?: selected)?>([^<]*)</option>', action_select)}
    assert offered == action_names()
    entries = re.findall(r'<li class="entry">(.*?)</li>', page, re.S)
    assert entries and all('title="campaign.cancel"' in e for e in entries)


def test_audit_filters_by_user_and_dates():
    b = owner()
    page = b.get(f"/audit?user={dbutil.DEMO_DOCTOR}").text
    whos = re.findall(r'<span class="actor">([^<]*)</span>', page)
    assert whos and set(whos) == {"Dra. María López"}
    none = b.get("/audit?from=2001-01-01&to=2001-01-31").text
    assert 'id="no-entries"' in none
    assert b.get("/audit?from=2001-02-30").status_code == 422


def test_audit_never_shows_an_erased_patients_values():
    page = owner().get("/audit?entity=patient").text
    assert "patient.erase" in page
    assert "+593900000000" not in page and "Paciente borrado" not in page
    assert "(dato borrado)" in page


def test_home_shows_month_nps_conversion_and_recent_activity():
    home = owner().get("/").text
    # As rm_app: report_figures relies on row-level security for the workspace (rm_owner
    # would count every workspace's messages, other tests' included).
    with dbutil.connected("rm_app") as conn:
        dbutil.set_workspace(conn, dbutil.DEMO_WORKSPACE)
        nps, conversion = dbutil.query(conn, """
            SELECT coalesce(nps::text, '—'), coalesce(conversion::text, '—')
              FROM report_figures(date_trunc('month', now() AT TIME ZONE 'America/Guayaquil')::date,
                                  (now() AT TIME ZONE 'America/Guayaquil')::date,
                                  NULL, NULL, NULL, NULL) WHERE grp = 'total'""")[0]
        latest = dbutil.query(conn, """
            SELECT p.name FROM messages m JOIN patients p ON p.id = m.patient_id
             WHERE m.workspace_id = %s AND m.status IN ('DELIVERED', 'REPLIED')
               AND p.data_deleted_at IS NULL
             ORDER BY coalesce(m.replied_at, m.delivered_at) DESC LIMIT 1""",
                              (dbutil.DEMO_WORKSPACE,))[0][0]
    assert re.search(rf'id="month-nps">{re.escape(nps)}<', home)
    assert re.search(rf'id="month-conversion">{re.escape(conversion)}<', home)
    activity = home.split('id="activity"', 1)[1].split("</table>", 1)[0]
    assert activity.count("<tr>") == 1 + 10            # the heading and ten messages
    assert latest in activity


def test_home_alerts_name_campaigns_without_a_practice_and_low_credits():
    b = Browser()
    r, email = signup(b, workspace=f"Clínica Avisos {uuid.uuid4().hex[:6]}")
    with dbutil.connected("rm_owner") as conn:
        ws = dbutil.scalar(conn, "SELECT workspace_id FROM users WHERE email = %s", (email,))
        dbutil.query(conn, """INSERT INTO campaigns (workspace_id, name, status)
                              VALUES (%s, 'Sin consultorio', 'DRAFT')""", (ws,))
        dbutil.query(conn, "UPDATE workspaces SET message_credits = 5 WHERE id = %s", (ws,))
    try:
        home = b.get("/").text
        assert "Sin consultorio</a>: le falta un consultorio" in home
        assert 'id="alert-credits"' in home
    finally:
        with dbutil.connected("rm_owner") as conn:
            dbutil.query(conn, "DELETE FROM workspaces WHERE id = %s", (ws,))


@pytest.mark.parametrize("path", ["/", "/reports", "/reports?range=90", "/reports?range=7",
                                  "/reports?range=custom&from=2025-01-01&to=2025-01-02",
                                  "/audit", "/audit?entity=nada"])
def test_report_pages_pass_tidy_and_their_svg_is_xml(path):
    page = owner().get(path)
    assert page.status_code == 200
    errors, warnings = tidy(page.text)
    assert not errors and not warnings, (path, errors, warnings)
    for svg in svgs(page.text):
        assert svg.tag == SVG_NS + "svg"
        assert svg.find(SVG_NS + "title") is not None and svg.find(SVG_NS + "desc") is not None
