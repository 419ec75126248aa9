"""The demo history (sql/demo_history.sql) never gives the sender anything to send.

The clock is moved through the database, not by sleeping: inside a transaction that is
rolled back, every timestamp of the demo workspace's messages is shifted into the past,
which is what the reminder rule (app_enqueue_reminders, 0050) sees when time passes. The
seed's own three rating requests may honestly get their reminders a day on; no message of
the history's patients (ids 51000000-…) may ever become due.
"""
import pytest

import dbutil

WS = dbutil.DEMO_WORKSPACE
HISTORY = "51000000-%"          # demo_history.sql's patients; seed.sql's are 50000000-…
MOVED = ("sent_at", "delivered_at", "replied_at", "scheduled_at", "created_at",
         "review_clicked_at")


@pytest.fixture
def owner():
    with dbutil.connected("rm_owner", autocommit=False) as conn:
        yield conn
        conn.rollback()


def move_clock(cur, hours):
    """Makes it look `hours` later for the demo workspace's messages."""
    shift = ", ".join(f"{c} = {c} - make_interval(hours => %(h)s)" for c in MOVED)
    cur.execute(f"UPDATE messages SET {shift} WHERE workspace_id = %(ws)s",
                {"h": hours, "ws": WS})


def history_due(cur):
    """History messages the sender would claim now or later: anything not final."""
    cur.execute("""SELECT count(*) FROM messages m JOIN patients p ON p.id = m.patient_id
                    WHERE m.workspace_id = %s AND p.id::text LIKE %s
                      AND m.status IN ('PENDING', 'SENDING')""", (WS, HISTORY))
    return cur.fetchone()[0]


def test_demo_history_has_unanswered_requests_in_the_reminder_window_each_with_its_reminder(owner):
    cur = owner.cursor()
    cur.execute("""
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM messages r WHERE r.workspace_id = m.workspace_id
                    AND r.patient_id = m.patient_id AND r.campaign_id = m.campaign_id
                    AND r.type = 'REMINDER' AND r.sent_at = m.sent_at + interval '1 day'))
          FROM messages m JOIN campaigns c ON c.id = m.campaign_id
         WHERE m.workspace_id = %s AND m.patient_id::text LIKE %s AND c.status = 'ACTIVE'
           AND m.type = 'INITIAL' AND m.status IN ('SENT', 'DELIVERED') AND m.rating IS NULL
           AND m.sent_at > now() - interval '7 days'""", (WS, HISTORY))
    unanswered, reminded = cur.fetchone()
    assert unanswered > 0            # the case the rule is about exists in the demo
    assert reminded == unanswered


@pytest.mark.parametrize("hours", [0, 25, 49, 24 * 4, 24 * 7 - 1, 24 * 8, 24 * 30])
def test_moving_the_clock_makes_no_history_message_due(owner, hours):
    cur = owner.cursor()
    move_clock(cur, hours)
    cur.execute("SELECT app_enqueue_reminders(%s)", (WS,))
    queued = cur.fetchone()[0]
    cur.execute("""SELECT count(*) FILTER (WHERE p.id::text LIKE %s),
                          count(*) FILTER (WHERE p.id::text NOT LIKE %s)
                     FROM messages m JOIN patients p ON p.id = m.patient_id
                    WHERE m.workspace_id = %s AND m.type = 'REMINDER' AND m.status = 'PENDING'
                      AND m.created_at = now()""", (HISTORY, HISTORY, WS))
    history_reminders, seed_reminders = cur.fetchone()
    assert history_reminders == 0
    assert queued == seed_reminders  # only the seed's own requests (if already sent)
    assert seed_reminders <= 3
    assert history_due(cur) == 0


def test_nothing_was_queued_for_the_history_patients_since_the_seed(owner):
    """The stack's sender has been running since the seed: it added no reminder."""
    cur = owner.cursor()
    cur.execute("""SELECT count(*) FROM messages m JOIN workspaces w ON w.id = m.workspace_id
                    WHERE m.workspace_id = %s AND m.patient_id::text LIKE %s
                      AND m.created_at >= w.created_at""", (WS, HISTORY))
    assert cur.fetchone()[0] == 0


def test_each_demo_reply_starts_with_the_rating_recorded_for_it(owner):
    """A patient who wrote «5 excelente» is not shown with a 4 on the patient page."""
    cur = owner.cursor()
    cur.execute("""SELECT rating, reply_text FROM messages
                    WHERE workspace_id = %s AND patient_id::text LIKE %s
                      AND rating IS NOT NULL AND reply_text IS NOT NULL""", (WS, HISTORY))
    rows = cur.fetchall()
    assert len(rows) > 50
    wrong = [(r, t) for r, t in rows if t[:1] != str(r)]
    assert wrong == []


def test_demo_appointments_fall_in_clinic_hours_in_guayaquil(owner):
    """08:00 to 16:45, Guayaquil's wall time, as the history means them (they were read
    as UTC once, and the demo's clinic saw patients at three in the morning)."""
    cur = owner.cursor()
    cur.execute("""SELECT min((appointment_time AT TIME ZONE 'America/Guayaquil')::time),
                          max((appointment_time AT TIME ZONE 'America/Guayaquil')::time),
                          count(*)
                     FROM patients WHERE workspace_id = %s AND id::text LIKE %s""",
                (WS, HISTORY))
    earliest, latest, n = cur.fetchone()
    assert n > 500
    assert (str(earliest), str(latest)) == ("08:00:00", "16:45:00")
