"""The finish stage (scripts/finish): one pass over each page the engine wrote."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import ROOT, images, languages
from scripts.finish import FinishFailed, Settings, pages
from scripts.problems import ContentError

LANGS = tuple(languages.configured())  # the source language first (ja), then en


def settings(tmp_path: Path, lang: int = 0) -> Settings:
    return Settings(site_dir=tmp_path, language=LANGS[lang], languages=LANGS, site_name="サイト",
                    site_url="https://example.org/" + LANGS[lang].path, root_url="https://example.org/",
                    docs_dir=ROOT / "docs" / LANGS[lang].code)


VALUES = {"order": 1, "src": "docs/ja/plan/index.md", "lang": "ja", "url": "plan/",
          "canonical": "https://example.org/plan/", "glossary": False, "furigana": None,
          "title": "計画", "description": "", "search": {"title": "計画", "description": ""},
          "card": {"title": "計画", "description": ""}, "feed": None}


def engine_page(content: str, notice: str = "", values: dict | None = None, csp: bool = True) -> str:
    """A page as the engine writes it (overrides/partials/page-content.html)."""
    values = VALUES if values is None else values
    data = f'<script type="application/json" data-finish="page">{json.dumps(values)}</script>\n' if values else ""
    policy = ('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'self\'; '
              'style-src \'self\'">') if csp else ""
    return (f"<html><head>{policy}</head><body><article>\n{data}"
            f"<!--finish:notice-->{notice}<!--/finish:notice--><!--finish:content-->{content}<!--/finish:content-->\n"
            "</article><script>var x = 1;</script></body></html>")


@pytest.fixture
def image_set(tmp_path):
    return images.ImageSet(tmp_path, ROOT / "docs" / "ja")


def test_marks_and_values_are_removed_and_the_notice_follows_the_heading(tmp_path, image_set):
    notice = '<div class="translation-notice">古い翻訳</div>'
    done = pages.finish_page(engine_page("<h1>見出し</h1><p>本文</p>", notice), settings(tmp_path, 1), image_set)
    assert "finish" not in done.html.replace("data-finish", "")  # no mark left
    assert "data-finish" not in done.html
    body = done.html[done.html.index("<article>"):]
    assert body.index("</h1>") < body.index("translation-notice") < body.index("本文")
    # The feed gets the content without the notice, the search index with it.
    assert "translation-notice" in done.content and "translation-notice" not in done.feed_content


def test_content_goes_through_the_steps_and_the_page_gets_its_policy(tmp_path, image_set):
    with pytest.raises(ContentError, match="unsafe-attribute"):  # the sanitizer's allowlist, naming the file
        pages.finish_page(engine_page('<p onclick="alert(1)">x</p>'), settings(tmp_path), image_set)
    page = engine_page('<h1>計画</h1><p>国土交通省の<a href="https://example.com/x">技術</a></p>')
    done = pages.finish_page(page, settings(tmp_path), image_set)
    assert 'data-print-href="https://example.com/x"' in done.html  # link addresses on paper
    assert "<ruby" in done.html  # furigana on a Japanese page
    assert "'sha256-" in done.html  # the inline script's hash in the policy


def test_a_fallback_page_is_marked_with_its_own_language(tmp_path, image_set):
    done = pages.finish_page(engine_page("<h1>計画</h1>"), settings(tmp_path, 1), image_set)  # ja page, en site
    assert '<div lang="ja"><h1>' in done.html
    english = {**VALUES, "lang": "en", "src": "docs/en/plan/index.md"}
    assert "<div lang=" not in pages.finish_page(engine_page("<h1>Plan</h1>", values=english),
                                                  settings(tmp_path, 1), image_set).html


def test_content_without_its_values_is_not_published(tmp_path, image_set):
    with pytest.raises(FinishFailed):
        pages.finish_page(engine_page("<p>x</p>", values={}), settings(tmp_path), image_set)


def test_a_page_that_writes_the_build_marks_gets_an_error_naming_its_file(tmp_path, image_set):
    with pytest.raises(ContentError) as error:
        pages.finish_page(engine_page("<p>a</p><!--/finish:content--><p>b</p>"), settings(tmp_path), image_set)
    assert "docs/ja/plan/index.md" in str(error.value)


def test_relative_links_match_the_engine():
    from mkdocs.utils import get_relative_url

    for page_url in ["", "plan/", "news/2026/11/29/site-launch/", "404.html", "fields/a/b/"]:
        for target in ["glossary/", "plan/", "", "assets/x.png"]:
            assert pages._relative(page_url, target) == get_relative_url(target, page_url or "."), (page_url, target)


def test_the_built_site_has_no_marks_left(built_site):
    leftovers = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html")
                 if "<!--finish:" in (text := p.read_text(encoding="utf-8")) or 'data-finish="page"' in text]
    assert not leftovers
    assert len(list(built_site.rglob("*.html"))) > 40
