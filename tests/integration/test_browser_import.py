"""The CSV import as a person clicks through it in headless Chromium: sign in, open
Importar, choose the campaign by its name and the file, read the report, confirm, and see
the patients imported (read back from the database)."""
import os

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import submit_form, sign_in, wait_for
from campaign_helpers import add_user
from patient_helpers import CSV_DIR, Clinic, campaign_patients, one
from web import BASE


def test_receptionist_uploads_reads_report_and_confirms(browser):
    c = Clinic(status="ACTIVE")
    name = one("SELECT name FROM campaigns WHERE id = %s", (c.campaign,))
    _, uid = add_user(c.ws, "RECEPTIONIST")
    email = one("SELECT email FROM users WHERE id = %s", (uid,))
    sign_in(browser, BASE, email, "demo1234")
    browser.get(BASE + "/patients/import")
    Select(browser.find_element(By.NAME, "campaign_id")).select_by_visible_text(name)
    browser.find_element(By.NAME, "file").send_keys(os.path.join(CSV_DIR, "duplicates.csv"))
    submit_form(browser, "/patients/import", {})
    assert wait_for(browser, By.ID, "accepted").text == "4"
    assert browser.find_element(By.ID, "duplicate-file").text == "1"
    assert browser.find_element(By.ID, "refused").text == "0"
    action = browser.find_element(By.CSS_SELECTOR, "form[action$='/confirm']").get_attribute(
        "action").replace(BASE, "")
    submit_form(browser, action, {})
    assert "4 pacientes importados" in wait_for(browser, By.ID, "done").text
    assert sorted(p[0] for p in campaign_patients(c.campaign)) == ["C Dos", "C Uno",
                                                                   "C Uno tarde", "C Ya"]
