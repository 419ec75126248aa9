"""Headless Chromium: the demo owner signs in, sees the home page, signs out."""
from selenium.webdriver.common.by import By

from browser import current_path, sign_in, sign_out
from web import BASE, DEMO_EMAIL, DEMO_PASSWORD


def test_chromium_demo_owner_signs_in_sees_home_and_signs_out(browser):
    assert sign_in(browser, BASE, DEMO_EMAIL, DEMO_PASSWORD) == "/"
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("Hola, ")
    nav = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav a")]
    assert "Inicio" in nav and "Usuarios" in nav
    assert browser.get_cookie("rm_session") is not None

    sign_out(browser)
    assert current_path(browser, BASE) == "/login"
    assert browser.get_cookie("rm_session") is None
    browser.get(BASE + "/")                     # signed out: home sends back to login
    assert current_path(browser, BASE).startswith("/login")
