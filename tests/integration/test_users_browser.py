"""Headless Chromium: an owner adds a doctor on Usuarios and copies the one-time link;
the doctor opens it, creates a password and signs in, and sees a doctor's navigation
(no Usuarios). The new user is read back from the database."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser import browser, click_and_wait, sign_in, sign_out   # noqa: F401
from campaign_helpers import owner_sql
from web import BASE, Browser, signup, unique_email

PASSWORD = "clave-segura-1"


def test_owner_adds_a_doctor_who_sets_a_password_from_the_link_and_signs_in(browser):
    d = browser
    r, owner = signup(Browser(), password=PASSWORD)
    assert r.status_code == 303
    assert sign_in(d, BASE, owner, PASSWORD) == "/"

    click_and_wait(d, d.find_element(By.LINK_TEXT, "Usuarios"))
    doctor = unique_email("doctora")
    d.find_element(By.ID, "name").send_keys("Dra. Chromium")
    d.find_element(By.ID, "email").send_keys(doctor)
    Select(d.find_element(By.ID, "role")).select_by_visible_text("Médico")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Añadir usuario']"))
    assert "Dra. Chromium (" + doctor + ") ya es usuario de la cuenta." in d.page_source
    link = d.find_element(By.ID, "link").get_attribute("value")
    assert link.startswith(BASE + "/users/password/")
    sign_out(d)

    d.get(link)
    assert "Hola, Dra. Chromium." in d.page_source
    d.find_element(By.ID, "password").send_keys("otra-clave-99")
    d.find_element(By.ID, "password2").send_keys("otra-clave-99")
    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Guardar contraseña']"))
    assert "Tu contraseña quedó guardada" in d.page_source

    assert sign_in(d, BASE, doctor, "otra-clave-99") == "/"
    nav = [a.text for a in d.find_elements(By.CSS_SELECTOR, "nav a")]
    assert "Campañas" in nav and "Usuarios" not in nav
    assert owner_sql(
        "SELECT d.role::text, d.password_hash IS NOT NULL, d.workspace_id = o.workspace_id"
        "  FROM users d, users o WHERE d.email = %s AND o.email = %s",
        (doctor, owner)) == [("DOCTOR", True, True)]
    # The link served once.
    d.get(link)
    assert "no es válido" in d.page_source
