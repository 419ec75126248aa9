"""The owners' e-mail alert for new unhappy feedback (issue 8): the patient's submission of
the private feedback form (/f/<token>) queues one staff e-mail per active OWNER of the
workspace (staff_outbox, migration 0070) and the stack's own sender delivers it through
the SMTP driver to the stand-in SMTP sink, which records what it received."""
import time

import requests

from hookutil import BASE, Clinic, phone, plink
from sender_util import fake_fail, received, wait_for
from web import csrf_of

DAY = 24 * 3600


def rated(c, rating):
    """A message of c's patient rated `rating`, with the follow-up whose link is used."""
    p = c.patient(phone())
    mid, _ = c.sent(p, hours_ago=3)
    c.rows("UPDATE messages SET status = 'REPLIED', rating = %s, replied_at = now() "
           "WHERE id = %s", (rating, mid))
    fid, _ = c.sent(p, type_="FOLLOWUP_UNHAPPY" if rating <= 3 else "FOLLOWUP_HAPPY",
                    hours_ago=0)
    return fid


def submit(c, message_id, body, session=None):
    """GETs the feedback form and POSTs it; returns (session, path, the posted data)."""
    s = session or requests.Session()
    path = "/f/" + plink("f", message_id, c.id, int(time.time()) + DAY)
    page = s.get(BASE + path, timeout=30)
    assert page.status_code == 200
    data = {"body": body, "_csrf": csrf_of(page.text, path)}
    r = s.post(BASE + path, data=data, timeout=30, allow_redirects=False)
    assert r.status_code == 200 and "Gracias por contarnos" in r.text
    return s, path, data


def owner_email(c):
    return c.rows("SELECT email FROM users WHERE id = %s", (c.owner,))[0][0]


def outbox(c):
    return c.rows("SELECT recipient, status, attempts, error FROM staff_outbox "
                  "WHERE workspace_id = %s ORDER BY recipient", (c.id,))


def all_sent(c, n):
    rows = outbox(c)
    return len(rows) == n and all(r[1] == "SENT" for r in rows)


def test_unhappy_feedback_emails_each_active_owner_once_with_the_words_and_no_one_else():
    c, other = Clinic(), Clinic()
    _, second_owner = c.user("OWNER")
    _, doctor = c.user("DOCTOR")
    _, gone_owner = c.user("OWNER")
    c.rows("UPDATE users SET deactivated_at = now() WHERE email = %s", (gone_owner,))
    owners = {owner_email(c), second_owner}
    credits = c.rows("SELECT message_credits FROM workspaces WHERE id = %s", (c.id,))
    practice = c.rows("SELECT name FROM practices WHERE id = %s", (c.practice,))[0][0]

    submit(c, rated(c, 2), "  \n Esperé una hora y nadie me atendió.\r\n  ")

    wait_for(lambda: all_sent(c, 2), what="both owners' e-mails sent")
    got = received(owners | {doctor, gone_owner, owner_email(other)})
    assert sorted(m["to"] for m in got if m["answer"] == 250) == sorted(owners)
    for m in got:
        assert m["subject"] == f"Opinión negativa (2 de 5) en {practice}"
        assert "«Esperé una hora y nadie me atendió.»" in m["body"]
        assert "calificó su visita con 2 de 5" in m["body"]
        assert BASE + "/" in m["body"]
        assert m["list_unsubscribe"] is None
    assert [r[1:] for r in outbox(c)] == [("SENT", 1, None)] * 2
    assert outbox(other) == []
    # Staff e-mail takes no credit.
    assert c.rows("SELECT message_credits FROM workspaces WHERE id = %s", (c.id,)) == credits


def test_happy_rating_feedback_queues_and_sends_no_email():
    c = Clinic()
    submit(c, rated(c, 4), "Todo bien, pero la sala de espera estaba fría.")
    assert c.rows("SELECT rating FROM feedback WHERE workspace_id = %s", (c.id,)) == [(4,)]
    # Queued in the submission's own transaction or never: an empty outbox sends nothing.
    assert outbox(c) == []
    assert received({owner_email(c)}) == []


def test_editing_or_replaying_the_feedback_sends_no_second_email():
    c = Clinic()
    fid = rated(c, 1)
    s, path, data = submit(c, fid, "Primera versión")
    wait_for(lambda: all_sent(c, 1), what="the owner's e-mail sent")
    # A replay of the very same POST, then an edit through the form.
    r = s.post(BASE + path, data=data, timeout=30, allow_redirects=False)
    assert r.status_code == 200
    submit(c, fid, "Versión corregida", session=s)
    assert c.rows("SELECT body FROM feedback WHERE workspace_id = %s", (c.id,)) == \
        [("Versión corregida",)]
    assert [r[1:] for r in outbox(c)] == [("SENT", 1, None)]
    # A later alert of another clinic goes through the same sender after these requests,
    # so by the time it arrives, anything this clinic had queued would have gone too.
    later = Clinic()
    submit(later, rated(later, 3), "Otra clínica")
    wait_for(lambda: all_sent(later, 1), what="the later clinic's e-mail sent")
    got = received({owner_email(c)})
    assert len(got) == 1 and "«Primera versión»" in got[0]["body"]


def test_a_transient_smtp_failure_is_retried_with_backoff_and_fails_on_the_fifth_attempt():
    c = Clinic()
    owner = owner_email(c)
    fake_fail(owner, "451")
    try:
        submit(c, rated(c, 2), "Nadie contestó el teléfono.")
        wait_for(lambda: outbox(c) and outbox(c)[0][2] == 1, what="the first attempt")
        status, attempts, due_in = c.rows(
            "SELECT status, attempts, extract(epoch FROM scheduled_at - now()) "
            "FROM staff_outbox WHERE workspace_id = %s", (c.id,))[0]
        assert (status, attempts) == ("PENDING", 1)
        assert 5 < due_in <= 45                      # 30 s scaled by 0.5-1.5
        # Move the clock: the fifth attempt is due now.
        c.rows("UPDATE staff_outbox SET attempts = 4, scheduled_at = now() "
               "WHERE workspace_id = %s; SELECT pg_notify('rm_messages', '')", (c.id,))
        wait_for(lambda: outbox(c)[0][1] == "FAILED", what="the fifth attempt")
        (_, status, attempts, error), = outbox(c)
        assert (status, attempts) == ("FAILED", 5)
        assert error.startswith("SMTP 451") and error.endswith("(5 intentos)")
        assert [m["answer"] for m in received({owner})] == [451, 451]
    finally:
        fake_fail(owner, "")
