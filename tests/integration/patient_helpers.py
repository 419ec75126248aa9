"""Helpers shared by test_patients.py, test_import.py and test_browser_import.py: a
workspace with a practice and a campaign, the import upload, and the report's figures
read back from the page."""
import os
import re

from campaign_helpers import (create_campaign, create_practice, csrf_post, new_workspace,
                              one, owner_sql, set_status)
from web import BASE, csrf_of

CSV_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "csv")
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class Clinic:
    """A fresh workspace: its owner's browser `b`, ids `ws`, `owner`, `practice` and a
    DRAFT `campaign` (Guayaquil time, 2 hours after the appointment)."""

    def __init__(self, status="DRAFT"):
        self.b, self.ws, self.owner = new_workspace()
        self.practice = create_practice(self.b, self.ws)
        self.campaign = create_campaign(self.b, self.practice)
        if status != "DRAFT":
            set_status(self.campaign, status)


def fixture_bytes(name):
    with open(os.path.join(CSV_DIR, name), "rb") as f:
        return f.read()


def upload(b, campaign, data, filename="pacientes.csv"):
    """Posts a file to the import form with the page's CSRF token; returns the response
    (303 to the report when the file was read)."""
    page = b.get("/patients/import")
    assert page.status_code == 200, page.status_code
    tok = csrf_of(page.text, "/patients/import")
    return b.s.post(BASE + "/patients/import", data={"_csrf": tok, "campaign_id": campaign},
                    files={"file": (filename, data, "text/csv")}, allow_redirects=False,
                    timeout=120)


def batch_of(response):
    m = re.fullmatch(rf"/patients/import/({UUID_RE})", response.headers.get("Location", ""))
    assert m, (response.status_code, response.headers.get("Location"), response.text[-800:])
    return m.group(1)


FIGURES = ("total", "accepted", "refused", "duplicate-file", "duplicate-campaign", "opted-out")


def report(b, batch):
    """The report page's figures {id: int} and its listed rows [(line, status, reason)]."""
    r = b.get(f"/patients/import/{batch}")
    assert r.status_code == 200, r.status_code
    figures = {k: int(re.search(rf'id="{k}">(\d+)<', r.text).group(1)) for k in FIGURES}
    rows = [(int(line), status, reason) for line, status, reason in re.findall(
        r'<tr class="row-(?:\w+)"><td>(\d+)</td><td>([^<]*)</td><td>[^<]*</td>'
        r'<td>[^<]*</td><td>([^<]*)</td></tr>', r.text)]
    return figures, rows, r.text


def confirm(b, batch):
    page = b.get(f"/patients/import/{batch}")
    action = f"/patients/import/{batch}/confirm"
    return b.s.post(BASE + action, data={"_csrf": csrf_of(page.text)}, allow_redirects=False,
                    timeout=300)


def campaign_patients(campaign):
    return owner_sql("SELECT name, phone, email, has_consent, preferred_channel::text,"
                     " language, to_char(appointment_time AT TIME ZONE 'UTC',"
                     " 'YYYY-MM-DD HH24:MI'), opted_out_at IS NOT NULL"
                     " FROM patients WHERE campaign_id = %s ORDER BY name", (campaign,))


__all__ = ["Clinic", "fixture_bytes", "upload", "batch_of", "report", "confirm",
           "campaign_patients", "csrf_post", "one", "owner_sql", "set_status", "UUID_RE"]
