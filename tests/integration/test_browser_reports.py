"""Headless Chromium: the demo owner signs in, opens Reportes and sees the charts (inline
SVG, no JavaScript) with the demo history's figures, then narrows the range."""
from selenium.webdriver.common.by import By

from browser import browser, sign_in, submit_form, wait_for  # noqa: F401
from web import BASE, DEMO_EMAIL, DEMO_PASSWORD


def test_demo_owner_sees_the_charts_on_reports(browser):
    assert sign_in(browser, BASE, DEMO_EMAIL, DEMO_PASSWORD) == "/"
    browser.find_element(By.LINK_TEXT, "Reportes").click()
    wait_for(browser, By.ID, "report-table")
    submit_form(browser, "/reports", {"range": "90"})
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert len(charts) == 3
    for svg in charts:
        assert svg.is_displayed()
        size = svg.size
        assert size["width"] > 100 and size["height"] > 50, size
    titles = [f.text for f in browser.find_elements(By.CSS_SELECTOR, "figure.chart figcaption")]
    assert titles == ["Distribución de calificaciones", "NPS por semana", "Embudo de mensajes"]
    # Ninety days of demo history: bars with height, a weekly line, a real NPS.
    bars = browser.find_elements(By.CSS_SELECTOR, "figure.chart:first-child rect")
    assert sum(float(b.get_attribute("height")) for b in bars) > 0
    assert browser.find_elements(By.CSS_SELECTOR, "figure.chart polyline")
    nps = browser.find_element(By.ID, "nps").text
    assert nps.lstrip("-").isdigit(), nps
