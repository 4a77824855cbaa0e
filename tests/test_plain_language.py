"""Plain language: every explainer page stays within the hard limits, in both languages."""
import pytest
import yaml

from scripts import ROOT, plain_language

PAGES = [p["path"] for p in yaml.safe_load((ROOT / "data/site-map.yml").read_text(encoding="utf-8"))["pages"]
         if not p["path"].startswith(("teachers/", "news/"))]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_is_within_plain_language_limits(page, lang):
    figures = plain_language.measure_file(ROOT / "docs" / lang / page, lang)
    assert not figures.problems(), f"docs/{lang}/{page}: " + "; ".join(figures.problems())


def test_long_japanese_sentence_is_caught():
    text = "この計画は、" + "とても" * 30 + "大切なことを決めています。"
    figures = plain_language.measure(text, "ja")
    assert figures.max > 60 and any("limit 60" in p for p in figures.problems())


def test_plain_form_and_kanji_heavy_japanese_is_caught():
    figures = plain_language.measure("国土交通省技術基本計画策定。技術研究開発推進体制構築である。", "ja")
    problems = " ".join(figures.problems())
    assert "kanji" in problems and "です・ます" in problems


def test_long_english_sentence_and_hard_words_are_caught():
    text = ("Comprehensive infrastructure maintenance methodologies necessitate sophisticated interdisciplinary "
            "collaboration between governmental organisations, academic institutions and industrial "
            "enterprises, particularly regarding technological standardisation and international "
            "competitiveness considerations throughout implementation, evaluation and subsequent "
            "comprehensive reconsideration of institutional arrangements by relevant stakeholders nationwide.")
    problems = " ".join(plain_language.measure(text, "en").problems())
    assert "limit 35" in problems and "grade" in problems


def test_facts_count_as_their_words_and_markup_is_ignored():
    text = "---\ntitle: x\n---\n\n# 見出しはふくみません\n\n人口は[[fact:population-2050]]になる見込みです。\n\n| 表 | も |\n"
    figures = plain_language.measure(text, "ja")
    assert figures.sentences == ["人口は約1億人になる見込みです。"]
