"""The patient's pages: the review link (/r/), the private feedback form (/f/) and the
email unsubscribe (/u/, with RFC 8058 one-click). Tokens are made here exactly as
fcgi/core/plink.c makes them, with the test instance's secret key."""
import time

import pytest
import requests

from hookutil import (BASE, PLACE_ID, Clinic, no_sender, phone, plink,  # noqa: F401
                      snapshot)
from test_html import tidy
from web import csrf_of

DAY = 24 * 3600
GOOGLE = "https://search.google.com/local/writereview?placeid=" + PLACE_ID

pytestmark = pytest.mark.usefixtures("no_sender")


def rated(rating=2, email=None):
    """A clinic and a message its patient rated, with an unhappy follow-up sent."""
    c = Clinic()
    p = c.patient(phone(), email=email)
    mid, _ = c.sent(p, hours_ago=3)
    c.rows("UPDATE messages SET status = 'REPLIED', rating = %s, replied_at = now() "
           "WHERE id = %s", (rating, mid))
    fid, _ = c.sent(p, type_="FOLLOWUP_UNHAPPY", hours_ago=0)
    return c, p, mid, fid


def link(kind, c, mid, ttl=DAY):
    return f"/{kind}/" + plink(kind, mid, c.id, int(time.time()) + ttl)


def assert_friendly_404(r):
    assert r.status_code == 404
    assert "Este enlace ya no está disponible" in r.text


# ---- /r/ ----

def test_review_link_records_the_first_click_and_redirects_to_google():
    c, p, mid, fid = rated(5)
    r = requests.get(BASE + link("r", c, fid), allow_redirects=False, timeout=30)
    assert r.status_code == 303
    assert r.headers["Location"] == GOOGLE
    first = c.rows("SELECT review_clicked_at FROM messages WHERE id = %s", (fid,))[0][0]
    assert first is not None
    r = requests.get(BASE + link("r", c, fid), allow_redirects=False, timeout=30)
    assert r.status_code == 303
    assert c.rows("SELECT review_clicked_at FROM messages WHERE id = %s", (fid,))[0][0] == first


def test_review_link_head_request_from_a_link_preview_is_not_a_click():
    c, p, mid, fid = rated(5)
    r = requests.head(BASE + link("r", c, fid), allow_redirects=False, timeout=30)
    assert r.status_code == 303
    assert c.rows("SELECT review_clicked_at FROM messages WHERE id = %s", (fid,)) == [(None,)]


def test_bad_expired_or_wrong_kind_review_links_get_the_friendly_404():
    c, p, mid, fid = rated(5)
    good = link("r", c, fid)
    before = snapshot()
    assert_friendly_404(requests.get(BASE + good[:-2] + "AA", timeout=30))
    assert_friendly_404(requests.get(BASE + link("r", c, fid, ttl=-1), timeout=30))
    assert_friendly_404(requests.get(BASE + good[:-1], timeout=30))          # truncated
    assert_friendly_404(requests.get(BASE + good + "A", timeout=30))         # extended
    assert_friendly_404(requests.get(BASE + "/r/" + link("f", c, fid)[3:], timeout=30))
    assert_friendly_404(requests.get(BASE + "/r/%25%20+.x", timeout=30))
    assert snapshot() == before


# ---- /f/ ----

def test_feedback_form_saves_thanks_and_offers_the_review_link():
    c, p, mid, fid = rated(2)
    s = requests.Session()
    path = link("f", c, fid)
    page = s.get(BASE + path, timeout=30)
    assert page.status_code == 200
    assert c.rows("SELECT name FROM practices WHERE id = %s", (c.practice,))[0][0] in page.text
    r = s.post(BASE + path, data={"body": "Esperé una hora.",
                                  "_csrf": csrf_of(page.text, path)}, timeout=30,
               allow_redirects=False)
    assert r.status_code == 200
    assert "Gracias por contarnos" in r.text
    assert c.rows("SELECT patient_id, message_id, rating, body FROM feedback "
                  "WHERE workspace_id = %s", (c.id,)) == [(p, fid, 2, "Esperé una hora.")]
    # The thanks page's public link is our counted /r/ link for the same message.
    review = [l for l in r.text.split('"') if l.startswith("/r/")]
    assert len(review) == 1
    go = requests.get(BASE + review[0], allow_redirects=False, timeout=30)
    assert go.headers["Location"] == GOOGLE


def test_feedback_form_offers_the_review_link_before_anything_is_written():
    # Review gating (../shared/PROVIDERS.md): the public review is one click away on the
    # form itself, not only after the patient gives private feedback.
    c, p, mid, fid = rated(2)
    page = requests.get(BASE + link("f", c, fid), timeout=30)
    assert page.status_code == 200
    review = [l for l in page.text.split('"') if l.startswith("/r/")]
    assert len(review) == 1
    assert c.rows("SELECT count(*) FROM feedback WHERE workspace_id = %s", (c.id,)) == [(0,)]
    go = requests.get(BASE + review[0], allow_redirects=False, timeout=30)
    assert go.status_code == 303 and go.headers["Location"] == GOOGLE
    assert c.rows("SELECT review_clicked_at IS NOT NULL FROM messages WHERE id = %s",
                  (fid,)) == [(True,)]


def test_feedback_pages_of_a_practice_without_google_page_offer_no_review_link():
    c, p, mid, fid = rated(2)
    c.rows("UPDATE practices SET google_place_id = NULL WHERE id = %s", (c.practice,))
    s = requests.Session()
    path = link("f", c, fid)
    page = s.get(BASE + path, timeout=30)
    assert page.status_code == 200 and "/r/" not in page.text
    r = s.post(BASE + path, data={"body": "Nadie contestó.",
                                  "_csrf": csrf_of(page.text, path)}, timeout=30)
    assert "Gracias por contarnos" in r.text and "/r/" not in r.text


def test_patient_pages_are_headed_by_the_practice_not_by_the_product():
    # A patient knows the clinic, not us: its name heads the page and ends the title, and
    # nothing links into the dashboard's sign-in.
    c, p, mid, fid = rated(2, email="ana@example.ec")
    practice = c.rows("SELECT name FROM practices WHERE id = %s", (c.practice,))[0][0]
    for kind in ("f", "u"):
        page = requests.get(BASE + link(kind, c, fid), timeout=30)
        assert page.status_code == 200
        assert f'<span class="brand">{practice}</span>' in page.text
        assert f"· {practice}</title>" in page.text
        assert "Reputation Manager" not in page.text and 'href="/"' not in page.text
    gone = requests.get(BASE + link("f", c, fid, ttl=-1), timeout=30)
    assert gone.status_code == 404
    assert "Reputation Manager" not in gone.text and 'href="/"' not in gone.text


def test_a_second_feedback_submission_edits_the_first():
    c, p, mid, fid = rated(1)
    s = requests.Session()
    path = link("f", c, fid)
    page = s.get(BASE + path, timeout=30)
    s.post(BASE + path, data={"body": "Primero", "_csrf": csrf_of(page.text, path)}, timeout=30)
    page = s.get(BASE + path, timeout=30)
    assert "Primero" in page.text                  # shown again for editing
    r = s.post(BASE + path, data={"body": "Corregido", "_csrf": csrf_of(page.text, path)},
               timeout=30)
    assert r.status_code == 200
    assert c.rows("SELECT body FROM feedback WHERE workspace_id = %s", (c.id,)) == \
        [("Corregido",)]


def test_feedback_without_csrf_is_403_and_too_long_is_422_and_nothing_is_saved():
    c, p, mid, fid = rated(2)
    path = link("f", c, fid)
    before = snapshot()
    assert requests.post(BASE + path, data={"body": "x"}, timeout=30).status_code == 403
    s = requests.Session()
    page = s.get(BASE + path, timeout=30)
    token = csrf_of(page.text, path)
    r = s.post(BASE + path, data={"body": "x" * 2001, "_csrf": token}, timeout=30)
    assert r.status_code == 422
    r = s.post(BASE + path, data={"body": "   ", "_csrf": token}, timeout=30)
    assert r.status_code == 422
    assert snapshot() == before


def test_expired_or_bad_feedback_link_gets_the_friendly_404():
    c, p, mid, fid = rated(2)
    assert_friendly_404(requests.get(BASE + link("f", c, fid, ttl=-5), timeout=30))
    assert_friendly_404(requests.get(BASE + link("r", c, fid).replace("/r/", "/f/"),
                                     timeout=30))
    assert_friendly_404(requests.get(BASE + "/f/nada", timeout=30))
    # A valid token of another workspace's message: RLS finds nothing.
    other = Clinic()
    forged = "/f/" + plink("f", fid, other.id, int(time.time()) + DAY)
    assert_friendly_404(requests.get(BASE + forged, timeout=30))


# ---- /u/ ----

def test_unsubscribe_page_confirms_and_opts_the_email_out():
    c, p, mid, fid = rated(4, email=f"p{int(time.time() * 1000)}@example.com")
    s = requests.Session()
    path = link("u", c, fid)
    page = s.get(BASE + path, timeout=30)
    assert page.status_code == 200
    r = s.post(BASE + path + "/confirm", data={"_csrf": csrf_of(page.text, path + "/confirm")},
               timeout=30)
    assert r.status_code == 200
    assert c.rows("SELECT email, channel::text, source FROM opt_outs WHERE workspace_id = %s",
                  (c.id,)) == [(c.rows("SELECT email FROM patients WHERE id = %s", (p,))[0][0],
                                "EMAIL", "link")]


def test_unsubscribe_one_click_post_needs_no_cookie_but_the_rfc_8058_body():
    email = f"q{int(time.time() * 1000)}@example.com"
    c, p, mid, fid = rated(4, email=email)
    path = link("u", c, fid)
    before = snapshot()
    assert requests.post(BASE + path, data={"x": "y"}, timeout=30).status_code == 400
    assert requests.post(BASE + path + "/confirm", data={}, timeout=30).status_code == 403
    assert snapshot() == before
    r = requests.post(BASE + path, data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert r.status_code == 200
    assert c.rows("SELECT email FROM opt_outs WHERE workspace_id = %s", (c.id,)) == [(email,)]


def test_unsubscribe_link_for_a_patient_without_email_is_the_friendly_404():
    c, p, mid, fid = rated(4)
    assert_friendly_404(requests.get(BASE + link("u", c, fid), timeout=30))


def test_patient_pages_are_tidy():
    c, p, mid, fid = rated(2, email=f"t{int(time.time() * 1000)}@example.com")
    s = requests.Session()
    pages = [s.get(BASE + link("f", c, fid), timeout=30),
             s.get(BASE + link("u", c, fid), timeout=30),
             s.get(BASE + "/f/bad", timeout=30)]
    path = link("f", c, fid)
    pages.append(s.post(BASE + path, data={"body": "bien", "_csrf": csrf_of(pages[0].text)},
                        timeout=30))
    pages.append(s.post(BASE + path, data={"body": "", "_csrf": csrf_of(pages[0].text)},
                        timeout=30))
    for page in pages:
        errors, warnings = tidy(page.text)
        assert (errors, warnings) == ([], []), page.url
