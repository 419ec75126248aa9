"""Delivery statuses that arrive before the sender has recorded the provider's id.

Twilio's 'sent' (even 'delivered') callback can beat the sender's own sender_complete.
Such a callback is kept (early_statuses, migration 0090) and applied when the id is
recorded, with the never-backwards rule; a kept callback whose id never shows up is
dropped after 24 hours by the sender's maintenance.

The first tests go through the whole stack: the stand-in provider posts its signed
callbacks through nginx to the webhooks and only then answers the sender's API call
(callbacks_first), so the callbacks always come first. The others post the callback
themselves, then record the id through sender_complete as the sender does."""
import json

import pytest

import dbutil
from hookutil import (Clinic, no_sender, phone, post_twilio, post_whatsapp,  # noqa: F401
                      snapshot, wa_payload)
from sender_util import Workspace, fake, fake_reset, senders, wait_for  # noqa: F401


pytestmark = pytest.mark.usefixtures("no_sender")


@pytest.fixture
def ws():
    fake_reset()
    fake("/_fake/config", {"callbacks_first": True})
    w = Workspace(credits=100)
    yield w
    fake_reset()
    w.drop()


def kept(external_id):
    with dbutil.connected("rm_owner") as conn:
        return dbutil.query(conn, """SELECT provider, provider_status, status::text, error
                                       FROM early_statuses WHERE external_id = %s
                                      ORDER BY received_at""", (external_id,))


def events(workspace):
    with dbutil.connected("rm_owner") as conn:
        return sorted(r[0] for r in dbutil.query(
            conn, "SELECT event_id FROM webhook_events WHERE workspace_id = %s", (workspace,)))


def callbacks_answered():
    return [(c["body"].get("MessageStatus") if isinstance(c["body"], dict)
             and "MessageStatus" in c["body"] else "whatsapp", c["status"])
            for c in fake("/_fake/callbacks")]


# ---- through the whole stack -------------------------------------------------------------

def test_twilio_callbacks_posted_before_the_sender_records_the_sid_are_applied_when_it_does(ws, senders):
    pid, to = ws.patient()
    mid = ws.enqueue(pid, "INITIAL", "SMS")
    senders()
    m = wait_for(lambda: (lambda m: m["external_id"] and m)(ws.message(mid)),
                 what="the sid recorded")
    # Both callbacks reached the webhooks (and were answered 200) before the sid existed.
    assert callbacks_answered() == [("sent", 200), ("delivered", 200)]
    assert m["status"] == "DELIVERED"
    assert m["delivered_at"] is not None
    assert kept(m["external_id"]) == []
    assert events(ws.id) == sorted([m["external_id"] + ":sent",
                                    m["external_id"] + ":delivered"])


def test_whatsapp_callbacks_posted_before_the_sender_records_the_wamid_are_applied_when_it_does(ws, senders):
    pid, to = ws.patient(channel="WHATSAPP")
    mid = ws.enqueue(pid, "INITIAL", "WHATSAPP")
    senders()
    m = wait_for(lambda: (lambda m: m["external_id"] and m)(ws.message(mid)),
                 what="the wamid recorded")
    assert [s for _, s in callbacks_answered()] == [200, 200]
    assert m["status"] == "DELIVERED" and m["delivered_at"] is not None
    assert kept(m["external_id"]) == []


# ---- the rule, with the id recorded by sender_complete -----------------------------------

def sending(clinic, channel="SMS"):
    """A message the sender has claimed (SENDING) and not yet recorded."""
    p = clinic.patient(phone(), channel=channel)
    with dbutil.connected("rm_owner") as conn:
        return dbutil.scalar(conn, """
            INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                                  status, content, attempts, locked_until)
            VALUES (%s, %s, %s, 'INITIAL', %s, 'SENDING', 'Hola', 0, now() + interval '1 minute')
            RETURNING id""", (clinic.id, p, clinic.campaign, channel))


def complete(clinic, mid, outcome, external_id):
    """What the sender's second transaction does, as rm_app scoped to the workspace."""
    conn = dbutil.app_connect(clinic.id)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT sender_complete(%s::jsonb)", (json.dumps(
                [{"id": str(mid), "outcome": outcome, "external_id": external_id,
                  "cost": 0.0079, "error": None if outcome == "sent" else "boom"}]),))
        conn.commit()
    finally:
        conn.close()


def status(ext, value, **extra):
    return post_twilio("/hooks/twilio/status",
                       {"MessageSid": ext, "MessageStatus": value, **extra})


def row(clinic, mid):
    return next(m for m in clinic.messages() if m["id"] == mid)


def test_a_failed_callback_kept_early_marks_the_message_failed_with_its_code():
    c = Clinic()
    mid = sending(c)
    ext = "SMearly" + str(mid).replace("-", "")
    assert status(ext, "failed", ErrorCode="30003").status_code == 200
    assert kept(ext) == [("twilio", "failed", "FAILED", "30003")]
    complete(c, mid, "sent", ext)
    m = row(c, mid)
    assert m["status"] == "FAILED" and m["error"] == "30003"
    assert kept(ext) == []


def test_a_kept_sent_after_a_kept_delivered_does_not_move_the_message_back():
    c = Clinic()
    mid = sending(c)
    ext = "SMearly" + str(mid).replace("-", "")
    assert status(ext, "delivered").status_code == 200
    assert status(ext, "sent").status_code == 200
    complete(c, mid, "sent", ext)
    m = row(c, mid)
    assert m["status"] == "DELIVERED" and m["delivered_at"] is not None
    # A late copy of a kept callback, after the id is known, is a replay: nothing changes.
    before = snapshot()
    assert status(ext, "delivered").status_code == 200
    assert status(ext, "undelivered", ErrorCode="30005").status_code == 200
    after = snapshot()
    assert row(c, mid)["status"] == "DELIVERED" and row(c, mid)["error"] is None
    assert after["messages"] == before["messages"]


def test_the_same_early_callback_twice_is_kept_once():
    ext = "SMtwice" + phone()[1:]
    assert status(ext, "sent").status_code == 200
    assert status(ext, "sent").status_code == 200
    assert kept(ext) == [("twilio", "sent", "SENT", None)]


def test_an_early_callback_is_not_applied_when_the_send_is_retried():
    c = Clinic()
    mid = sending(c)
    ext = "SMretry" + str(mid).replace("-", "")
    assert status(ext, "delivered").status_code == 200
    complete(c, mid, "retry", ext)   # a retry records no id
    m = row(c, mid)
    assert m["status"] == "PENDING" and m["delivered_at"] is None
    assert kept(ext) == [("twilio", "delivered", "DELIVERED", None)]


def test_an_early_whatsapp_read_is_applied_when_the_wamid_is_recorded():
    c = Clinic()
    mid = sending(c, channel="WHATSAPP")
    wamid = "wamid.early" + str(mid).replace("-", "")
    r = post_whatsapp(wa_payload(statuses=[{"id": wamid, "status": "read", "timestamp": "1"}]))
    assert r.status_code == 200
    complete(c, mid, "sent", wamid)
    m = row(c, mid)
    assert m["status"] == "DELIVERED" and m["delivered_at"] is not None
    assert kept(wamid) == []


def test_the_senders_maintenance_drops_kept_callbacks_older_than_24_hours(senders):
    old, fresh = "SMold" + phone()[1:], "SMfresh" + phone()[1:]
    assert status(old, "sent").status_code == 200
    assert status(fresh, "sent").status_code == 200
    with dbutil.connected("rm_owner") as conn:
        dbutil.query(conn, """UPDATE early_statuses SET received_at = now() - interval '25 hours'
                               WHERE external_id = %s""", (old,))
    s = senders()   # its maintenance runs as soon as it starts
    wait_for(lambda: kept(old) == [], what="the old callback dropped")
    assert kept(fresh) == [("twilio", "sent", "SENT", None)]
    wait_for(lambda: "early_statuses_dropped" in s.output(), what="the maintenance log line")
