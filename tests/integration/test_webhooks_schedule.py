"""Reminders and campaign completion: app_enqueue_reminders() and app_complete_campaigns(),
the two statements the sender runs once a minute. The clock is moved through the
database (sent_at in the past), never by sleeping."""
import pytest

import dbutil
from hookutil import Clinic, phone, no_sender  # noqa: F401

pytestmark = pytest.mark.usefixtures("no_sender")


def run(fn, clinic):
    """As the programs' role (the sender calls them as rm_app), limited to the test's
    workspace so that other tests' data is left alone."""
    with dbutil.connected("rm_app") as conn:
        return dbutil.scalar(conn, f"SELECT {fn}(%s)", (clinic.id,))


def reminders(clinic):
    return [m for m in clinic.messages() if m["type"] == "REMINDER"]


def campaign_status(clinic):
    return clinic.rows("SELECT status::text FROM campaigns WHERE id = %s", (clinic.campaign,))[0][0]


def test_an_unanswered_initial_gets_one_reminder_after_24_hours_and_never_a_second():
    c = Clinic()
    p = c.patient(phone())
    mid, _ = c.sent(p, hours_ago=23)
    run("app_enqueue_reminders", c)
    assert reminders(c) == []
    # A day and a bit later.
    c.rows("UPDATE messages SET sent_at = now() - interval '25 hours' WHERE id = %s", (mid,))
    assert run("app_enqueue_reminders", c) >= 1
    [r] = reminders(c)
    assert (r["patient_id"], r["status"], r["channel"]) == (p, "PENDING", "SMS")
    assert r["content"] is None
    # Again, and again after the reminder itself went out a day ago: still one.
    run("app_enqueue_reminders", c)
    c.rows("UPDATE messages SET status = 'SENT', sent_at = now() - interval '25 hours' "
           "WHERE id = %s", (r["id"],))
    c.rows("UPDATE messages SET sent_at = now() - interval '49 hours' WHERE id = %s", (mid,))
    run("app_enqueue_reminders", c)
    assert len(reminders(c)) == 1


def test_no_reminder_for_an_answered_or_opted_out_patient_or_an_inactive_campaign():
    c = Clinic()
    answered = c.patient(phone())
    c.sent(answered, hours_ago=30)
    c.rows("UPDATE messages SET reply_text = 'ok' WHERE patient_id = %s", (answered,))
    rated = c.patient(phone())
    c.sent(rated, hours_ago=30)
    c.rows("UPDATE messages SET status = 'REPLIED', rating = 4 WHERE patient_id = %s", (rated,))
    tel = phone()
    out = c.patient(tel)
    c.sent(out, hours_ago=30)
    c.rows("INSERT INTO opt_outs (workspace_id, phone) VALUES (%s, %s)", (c.id, tel))
    run("app_enqueue_reminders", c)
    assert reminders(c) == []

    paused = Clinic()
    paused.sent(paused.patient(phone()), hours_ago=30)
    paused.rows("UPDATE campaigns SET status = 'CANCELLED' WHERE id = %s", (paused.campaign,))
    run("app_enqueue_reminders", paused)
    assert reminders(paused) == []


def test_pass_marks_the_initials_it_is_done_with_and_keeps_asking_about_the_rest():
    c = Clinic()
    due = c.patient(phone())
    mid_due, _ = c.sent(due, hours_ago=30)
    young = c.patient(phone())
    mid_young, _ = c.sent(young, hours_ago=3)
    tel = phone()
    out = c.patient(tel)
    mid_out, _ = c.sent(out, hours_ago=30)
    c.rows("INSERT INTO opt_outs (workspace_id, phone) VALUES (%s, %s)", (c.id, tel))
    # Its reminder came some other way (0102's migration marks these; the pass too).
    had = c.patient(phone())
    mid_had, _ = c.sent(had, hours_ago=30)
    c.sent(had, type_="REMINDER", hours_ago=2)
    assert run("app_enqueue_reminders", c) == 1
    flags = dict(c.rows("SELECT id, reminder_enqueued FROM messages WHERE type = 'INITIAL'"
                        " AND workspace_id = %s", (c.id,)))
    assert flags == {mid_due: True, mid_young: False, mid_out: False, mid_had: True}
    assert sorted(r["patient_id"] for r in reminders(c)) == sorted([due, had])
    # The opted-out patient comes back: the next pass finds the initial still waiting.
    c.rows("DELETE FROM opt_outs WHERE workspace_id = %s", (c.id,))
    assert run("app_enqueue_reminders", c) == 1
    assert sorted(r["patient_id"] for r in reminders(c)) == sorted([due, had, out])


def test_campaign_completes_when_nothing_is_pending_and_no_reminder_is_due():
    c = Clinic()
    p = c.patient(phone())
    mid, _ = c.sent(p, hours_ago=2)
    # The initial waits: its reminder is still to come.
    run("app_complete_campaigns", c)
    assert campaign_status(c) == "ACTIVE"
    # It was answered; the follow-up is still pending.
    c.rows("UPDATE messages SET status = 'REPLIED', rating = 5 WHERE id = %s", (mid,))
    fid = c.rows("""INSERT INTO messages (workspace_id, patient_id, campaign_id, type, channel,
                           status) VALUES (%s, %s, %s, 'FOLLOWUP_HAPPY', 'SMS', 'PENDING')
                    RETURNING id""", (c.id, p, c.campaign))[0][0]
    run("app_complete_campaigns", c)
    assert campaign_status(c) == "ACTIVE"
    # The follow-up went out: done.
    c.rows("UPDATE messages SET status = 'SENT', sent_at = now() WHERE id = %s", (fid,))
    assert run("app_complete_campaigns", c) >= 1
    assert campaign_status(c) == "COMPLETED"


def test_campaign_completes_after_the_reminder_went_out_unanswered():
    c = Clinic()
    p = c.patient(phone())
    c.sent(p, hours_ago=30)
    run("app_enqueue_reminders", c)
    [r] = reminders(c)
    run("app_complete_campaigns", c)
    assert campaign_status(c) == "ACTIVE"        # the reminder is pending
    c.rows("UPDATE messages SET status = 'DELIVERED', sent_at = now() WHERE id = %s", (r["id"],))
    run("app_complete_campaigns", c)
    assert campaign_status(c) == "COMPLETED"


def test_without_a_workspace_every_workspace_is_served():
    a, b = Clinic(), Clinic()
    a.sent(a.patient(phone()), hours_ago=30)
    b.sent(b.patient(phone()), hours_ago=30)
    with dbutil.connected("rm_app") as conn:
        assert dbutil.scalar(conn, "SELECT app_enqueue_reminders()") >= 2
    assert len(reminders(a)) == 1 and len(reminders(b)) == 1


def test_a_campaign_without_messages_stays_active():
    c = Clinic()
    c.patient(phone())
    run("app_complete_campaigns", c)
    assert campaign_status(c) == "ACTIVE"
