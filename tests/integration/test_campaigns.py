"""Campaigns (/campaigns) through nginx: the list and its figures, create and edit, the
detail page, the lifecycle with campaign_enqueue behind activation, cancelling, the roles
(a doctor only reaches their own campaigns) and other workspaces' ids.

Messages whose time is already due could be claimed by a running sender at any moment, so
assertions about a status use patients whose appointment is still ahead (their message
waits as PENDING); due ones are checked by what the sender does not change."""
import datetime
import re
import select
import uuid

import pytest

import dbutil
from campaign_helpers import (add_patient, add_user, audit_rows, create_campaign,
                              create_practice, csrf_post, new_workspace, one, owner_sql,
                              set_status, status_of, table_snapshot)
from test_html import assert_page_basics, assert_well_formed


@pytest.fixture
def owner_ws():
    b, ws, uid = new_workspace()
    pid = create_practice(b, ws)
    return b, ws, uid, pid


def messages_of(campaign):
    return owner_sql("""SELECT p.name, m.type::text, m.channel::text, m.status::text,
                               m.content, m.scheduled_at, p.appointment_time
                          FROM messages m JOIN patients p ON p.id = m.patient_id
                         WHERE m.campaign_id = %s ORDER BY p.name""", (campaign,))


# ---- create, edit, list ------------------------------------------------------------------

def test_campaign_form_without_a_practice_says_so_and_links_to_the_practice_form():
    b, ws, _ = new_workspace()
    r = b.get("/campaigns/new")
    assert r.status_code == 200
    assert "primero hace falta un consultorio" in r.text
    assert 'href="/practices/new"' in r.text and 'action="/campaigns"' not in r.text
    assert_well_formed("/campaigns/new without practice", r.text)
    before = table_snapshot("campaigns", ws)
    r = csrf_post(b, "/campaigns", {"name": "Sin consultorio", "scheduled_hours_after": "2"})
    assert r.status_code == 422 and "primero hace falta un consultorio" in r.text
    assert table_snapshot("campaigns", ws) == before


def test_doctor_without_a_practice_is_told_to_ask_the_owner():
    _, ws, _ = new_workspace()
    doctor, _ = add_user(ws, "DOCTOR")
    r = doctor.get("/campaigns/new")
    assert "Pide al propietario" in r.text and 'href="/practices/new"' not in r.text


def test_create_campaign_starts_as_draft_by_its_author_and_is_audited(owner_ws):
    b, ws, uid, pid = owner_ws
    r = b.get("/campaigns/new")
    assert_page_basics("/campaigns/new", r.text)
    assert_well_formed("/campaigns/new", r.text)
    cid = create_campaign(b, pid, name="Controles de abril", hours=5)
    assert owner_sql("SELECT name, description, status::text, scheduled_hours_after, "
                     "practice_id::text, created_by::text FROM campaigns WHERE id = %s", (cid,)) == [
        ("Controles de abril", "Pacientes de prueba", "DRAFT", 5, pid, uid)]
    [(entity, old, new, who)] = audit_rows(ws, "campaign.create")
    assert (entity, old, who, new["status"], new["name"]) == (cid, None, uid, "DRAFT", "Controles de abril")
    page = b.get(f"/campaigns/{cid}?saved=1")
    assert "Campaña guardada" in page.text and 'data-status="DRAFT"' in page.text


@pytest.mark.parametrize("change,message", [
    ({"name": ""}, "obligatorio"),
    ({"scheduled_hours_after": "721"}, "Debe estar entre 0 y 720"),
    ({"scheduled_hours_after": "dos"}, "número entero"),
    ({"practice_id": str(uuid.uuid4())}, "Elige un consultorio de la lista"),
])
def test_create_campaign_refuses_bad_input_and_inserts_nothing(owner_ws, change, message):
    b, ws, _, pid = owner_ws
    form = {"name": "Campaña", "practice_id": pid, "scheduled_hours_after": "2"}
    form.update(change)
    before = table_snapshot("campaigns", ws)
    r = b.submit("/campaigns/new", "/campaigns", form)
    assert r.status_code == 422 and message in r.text
    assert_well_formed("create 422", r.text)
    assert table_snapshot("campaigns", ws) == before


def test_create_campaign_with_another_workspaces_practice_is_refused(owner_ws):
    b, ws, _, _ = owner_ws
    other, ws2, _ = new_workspace()
    foreign = create_practice(other, ws2)
    r = b.submit("/campaigns/new", "/campaigns", {"name": "Ajena", "practice_id": foreign,
                                                  "scheduled_hours_after": "2"})
    assert r.status_code == 422 and "Elige un consultorio" in r.text
    assert table_snapshot("campaigns", ws) == []


def test_campaign_list_is_recent_first_with_each_campaigns_figures(owner_ws):
    b, ws, _, pid = owner_ws
    older = create_campaign(b, pid, name="Más antigua")
    newer = create_campaign(b, pid, name="Más reciente")
    owner_sql("UPDATE campaigns SET created_at = now() - interval '1 day', status = 'ACTIVE' "
              "WHERE id = %s", (older,))
    pts = [add_patient(ws, older, name=f"P{i}") for i in range(3)]
    add_patient(ws, newer, name="Q")
    # Two sent, one of them answered 5 and one answered 2 (a reply also counts once sent).
    for p, sent, rating in ((pts[0], True, 5), (pts[1], True, 2), (pts[2], False, None)):
        owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,"
                  " status, sent_at, replied_at, rating) VALUES (%s, %s, %s, 'INITIAL', 'SMS',"
                  " %s, %s, %s, %s)",
                  (ws, p, older, "REPLIED" if rating else "PENDING",
                   "2026-01-01" if sent else None, "2026-01-01" if rating else None, rating))
    r = b.get("/campaigns")
    assert r.status_code == 200
    assert_page_basics("/campaigns", r.text)
    assert_well_formed("/campaigns", r.text)
    rows = re.findall(r'<tr data-status="(\w+)">\s*<td><a href="/campaigns/([0-9a-f-]+)">.*?'
                      r'<td class="num">(\d+)</td><td class="num">(\d+)</td>'
                      r'<td class="num">(\d+)</td><td class="num">([^<]+)</td>', r.text, re.S)
    assert rows == [("DRAFT", newer, "1", "0", "0", "—"),
                    ("ACTIVE", older, "3", "2", "2", "3.5")]


def test_campaign_patient_counts_equal_a_direct_count_after_a_random_mix(owner_ws):
    """campaign_counts (kept by triggers on patients) against count(*), after inserts one
    by one and in bulk, moves between campaigns, erasures, deletes and a deleted campaign,
    done as rm_app (the programs' role, under RLS) and as the owner."""
    import random
    b, ws, _, pid = owner_ws
    camps = [create_campaign(b, pid, name=f"Cuenta {i}") for i in range(4)]
    rnd = random.Random(6)
    conn = dbutil.app_connect(ws)
    try:
        for _ in range(40):
            add_patient(ws, rnd.choice(camps))
        dbutil.query(conn, "INSERT INTO patients (workspace_id, campaign_id, name, phone)"
                       " SELECT %s, (ARRAY[%s, %s]::uuid[])[1 + g %% 2], 'Lote ' || g,"
                       "        '+59398' || lpad(g::text, 7, '0') FROM generate_series(1, 300) g",
                       (ws, camps[0], camps[1]))
        for _ in range(15):
            dbutil.query(conn, "UPDATE patients SET campaign_id = %s WHERE id IN (SELECT id"
                           " FROM patients WHERE campaign_id = %s ORDER BY random() LIMIT 7)",
                           (rnd.choice(camps), rnd.choice(camps)))
            dbutil.query(conn, "UPDATE patients SET name = 'Borrado', phone = NULL,"
                           " email = NULL, data_deleted_at = now() WHERE id IN (SELECT id"
                           " FROM patients WHERE campaign_id = %s ORDER BY random() LIMIT 2)",
                           (rnd.choice(camps),))
            dbutil.query(conn, "DELETE FROM patients WHERE id IN (SELECT id FROM patients"
                           " WHERE campaign_id = %s ORDER BY random() LIMIT 3)",
                           (rnd.choice(camps),))
        dbutil.query(conn, "UPDATE patients SET campaign_id = NULL WHERE campaign_id = %s",
                       (camps[3],))
    finally:
        conn.close()
    owner_sql("DELETE FROM campaigns WHERE id = %s", (camps[2],))
    direct = dict(owner_sql("SELECT campaign_id::text, count(*) FROM patients"
                            " WHERE workspace_id = %s AND campaign_id IS NOT NULL"
                            " GROUP BY 1", (ws,)))
    kept = dict(owner_sql("SELECT campaign_id::text, patients FROM campaign_counts"
                          " WHERE workspace_id = %s AND patients <> 0", (ws,)))
    assert kept == direct and len(direct) == 2
    # And the list shows them.
    page = b.get("/campaigns").text
    for cid, n in direct.items():
        assert re.search(rf'href="/campaigns/{cid}">.*?<td class="num">{n}</td>', page, re.S)


def test_campaign_list_is_paginated_twenty_a_page(owner_ws):
    b, ws, uid, pid = owner_ws
    owner_sql("INSERT INTO campaigns (workspace_id, name, status, practice_id, created_by, created_at)"
              " SELECT %s, 'Lote ' || lpad(g::text, 2, '0'), 'DRAFT', %s, %s,"
              "        now() - make_interval(mins => g) FROM generate_series(1, 23) g", (ws, pid, uid))
    first = b.get("/campaigns")
    assert first.text.count('<tr data-status=') == 20
    assert "Lote 01" in first.text and "Lote 21" not in first.text
    assert "Página 1 de 2" in first.text and 'href="/campaigns?page=2"' in first.text
    second = b.get("/campaigns?page=2")
    assert second.text.count('<tr data-status=') == 3 and "Lote 23" in second.text
    assert_well_formed("/campaigns?page=2", second.text)


def test_edit_changes_name_any_time_but_practice_and_hours_only_while_draft(owner_ws):
    b, ws, _, pid = owner_ws
    pid2 = create_practice(b, ws, name="Consultorio Sur")
    cid = create_campaign(b, pid, name="Original", hours=2)
    page = b.get(f"/campaigns/{cid}/edit")
    assert_well_formed("/campaigns/:id/edit draft", page.text)
    r = b.submit(f"/campaigns/{cid}/edit", f"/campaigns/{cid}",
                 {"name": "Renombrada", "practice_id": pid2, "scheduled_hours_after": "6"})
    assert r.status_code == 303
    assert owner_sql("SELECT name, practice_id::text, scheduled_hours_after FROM campaigns "
                     "WHERE id = %s", (cid,)) == [("Renombrada", pid2, 6)]
    [(_, old, new, _)] = audit_rows(ws, "campaign.update")
    assert (old["name"], old["scheduled_hours_after"], old["practice_id"]) == ("Original", 2, pid)
    assert (new["name"], new["scheduled_hours_after"], new["practice_id"]) == ("Renombrada", 6, pid2)

    set_status(cid, "ACTIVE")
    page = b.get(f"/campaigns/{cid}/edit")
    assert 'name="practice_id"' not in page.text and "solo pueden cambiarse" in page.text
    assert_well_formed("/campaigns/:id/edit active", page.text)
    before = table_snapshot("campaigns", ws)
    r = b.submit(f"/campaigns/{cid}/edit", f"/campaigns/{cid}",
                 {"name": "Otra vez", "practice_id": pid, "scheduled_hours_after": "1"})
    assert r.status_code == 422 and "mientras la campaña está en borrador" in r.text
    assert table_snapshot("campaigns", ws) == before
    r = b.submit(f"/campaigns/{cid}/edit", f"/campaigns/{cid}", {"name": "Otra vez"})
    assert r.status_code == 303
    assert owner_sql("SELECT name, practice_id::text, scheduled_hours_after FROM campaigns "
                     "WHERE id = %s", (cid,)) == [("Otra vez", pid2, 6)]


# ---- activation and campaign_enqueue ------------------------------------------------------

def test_activate_enqueues_one_initial_per_contactable_patient_and_says_who_was_skipped(owner_ws):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid, hours=2)
    add_patient(ws, cid, hours_ago=-24, name="A futuro")                 # tomorrow: +2 h
    add_patient(ws, cid, hours_ago=-30, name="B correo", preferred_channel="EMAIL",
                email="b@example.ec", phone=None)
    add_patient(ws, cid, hours_ago=48, name="C hace dos días", preferred_channel="WHATSAPP")
    add_patient(ws, cid, hours_ago=24 * 8, name="D hace ocho días")        # skipped: too old
    add_patient(ws, cid, hours_ago=1, name="E sin consentimiento", has_consent=False)
    add_patient(ws, cid, hours_ago=1, name="F dado de baja", opted_out_at="2026-01-01")
    add_patient(ws, cid, hours_ago=1, name="G borrado", data_deleted_at="2026-01-01")
    listed = add_patient(ws, cid, hours_ago=1, name="H en la lista de bajas")
    owner_sql("INSERT INTO opt_outs (workspace_id, phone) SELECT workspace_id, phone "
              "FROM patients WHERE id = %s", (listed,))
    add_patient(ws, cid, hours_ago=-2, name="I correo sin correo", preferred_channel="EMAIL")

    r = b.submit(f"/campaigns/{cid}", f"/campaigns/{cid}/activate", {})
    assert r.status_code == 303
    assert r.headers["Location"] == f"/campaigns/{cid}?enqueued=3&past=1&blocked=5"
    assert status_of(cid) == "ACTIVE"
    page = b.get(r.headers["Location"])
    assert "Campaña activada: 3 mensajes programados." in page.text
    assert "Omitidos: 1 paciente con la cita de hace más de 7 días." in page.text
    assert "Omitidos: 5 pacientes sin consentimiento, dados de baja" in page.text
    assert_well_formed("/campaigns/:id after activation", page.text)

    rows = messages_of(cid)
    assert [(n, t, ch) for n, t, ch, _, _, _, _ in rows] == [
        ("A futuro", "INITIAL", "SMS"), ("B correo", "INITIAL", "EMAIL"),
        ("C hace dos días", "INITIAL", "WHATSAPP")]
    by_name = {r[0]: r for r in rows}
    # C is due at once, so the stack's sender may already have rendered and sent it; the
    # future ones wait untouched, content unrendered.
    for name in ("A futuro", "B correo"):
        _, _, _, st, content, scheduled, appointment = by_name[name]
        assert st == "PENDING" and content is None
        assert scheduled == appointment + datetime.timedelta(hours=2)
    # Two days ago + 2 hours is past: due now (the activation's transaction time).
    activated = one("SELECT created_at FROM audit_logs WHERE workspace_id = %s "
                    "AND action = 'campaign.activate'", (ws,))
    assert by_name["C hace dos días"][5] == activated
    [(_, old, new, _)] = audit_rows(ws, "campaign.activate")
    assert old == {"status": "DRAFT"}
    assert new == {"status": "ACTIVE", "enqueued": 3, "skipped_past": 1, "skipped_blocked": 5}

    # The detail page says why each patient without a message has none.
    for why in ("su cita fue hace más de 7 días", "no dio su consentimiento", "se dio de baja",
                "datos borrados", "no tiene teléfono o correo para su canal"):
        assert why in page.text, why


def test_activation_notifies_the_sender_only_when_a_message_is_due_now(owner_ws):
    b, ws, _, pid = owner_ws
    listen = dbutil.connect("rm_owner")
    dbutil.query(listen, "LISTEN rm_messages")
    try:
        later = create_campaign(b, pid)
        add_patient(ws, later, hours_ago=-48)
        assert b.submit(f"/campaigns/{later}", f"/campaigns/{later}/activate", {}).status_code == 303
        listen.poll()
        assert listen.notifies == []
        now = create_campaign(b, pid)
        add_patient(ws, now, hours_ago=5)
        assert b.submit(f"/campaigns/{now}", f"/campaigns/{now}/activate", {}).status_code == 303
        select.select([listen], [], [], 5)
        listen.poll()
        assert [n.channel for n in listen.notifies] == ["rm_messages"]
    finally:
        listen.close()


def test_campaign_enqueue_takes_only_the_listed_patients_and_never_twice(owner_ws):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    set_status(cid, "ACTIVE")
    p1, p2 = add_patient(ws, cid, hours_ago=-5), add_patient(ws, cid, hours_ago=-5)
    app = dbutil.app_connect(ws)
    try:
        q = "SELECT enqueued, skipped_past, skipped_blocked FROM campaign_enqueue(%s, %s::uuid[])"
        assert dbutil.query(app, q, (cid, [p1])) == [(1, 0, 0)]
        assert dbutil.query(app, q, (cid, [p1])) == [(0, 0, 0)]
        assert dbutil.query(app, q, (cid, None)) == [(1, 0, 0)]
        assert dbutil.query(app, q, (cid, None)) == [(0, 0, 0)]
    finally:
        app.close()
    assert one("SELECT count(*) FROM messages WHERE campaign_id = %s", (cid,)) == 2


def test_campaign_enqueue_does_nothing_for_a_draft_or_another_workspaces_campaign(owner_ws):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    add_patient(ws, cid)
    other, ws2, _ = new_workspace()
    app = dbutil.app_connect(ws2)      # RLS: ws's campaign is invisible here
    try:
        set_status(cid, "ACTIVE")
        assert dbutil.query(app, "SELECT * FROM campaign_enqueue(%s)", (cid,)) == [(0, 0, 0)]
        set_status(cid, "DRAFT")
        dbutil.set_workspace(app, ws)
        assert dbutil.query(app, "SELECT * FROM campaign_enqueue(%s)", (cid,)) == [(0, 0, 0)]
    finally:
        app.close()
    assert one("SELECT count(*) FROM messages WHERE campaign_id = %s", (cid,)) == 0


# ---- the lifecycle ---------------------------------------------------------------------------

TRANSITIONS = [
    # (from, action, allowed, resulting status or the reason shown)
    ("DRAFT", "activate", True, "ACTIVE"),
    ("DRAFT", "complete", False, "Una campaña en borrador no puede completarse"),
    ("DRAFT", "cancel", True, "CANCELLED"),
    ("ACTIVE", "activate", False, "La campaña ya está activa"),
    ("ACTIVE", "complete", True, "COMPLETED"),
    ("ACTIVE", "cancel", True, "CANCELLED"),
    ("COMPLETED", "activate", False, "Una campaña completada no puede volver a activarse"),
    ("COMPLETED", "complete", False, "La campaña ya está completada"),
    ("COMPLETED", "cancel", False, "Una campaña completada ya no puede cancelarse"),
    ("CANCELLED", "activate", False, "Una campaña cancelada no puede volver a activarse"),
    ("CANCELLED", "complete", False, "Una campaña cancelada no puede completarse"),
    ("CANCELLED", "cancel", False, "La campaña ya está cancelada"),
]


@pytest.mark.parametrize("start,action,allowed,outcome", TRANSITIONS)
def test_lifecycle_transition(owner_ws, start, action, allowed, outcome):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    set_status(cid, start)
    page = b.get(f"/campaigns/{cid}")
    offered = f'action="/campaigns/{cid}/{action}"' in page.text
    assert offered == allowed, "the page offers exactly the allowed actions"
    before = table_snapshot("campaigns", ws)
    r = csrf_post(b, f"/campaigns/{cid}/{action}")
    if allowed:
        assert r.status_code == 303
        assert status_of(cid) == outcome
        assert len(audit_rows(ws, f"campaign.{action}")) == 1
    else:
        assert r.status_code == 422 and outcome in r.text
        assert_well_formed("refused transition", r.text)
        assert table_snapshot("campaigns", ws) == before
        assert audit_rows(ws, f"campaign.{action}") == []


@pytest.mark.parametrize("action", ["cancel", "complete"])
def test_cancel_or_complete_moves_every_pending_message_to_cancelled_and_keeps_the_rest(owner_ws, action):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    for _ in range(3):
        add_patient(ws, cid, hours_ago=-24)
    sent = add_patient(ws, cid, hours_ago=-24)
    assert b.submit(f"/campaigns/{cid}", f"/campaigns/{cid}/activate", {}).status_code == 303
    owner_sql("UPDATE messages SET status = 'SENT', sent_at = now() WHERE patient_id = %s", (sent,))
    other = create_campaign(b, pid)
    add_patient(ws, other, hours_ago=-24)
    assert b.submit(f"/campaigns/{other}", f"/campaigns/{other}/activate", {}).status_code == 303
    other_before = table_snapshot("messages", ws)
    other_before = [m for m in other_before if other in m]

    r = b.submit(f"/campaigns/{cid}", f"/campaigns/{cid}/{action}", {})
    assert r.status_code == 303 and r.headers["Location"] == f"/campaigns/{cid}?cancelled=3"
    assert "Cancelados: 3 mensajes que aún no se habían enviado." in b.get(r.headers["Location"]).text
    assert sorted(s for _, _, _, s, _, _, _ in messages_of(cid)) == [
        "CANCELLED", "CANCELLED", "CANCELLED", "SENT"]
    assert [m for m in table_snapshot("messages", ws) if other in m] == other_before
    [(_, _, new, _)] = audit_rows(ws, f"campaign.{action}")
    assert new["cancelled_messages"] == 3


# ---- detail page ---------------------------------------------------------------------------

def test_detail_page_lists_patients_with_their_latest_message(owner_ws):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    set_status(cid, "ACTIVE")
    p = add_patient(ws, cid, hours_ago=-3, name="Ana Torres")
    add_patient(ws, cid, hours_ago=-3, name="Luis Mora", has_consent=False)
    owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel, status,"
              " sent_at, rating, replied_at, created_at) VALUES"
              " (%s, %s, %s, 'INITIAL', 'SMS', 'REPLIED', now() - interval '2 hours', 4,"
              "  now() - interval '1 hour', now() - interval '3 hours'),"
              " (%s, %s, %s, 'FOLLOWUP_HAPPY', 'SMS', 'SENT', now(), NULL, NULL, now())",
              (ws, p, cid, ws, p, cid))
    r = b.get(f"/campaigns/{cid}")
    assert r.status_code == 200
    assert_page_basics("/campaigns/:id", r.text)
    assert_well_formed("/campaigns/:id", r.text)
    row = re.search(r"Ana Torres</a>.*?</tr>", r.text, re.S).group(0)
    assert "Agradecimiento (4-5): Enviado" in row
    assert "Luis Mora" in r.text and "no dio su consentimiento" in r.text


def _waiting_figure(b, cid):
    page = b.get(f"/campaigns/{cid}").text
    return re.search(r'Programados</span><span class="value">([^<]*)<', page).group(1)


def _add_waiting(ws, cid, n):
    """n patients of the campaign, each with one PENDING message due tomorrow."""
    owner_sql("""WITH p AS (INSERT INTO patients (workspace_id, campaign_id, name, phone,
                                                   has_consent, appointment_time)
                            SELECT %s, %s, 'Paciente ' || i, '+5939' || (10000000 + i), true,
                                   now() + interval '1 day'
                              FROM generate_series(1, %s) i RETURNING id)
                 INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                       status, scheduled_at)
                 SELECT %s, p.id, %s, 'INITIAL', 'SMS', 'PENDING', now() + interval '1 day'
                   FROM p""", (ws, cid, n, ws, cid))


def test_detail_page_counts_waiting_messages_exactly_up_to_1000_then_says_more_than(owner_ws):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    set_status(cid, "ACTIVE")
    _add_waiting(ws, cid, 1000)
    sent = add_patient(ws, cid, hours_ago=-3)
    owner_sql("INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,"
              " status, sent_at) VALUES (%s, %s, %s, 'INITIAL', 'SMS', 'SENT', now())",
              (ws, sent, cid))
    assert _waiting_figure(b, cid) == "1000"
    _add_waiting(ws, cid, 1)
    assert _waiting_figure(b, cid) == "más de 1000"


# ---- roles and tenancy --------------------------------------------------------------------

def test_doctor_sees_and_changes_only_the_campaigns_they_created(owner_ws):
    b, ws, uid, pid = owner_ws
    owners = create_campaign(b, pid, name="Del propietario")
    doctor, doc_id = add_user(ws, "DOCTOR")
    mine = create_campaign(doctor, pid, name="De la doctora")
    assert one("SELECT created_by::text FROM campaigns WHERE id = %s", (mine,)) == doc_id
    listing = doctor.get("/campaigns").text
    assert "De la doctora" in listing and "Del propietario" not in listing
    assert "De la doctora" in b.get("/campaigns").text     # the owner sees everything
    add_patient(ws, owners)
    before = (table_snapshot("campaigns", ws), table_snapshot("messages", ws))
    assert doctor.get(f"/campaigns/{owners}").status_code == 404
    assert doctor.get(f"/campaigns/{owners}/edit").status_code == 404
    for action, data in ((f"/campaigns/{owners}", {"name": "Mía"}),
                         (f"/campaigns/{owners}/activate", {}),
                         (f"/campaigns/{owners}/cancel", {})):
        assert csrf_post(doctor, action, data).status_code == 404
    assert (table_snapshot("campaigns", ws), table_snapshot("messages", ws)) == before
    # Their own campaign they may run.
    assert doctor.submit(f"/campaigns/{mine}", f"/campaigns/{mine}/activate", {}).status_code == 303
    assert status_of(mine) == "ACTIVE"
    # And the owner may act on the doctor's.
    assert b.submit(f"/campaigns/{mine}", f"/campaigns/{mine}/complete", {}).status_code == 303


def test_receptionist_gets_403_on_every_campaign_page_and_action(owner_ws):
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    rec, _ = add_user(ws, "RECEPTIONIST")
    before = table_snapshot("campaigns", ws)
    for path in ("/campaigns", "/campaigns/new", f"/campaigns/{cid}", f"/campaigns/{cid}/edit"):
        assert rec.get(path).status_code == 403, path
    for action in ("/campaigns", f"/campaigns/{cid}", f"/campaigns/{cid}/activate",
                   f"/campaigns/{cid}/complete", f"/campaigns/{cid}/cancel"):
        assert csrf_post(rec, action, {"name": "X", "practice_id": pid,
                                       "scheduled_hours_after": "1"}).status_code == 403, action
    assert table_snapshot("campaigns", ws) == before


def test_another_workspaces_campaign_ids_answer_404_and_change_nothing(owner_ws):
    a, ws_a, _, pid = owner_ws
    cid = create_campaign(a, pid)
    add_patient(ws_a, cid, hours_ago=-5)
    b, ws_b, _ = new_workspace()
    create_practice(b, ws_b)
    before = (table_snapshot("campaigns", ws_a), table_snapshot("messages", ws_a))
    for path in (f"/campaigns/{cid}", f"/campaigns/{cid}/edit"):
        assert b.get(path).status_code == 404, path
    for action in (f"/campaigns/{cid}", f"/campaigns/{cid}/activate",
                   f"/campaigns/{cid}/complete", f"/campaigns/{cid}/cancel"):
        assert csrf_post(b, action, {"name": "Robada"}).status_code == 404, action
    assert b.get("/campaigns/no-es-un-id").status_code == 404
    assert (table_snapshot("campaigns", ws_a), table_snapshot("messages", ws_a)) == before
    assert cid not in b.get("/campaigns").text


def test_empty_workspace_pages_say_so_and_are_well_formed(owner_ws):
    b, ws, _, pid = owner_ws
    r = b.get("/campaigns")
    assert "Aún no hay campañas" in r.text
    assert_well_formed("/campaigns empty", r.text)
    cid = create_campaign(b, pid)
    r = b.get(f"/campaigns/{cid}")
    assert "Esta campaña aún no tiene pacientes" in r.text
    assert_well_formed("/campaigns/:id without patients", r.text)
    assert "No hay más campañas" in b.get("/campaigns?page=9").text


def test_campaign_text_is_escaped_on_every_page(owner_ws):
    b, ws, _, pid = owner_ws
    evil = '<script>alert("x")</script> & "comillas"'
    cid = create_campaign(b, pid, name=evil)
    owner_sql("UPDATE campaigns SET description = %s WHERE id = %s", (evil, cid))
    add_patient(ws, cid, name=evil)
    for path in ("/campaigns", f"/campaigns/{cid}", f"/campaigns/{cid}/edit"):
        page = b.get(path).text
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;alert" in page, path
        assert_well_formed(path, page)


def test_activation_that_fails_midway_leaves_nothing_half_done(owner_ws):
    """Activation is one transaction: when enqueueing fails (here a constraint that refuses
    e-mail messages, added for the test), the campaign stays DRAFT, no message exists and
    no audit row claims anything happened."""
    b, ws, _, pid = owner_ws
    cid = create_campaign(b, pid)
    add_patient(ws, cid, hours_ago=-24)
    add_patient(ws, cid, hours_ago=-24, preferred_channel="EMAIL", email="e@example.ec")
    page = b.get(f"/campaigns/{cid}")
    before = (table_snapshot("campaigns", ws), table_snapshot("messages", ws))
    owner_sql("ALTER TABLE messages ADD CONSTRAINT test_no_email CHECK (channel <> 'EMAIL') NOT VALID")
    try:
        r = b.post(f"/campaigns/{cid}/activate",
                   {"_csrf": re.search(r'name="_csrf" value="([0-9a-f]+)"', page.text).group(1)})
    finally:
        owner_sql("ALTER TABLE messages DROP CONSTRAINT test_no_email")
    assert r.status_code == 500 and "No se guardó ningún cambio" in r.text
    assert (table_snapshot("campaigns", ws), table_snapshot("messages", ws)) == before
    assert status_of(cid) == "DRAFT"
    assert audit_rows(ws, "campaign.activate") == []


def test_waiting_count_under_the_policy_reads_only_waiting_messages():
    """The campaign page counts a campaign's PENDING messages as rm_app, under row-level
    security, where status = 'PENDING' (an enum comparison, not leakproof) cannot be an
    index condition: messages_campaign_pending_idx answers from its predicate, without
    reading the campaign's other messages (an index on (campaign_id, status) read them
    all: 0119, reverted)."""
    ws = str(uuid.uuid4())
    conn = dbutil.app_connect()
    try:
        dbutil.set_workspace(conn, ws)
        plan = "\n".join(r[0] for r in dbutil.query(conn, """
            EXPLAIN (COSTS OFF)
            SELECT count(*) FROM messages pm
             WHERE pm.campaign_id = %s AND pm.status = 'PENDING'
               AND pm.workspace_id = %s""", (str(uuid.uuid4()), ws)))
    finally:
        conn.close()
    assert "messages_campaign_pending_idx" in plan, plan
