"""The main flow a clinic clicks through, in headless Chromium: a new owner is told a
campaign needs a practice, follows the link, creates the practice, creates a campaign and
activates it, and the page says how many messages were scheduled.

Uses the shared headless Chromium fixture (tests/integration/browser.py)."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import browser, click_and_wait, sign_in   # noqa: F401  (browser: a fixture)
from campaign_helpers import PLACE_ID, add_patient, one, owner_sql
from web import BASE, Browser, signup

PASSWORD = "clave-segura-1"


def fill(driver, field_id, value):
    el = driver.find_element(By.ID, field_id)
    el.clear()
    el.send_keys(value)


def submit(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def test_owner_creates_practice_then_campaign_and_activates_it_in_chromium(browser):
    d = browser
    r, email = signup(Browser(), password=PASSWORD)
    assert r.status_code == 303
    ws = str(one("SELECT workspace_id FROM users WHERE email = %s", (email,)))

    sign_in(d, BASE, email, PASSWORD)

    d.get(BASE + "/campaigns/new")
    assert "primero hace falta un consultorio" in d.page_source
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Crear un consultorio"))
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
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Activar y programar mensajes']"))
    assert d.find_element(By.ID, "status").text == "Activa"
    assert "Campaña activada: 1 mensaje programado." in d.find_element(By.ID, "activation").text
    assert owner_sql("SELECT type::text, status::text FROM messages WHERE campaign_id = %s",
                     (campaign,)) == [("INITIAL", "PENDING")]
