"""The whole loop per channel, through the real stack: the sender, the stand-in providers
(tests/fake_providers) and their signed callbacks.

The owner activates a campaign → the rating requests go out → the stand-in posts "sent"
and "delivered" → one patient answers 5 (happy follow-up, its review link redirects to
Google and is counted), one answers 2 (unhappy follow-up, its feedback link works, the
feedback shows on the owner's home and not on another clinic's), one answers BAJA
(confirmation sent, nothing more: no reminder even a day later) → the campaign completes.

Waiting here is for other processes (the sender, the stand-in's callbacks), polled with a
deadline; the clock of the reminder is moved through the database."""
import json
import re
import time
import urllib.parse

import pytest
import requests

import dbutil
from hookutil import BASE, PLACE_ID, Clinic, phone
from sender_util import FAKE, stack
from web import Browser, DEMO_PASSWORD, csrf_of

GOOGLE = "https://search.google.com/local/writereview?placeid=" + PLACE_ID


def wait_until(what, fn, seconds=40):
    deadline = time.time() + seconds
    while True:
        value = fn()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def fake_messages(to):
    msgs = requests.get(FAKE + "/_fake/messages", timeout=10).json()
    return [m for m in msgs if m["to"].lstrip("+") == to.lstrip("+")]


def reply(to, channel, body):
    r = requests.post(FAKE + "/_fake/reply", data={"to": to, "channel": channel, "body": body},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 303


def link_in(text, kind):
    m = re.search(r"https?://[^\s]+/" + kind + r"/[A-Za-z0-9_-]+", text or "")
    assert m, text
    return urllib.parse.urlsplit(m.group(0)).path


def signed_in(email):
    b = Browser()
    assert b.login(email, DEMO_PASSWORD).status_code == 303
    return b


@pytest.mark.parametrize("channel", ["SMS", "WHATSAPP"])
def test_activate_send_callbacks_reply_followups_links_optout_and_completion(channel):
    # Whatever earlier tests left: the stand-in's failures and settings, a stopped sender.
    assert requests.post(FAKE + "/_fake/reset", timeout=10).status_code in (200, 204)
    stack("sender-start")
    c = Clinic()
    owner, owner_email = c.user("OWNER")
    c.rows("UPDATE practices SET sending_start = '00:00', sending_end = '23:59:59' "
           "WHERE id = %s", (c.practice,))
    c.rows("UPDATE campaigns SET status = 'DRAFT', scheduled_hours_after = 0 WHERE id = %s",
           (c.campaign,))
    tels = {k: phone() for k in ("happy", "unhappy", "out")}
    pats = {}
    for k, tel in tels.items():
        pats[k] = c.patient(tel, channel=channel)
        c.rows("UPDATE patients SET appointment_time = now() - interval '1 hour' WHERE id = %s",
               (pats[k],))

    # Activation through the page, as the owner does it.
    b = signed_in(owner_email)
    page = b.get(f"/campaigns/{c.campaign}").text
    action = f"/campaigns/{c.campaign}/activate"
    assert b.post(action, {"_csrf": csrf_of(page, action)}).status_code == 303

    def initials(status):
        return c.rows("SELECT count(*) FROM messages WHERE campaign_id = %s AND type = 'INITIAL' "
                      "AND status = %s", (c.campaign, status))[0][0] == 3
    wait_until("three delivered rating requests", lambda: initials("DELIVERED"))

    # 5: REPLIED, happy follow-up sent, its review link counted and sent to Google.
    reply(tels["happy"], channel, "5")
    happy = wait_until("the happy follow-up at the provider", lambda: [
        m for m in fake_messages(tels["happy"]) if m.get("body") and "/r/" in m["body"]])
    path = link_in(happy[-1]["body"], "r")
    r = requests.get(BASE + path, allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == GOOGLE
    assert c.rows("SELECT rating, status::text FROM messages WHERE patient_id = %s "
                  "AND type = 'INITIAL'", (pats["happy"],)) == [(5, "REPLIED")]
    assert c.rows("SELECT count(*) FROM messages WHERE patient_id = %s AND type = 'FOLLOWUP_HAPPY' "
                  "AND review_clicked_at IS NOT NULL", (pats["happy"],)) == [(1,)]

    # 2: unhappy follow-up with a working feedback link; the owner sees the feedback.
    reply(tels["unhappy"], channel, "2")
    unhappy = wait_until("the unhappy follow-up at the provider", lambda: [
        m for m in fake_messages(tels["unhappy"]) if m.get("body") and "/f/" in m["body"]])
    fpath = link_in(unhappy[-1]["body"], "f")
    s = requests.Session()
    form = s.get(BASE + fpath, timeout=30)
    assert form.status_code == 200
    words = f"Nadie me explicó el tratamiento ({channel})."
    assert s.post(BASE + fpath, data={"body": words, "_csrf": csrf_of(form.text, fpath)},
                  timeout=30).status_code == 200
    assert words in b.get("/").text
    other = Clinic()
    _, other_email = other.user("OWNER")
    assert words not in signed_in(other_email).get("/").text

    # BAJA: on the list, one free confirmation goes out, then nothing more.
    reply(tels["out"], channel, "BAJA")
    conf = wait_until("the opt-out confirmation at the provider", lambda: [
        m for m in fake_messages(tels["out"]) if m.get("body") and "ALTA" in m["body"]])
    assert len(conf) == 1
    assert c.rows("SELECT phone FROM opt_outs WHERE workspace_id = %s", (c.id,)) == \
        [(tels["out"],)]
    c.rows("UPDATE messages SET sent_at = now() - interval '25 hours' WHERE patient_id = %s "
           "AND type = 'INITIAL'", (pats["out"],))
    with dbutil.connected("rm_app") as conn:
        dbutil.scalar(conn, "SELECT app_enqueue_reminders(%s)", (c.id,))
    assert c.rows("SELECT count(*) FROM messages WHERE patient_id = %s AND type = 'REMINDER'",
                  (pats["out"],)) == [(0,)]
    sent_to_out = len(fake_messages(tels["out"]))

    # Everything sent: the campaign completes.
    wait_until("nothing pending", lambda: c.rows(
        "SELECT count(*) FROM messages WHERE campaign_id = %s AND status IN ('PENDING', 'SENDING')",
        (c.campaign,))[0][0] == 0)
    with dbutil.connected("rm_app") as conn:
        dbutil.scalar(conn, "SELECT app_complete_campaigns(%s)", (c.id,))
    assert c.rows("SELECT status::text FROM campaigns WHERE id = %s", (c.campaign,)) == \
        [("COMPLETED",)]
    assert len(fake_messages(tels["out"])) == sent_to_out
    # Every callback the stand-in posted about these patients was accepted.
    ours = [cb for cb in requests.get(FAKE + "/_fake/callbacks", timeout=10).json()
            if any(t.lstrip("+") in json.dumps(cb) for t in tels.values())]
    assert ours and all(cb["status"] == 200 for cb in ours), ours
