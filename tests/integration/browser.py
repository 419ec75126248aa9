"""Headless Chromium for the browser tests (Debian's chromium and chromedriver).

Use it from a test file:

    from browser import browser, sign_in   # noqa: F401  (browser is a pytest fixture)

    def test_x(browser):
        sign_in(browser, BASE, DEMO_EMAIL, DEMO_PASSWORD)

(conftest.py imports the fixture too, so it is also available without the import.)

One Chromium per test module: starting it costs about a second, and each module starts
from a fresh profile in a temporary directory. The fixture deletes every cookie before
handing the driver to a test, so each test begins signed out.
"""
import shutil
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update",
         "--disable-sync", "--window-size=1280,900")
WAIT_SECONDS = 15


def start_chromium(profile_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    return driver


@pytest.fixture(scope="module")
def _chromium():
    profile_dir = tempfile.mkdtemp(prefix="rm-chromium-")
    driver = start_chromium(profile_dir)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)


@pytest.fixture
def browser(_chromium):
    """A selenium Chrome driver, signed out (no cookies) at the start of each test."""
    _chromium.delete_all_cookies()
    yield _chromium
    _chromium.delete_all_cookies()


def wait_for(driver, by, what, seconds=WAIT_SECONDS):
    """Waits until an element is present and returns it."""
    return WebDriverWait(driver, seconds).until(EC.presence_of_element_located((by, what)))


def submit_form(driver, form_action, values, button_css="button[type=submit]"):
    """Types `values` ({input name: text}) into the form posting to form_action and clicks
    its submit button; waits for the next page to load."""
    form = driver.find_element(By.CSS_SELECTOR, f'form[action="{form_action}"]')
    for name, text in values.items():
        field = form.find_element(By.NAME, name)
        if field.tag_name == "select":
            field.find_element(By.CSS_SELECTOR, f'option[value="{text}"]').click()
        else:
            field.clear()
            field.send_keys(text)
    old = driver.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, button_css).click()
    WebDriverWait(driver, WAIT_SECONDS).until(_replaced(old))


def click_and_wait(driver, element):
    """Clicks element (a submit button or a link) and waits until the next page has
    replaced this one, so that nothing is read from the page being left."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, WAIT_SECONDS).until(_replaced(old))


def _replaced(old):
    """True once `old` (the previous page's <html>) has left the document. chromedriver
    reports a node of an unloaded page either as stale or, mid-navigation, as "does not
    belong to the document" (a plain WebDriverException): both mean the page changed."""
    def check(_driver):
        try:
            old.is_enabled()
            return False
        except WebDriverException:   # StaleElementReferenceException is one of these
            return True
    return check


def sign_in(driver, base_url, email, password):
    """Signs in through the login form, as a person would; returns the path landed on."""
    driver.get(base_url.rstrip("/") + "/login")
    submit_form(driver, "/login", {"email": email, "password": password})
    return current_path(driver, base_url)


def sign_out(driver):
    """Clicks "Cerrar sesión" in the page header."""
    submit_form(driver, "/logout", {})


def current_path(driver, base_url):
    url = driver.current_url
    base = base_url.rstrip("/")
    return url[len(base):] if url.startswith(base) else url
