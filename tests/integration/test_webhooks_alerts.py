"""Unhappy private feedback on the dashboard home: the owner sees every alert of the
workspace, a doctor only those of the campaigns the doctor created, another workspace
none; "mark resolved" stamps resolved_at/resolved_by, writes an audit row and takes the
alert off the home page."""
import time

import pytest
import requests

from hookutil import BASE, Clinic, no_sender, phone, plink  # noqa: F401
from web import Browser, DEMO_PASSWORD, csrf_of

pytestmark = pytest.mark.usefixtures("no_sender")


def feedback_via_form(c, campaign, rating, words):
    """A patient rates, gets the unhappy follow-up and sends the private form."""
    p = c.patient(phone())
    mid, _ = c.sent(p, hours_ago=3, campaign=campaign)
    c.rows("UPDATE messages SET status = 'REPLIED', rating = %s, replied_at = now() "
           "WHERE id = %s", (rating, mid))
    fid, _ = c.sent(p, type_="FOLLOWUP_UNHAPPY", hours_ago=0, campaign=campaign)
    path = "/f/" + plink("f", fid, c.id, int(time.time()) + 3600)
    s = requests.Session()
    page = s.get(BASE + path, timeout=30)
    r = s.post(BASE + path, data={"body": words, "_csrf": csrf_of(page.text, path)}, timeout=30)
    assert r.status_code == 200
    return c.rows("SELECT id FROM feedback WHERE message_id = %s", (fid,))[0][0]


def signed_in(email):
    b = Browser()
    r = b.login(email, DEMO_PASSWORD)
    assert r.status_code == 303, r.status_code
    return b


def test_owner_sees_all_alerts_doctor_only_their_campaigns_and_other_workspaces_none():
    c = Clinic()
    owner, owner_email = c.user("OWNER")
    doctor, doctor_email = c.user("DOCTOR")
    theirs = feedback_via_form(c, c.campaign_of(doctor), 2, "La doctora llegó tarde.")
    mine = feedback_via_form(c, c.campaign_of(owner), 1, "Nadie contestó el teléfono.")
    happy = feedback_via_form(c, c.campaign_of(owner), 5, "Todo bien.")

    home = signed_in(owner_email).get("/").text
    assert f'id="feedback-{theirs}"' in home and f'id="feedback-{mine}"' in home
    assert "La doctora llegó tarde." in home and "Calificación 1 de 5" in home
    assert f'id="feedback-{happy}"' not in home

    home = signed_in(doctor_email).get("/").text
    assert f'id="feedback-{theirs}"' in home
    assert f'id="feedback-{mine}"' not in home

    other = Clinic()
    _, other_email = other.user("OWNER")
    home = signed_in(other_email).get("/").text
    assert "feedback-" not in home


def test_mark_resolved_stamps_the_feedback_audits_and_leaves_the_home_page():
    c = Clinic()
    owner, owner_email = c.user("OWNER")
    fb = feedback_via_form(c, c.campaign_of(owner), 2, "Esperé mucho.")
    b = signed_in(owner_email)
    home = b.get("/").text
    action = f"/alerts/{fb}/resolve"
    r = b.post(action, {"_csrf": csrf_of(home, action)})
    assert r.status_code == 303
    row = c.rows("SELECT resolved_at IS NOT NULL, resolved_by FROM feedback WHERE id = %s",
                 (fb,))
    assert row == [(True, owner)]
    assert c.rows("SELECT user_id, action, entity_type, entity_id::text FROM audit_logs "
                  "WHERE workspace_id = %s AND action = 'feedback.resolve'", (c.id,)) == \
        [(owner, "feedback.resolve", "feedback", str(fb))]
    assert f'id="feedback-{fb}"' not in b.get("/").text
    # A second click changes nothing and writes no second audit row.
    assert b.post(action, {"_csrf": csrf_of(home, action)}).status_code == 303
    assert c.rows("SELECT count(*) FROM audit_logs WHERE action = 'feedback.resolve' "
                  "AND workspace_id = %s", (c.id,)) == [(1,)]


def test_resolving_someone_elses_alert_is_404_and_changes_nothing():
    c = Clinic()
    owner, _ = c.user("OWNER")
    doctor, doctor_email = c.user("DOCTOR")
    fb = feedback_via_form(c, c.campaign_of(owner), 1, "Mal.")
    other = Clinic()
    _, other_email = other.user("OWNER")
    for email in (doctor_email, other_email):
        b = signed_in(email)
        home = b.get("/").text
        r = b.post(f"/alerts/{fb}/resolve", {"_csrf": csrf_of(home, "/logout")})
        assert r.status_code == 404
    assert c.rows("SELECT resolved_at FROM feedback WHERE id = %s", (fb,)) == [(None,)]
    b = Browser()
    assert b.post(f"/alerts/{fb}/resolve", {}).status_code in (303, 403)
    assert c.rows("SELECT resolved_at FROM feedback WHERE id = %s", (fb,)) == [(None,)]
