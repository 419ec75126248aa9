"""The sender through the real stack: PostgreSQL, the sender binary, the stand-in providers.

Each test has a workspace of its own and runs senders of its own (the stack's sender is
stopped for this module). Time is never waited out: sending hours are moved through the
practice's timezone, a lease runs out by moving locked_until back.
"""
import base64
import email
import email.policy
import hashlib
import hmac
import signal
import time
import urllib.error
import urllib.parse

import pytest

import dbutil
from sender_util import (FAKE, Workspace, fake, fake_fail, fake_reset, own_senders,  # noqa: F401
                         received, sender_env, senders, wait_for, ws)


@pytest.fixture(scope="module", autouse=True)
def _own_senders():
    with own_senders():
        yield


def settled(w, n):
    """All n messages out of PENDING-due and SENDING."""
    def check():
        c = w.counts()
        return sum(c.values()) == n and not c.get("SENDING") and not c.get("PENDING") and c
    return check


# --- channels ---------------------------------------------------------------------------

def test_sms_reaches_twilio_with_basic_auth_rendered_body_and_status_callback(ws, senders):
    pid, phone = ws.patient(name="Juan Pérez")
    mid = ws.enqueue(pid, "INITIAL", "SMS")
    senders()
    wait_for(lambda: ws.message(mid)["status"] == "SENT", what="SMS sent")
    [got] = received({phone})
    assert got["auth_ok"] is True
    assert got["body"] == ("Hola Juan Pérez, ¿cómo calificarías tu visita al Clínica Norte? "
                           "Responde del 1 al 5.")
    assert got["from"] == sender_env()["TWILIO_FROM"]
    assert got["status_callback"] == sender_env()["RM_PUBLIC_BASE_URL"] + "/hooks/twilio/status"
    m = ws.message(mid)
    assert m["external_id"] == got["sid"] and m["external_id"].startswith("SM")
    assert m["content"] == got["body"], "the rendered text is stored on the message"
    assert m["sent_at"] is not None and m["attempts"] == 1
    assert ws.credits() == 99


def test_whatsapp_initial_goes_as_template_with_body_parameters_and_followup_as_text(ws, senders):
    pid, phone = ws.patient(name="María García", channel="WHATSAPP")
    first = ws.enqueue(pid, "INITIAL", "WHATSAPP")
    follow = ws.enqueue(pid, "FOLLOWUP_HAPPY", "WHATSAPP")
    senders()
    wait_for(settled(ws, 2), what="both sent")
    got = received({phone})
    assert len(got) == 2 and all(g["auth_ok"] for g in got)
    assert all(g["to"] == phone.lstrip("+") for g in got), "numbers go without the +"
    tpl = next(g["json"] for g in got if g["type"] == "template")
    assert tpl["template"]["name"] == "solicitud_calificacion"
    assert tpl["template"]["language"] == {"code": "es"}
    assert tpl["template"]["components"] == [{"type": "body", "parameters": [
        {"type": "text", "text": "María García"}, {"type": "text", "text": "Clínica Norte"}]}]
    text = next(g for g in got if g["type"] == "text")
    assert text["body"].startswith("¡Gracias, María García! Nos alegra que tu visita al Clínica Norte")
    assert "/r/" in text["body"], "the review link is rendered"
    assert ws.message(first)["external_id"].startswith("wamid.")
    assert ws.message(follow)["status"] == "SENT"
    assert ws.credits() == 98


def test_email_goes_through_smtp_auth_as_utf8_message_with_list_unsubscribe(ws, senders):
    pid, _ = ws.patient(name="Lucía Núñez", phone=None, email="lucia@example.ec", channel="EMAIL")
    mid = ws.enqueue(pid, "FOLLOWUP_UNHAPPY", "EMAIL")
    senders()
    wait_for(lambda: ws.message(mid)["status"] == "SENT", what="email sent")
    [got] = received({"lucia@example.ec"})
    assert got["auth_ok"] is True
    msg = email.message_from_string(got["raw"], policy=email.policy.default)
    assert str(msg["Subject"]) == "Clínica Norte: gracias por tu respuesta"
    assert "=?UTF-8?B?" in got["raw"], "the subject is RFC 2047 encoded"
    assert msg["Date"] and msg["Message-ID"] == ws.message(mid)["external_id"]
    unsub = msg["List-Unsubscribe"]
    assert unsub.startswith("<" + sender_env()["RM_BASE_URL"] + "/u/") and unsub.endswith(">")
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith("Lamentamos que tu visita al Clínica Norte no haya sido la que esperabas, Lucía Núñez.")
    assert "/f/" in body and "/r/" in body
    assert ws.credits() == 99


def test_twilio_status_callbacks_are_posted_with_a_valid_signature(ws, senders):
    fake("/_fake/config", {"callbacks": True})
    pid, phone = ws.patient()
    ws.enqueue(pid)
    senders()
    cbs = wait_for(lambda: [c for c in fake("/_fake/callbacks") if c["body"].get("To") == phone]
                   if len([c for c in fake("/_fake/callbacks") if c["body"].get("To") == phone]) == 2
                   else None, what="two status callbacks")
    token = sender_env()["TWILIO_AUTH_TOKEN"]
    for cb in cbs:
        data = cb["url"] + "".join(k + cb["body"][k] for k in sorted(cb["body"]))
        want = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
        assert cb["headers"]["X-Twilio-Signature"] == want
    assert [c["body"]["MessageStatus"] for c in cbs] == ["sent", "delivered"]


# --- credits ----------------------------------------------------------------------------

def test_more_messages_than_credits_sends_exactly_the_credits_and_the_rest_wait(senders):
    fake_reset()
    w = Workspace(credits=3)
    try:
        pts = w.patients(5)
        w.enqueue_many(pts)
        senders()
        wait_for(lambda: w.counts().get("SENT") == 3 and
                 len([m for m in w.messages() if m["error"] == "sin créditos"]) == 2,
                 what="3 sent, 2 waiting")
        assert w.credits() == 0
        waiting = [m for m in w.messages() if m["status"] == "PENDING"]
        assert len(waiting) == 2 and all(m["error"] == "sin créditos" for m in waiting)
        assert len(received({p[1] for p in pts})) == 3
    finally:
        w.drop()


def test_due_lookup_finds_due_work_ignores_what_waits_and_serves_the_longest_waiting_first():
    """app_due_workspaces (0134) reads the due messages in due order: a workspace whose
    PENDING messages all lie ahead is not due; in a backlog of more than 10,000 overdue
    messages the workspaces of the 10,000 that waited longest come first, and the next
    workspace once those leave PENDING. No sender runs in this module."""
    ahead, backlog, later = Workspace(), Workspace(), Workspace()

    def due():
        with dbutil.connected("rm_app") as c:
            return {str(r[0]) for r in dbutil.query(c, "SELECT * FROM app_due_workspaces(1000)")}

    try:
        for w, n, when in ((ahead, 50, "now() + interval '1 day'"),
                           (backlog, 10000, "now() - interval '1000 days'"),
                           (later, 1, "now() - interval '999 days'")):
            w.enqueue_many(w.patients(n))
            w.sql(f"UPDATE messages SET scheduled_at = {when} WHERE workspace_id = %s", (w.id,))
        found = due()
        assert backlog.id in found and later.id not in found and ahead.id not in found
        backlog.sql("UPDATE messages SET status = 'CANCELLED' WHERE workspace_id = %s",
                    (backlog.id,))
        found = due()
        assert later.id in found and backlog.id not in found and ahead.id not in found
    finally:
        for w in (ahead, backlog, later):
            w.drop()


def test_an_open_claim_does_not_hold_up_a_callback_of_the_same_workspace():
    """0113: the claim locks the workspace's credits FOR NO KEY UPDATE, which lets the
    foreign-key check of a webhook_events row (FOR KEY SHARE on the workspace) through.
    With FOR UPDATE the callback waited for the claim's commit (here: the timeout)."""
    w = Workspace(credits=5)
    claim = dbutil.connect("rm_app", autocommit=False)
    callback = dbutil.app_connect(w.id)
    try:
        w.enqueue(w.patient()[0], notify=False)
        with claim.cursor() as cur:
            cur.execute("SELECT set_config('app.workspace_id', %s, true)", (w.id,))
            cur.execute("SELECT count(*) FROM sender_claim(10, 60)")
            assert cur.fetchone()[0] == 1
            assert w.credits() == 5                   # the claim is not committed yet
            dbutil.query(callback, "SET statement_timeout = '3s'")
            assert dbutil.query(callback, """
                INSERT INTO webhook_events (workspace_id, provider, event_id, processed_at)
                VALUES (%s, 'twilio', %s, now()) RETURNING 1""",
                                (w.id, "SMclaim" + w.id[:8])) == [(1,)]
        claim.commit()
        assert w.credits() == 4
    finally:
        claim.close()
        callback.close()
        w.drop()


def test_free_message_goes_out_with_no_credit_left(senders):
    fake_reset()
    w = Workspace(credits=0)
    try:
        pid, phone = w.patient()
        paid = w.enqueue(pid, "INITIAL", content="pagado")
        free = w.enqueue(pid, "FOLLOWUP_HAPPY", content="confirmación de baja", free=True)
        senders()
        wait_for(lambda: w.message(free)["status"] == "SENT", what="free message sent")
        assert w.credits() == 0
        assert w.message(paid)["status"] == "PENDING"
        assert [g["body"] for g in received({phone})] == ["confirmación de baja"]
    finally:
        w.drop()


def test_two_senders_racing_on_2000_messages_send_each_exactly_once(senders):
    fake_reset()
    w = Workspace(credits=2000)
    try:
        pts = w.patients(2000)
        w.enqueue_many(pts, prefix="carrera")
        senders("a", RM_SENDER_BATCH=100)
        senders("b", RM_SENDER_BATCH=100)
        wait_for(settled(w, 2000), timeout=120, what="2000 sent")
        assert w.counts() == {"SENT": 2000}
        bodies = [g["body"] for g in received({p[1] for p in pts})]
        assert len(bodies) == 2000 and len(set(bodies)) == 2000
        assert w.credits() == 0
    finally:
        w.drop()


# --- failures ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["429", "500", "timeout"])
def test_transient_failure_goes_back_to_pending_later_with_the_credit_returned(ws, senders, kind):
    pid, phone = ws.patient()
    fake_fail(phone, kind)
    mid = ws.enqueue(pid)
    senders(RM_SENDER_TIMEOUT_SECONDS=1, RM_SENDER_LEASE_SECONDS=10)
    m = wait_for(lambda: (lambda m: m["attempts"] == 1 and m["status"] == "PENDING" and m)(ws.message(mid)),
                 what="retry scheduled")
    with dbutil.connected("rm_owner") as c:
        delay = dbutil.scalar(c, "SELECT extract(epoch FROM scheduled_at - now()) FROM messages "
                                 "WHERE id = %s", (mid,))
    assert 5 < delay <= 46, "first backoff is 30 s with jitter 0.5-1.5"
    assert m["error"]
    assert ws.credits() == 100


def test_fifth_transient_failure_ends_failed_with_the_credit_returned(ws, senders):
    pid, phone = ws.patient()
    fake_fail(phone, "500")
    mid = ws.enqueue(pid, notify=False)
    ws.sql("UPDATE messages SET attempts = 4 WHERE id = %s", (mid,))
    senders()
    m = wait_for(lambda: (lambda m: m["status"] == "FAILED" and m)(ws.message(mid)), what="failed")
    assert m["attempts"] == 5 and m["error"].endswith("(5 intentos)")
    assert ws.credits() == 100


def test_invalid_number_fails_with_the_providers_text_and_the_credit_returned(ws, senders):
    pid, phone = ws.patient()
    fake_fail(phone, "invalid")
    mid = ws.enqueue(pid)
    senders()
    m = wait_for(lambda: (lambda m: m["status"] == "FAILED" and m)(ws.message(mid)), what="failed")
    assert "21211" in m["error"] and "is not a valid phone number" in m["error"]
    assert ws.credits() == 100


def test_twilio_21610_fails_and_puts_the_phone_on_the_opt_out_list(ws, senders):
    pid, phone = ws.patient()
    fake_fail(phone, "21610")
    mid = ws.enqueue(pid)
    senders()
    m = wait_for(lambda: (lambda m: m["status"] == "FAILED" and m)(ws.message(mid)), what="failed")
    assert "21610" in m["error"]
    assert ws.sql("SELECT source FROM opt_outs WHERE workspace_id = %s AND phone = %s",
                  (ws.id, phone)) == [("carrier",)]
    assert ws.credits() == 100
    # The next message to that phone is cancelled at claim time, never sent.
    again = ws.enqueue(pid, "REMINDER")
    wait_for(lambda: ws.message(again)["status"] == "CANCELLED", what="cancelled")
    assert len(received({phone})) == 1


def test_whatsapp_invalid_number_fails_permanently(ws, senders):
    pid, phone = ws.patient(channel="WHATSAPP")
    fake_fail(phone, "invalid")
    mid = ws.enqueue(pid, "FOLLOWUP_HAPPY", "WHATSAPP")
    senders()
    m = wait_for(lambda: (lambda m: m["status"] == "FAILED" and m)(ws.message(mid)), what="failed")
    assert "131026" in m["error"]
    assert ws.credits() == 100


def test_smtp_550_fails_permanently_and_451_is_retried(ws, senders):
    p1, _ = ws.patient(phone=None, email="nadie@example.ec", channel="EMAIL")
    p2, _ = ws.patient(phone=None, email="luego@example.ec", channel="EMAIL")
    fake_fail("nadie@example.ec", "550")
    fake_fail("luego@example.ec", "451")
    m1 = ws.enqueue(p1, "INITIAL", "EMAIL")
    m2 = ws.enqueue(p2, "INITIAL", "EMAIL")
    senders()
    wait_for(lambda: ws.message(m1)["status"] == "FAILED" and ws.message(m2)["attempts"] == 1,
             what="both answered")
    assert "550" in ws.message(m1)["error"]
    assert ws.message(m2)["status"] == "PENDING"
    assert ws.credits() == 100


def test_opted_out_erased_and_unconsented_patients_are_cancelled_without_a_credit(ws, senders):
    p1, ph1 = ws.patient(email="baja@example.ec")
    ws.sql("INSERT INTO opt_outs (workspace_id, email, source) VALUES (%s, 'baja@example.ec', 'link')",
           (ws.id,))
    p2, ph2 = ws.patient(consent=False)
    p3, ph3 = ws.patient()
    ws.sql("UPDATE patients SET data_deleted_at = now() WHERE id = %s", (p3,))
    ids = [ws.enqueue(p) for p in (p1, p2, p3)]
    senders()
    wait_for(lambda: all(ws.message(i)["status"] == "CANCELLED" for i in ids), what="cancelled")
    assert [ws.message(i)["error"] for i in ids] == [
        "paciente dado de baja", "sin consentimiento", "paciente borrado"]
    assert ws.credits() == 100
    assert received({ph1, ph2, ph3, "baja@example.ec"}) == []


# --- sending hours ----------------------------------------------------------------------

def local_hour_outside_and_inside():
    """Two IANA zones: one where it is now night (outside 08-21), one where it is day."""
    zones = ["Pacific/Kiritimati", "Asia/Tokyo", "Europe/Madrid", "America/Guayaquil",
             "Pacific/Honolulu", "Pacific/Pago_Pago", "Asia/Kolkata"]
    with dbutil.connected("rm_owner") as c:
        hours = {z: dbutil.scalar(c, "SELECT extract(hour FROM now() AT TIME ZONE %s)", (z,))
                 for z in zones}
    night = next(z for z, h in hours.items() if h < 7 or h >= 22)
    day = next(z for z, h in hours.items() if 9 <= h < 20)
    return night, day


def test_initial_waits_outside_the_practices_sending_hours_and_followups_do_not(ws, senders):
    night, day = local_hour_outside_and_inside()
    ws.sql("UPDATE practices SET timezone = %s, sending_start = '08:00', sending_end = '21:00' "
           "WHERE id = %s", (night, ws.practice))
    pid, phone = ws.patient()
    initial = ws.enqueue(pid, "INITIAL")
    reminder = ws.enqueue(pid, "REMINDER")
    follow = ws.enqueue(pid, "FOLLOWUP_HAPPY")
    senders()
    wait_for(lambda: ws.message(follow)["status"] == "SENT", what="follow-up sent")
    # The sender has been round at least once more since: the rating requests still wait.
    s2 = ws.enqueue(pid, "FOLLOWUP_UNHAPPY")
    wait_for(lambda: ws.message(s2)["status"] == "SENT", what="second follow-up sent")
    assert ws.message(initial)["status"] == "PENDING"
    assert ws.message(reminder)["status"] == "PENDING"
    # Morning comes to the practice: the same hours in a zone where it is day.
    ws.sql("UPDATE practices SET timezone = %s WHERE id = %s", (day, ws.practice))
    ws.sql("SELECT pg_notify('rm_messages', '')")
    wait_for(lambda: ws.message(initial)["status"] == "SENT" and
             ws.message(reminder)["status"] == "SENT", what="requests sent in the day")
    assert len(received({phone})) == 4


# --- crashes and signals ----------------------------------------------------------------

def test_kill_9_mid_batch_of_1000_sends_nothing_twice_and_leaves_nothing_stuck(senders):
    # Slow answers (50 ms, 4 at a time: 2.5 s a batch) so the kill lands inside a batch.
    fake_reset(delay_ms=50)
    w = Workspace(credits=1000)
    try:
        pts = w.patients(1000)
        w.enqueue_many(pts, prefix="kill")
        s = senders("victim", RM_SENDER_BATCH=200, RM_SENDER_PARALLEL=4)
        wait_for(lambda: w.counts().get("SENT", 0) >= 1 and w.counts().get("SENDING", 0) >= 1,
                 what="a batch in flight after one recorded")
        s.signal(signal.SIGKILL)
        s.proc.wait(10)
        stuck = w.counts().get("SENDING", 0)
        assert stuck > 0
        # The lease runs out: moved through the database, not waited for.
        w.sql("UPDATE messages SET locked_until = now() - interval '1 second' "
              "WHERE workspace_id = %s AND status = 'SENDING'", (w.id,))
        fake("/_fake/config", {"delay_ms": 0})
        senders("rescuer")
        wait_for(settled(w, 1000), timeout=120, what="everything settled")
        msgs = w.messages()
        assert {m["status"] for m in msgs} <= {"SENT", "FAILED"}
        failed = [m for m in msgs if m["status"] == "FAILED"]
        assert failed and all(m["error"] == "resultado desconocido" for m in failed)
        bodies = [g["body"] for g in received({p[1] for p in pts})]
        assert len(bodies) == len(set(bodies)), "nothing reached the provider twice"
        sent = {m["content"] for m in msgs if m["status"] == "SENT"}
        assert sent <= set(bodies)
        # Credits: every SENT and every unknown outcome keeps its credit.
        assert w.credits() == 1000 - len(msgs)
    finally:
        w.drop()


def test_sigterm_mid_batch_finishes_and_records_the_batch_in_hand(senders):
    fake_reset(delay_ms=20)
    w = Workspace(credits=300)
    try:
        pts = w.patients(300)
        w.enqueue_many(pts, prefix="term")
        s = senders("term", RM_SENDER_BATCH=150, RM_SENDER_PARALLEL=8)
        wait_for(lambda: w.counts().get("SENDING", 0) >= 1, what="a batch in flight")
        s.signal(signal.SIGTERM)
        assert s.proc.wait(60) == 0
        assert "sender stopped" in s.output()
        c = w.counts()
        assert not c.get("SENDING"), c
        assert c.get("SENT", 0) >= 1 and c.get("SENT", 0) + c.get("PENDING", 0) == 300
        sent = {m["content"] for m in w.messages() if m["status"] == "SENT"}
        bodies = [g["body"] for g in received({p[1] for p in pts})]
        assert sorted(bodies) == sorted(sent), "what went out is exactly what is SENT"
        assert w.credits() == 300 - len(sent)
    finally:
        w.drop()


def test_one_log_line_per_batch_and_no_secret_in_the_log(ws, senders):
    pid, _ = ws.patient()
    mid = ws.enqueue(pid)
    s = senders()
    wait_for(lambda: ws.message(mid)["status"] == "SENT", what="sent")
    s.stop()
    out = s.output()
    lines = [l for l in out.splitlines() if 'msg=batch' in l and ws.id in l]
    assert len(lines) == 1 and "claimed=1 sent=1" in lines[0]
    env = sender_env()
    for secret in ("RM_SECRET_KEY", "TWILIO_AUTH_TOKEN", "WHATSAPP_TOKEN", "SMTP_PASSWORD"):
        assert env[secret] not in out


# --- the phone simulator ----------------------------------------------------------------

def test_phone_simulator_shows_the_conversation_and_posts_a_signed_inbound_reply(ws, senders):
    import urllib.request
    pid, phone = ws.patient(name="Pedro Simulado")
    mid = ws.enqueue(pid, content="¿Cómo calificarías tu visita?")
    senders()
    wait_for(lambda: ws.message(mid)["status"] == "SENT", what="sent")
    page = urllib.request.urlopen(FAKE + "/", timeout=10).read().decode()
    assert "Simulador de teléfono" in page and phone in page
    assert "¿Cómo calificarías tu visita?" in page
    data = urllib.parse.urlencode({"to": phone, "channel": "SMS", "body": "5"}).encode()
    req = urllib.request.Request(FAKE + "/_fake/reply", data=data, method="POST")
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    try:
        opener.open(req, timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 303
    [cb] = [c for c in fake("/_fake/callbacks") if c["url"].endswith("/hooks/twilio/inbound")]
    assert cb["body"]["From"] == phone and cb["body"]["Body"] == "5"
    token = sender_env()["TWILIO_AUTH_TOKEN"]
    data = cb["url"] + "".join(k + cb["body"][k] for k in sorted(cb["body"]))
    want = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    assert cb["headers"]["X-Twilio-Signature"] == want


def test_dashboard_links_the_phone_simulator_when_the_stand_ins_are_used():
    from web import Browser
    b = Browser()
    b.login()
    page = b.get("/").text
    assert f'href="{FAKE}/"' in page and "Simulador de teléfono" in page


def test_every_template_variable_is_rendered_at_claim_time(ws, senders):
    ws.sql("UPDATE templates SET content = %s WHERE workspace_id = %s AND type = 'INITIAL' "
           "AND is_default", ("{{name}}|{{doctor}}|{{practice}}|{{appointmentType}}|{{date}}",
                              ws.id))
    pid, phone = ws.patient(name="Rosa Vélez")
    mid = ws.enqueue(pid)
    senders()
    wait_for(lambda: ws.message(mid)["status"] == "SENT", what="sent")
    assert ws.message(mid)["content"] == (
        "Rosa Vélez|Dra. Ana Torres|Clínica Norte|Consulta general|lunes 17 de noviembre, 09:00")
    assert [g["body"] for g in received({phone})] == [ws.message(mid)["content"]]
