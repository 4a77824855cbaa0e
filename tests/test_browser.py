"""The built site in a real headless Chromium served from 127.0.0.1."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, site_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requests = []  # every URL the page asked for
    page.errors = []  # console errors and failed responses
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status} {r.url}"))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def local_only(page, server):
    origin = urlparse(server).netloc
    others = [u for u in page.requests if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc != origin]
    assert not others, f"requests to other origins: {others}"


@pytest.mark.parametrize("start, lang, other, expected", [
    ("plan/social-changes/", "ja", "en", "en/plan/social-changes/"),
    ("en/plan/social-changes/", "en", "ja", "plan/social-changes/"),
    ("", "ja", "en", "en/"),
    ("en/fields/decarbonization/", "en", "ja", "fields/decarbonization/"),
])
def test_language_switcher_keeps_the_page(page, site_server, start, lang, other, expected):
    page.goto(site_server + start)
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == lang
    # Open the switcher with the keyboard as well as it can be, then follow the link.
    page.locator(".md-select .md-header__button").first.focus()
    link = page.locator(f'.md-select__link[hreflang="{other}"]')
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_server + expected
    assert page.get_attribute("html", "lang") == other
    assert not page.errors, page.errors
    local_only(page, site_server)


@pytest.mark.parametrize("path", ["", "en/", "glossary/", "en/about/"])
def test_pages_load_without_errors_or_third_party_requests(page, site_server, path):
    page.goto(site_server + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    assert not page.errors, page.errors
    local_only(page, site_server)


def test_japanese_text_renders_with_a_japanese_font(page, site_server):
    page.goto(site_server)
    family = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontFamily")
    assert "BIZ UDPGothic" in family and "Noto Sans CJK JP" in family
    # Glyphs are drawn from an installed CJK font: 国 in the page's font differs from
    # both the browser's last-resort box (an unassigned code point) and a missing font.
    pixels = page.evaluate("""() => {
        const family = getComputedStyle(document.querySelector('.md-typeset')).fontFamily;
        const draw = (font, text) => {
            const c = document.createElement('canvas'); c.width = c.height = 48;
            const g = c.getContext('2d'); g.font = '40px ' + font; g.fillText(text, 2, 40);
            return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
        };
        return {page: draw(family, '国'), box: draw(family, '\\u{10FFFD}'), biz: draw('"BIZ UDPGothic"', '国'),
                missing: draw('"No Such Font"', '国')};
    }""")
    assert len(set(pixels["page"].split(","))) > 1, "nothing was drawn"
    assert pixels["page"] != pixels["box"]
    assert pixels["biz"] != pixels["missing"], "BIZ UDPGothic is not installed"
