"""The lesson finder on the teachers' page, in a real headless Chromium, in both languages."""
from __future__ import annotations

import pytest

from scripts.lessons import model
from scripts.lessons.model import SUBJECTS

LESSONS = model.load_lessons()
PAGES = {"ja": "teachers/", "en": "en/teachers/"}


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".lesson-card", "cards => cards.filter(c => !c.hidden && c.offsetParent !== null)"
                        ".map(c => c.querySelector('.lesson-card__title').textContent.trim())")


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_finder_filters_without_reload(page, site_server, lang):
    page.goto(site_server + PAGES[lang])
    assert page.is_visible(".lesson-finder__form")
    assert len(visible_titles(page)) == len(LESSONS)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    page.select_option("#lesson-grade", "小4")
    expected = {l.title[lang] for l in LESSONS if "小4" in l.grades}
    assert set(visible_titles(page)) == expected and expected
    status = page.text_content(".lesson-finder__status")
    assert str(len(expected)) in status or (len(expected) == 1 and status)

    page.select_option("#lesson-grade", "中1")
    page.select_option("#lesson-subject", SUBJECTS["理科"]["slug"])
    expected = {l.title[lang] for l in LESSONS if "中1" in l.grades and l.subject == "理科"}
    assert set(visible_titles(page)) == expected and expected

    page.select_option("#lesson-subject", "")
    page.select_option("#lesson-periods", "2")
    expected = {l.title[lang] for l in LESSONS if "中1" in l.grades and l.periods == 2}
    assert set(visible_titles(page)) == expected
    if not expected:
        assert page.is_visible(".lesson-finder__empty")

    assert "grade=" in page.url  # the choice is in the address, to share
    page.click(".lesson-finder__form button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('.lesson-card:not([hidden])').length === {len(LESSONS)}")
    assert page.evaluate("window.__sameDocument") is True


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_filters_from_the_address_and_labels(page, site_server, lang):
    page.goto(site_server + PAGES[lang] + "?subject=" + SUBJECTS["社会"]["slug"])
    expected = {l.title[lang] for l in LESSONS if l.subject == "社会"}
    assert set(visible_titles(page)) == expected
    # Every filter has a visible label tied to it.
    for name in ("grade", "subject", "periods"):
        assert page.locator(f"label[for=lesson-{name}]").is_visible()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_full_list_without_javascript(browser, site_server, lang):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server + PAGES[lang])
    assert not page.is_visible(".lesson-finder__form")  # filters need the script; the list does not
    cards = page.locator(".lesson-card")
    assert cards.count() == len(LESSONS)
    assert all(cards.nth(i).is_visible() for i in range(cards.count()))
    titles = page.locator(".lesson-card__title").all_text_contents()
    assert {t.strip() for t in titles} == {l.title[lang] for l in LESSONS}
    context.close()
