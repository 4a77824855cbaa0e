"""Plain language: the measures on fixed inputs, and the registry rule that reports
crossed limits as warnings (make check and the build show them; they never fail a test)."""
from scripts import ROOT, lint, plain_language


def test_limits_are_a_warning_rule_of_the_registry_not_a_test_failure():
    lint._load()
    assert lint.RULES["plain-language"].severity == "warning"


def test_the_real_pages_have_no_errors_and_crossed_limits_are_only_warnings():
    problems = lint.check_project(ROOT / "docs")
    assert not [p for p in problems if p.rule == "plain-language" and p.severity != "warning"]


def test_a_page_over_the_limits_is_reported_with_its_file(tmp_path):
    page = tmp_path / "docs" / "ja" / "page.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 例\ndescription: 長い文の例のページです。\n---\n\n# 例\n\nこの計画は、" + "とても" * 30
                    + "大切なことを決めています。\n", encoding="utf-8")
    found = [p for p in lint.check_all(tmp_path / "docs", ["ja"]) if p.rule == "plain-language"]
    assert found and found[0].severity == "warning" and found[0].file.endswith("docs/ja/page.md")


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
