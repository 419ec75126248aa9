"""A patient answers after the campaign has ended (migration 0091).

COMPLETED is final: the campaign stays COMPLETED, and what answers the patient (the
follow-up, the clarification, the opt-out confirmation) is still sent, by the real sender
through the stand-in provider. CANCELLED: the answer is recorded, nothing is enqueued and
nothing is sent. Completing a campaign by hand cancels its pending rating requests, not
a follow-up already owed to a patient who answered."""
import uuid

import pytest

import dbutil
from hookutil import no_sender, post_twilio  # noqa: F401
from sender_util import received, senders, wait_for, ws  # noqa: F401
from web import Browser, DEMO_PASSWORD


pytestmark = pytest.mark.usefixtures("no_sender")


def asked(w, status):
    """A patient whose rating request went out an hour ago, in a campaign now in status."""
    pid, tel = w.patient(name="Ana Pérez")
    w.sql("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                   status, content, external_id, sent_at, scheduled_at)
             VALUES (%s, %s, %s, 'INITIAL', 'SMS', 'SENT', 'Hola', %s,
                     now() - interval '1 hour', now() - interval '1 hour')""",
          (w.id, pid, w.campaign, "SM" + uuid.uuid4().hex))
    w.sql("UPDATE campaigns SET status = %s WHERE id = %s", (status, w.campaign))
    return pid, tel


def answer(tel, body):
    r = post_twilio("/hooks/twilio/inbound", {
        "MessageSid": "SM" + uuid.uuid4().hex, "From": tel, "To": "+15005550006",
        "Body": body, "NumMedia": "0"})
    assert r.status_code == 200


def campaign_status(w):
    return w.sql("SELECT status::text FROM campaigns WHERE id = %s", (w.campaign,))[0][0]


def of_type(w, type_):
    return [m for m in w.messages() if m["type"] == type_]


def run_maintenance(w):
    """What the sender's once-a-minute maintenance runs, for this workspace."""
    w.sql("SELECT app_enqueue_reminders(%s), app_complete_campaigns(%s)", (w.id, w.id))


def test_reply_5_to_a_completed_campaign_sends_the_followup_and_it_stays_completed(ws, senders):
    pid, tel = asked(ws, "COMPLETED")
    answer(tel, "5")
    [initial] = of_type(ws, "INITIAL")
    assert (initial["status"], initial["rating"]) == ("REPLIED", 5)
    assert campaign_status(ws) == "COMPLETED"
    senders()
    [f] = wait_for(lambda: [m for m in of_type(ws, "FOLLOWUP_HAPPY") if m["status"] == "SENT"],
                   what="the happy follow-up sent")
    [got] = wait_for(lambda: received({tel}), what="the follow-up at the provider")
    assert got["body"] == f["content"] and "/r/" in got["body"]
    run_maintenance(ws)
    assert campaign_status(ws) == "COMPLETED"


def test_text_and_opt_out_to_a_completed_campaign_get_their_answers(ws, senders):
    pid, tel = asked(ws, "COMPLETED")
    senders()
    answer(tel, "gracias doctora")
    # One at a time: the opt-out cancels whatever is still queued for the phone.
    wait_for(lambda: len(received({tel})) == 1, what="the clarification")
    answer(tel, "BAJA")
    wait_for(lambda: len(received({tel})) == 2, what="the opt-out confirmation")
    bodies = [m["body"] for m in received({tel})]
    assert bodies == ["Por favor responde con un número del 1 al 5.",
                      "Listo, no recibirás más mensajes. Si fue un error, responde ALTA."]
    assert campaign_status(ws) == "COMPLETED"


def test_reply_5_to_a_cancelled_campaign_is_stored_and_enqueues_nothing(ws, senders):
    pid, tel = asked(ws, "CANCELLED")
    before = [(m["id"], m["type"]) for m in ws.messages()]
    answer(tel, "5")
    [initial] = of_type(ws, "INITIAL")
    assert (initial["status"], initial["rating"], initial["reply_text"]) == ("REPLIED", 5, "5")
    assert [(m["id"], m["type"]) for m in ws.messages()] == before   # no follow-up row
    assert campaign_status(ws) == "CANCELLED"


def test_text_and_opt_out_to_a_cancelled_campaign_are_recorded_and_nothing_is_sent(ws):
    pid, tel = asked(ws, "CANCELLED")
    answer(tel, "no entiendo")
    answer(tel, "BAJA")
    [initial] = of_type(ws, "INITIAL")
    assert initial["reply_text"] == "no entiendo"
    assert ws.sql("SELECT count(*) FROM opt_outs WHERE workspace_id = %s AND phone = %s",
                  (ws.id, tel)) == [(1,)]
    assert [m["type"] for m in ws.messages()] == ["INITIAL"]


def test_completing_by_hand_cancels_pending_requests_but_not_an_owed_followup(ws, senders):
    pid, tel = asked(ws, "ACTIVE")
    waiting, _ = ws.patient(name="Luis Mora")
    pending = ws.enqueue(waiting, "INITIAL", "SMS", notify=False)
    answer(tel, "2")
    [f] = of_type(ws, "FOLLOWUP_UNHAPPY")
    b = Browser()
    email = ws.sql("SELECT email FROM users WHERE id = %s", (ws.owner,))[0][0]
    with dbutil.connected("rm_owner") as conn:   # the owner signs in with the demo password
        dbutil.query(conn, """UPDATE users SET password_hash = (SELECT password_hash FROM users
                               WHERE email = 'demo@reputationmanager.com') WHERE id = %s""",
                     (ws.owner,))
    assert b.login(email, DEMO_PASSWORD).status_code == 303
    r = b.submit(f"/campaigns/{ws.campaign}", f"/campaigns/{ws.campaign}/complete", {})
    assert r.status_code == 303 and r.headers["Location"].endswith("?cancelled=1")
    assert ws.message(pending)["status"] == "CANCELLED"
    assert ws.message(str(f["id"]))["status"] == "PENDING"
    senders()
    wait_for(lambda: ws.message(str(f["id"]))["status"] == "SENT", what="the follow-up sent")
    assert campaign_status(ws) == "COMPLETED"
