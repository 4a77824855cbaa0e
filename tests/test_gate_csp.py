"""Browser gate, Content-Security-Policy (issue 16 §2): every page of both languages
loads under its own policy with no violation (securitypolicyviolation events and
console CSP errors), and search, whose worker runs under that policy, still finds
pages. A page with an unhashed inline script shows the gate can fail."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.gate import site
from tests.gate.scan import CSP_LISTENER

pytestmark = pytest.mark.browser
CSP_CONSOLE = ("Content Security Policy", "Content-Security-Policy")


@pytest.mark.parametrize("lang", site.LANGS)
def test_no_policy_violations_on_any_page(site_scan, lang):
    found = {path: s for path, s in site_scan.items() if site.language_of(path) == lang}
    assert found and any(p.endswith("404.html") for p in found), f"no {lang} pages (or no 404 page) were scanned"
    violations = {p: s.csp_violations + [e for e in s.console_errors if any(c in e for c in CSP_CONSOLE)]
                  for p, s in found.items()}
    violations = {p: v for p, v in violations.items() if v}
    assert not violations, violations


QUERIES = {"ja": ("減災", "fields/disaster-resilience/"), "en": ("earthquakes", "en/fields/disaster-resilience/")}


@pytest.mark.parametrize("lang", site.LANGS)
def test_search_works_under_the_policy(browser, gate_server, lang):
    query, expected = QUERIES[lang]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(gate_server + site.LANG_PREFIX[lang] + "plan/", wait_until="load")
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)
        box.press("End")  # Material listens for keyup
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        links = page.locator(".md-search-result__item > a:first-child").evaluate_all("els => els.map(e => e.href)")
        assert gate_server + expected in [h.split("?")[0].split("#")[0] for h in links[:5]], links
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], violations
        assert not [e for e in errors if any(c in e for c in CSP_CONSOLE)], errors
    finally:
        context.close()


def test_the_gate_sees_a_violation(browser, gate_server, built_site):
    """The real home page with one unhashed inline script and one style attribute added."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    html = html.replace("</body>", '<div style="position:fixed">x</div><script>window.injected = 1</script></body>')
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    context.route(gate_server + "csp-probe.html", lambda route: route.fulfill(body=html, content_type="text/html"))
    page = context.new_page()
    try:
        page.goto(gate_server + "csp-probe.html", wait_until="load")
        try:  # the browser reports violations as events, after the load
            page.wait_for_function("() => ['script-src', 'style-src'].every("
                                   "d => (window.__cspViolations || []).some(v => v.includes(d)))", timeout=5000)
        except PlaywrightTimeout:
            pass  # the assertion below says what was missing
        violations = page.evaluate("window.__cspViolations")
        assert page.evaluate("window.injected") is None, "the unhashed inline script ran"
        assert any("script-src" in v for v in violations) and any("style-src" in v for v in violations), violations
    finally:
        context.close()
