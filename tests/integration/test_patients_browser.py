"""Headless Chromium: an owner adds a patient by hand (the phone as Ecuadorians write it),
opens the patient's page, opts the patient out, then erases the patient's data with the
confirmation box (a red button: it cannot be undone). Each step is read back from the
database."""
from selenium.webdriver.common.by import By

from browser import browser, click_and_wait, sign_in   # noqa: F401
from campaign_helpers import one, owner_sql
from web import BASE, DEMO_EMAIL, DEMO_PASSWORD, Browser, signup

PASSWORD = "clave-segura-1"


def test_owner_adds_a_patient_opts_them_out_and_erases_their_data(browser):
    d = browser
    r, owner = signup(Browser(), password=PASSWORD)
    assert r.status_code == 303
    ws = str(one("SELECT workspace_id FROM users WHERE email = %s", (owner,)))
    assert sign_in(d, BASE, owner, PASSWORD) == "/"

    click_and_wait(d, d.find_element(By.LINK_TEXT, "Pacientes"))
    click_and_wait(d, d.find_element(By.LINK_TEXT, "Nuevo paciente"))
    d.find_element(By.ID, "name").send_keys("Rosa Chromium Ñáñez")
    d.find_element(By.ID, "phone").send_keys("(09) 8765-4321")
    d.find_element(By.NAME, "consent").click()
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert d.find_element(By.TAG_NAME, "h1").text == "Rosa Chromium Ñáñez"
    assert d.find_element(By.ID, "phone").text == "+593987654321"
    pid = d.current_url.split("/patients/")[1].split("?")[0]
    assert one("SELECT phone FROM patients WHERE workspace_id = %s AND id = %s",
               (ws, pid)) == "+593987654321"

    click_and_wait(d, d.find_element(By.XPATH, "//button[text()='Dar de baja']"))
    assert "Dado de baja el" in d.find_element(By.CSS_SELECTOR, "p.notice").text
    assert owner_sql("SELECT phone FROM opt_outs WHERE workspace_id = %s", (ws,)) == \
        [("+593987654321",)]

    erase = d.find_element(By.XPATH, "//button[text()='Borrar datos']")
    assert erase.value_of_css_property("background-color") == "rgba(164, 38, 44, 1)"  # red
    d.find_element(By.NAME, "confirm").click()
    click_and_wait(d, erase)
    assert "fueron borrados" in d.find_element(By.CSS_SELECTOR, "p.notice").text
    assert "Rosa" not in d.page_source and "987654321" not in d.page_source
    name, phone, erased = owner_sql(
        "SELECT name, phone, data_deleted_at IS NOT NULL FROM patients WHERE id = %s",
        (pid,))[0]
    assert (name, phone, erased) == ("Paciente borrado", None, True)


def test_four_dashboard_lists_fit_a_phone_screen(browser):
    """On a narrow screen the patients, campaigns, reports and users tables scroll inside
    the page; the page does not widen."""
    d = browser
    assert sign_in(d, BASE, DEMO_EMAIL, DEMO_PASSWORD) == "/"
    d.set_window_size(390, 844)           # headless Chromium keeps at least 500 px
    try:
        for path in ("/patients", "/campaigns", "/reports", "/users"):
            d.get(BASE + path)
            page, window = d.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            assert page <= window, (path, page, window)
            assert d.find_elements(By.CSS_SELECTOR, "table")
    finally:
        d.set_window_size(1280, 900)
