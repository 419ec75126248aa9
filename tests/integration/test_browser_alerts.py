"""Headless Chromium: an owner with 25 unhappy comments waiting sees the 10 newest on the
home page (as boxes, without the line that says what would appear there), follows
"y 15 más" to the list, pages to the older ones and resolves one."""
from selenium.webdriver.common.by import By

from browser import browser, click_and_wait, sign_in, wait_for  # noqa: F401
from test_home_alerts_cap import PASSWORD, UNHAPPY, workspace  # noqa: F401
from web import BASE


def comments(driver):
    return [q.text for q in driver.find_elements(By.CSS_SELECTOR, "li.feedback-alert blockquote")]


def test_owner_pages_through_waiting_comments_and_resolves_one(browser, workspace):
    _, expected, email = workspace
    assert sign_in(browser, BASE, email, PASSWORD) == "/"
    assert comments(browser) == expected[:10]
    assert not browser.find_element(By.CSS_SELECTOR, "li.alert-none").is_displayed()
    first = browser.find_element(By.CSS_SELECTOR, "li.feedback-alert")
    assert first.value_of_css_property("list-style-type") == "none"
    more = browser.find_element(By.ID, "more-alerts")
    assert more.text == f"y {UNHAPPY - 10} más"
    click_and_wait(browser, more)
    wait_for(browser, By.ID, "alert-list")
    assert comments(browser) == expected[:20]
    click_and_wait(browser, browser.find_element(By.ID, "alerts-older"))
    wait_for(browser, By.ID, "alerts-newest")
    assert comments(browser) == expected[20:]
    click_and_wait(browser, browser.find_element(
        By.CSS_SELECTOR, "li.feedback-alert button[type=submit]"))
    wait_for(browser, By.ID, "more-alerts")           # back on the home page's alerts
    assert browser.find_element(By.ID, "more-alerts").text == f"y {UNHAPPY - 11} más"
    assert comments(browser) == expected[:10]
