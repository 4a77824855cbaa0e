"""Unit tests for scripts/languages.py: counterparts, switcher links, hreflang."""
from pathlib import Path

import pytest

from scripts.languages import (Language, LanguageConfigError, alternates, load_languages,
                               missing_counterparts, robots_txt)

JA = Language("ja", "日本語", "mkdocs.yml", "", "Jpan")
EN = Language("en", "English", "mkdocs.en.yml", "en/", "Latn")
ROOT_URL = "https://example.jp/site/"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    for path in ["ja/index.md", "en/index.md", "ja/plan/index.md", "en/plan/index.md", "ja/only-ja.md"]:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("# x\n", encoding="utf-8")
    return tmp_path


def by_code(alts):
    return {a.language.code: a for a in alts}


def test_japanese_page_links_to_english_counterpart(docs):
    alts = by_code(alternates("plan/index.md", "plan/", JA, [JA, EN], docs, ROOT_URL))
    assert alts["en"].exists and alts["en"].url == "https://example.jp/site/en/plan/"
    assert alts["en"].href == "../en/plan/"
    assert alts["ja"].href == "./"


def test_english_page_links_back_to_japanese(docs):
    alts = by_code(alternates("plan/index.md", "plan/", EN, [JA, EN], docs, ROOT_URL))
    assert alts["ja"].url == "https://example.jp/site/plan/"
    assert alts["ja"].href == "../../plan/"


def test_page_without_counterpart_leads_to_that_languages_home(docs):
    alts = by_code(alternates("only-ja.md", "only-ja/", JA, [JA, EN], docs, ROOT_URL))
    assert not alts["en"].exists
    assert alts["en"].href == "../en/"
    assert alts["en"].url == "https://example.jp/site/en/"


def test_home_pages_link_to_each_other(docs):
    assert by_code(alternates("index.md", "", JA, [JA, EN], docs, ROOT_URL))["en"].href == "en/"
    assert by_code(alternates("index.md", "", EN, [JA, EN], docs, ROOT_URL))["ja"].href == "../"


def test_missing_counterpart_names_the_file_and_the_fix(docs):
    problems = missing_counterparts(docs, [JA, EN])
    assert len(problems) == 1
    text = str(problems[0])
    assert "en/only-ja.md" in text and "How to fix" in text and "copy" in text


def test_exempt_pages_are_not_reported(docs):
    assert missing_counterparts(docs, [JA, EN], exempt=["only-*.md"]) == []


@pytest.mark.parametrize("extra, needle", [
    ({}, "missing or empty"),
    ({"languages": [{"code": "ja", "name": "日本語"}]}, "lacks config, path, script"),
    ({"languages": [{"code": "ja", "name": "日本語", "config": "mkdocs.yml", "path": ""}]}, "に script がありません"),
    ({"languages": [{"code": "en", "name": "English", "config": "x.yml", "path": "en/", "script": "Latn"}]},
     "must have path"),
    ({"languages": [{"code": "ja", "name": "日本語", "config": "mkdocs.yml", "path": "", "script": "Japanese"}]},
     "script: Japanese は知らない文字体系.*ISO 15924"),
])
def test_language_settings_are_validated(extra, needle):
    with pytest.raises(LanguageConfigError, match=needle):
        load_languages(extra)


def test_robots_lists_every_sitemap():
    text = robots_txt(ROOT_URL, [JA, EN])
    assert "Sitemap: https://example.jp/site/sitemap.xml" in text
    assert "Sitemap: https://example.jp/site/en/sitemap.xml" in text


def test_writing_system_comes_from_the_script_setting():
    ko = load_languages({"languages": [
        {"code": "ko", "name": "한국어", "config": "mkdocs.yml", "path": "", "script": "Kore"}]})[0]
    assert (ko.furigana, ko.spaced, ko.full_width, ko.counts_characters) == (False, True, False, False)
    assert (JA.furigana, JA.spaced, JA.full_width, JA.counts_characters) == (True, False, True, True)
    assert (EN.furigana, EN.spaced, EN.full_width, EN.counts_characters) == (False, True, False, False)


def test_the_configured_languages_are_read_from_the_settings_file(tmp_path):
    from scripts import languages

    config = tmp_path / "mkdocs.yml"
    config.write_text("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                      "extra:\n  languages:\n"
                      "    - {code: ko, name: 한국어, config: mkdocs.yml, path: \"\", script: Kore}\n"
                      "    - {code: ja, name: 日本語, config: mkdocs.ja.yml, path: ja/, script: Jpan}\n", encoding="utf-8")
    assert languages.codes(config) == ("ko", "ja")
    assert languages.source(config).code == "ko"
    assert languages.get("ja", config).furigana
    with pytest.raises(LanguageConfigError, match="extra.languages にありません"):
        languages.get("en", config)
    # The real site: the source language first, every language with a known script.
    assert languages.source().path == "" and all(lang.script in languages.SCRIPTS for lang in languages.configured())


def test_locale_details_come_from_cldr_not_from_a_table():
    from scripts import languages

    assert languages.display_name("en", "ja") == "英語" and languages.display_name("ja", "en") == "Japanese"
    assert languages.display_name("ko", "ko") == "한국어"
    assert [languages.territory_locale(c) for c in ("ja", "en", "ko", "zh-Hant")] == ["ja_JP", "en_US", "ko_KR", "zh_TW"]


def test_punctuation_follows_the_script():
    assert (JA.comma, JA.colon, JA.brackets("注"), JA.space) == ("、", "：", "（注）", "")
    assert (EN.comma, EN.colon, EN.brackets("note"), EN.space) == (", ", ": ", " (note)", " ")


def test_data_is_required_in_the_languages_it_is_written_in(tmp_path):
    from scripts import languages

    config = tmp_path / "mkdocs.yml"
    config.write_text("extra:\n  languages:\n"
                      "    - {code: ja, name: 日本語, config: mkdocs.yml, path: \"\", script: Jpan}\n"
                      "    - {code: en, name: English, config: mkdocs.en.yml, path: en/, script: Latn}\n"
                      "    - {code: ko, name: 한국어, config: mkdocs.ko.yml, path: ko/, script: Kore}\n", encoding="utf-8")
    assert languages.written_in([], config) == ("ja",)  # the source language always
    assert languages.written_in(["en", "ja"], config) == ("ja", "en")
    assert languages.written_in(["ko", "fr"], config) == ("ja", "ko")  # only configured languages
    assert languages.pick({"ja": "日本語の名前", "en": "English name"}, "ko", config) == "English name"
    assert languages.pick({"ja": "日本語の名前"}, "en", config) == "日本語の名前"
    assert languages.pick({}, "en", config) is None
