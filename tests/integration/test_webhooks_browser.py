"""Headless Chromium: an unhappy patient opens the private feedback link, writes what went
wrong and sends it; the thanks page offers the public review link; the clinic's owner
signs in, sees the alert on the home page and marks it resolved."""
import time

from selenium.webdriver.common.by import By

from browser import browser, sign_in, wait_for  # noqa: F401
from hookutil import Clinic, phone, plink
from web import BASE, DEMO_PASSWORD


def test_patient_sends_private_feedback_and_the_owner_resolves_the_alert(browser):
    c = Clinic()
    owner, owner_email = c.user("OWNER")
    p = c.patient(phone())
    mid, _ = c.sent(p, hours_ago=3)
    c.rows("UPDATE messages SET status = 'REPLIED', rating = 2, replied_at = now() "
           "WHERE id = %s", (mid,))
    fid, _ = c.sent(p, type_="FOLLOWUP_UNHAPPY", hours_ago=0)
    token = plink("f", fid, c.id, int(time.time()) + 3600)

    browser.set_window_size(390, 844)            # a phone
    browser.get(BASE + "/f/" + token)
    box = wait_for(browser, By.ID, "body")
    assert "Cuéntanos qué pasó" in browser.find_element(By.TAG_NAME, "h1").text
    box.send_keys("La recepción no me avisó del retraso.")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(browser, By.CSS_SELECTOR, "a.button")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Gracias por contarnos"
    review = browser.find_element(By.CSS_SELECTOR, "a.button").get_attribute("href")
    assert review.startswith(BASE + "/r/")       # our counted link; not followed (Google)
    assert c.rows("SELECT body, rating FROM feedback WHERE message_id = %s", (fid,)) == \
        [("La recepción no me avisó del retraso.", 2)]

    browser.set_window_size(1280, 900)
    browser.delete_all_cookies()
    sign_in(browser, BASE, owner_email, DEMO_PASSWORD)
    alert = wait_for(browser, By.CSS_SELECTOR, "li.feedback-alert")
    assert "La recepción no me avisó del retraso." in alert.text
    assert "Calificación 2 de 5" in alert.text
    alert.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(browser, By.ID, "alerts")
    assert not browser.find_elements(By.CSS_SELECTOR, "li.feedback-alert")
    assert c.rows("SELECT resolved_by FROM feedback WHERE message_id = %s", (fid,)) == [(owner,)]
