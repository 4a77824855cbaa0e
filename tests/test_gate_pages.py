"""Browser gate, every page in both languages (issue 9): no WCAG 2.2 A/AA
violations found by axe-core, nothing fetched from another origin, no console
errors or failed requests, no sideways scrolling at 360 px, and a language
switcher that leads to the same page in the other language."""
from __future__ import annotations

from urllib.parse import urljoin

import pytest

from tests.gate import site
from tests.gate.axe import TAGS, axe_version, describe, rule_criteria
from tests.gate.results import record

pytestmark = pytest.mark.browser


def scans(site_scan, lang):
    found = {path: s for path, s in site_scan.items() if site.language_of(path) == lang}
    assert found, f"no {lang} pages were scanned"
    return found


@pytest.mark.parametrize("lang", site.LANGS)
def test_every_page_loads(site_scan, lang):
    broken = {p: s.error or f"HTTP {s.status}" for p, s in scans(site_scan, lang).items()
              if s.error or not (s.status == 200 or (p.endswith("404.html") and s.status in (200, 404)))}
    assert not broken, broken


@pytest.mark.parametrize("lang", site.LANGS)
def test_no_axe_violations(site_scan, browser, lang):
    found = scans(site_scan, lang)
    failures = {}
    for path, s in found.items():
        for width, violations in (("1280 px", s.axe_desktop), ("360 px", s.axe_phone or [])):
            if violations:
                failures[f"/{path} at {width}"] = violations
    count = sum(len(v["nodes"]) for vs in failures.values() for v in vs)
    phone = sum(1 for s in found.values() if s.axe_phone is not None)
    record("axe", lang, not failures, pages=len(found), phone_pages=phone, tags=TAGS, tool=f"axe-core {axe_version()}",
           browser=browser.version,
           violations=count, rules=sorted({v["id"] for vs in failures.values() for v in vs}),
           # For the statement's per-criterion checklist (scripts/accessibility.py).
           rule_criteria=rule_criteria(browser), applied=sorted(set().union(*(s.axe_applied for s in found.values()))))
    assert not failures, "axe-core violations:\n" + "\n".join(
        f"{where}:\n{describe(vs)}" for where, vs in failures.items())


@pytest.mark.parametrize("lang", site.LANGS)
def test_nothing_is_fetched_from_another_origin(site_scan, gate_server, lang):
    found = scans(site_scan, lang)
    others = {p: s.other_origins(gate_server) for p, s in found.items() if s.other_origins(gate_server)}
    record("third-party", lang, not others, pages=len(found), requests=sum(len(v) for v in others.values()))
    assert not others, f"requests to other origins: {others}"


@pytest.mark.parametrize("lang", site.LANGS)
def test_no_console_errors_or_failed_requests(site_scan, lang):
    found = scans(site_scan, lang)
    problems = {p: s.console_errors + s.failed for p, s in found.items()
                # The 404 page is fetched directly here, so its own status is not a failure.
                if [e for e in s.console_errors + s.failed if not (p.endswith("404.html") and e.endswith(p))]}
    record("errors", lang, not problems, pages=len(found), errors=sum(len(v) for v in problems.values()))
    assert not problems, problems


@pytest.mark.parametrize("lang", site.LANGS)
def test_no_sideways_scrolling_on_a_phone(site_scan, lang):
    found = scans(site_scan, lang)
    wide = {p: s.overflow for p, s in found.items()
            if not s.overflow or s.overflow["scrollWidth"] > s.overflow["clientWidth"]}
    record("reflow", lang, not wide, pages=len(found), width=360, overflowing=len(wide))
    assert not wide, f"pages wider than 360 px (scrollWidth, and the elements sticking out): {wide}"


@pytest.mark.parametrize("lang", site.LANGS)
def test_language_switcher_leads_to_the_same_page(site_scan, gate_server, built_site, lang):
    found = scans(site_scan, lang)
    wrong = {}
    for path, s in found.items():
        if path.endswith("404.html"):
            continue
        links = {link["lang"]: link["href"] for link in s.switcher}
        for other in site.LANGS:
            expected = urljoin(gate_server, site.counterpart(path, other))
            if links.get(other) != expected:
                wrong[f"/{path} -> {other}"] = f"{links.get(other)} (expected {expected})"
        # The counterpart exists: a page in one language only is a build error (scripts/languages.py).
        for other in site.LANGS:
            assert site.counterpart(path, other) in site_scan, f"/{path} has no {other} page"
    record("language-switcher", lang, not wrong, pages=len(found))
    assert not wrong, wrong
