"""The lesson finder on the teachers' page, in a real headless Chromium, in both languages."""
from __future__ import annotations

import urllib.parse

import pytest

from scripts.lessons import model, pages
from scripts.lessons import text as T
from scripts.lessons.model import SUBJECTS

LESSONS = model.load_lessons()
PAGES = {"ja": "teachers/", "en": "en/teachers/"}


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".lesson-card", "cards => cards.filter(c => !c.hidden && c.offsetParent !== null)"
                        ".map(c => c.querySelector('.lesson-card__title').textContent.trim())")


def suits(lesson, grade=None, subject=None) -> bool:
    return any((grade is None or grade in g) and (subject is None or s == subject) for g, s in lesson.uses)


def choose(page, name: str, value: str) -> None:
    """One click on the visible choice (a label around a radio button), as a teacher would.
    (Clicks are counted as mousedown: a click on a label also fires a click on its input.)"""
    page.click(f'.lesson-finder__field[data-filter="{name}"] label:has(input[value="{value}"])')


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_teacher_finds_the_grade_5_social_studies_disaster_lesson_in_three_clicks(page, site_server, lang):
    """From the teachers' page: 小5, then 防災 (the topic), then the lesson. Every click is counted."""
    page.goto(site_server + PAGES[lang])
    page.evaluate("window.__clicks = 0; document.addEventListener('mousedown', () => window.__clicks++, true)")
    choose(page, "grade", "小5")
    choose(page, "topic", "disaster-resilience")
    expected = [l for l in LESSONS if suits(l, "小5", "社会") and l.field == "disaster-resilience"]
    assert expected, "no lesson suits 小5 社会 on disasters"
    titles = visible_titles(page)
    assert set(titles) == {l.title[lang] for l in LESSONS if suits(l, "小5") and l.field == "disaster-resilience"}
    # The card says it suits Grade 5 social studies, so the teacher knows before opening it.
    card = page.locator(".lesson-card:not([hidden])", has_text=expected[0].title[lang])
    assert T.subject_label("社会", lang) in card.inner_text() and T.grade_label("小5", lang) in card.inner_text()
    assert page.evaluate("window.__clicks") == 2
    state = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert state == {"grade": ["小5"], "topic": ["disaster-resilience"]}  # the choice is in the address
    with page.expect_navigation():
        card.locator(".lesson-card__title a").click()
    assert page.url.rstrip("/").endswith(f"teachers/{expected[0].id}")  # third click: the lesson page
    assert page.locator("h1").inner_text().strip().rstrip("¶") == expected[0].title[lang]
    assert page.evaluate("window.__clicks") is None  # a new page: three clicks in all


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_finder_filters_grade_and_subject_together_without_reload(page, site_server, lang):
    page.goto(site_server + PAGES[lang])
    assert page.is_visible(".lesson-finder__form")
    assert len(visible_titles(page)) == len(LESSONS)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    choose(page, "grade", "小5")
    expected = {l.title[lang] for l in LESSONS if suits(l, "小5")}
    assert set(visible_titles(page)) == expected and expected
    status = page.text_content(".lesson-finder__status")
    assert str(len(expected)) in status or (len(expected) == 1 and status)

    # A lesson written for 小4 社会 that also suits 小5 社会 is found, but not one for 小5 in another subject.
    choose(page, "subject", SUBJECTS["社会"]["slug"])
    expected = {l.title[lang] for l in LESSONS if suits(l, "小5", "社会")}
    assert set(visible_titles(page)) == expected
    assert any(l.title[lang] in expected for l in LESSONS if l.grades == ("小4",))

    choose(page, "grade", "中1")
    choose(page, "subject", SUBJECTS["理科"]["slug"])
    expected = {l.title[lang] for l in LESSONS if suits(l, "中1", "理科")}
    assert set(visible_titles(page)) == expected and expected

    choose(page, "topic", "trust")
    assert visible_titles(page) == [] and page.is_visible(".lesson-finder__empty")

    choose(page, "subject", "")
    expected = {l.title[lang] for l in LESSONS if suits(l, "中1") and l.field == "trust"}
    assert set(visible_titles(page)) == expected and expected

    page.click(".lesson-finder__form button[type=reset]")
    page.wait_for_function(f"() => document.querySelectorAll('.lesson-card:not([hidden])').length === {len(LESSONS)}")  # a function: the page's CSP forbids eval
    assert page.evaluate("window.__sameDocument") is True
    assert "grade=" not in page.url


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_filters_from_the_address_and_labels(page, site_server, lang):
    page.goto(site_server + PAGES[lang] + "?subject=" + SUBJECTS["社会"]["slug"] + "&topic=disaster-resilience")
    expected = {l.title[lang] for l in LESSONS if suits(l, subject="社会") and l.field == "disaster-resilience"}
    assert set(visible_titles(page)) == expected and expected
    assert page.is_checked('input[name="topic"][value="disaster-resilience"]')
    # Every filter is a named group, and every topic has its short name.
    for name in ("grade", "subject", "topic", "periods"):
        assert page.locator(f'.lesson-finder__field[data-filter="{name}"] legend').is_visible()
    for field in {l.field for l in LESSONS}:
        assert page.locator(f'.lesson-finder__field[data-filter="topic"] label:has(input[value="{field}"])')\
            .inner_text().strip() == pages.topic_label(field, lang)


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
