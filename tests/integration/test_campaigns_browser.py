"""The main flow a clinic clicks through, in headless Chromium: a new owner is told a
campaign needs a practice, follows the link, creates the practice, creates a campaign and
activates it, and the page says how many messages were scheduled.

A small fixture of its own (Debian's chromium and chromedriver): tests/integration/browser.py
from the users part replaces it once that is on main."""
import shutil
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from campaign_helpers import PLACE_ID, add_patient, one, owner_sql
from web import BASE, Browser, signup

PASSWORD = "clave-segura-1"


@pytest.fixture
def chromium():
    profile = tempfile.mkdtemp(prefix="rm-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def fill(driver, field_id, value):
    el = driver.find_element(By.ID, field_id)
    el.clear()
    el.send_keys(value)


def submit(driver):
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def test_owner_creates_practice_then_campaign_and_activates_it_in_chromium(chromium):
    d = chromium
    r, email = signup(Browser(), password=PASSWORD)
    assert r.status_code == 303
    ws = str(one("SELECT workspace_id FROM users WHERE email = %s", (email,)))

    d.get(BASE + "/login")
    fill(d, "email", email)
    fill(d, "password", PASSWORD)
    submit(d)

    d.get(BASE + "/campaigns/new")
    assert "primero hace falta un consultorio" in d.page_source
    d.find_element(By.LINK_TEXT, "Crear un consultorio").click()
    assert d.current_url == BASE + "/practices/new"
    fill(d, "name", "Consultorio Chromium")
    fill(d, "city", "Quito")
    fill(d, "phone", "02 234 5678")
    fill(d, "google_place_id", PLACE_ID)
    submit(d)
    assert d.current_url == BASE + "/practices?saved=1"
    link = d.find_element(By.LINK_TEXT, "Probar el enlace de reseñas")
    assert link.get_attribute("href") == \
        f"https://search.google.com/local/writereview?placeid={PLACE_ID}"

    d.get(BASE + "/campaigns/new")
    fill(d, "name", "Campaña desde Chromium")
    Select(d.find_element(By.ID, "practice_id")).select_by_visible_text("Consultorio Chromium")
    fill(d, "scheduled_hours_after", "3")
    submit(d)
    assert "Campaña guardada" in d.page_source
    assert d.find_element(By.ID, "status").text == "Borrador"
    campaign = d.current_url.split("/campaigns/")[1].split("?")[0]
    add_patient(ws, campaign, hours_ago=-24, name="Paciente del navegador")

    d.refresh()
    d.find_element(By.XPATH, "//button[text()='Activar y programar mensajes']").click()
    assert d.find_element(By.ID, "status").text == "Activa"
    assert "Campaña activada: 1 mensaje programado." in d.find_element(By.ID, "activation").text
    assert owner_sql("SELECT type::text, status::text FROM messages WHERE campaign_id = %s",
                     (campaign,)) == [("INITIAL", "PENDING")]
