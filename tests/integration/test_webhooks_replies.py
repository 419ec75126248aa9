"""Patient replies by SMS and WhatsApp: ratings and their follow-ups, text and its one
clarification, opt-out and opt-in words, replays, and which clinic a reply belongs to."""
import select
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

import dbutil

from hookutil import (Clinic, no_sender, phone, post_twilio, post_whatsapp,  # noqa: F401
                      snapshot, wa_payload, wa_text)

SHARED_NUMBER = "+15005550006"

pytestmark = pytest.mark.usefixtures("no_sender")


def sms(from_, body, to=SHARED_NUMBER, sid=None, **extra):
    params = {"MessageSid": sid or "SM" + uuid.uuid4().hex, "AccountSid": "AC1",
              "From": from_, "To": to, "Body": body, "NumMedia": "0", **extra}
    return post_twilio("/hooks/twilio/inbound", params)


def by_id(clinic):
    return {m["id"]: m for m in clinic.messages()}


def of_type(clinic, type_):
    return [m for m in clinic.messages() if m["type"] == type_]


def test_sms_rating_5_replies_and_enqueues_a_happy_followup():
    c = Clinic()
    tel = phone()
    p = c.patient(tel)
    mid, _ = c.sent(p)
    r = sms(tel, "5 estrellas")
    assert r.status_code == 200
    assert "<Response>" in r.text
    m = by_id(c)[mid]
    assert (m["status"], m["rating"], m["reply_text"]) == ("REPLIED", 5, "5 estrellas")
    assert m["replied_at"] is not None
    [f] = of_type(c, "FOLLOWUP_HAPPY")
    assert f["patient_id"] == p and f["channel"] == "SMS"
    assert f["content"] is None        # the sender renders the workspace's default
    assert not of_type(c, "FOLLOWUP_UNHAPPY")


def test_sms_rating_2_enqueues_an_unhappy_followup():
    c = Clinic()
    tel = phone()
    mid, _ = c.sent(c.patient(tel))
    assert sms(tel, "le doy un 2").status_code == 200
    assert by_id(c)[mid]["rating"] == 2
    assert len(of_type(c, "FOLLOWUP_UNHAPPY")) == 1
    assert not of_type(c, "FOLLOWUP_HAPPY")


def test_a_second_reply_to_a_rated_message_changes_nothing_and_sends_nothing():
    c = Clinic()
    tel = phone()
    c.sent(c.patient(tel))
    assert sms(tel, "4").status_code == 200
    before = c.messages()
    assert sms(tel, "1").status_code == 200
    assert sms(tel, "no me gustó").status_code == 200
    assert c.messages() == before


def test_the_same_inbound_sms_delivered_twice_is_handled_once():
    c = Clinic()
    tel = phone()
    c.sent(c.patient(tel))
    assert sms(tel, "hola?", sid="SMdup" + uuid.uuid4().hex[:8]).status_code == 200
    first = snapshot()
    sid = c.rows("SELECT event_id FROM webhook_events WHERE workspace_id = %s", (c.id,))[0][0]
    assert sms(tel, "hola?", sid=sid).status_code == 200
    assert snapshot() == first
    assert len(of_type(c, "SERVICE")) == 1


def test_a_rating_delivered_again_changes_nothing_even_when_a_message_now_awaits_one():
    """A rating's replay guard is part of its rating statement (reply.c, RQ_RATE): the
    same inbound SMS delivered again after another campaign asked the patient rates
    nothing and enqueues nothing; a new reply does."""
    c = Clinic()
    tel = phone()
    p = c.patient(tel)
    first, _ = c.sent(p, hours_ago=3)
    sid = "SMrate" + uuid.uuid4().hex[:8]
    assert sms(tel, "4", sid=sid).status_code == 200
    assert by_id(c)[first]["rating"] == 4
    second, _ = c.sent(p, campaign=c.campaign_of(c.owner))     # now awaits a rating
    before = c.messages()
    assert sms(tel, "4", sid=sid).status_code == 200
    assert c.messages() == before
    assert sms(tel, "5").status_code == 200
    assert by_id(c)[second]["rating"] == 5
    assert len(of_type(c, "FOLLOWUP_HAPPY")) == 2


def test_text_reply_is_stored_with_one_clarification_at_most():
    c = Clinic()
    tel = phone()
    mid, _ = c.sent(c.patient(tel))
    assert sms(tel, "3 o 4").status_code == 200
    m = by_id(c)[mid]
    assert (m["status"], m["rating"], m["reply_text"]) == ("SENT", None, "3 o 4")
    [q] = of_type(c, "SERVICE")
    assert q["content"] == "Por favor responde con un número del 1 al 5."
    assert q["free"] is True
    assert sms(tel, "¿cómo así?").status_code == 200
    assert by_id(c)[mid]["reply_text"] == "¿cómo así?"
    assert len(of_type(c, "SERVICE")) == 1
    # A rating after the clarification still counts.
    assert sms(tel, "cuatro").status_code == 200
    assert by_id(c)[mid]["rating"] == 4
    assert len(of_type(c, "FOLLOWUP_HAPPY")) == 1


def test_baja_opts_out_cancels_pending_and_confirms_once_for_free():
    c = Clinic()
    tel = phone()
    p = c.patient(tel)
    c.sent(p)
    pending = c.rows("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type,
                               channel, status) VALUES (%s, %s, %s, 'REMINDER', 'SMS', 'PENDING')
                        RETURNING id""", (c.id, p, c.campaign))[0][0]
    assert sms(tel, "¡Baja!").status_code == 200
    assert c.rows("SELECT phone, channel::text, source FROM opt_outs WHERE workspace_id = %s",
                  (c.id,)) == [(tel, "SMS", "reply")]
    assert by_id(c)[pending]["status"] == "CANCELLED"
    [conf] = of_type(c, "SERVICE")
    assert conf["free"] is True and conf["status"] == "PENDING"
    assert "ALTA" in conf["content"]
    # Said twice: no second confirmation.
    assert sms(tel, "NO MÁS").status_code == 200
    assert len(of_type(c, "SERVICE")) == 1
    # ALTA undoes it.
    assert sms(tel, "alta").status_code == 200
    assert c.rows("SELECT count(*) FROM opt_outs WHERE workspace_id = %s", (c.id,)) == [(0,)]
    assert c.rows("SELECT opted_out_at FROM patients WHERE id = %s", (p,)) == [(None,)]


def test_reply_older_than_seven_days_changes_nothing():
    c = Clinic()
    tel = phone()
    mid, _ = c.sent(c.patient(tel), hours_ago=24 * 8)
    before = c.messages()
    assert sms(tel, "5").status_code == 200
    assert c.messages() == before


def test_reply_from_an_unknown_phone_writes_nothing():
    before = snapshot()
    assert sms(phone(), "5").status_code == 200
    assert snapshot() == before


def test_malformed_inbound_sms_is_400_and_writes_nothing():
    before = snapshot()
    assert post_twilio("/hooks/twilio/inbound", {"Body": "5", "From": "+593991234567"}
                       ).status_code == 400
    assert sms("0991234567", "5").status_code == 400        # not E.164
    assert sms("+593991234567", "5", NumMedia="many").status_code == 400
    assert snapshot() == before


def test_two_clinics_one_patient_the_reply_lands_where_a_rating_is_awaited():
    """Clinic A asked three hours ago and waits; clinic B wrote more recently but its
    question was already answered. The '2' belongs to A, never to B."""
    a, b = Clinic(), Clinic()
    tel = phone()
    a_msg, _ = a.sent(a.patient(tel), hours_ago=3)
    b_msg, _ = b.sent(b.patient(tel), hours_ago=1)
    b.rows("UPDATE messages SET status = 'REPLIED', rating = 5, replied_at = now() "
           "WHERE id = %s", (b_msg,))
    b_before = b.messages()
    assert sms(tel, "2").status_code == 200
    assert by_id(a)[a_msg]["rating"] == 2
    assert len(of_type(a, "FOLLOWUP_UNHAPPY")) == 1
    assert b.messages() == b_before


def test_two_clinics_own_numbers_decide_where_the_reply_goes():
    """A sends from its own number, B from the shared one; both wait for this patient.
    The reply's receiving number decides, whatever was sent last."""
    own = "+1500555" + str(uuid.uuid4().int)[:4]
    a, b = Clinic(sms_from=own), Clinic()
    tel = phone()
    a_msg, _ = a.sent(a.patient(tel), hours_ago=5)
    b_msg, _ = b.sent(b.patient(tel), hours_ago=1)
    assert sms(tel, "4", to=own).status_code == 200
    assert by_id(a)[a_msg]["rating"] == 4
    assert by_id(b)[b_msg]["rating"] is None
    assert sms(tel, "1", to=SHARED_NUMBER).status_code == 200
    assert by_id(b)[b_msg]["rating"] == 1
    assert by_id(a)[a_msg]["rating"] == 4


def test_whatsapp_text_rating_replies_and_enqueues_the_followup_on_whatsapp():
    c = Clinic()
    tel = phone()
    mid, _ = c.sent(c.patient(tel, channel="WHATSAPP"), channel="WHATSAPP")
    r = post_whatsapp(wa_payload(messages=[wa_text(tel, "⭐⭐⭐⭐⭐")]))
    assert r.status_code == 200
    assert by_id(c)[mid]["rating"] == 5
    [f] = of_type(c, "FOLLOWUP_HAPPY")
    assert f["channel"] == "WHATSAPP"


def test_whatsapp_sticker_is_kept_as_an_unreadable_reply():
    c = Clinic()
    tel = phone()
    mid, _ = c.sent(c.patient(tel, channel="WHATSAPP"), channel="WHATSAPP")
    sticker = {"from": tel.lstrip("+"), "id": "wamid.st" + uuid.uuid4().hex,
               "timestamp": "1", "type": "sticker", "sticker": {"id": "1", "mime_type": "x"}}
    assert post_whatsapp(wa_payload(messages=[sticker])).status_code == 200
    m = by_id(c)[mid]
    assert (m["rating"], m["reply_text"]) == (None, "[sticker]")
    assert len(of_type(c, "SERVICE")) == 1


def test_whatsapp_duplicate_message_is_handled_once():
    c = Clinic()
    tel = phone()
    c.sent(c.patient(tel, channel="WHATSAPP"), channel="WHATSAPP")
    msg = wa_text(tel, "3")
    assert post_whatsapp(wa_payload(messages=[msg])).status_code == 200
    before = snapshot()
    assert post_whatsapp(wa_payload(messages=[msg])).status_code == 200
    assert snapshot() == before
    assert len(of_type(c, "FOLLOWUP_UNHAPPY")) == 1


def test_rating_cancels_the_pending_reminder_and_a_completed_campaign_stays_completed():
    c = Clinic()
    tel = phone()
    p = c.patient(tel)
    c.sent(p, hours_ago=30)
    rem = c.rows("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                           status) VALUES (%s, %s, %s, 'REMINDER', 'SMS', 'PENDING')
                    RETURNING id""", (c.id, p, c.campaign))[0][0]
    c.rows("UPDATE campaigns SET status = 'COMPLETED' WHERE id = %s", (c.campaign,))
    assert sms(tel, "5").status_code == 200
    assert by_id(c)[rem]["status"] == "CANCELLED"
    assert c.rows("SELECT status::text FROM campaigns WHERE id = %s", (c.campaign,)) == \
        [("COMPLETED",)]
    assert len(of_type(c, "FOLLOWUP_HAPPY")) == 1


def test_two_clinics_sharing_a_number_both_waiting_the_most_recent_wins_and_it_is_logged():
    """Both ask the same phone from the shared number and both wait: the most recent
    question gets the answer, the other is untouched, and the webhooks log the ambiguity."""
    import os
    log = os.path.join(os.environ["RM_STATE"], "log", "webhooks.log")
    a, b = Clinic(), Clinic()
    tel = phone()
    a_msg, _ = a.sent(a.patient(tel), hours_ago=5)
    b_msg, _ = b.sent(b.patient(tel), hours_ago=2)
    a_before = a.messages()
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(0, os.SEEK_END)
        assert sms(tel, "4").status_code == 200
        lines = [ln for ln in f.read().splitlines() if "reply matches several workspaces" in ln]
    assert by_id(b)[b_msg]["rating"] == 4
    assert a.messages() == a_before
    assert len(lines) == 1
    assert f"workspace={b.id}" in lines[0] and "candidates=2" in lines[0]


def _notified(conn, seconds):
    """Whether a NOTIFY rm_messages reached conn within seconds (drains what came)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if select.select([conn], [], [], max(0.0, deadline - time.monotonic()))[0]:
            conn.poll()
            if conn.notifies:
                conn.notifies.clear()
                return True
    return False


def test_a_rating_wakes_the_sender_after_its_commit_and_an_unknown_phone_does_not():
    """The webhooks NOTIFY rm_messages (the sender's wake-up) in a transaction of their
    own after the reply's commit (fcgi/core/app.c), when the reply queued a message:
    the follow-up is already visible when the notification arrives."""
    c = Clinic()
    tel = phone()
    c.sent(c.patient(tel))
    listener = dbutil.connect("rm_app")
    try:
        dbutil.query(listener, "LISTEN rm_messages")
        _notified(listener, 0.2)                       # whatever came before
        assert sms(phone(), "5").status_code == 200    # nobody wrote to that phone
        assert not _notified(listener, 1)
        assert sms(tel, "5").status_code == 200
        assert _notified(listener, 5)
        assert len(of_type(c, "FOLLOWUP_HAPPY")) == 1
    finally:
        listener.close()


def _waits_for(pid, seconds=10):
    """Whether some backend comes to wait for a lock that backend pid holds."""
    with dbutil.connected("rm_owner") as conn:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if dbutil.scalar(conn, """SELECT EXISTS (SELECT 1 FROM pg_locks l
                                        WHERE NOT l.granted
                                          AND %s = ANY (pg_blocking_pids(l.pid)))""", (pid,)):
                return True
            time.sleep(0.02)
    return False


def test_a_rating_committed_while_a_reply_waits_for_its_message_wins_and_the_reply_does_nothing():
    """0131: app_reply_route names the awaiting message, then the reply locks it and checks
    again that it still awaits a rating. Here another transaction rates the message and
    holds it while the reply comes in: the route still sees it unrated, the reply waits
    for the row, and once the other rating commits the reply neither rates the message
    again nor queues a follow-up."""
    c = Clinic()
    tel = phone()
    mid, _ = c.sent(c.patient(tel))
    other = dbutil.connect("rm_owner", autocommit=False)
    try:
        pid = dbutil.scalar(other, "SELECT pg_backend_pid()")
        dbutil.query(other, """UPDATE messages SET status = 'REPLIED', rating = 2,
                                      replied_at = now(), reply_text = '2'
                                WHERE id = %s""", (mid,))
        with ThreadPoolExecutor(1) as pool:
            reply = pool.submit(sms, tel, "5")
            assert _waits_for(pid), "the reply never waited for the message's row"
            other.commit()
            assert reply.result(timeout=30).status_code == 200
    finally:
        other.close()
    m = by_id(c)[mid]
    assert (m["status"], m["rating"], m["reply_text"]) == ("REPLIED", 2, "2")
    assert not of_type(c, "FOLLOWUP_HAPPY") and not of_type(c, "FOLLOWUP_UNHAPPY")

