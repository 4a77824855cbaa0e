"""用字用語 (scripts/wording.py, data/wording.yml): preferred spellings, with the line,
the preferred form and the entry id; kids' boxes and pages for pupils keep their hiragana;
code, links and markers are never reported; the real pages have none."""
from pathlib import Path

import pytest

from scripts import ROOT, languages, wording
from scripts.lint import check_language
from scripts.problems import ContentError


def codes() -> list[str]:
    """The site's languages from mkdocs.yml (extra.languages), the source language first."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !!python/name and other tags
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    return [lang.code for lang in languages.load_languages(config["extra"])]


SOURCE, TRANSLATION = codes()[:2]

PAGE = """---
title: まちの暮らし
description: くらしを守る技術です。
---

# まちの暮らし

人が減っても、くらしやすいまちをつくります。

<div class="kids" markdown>
みんなの　くらしを　まもります。
</div>

`くらし` はコードの中です。
[暮らし](../plan/kurashi.md) と [[fact:population-2050]]。
"""


def test_variant_gets_a_warning_with_its_line_preferred_form_and_id():
    problems = wording.check(PAGE, "docs/ja/x.md", SOURCE)
    assert [(p.line, p.rule, p.severity) for p in problems] == [(3, "wording", "warning"), (8, "wording", "warning")]
    assert all("暮らし" in p.message and "ja-kurashi" in p.message and "くらし" in p.message for p in problems)
    assert problems[0].file == "docs/ja/x.md"


def test_kids_box_and_code_are_not_reported():
    problems = wording.check(PAGE, "docs/ja/x.md", SOURCE)
    assert 11 not in {p.line for p in problems}  # inside <div class="kids">
    assert 14 not in {p.line for p in problems}  # inline code


def test_a_page_for_pupils_keeps_hiragana_but_not_other_variants():
    page = "---\ntitle: くらしの技術\nlesson: x\n---\n\nくらしを守る取組です。\n"
    problems = wording.check(page, "docs/ja/teachers/x.md", SOURCE)
    assert [(p.line, "ja-torikumi" in p.message) for p in problems] == [(6, True)]


def test_kids_box_ends_at_its_closing_div():
    page = '<div class="kids" markdown>\nくらし\n<div class="x">\nくらし\n</div>\nくらし\n</div>\nくらし\n'
    assert [p.line for p in wording.check(page, "f.md", SOURCE)] == [8]


def test_english_uses_british_spelling_outside_links_and_urls():
    page = ("# Title\n\nOur neighbors help.\nSee [the page](../fields/decarbonization.md) "
            "and https://example.org/organization.\nWe organize a center.\nDecarbonization matters.\n")
    problems = wording.check(page, "docs/en/x.md", TRANSLATION)
    found = [(p.line, p.message.split("“")[1].split("”")[0]) for p in problems]
    assert found == [(3, "neighbours"), (5, "organise"), (5, "centre"), (6, "Decarbonisation")]
    # Japanese entries do not apply to English pages, nor English ones to Japanese pages.
    assert wording.check("くらし", "docs/en/x.md", TRANSLATION) == []
    assert wording.check("neighbors", "docs/ja/x.md", SOURCE) == []


def test_a_bad_word_list_is_an_error_naming_its_line(tmp_path: Path):
    bad = tmp_path / "wording.yml"
    bad.write_text("words:\n  - id: a\n    lang: ja\n    preferred: 暮らし\n"
                   "  - id: b\n    lang: ja\n    preferred: x\n    pattern: '(('\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        wording.load(bad)
    problem = err.value.problems[0]
    assert problem.line == 2 and "variants" in problem.message  # entry a has neither variants nor pattern


@pytest.mark.parametrize("lang", codes())
def test_the_real_pages_follow_the_word_list(lang):
    problems = [p for p in check_language(ROOT / "docs", lang, codes()) if p.rule == "wording"]
    assert not problems, "\n".join(f"{p.file}:{p.line} {p.message}" for p in problems)


def test_unreadable_front_matter_is_left_to_the_front_matter_rules():
    page = "---\ndescription: a: b: くらし\n---\n\nくらし\n"
    assert [p.line for p in wording.check(page, "docs/ja/x.md", SOURCE)] == [2, 5]
