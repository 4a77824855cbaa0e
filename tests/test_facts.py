"""The facts registry: every number comes from data/facts.yml, formatted per language."""
from pathlib import Path

import pytest

from scripts import facts
from scripts.problems import ContentError

REGISTRY = facts.load_registry()


@pytest.mark.parametrize("fact_id, ja, en", [
    ("population-2050", "約1億人", "about 100 million people"),
    ("working-age-change", "2,453万人", "24.53 million people"),
    ("large-earthquakes-share", "約2割", "about 20%"),
    ("heavy-rain-2018", "2018年7月", "July 2018"),
    ("iburi-earthquake-intensity", "震度7", "seismic intensity 7"),
    ("plan-period-years", "5年間", "5 years"),
])
def test_facts_are_formatted_for_each_language(fact_id, ja, en):
    assert facts.format_fact(REGISTRY[fact_id], "ja") == ja
    assert facts.format_fact(REGISTRY[fact_id], "en") == en


def test_every_fact_names_a_plan_section_that_exists_in_the_outline():
    import re

    sections = re.compile(r"^(前文|第[123]章( [0-9]\.?(\([0-9]\))*[①-⑦]?( ?[0-9–]+)?)?|第2章 [1-6])")
    for fact in REGISTRY.values():
        if fact.external:  # the context facts (when the outline was written) cite an outside source
            assert fact.id in facts.FRAMING.values() and fact.external.url.startswith("https://"), fact.id
            continue
        assert sections.match(fact.source), f"{fact.id}: source '{fact.source}'"


def test_the_site_map_numbers_are_all_in_the_registry():
    values = {f.value for f in REGISTRY.values()}
    for number in [0.2, 2018, 7, 50, 0.5, 30, 2008, 100000000, 0.3, 2015, 4540000, -24530000, -5180000, 2050, 5]:
        assert number in values, number


def test_render_inserts_formatted_facts_with_a_source_footnote():
    out = facts.render("人口は[[fact:population-2050]]です。", "ja", "docs/ja/x.md", REGISTRY)
    assert '<span class="fact" data-fact="population-2050">約1億人</span>[^fact-population-2050]' in out
    assert "[^fact-population-2050]: 出典：新たな国土交通省技術基本計画骨子（案）（資料1-2） 第1章 1.(2)③" in out
    out = facts.render("Japan may have [[fact:population-2050]].", "en", "docs/en/x.md", REGISTRY)
    assert "about 100 million people" in out and "Chapter 1, 1.(2)③" in out


def test_unknown_fact_names_file_and_line():
    with pytest.raises(ContentError) as err:
        facts.render("ok\n\nsee [[fact:no-such-fact]]\n", "ja", "docs/ja/plan/index.md", REGISTRY)
    problem = err.value.problems[0]
    assert (problem.file, problem.line, problem.rule) == ("docs/ja/plan/index.md", 3, "unknown-fact")
    assert "data/facts.yml" in problem.fix


def test_unknown_chart_and_inline_chart_are_errors():
    with pytest.raises(ContentError) as err:
        facts.render("[[chart:nope]]\n\ntext [[chart:population-change]] here\n", "en", "p.md", REGISTRY,
                     chart_ids={"population-change"})
    assert [p.rule for p in err.value.problems] == ["unknown-chart", "chart-not-alone"]


@pytest.mark.parametrize("body, needle, line", [
    ("x:\n  value: 1\n  format: number\n  label: {ja: a, en: b}\n", "has no source", 1),
    ("a:\n  value: 1\n  format: number\n  source: 前文\n  label: {ja: a, en: b}\n"
     "x:\n  value: 1\n  format: money\n  source: 前文\n  label: {ja: a, en: b}\n", "format 'money'", 6),
    ("a:\n  value: 1\n  format: number\n  source: 前文\n  label: {ja: a, en: b}\n"
     "x:\n  value: 1\n  format: number\n  source: 前文\n  label: {ja: a}\n", "a label in every language (ja, en)", 6),
    ("x:\n  value: 1\n\tformat: number\n", "not valid YAML", 3),
])
def test_bad_registry_entries_name_the_line(tmp_path: Path, body, needle, line):
    path = tmp_path / "facts.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        facts.load_registry(path)
    assert needle in str(err.value) and err.value.problems[0].line == line


def test_build_fails_on_unknown_fact_with_file_and_line(project):
    from tests.conftest import run_build

    page = project / "docs/en/plan/index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nIt runs for [[fact:plan-years]].\n", encoding="utf-8")
    result = run_build(project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/en/plan/index.md:" in result.stderr and "plan-years" in result.stderr
