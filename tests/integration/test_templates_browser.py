"""Headless Chromium: an owner opens a template, changes its text, presses "Vista
previa" and sees the message with sample data and its SMS figures, then saves it."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from campaign_helpers import new_workspace, owner_sql
from web import BASE

from browser import browser, click_and_wait, sign_in   # noqa: F401  (browser: a fixture)


def wait_for(driver, css):
    return WebDriverWait(driver, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def test_owner_edits_template_sees_preview_then_saves(browser):
    _, ws, _ = new_workspace()
    owner_sql("UPDATE users SET password_hash = %s WHERE workspace_id = %s",
              ("$2b$12$Hk8Lk6auA5eYVsoe5ExzyeZYcsCQ6lTxRrJrb1BpkkmiNNFV9OWgO", ws))
    email = owner_sql("SELECT email FROM users WHERE workspace_id = %s", (ws,))[0][0]
    tid = str(owner_sql("SELECT id FROM templates WHERE workspace_id = %s AND type = 'REMINDER'",
                        (ws,))[0][0])
    sign_in(browser, BASE, email, "demo1234")

    browser.get(BASE + "/templates")
    browser.find_element(By.LINK_TEXT, "Recordatorio").click()
    content = wait_for(browser, "textarea#content")
    content.clear()
    content.send_keys("Hola {{name}}, ¿nos cuenta cómo fue su cita del {{date}}? Responda del 1 al 5.")
    click_and_wait(browser, browser.find_element(By.ID, "preview-button"))

    text = wait_for(browser, "#preview-text").text
    assert text == ("Hola Andrés Peña, ¿nos cuenta cómo fue su cita del lunes 15 de noviembre, "
                    "10:00? Responda del 1 al 5.")
    figures = browser.find_element(By.ID, "sms-figures").text
    assert "101 caracteres, 2 parte(s) de hasta 67" in figures
    forced = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#sms-encoding code")]
    assert forced == ["ó"]
    # The preview saved nothing; the typed text is still in the editor.
    assert "{{date}}" in browser.find_element(By.ID, "content").get_attribute("value")
    assert "{{date}}" not in owner_sql("SELECT content FROM templates WHERE id = %s", (tid,))[0][0]

    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR,
                                                 '#template-form button:not([formaction])'))
    wait_for(browser, "p.notice")
    assert browser.current_url == f"{BASE}/templates/{tid}?saved=1"
    saved = owner_sql("SELECT content, variables FROM templates WHERE id = %s", (tid,))[0]
    assert saved == ("Hola {{name}}, ¿nos cuenta cómo fue su cita del {{date}}? Responda del 1 al 5.",
                     ["name", "date"])
