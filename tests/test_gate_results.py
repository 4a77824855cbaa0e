"""The accessibility statement's results table (scripts/accessibility.py):
refreshed only from a real test run's records, rendered per language."""
from __future__ import annotations

import json
import re

import pytest

from scripts import accessibility
from scripts.problems import ContentError

RUN_CHECKS = ["axe", "reflow", "third-party", "errors", "keyboard-focus", "language-switcher", "keyboard-menu",
              "keyboard-language", "keyboard-search", "keyboard-glossary", "header-title", "back-to-top",
              "glossary-tap", "search-tap", "language-label", "pdf"]
# What the gate's axe record says about rules: the criteria their tags name, and which applied.
RULES = {"color-contrast": ["1.4.3"], "image-alt": ["1.1.1"], "video-caption": ["1.2.2"], "region": []}


def write(folder, run, time, check, key, passed=True, **data):
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"check": check, "key": key, "passed": passed, "run": run, "time": time, **data}
    (folder / f"{check}--{key}.{run}.json").write_text(json.dumps(entry), encoding="utf-8")


def a_run(folder, run, time, axe_violations=0):
    for lang in ("ja", "en"):
        for check in RUN_CHECKS:
            extra = {"violations": axe_violations, "tool": "axe-core 4.11.4", "browser": "156.0",
                     "rule_criteria": RULES, "applied": ["color-contrast", "image-alt"],
                     "rules": ["color-contrast"] if axe_violations else []} if check == "axe" else {}
            if check == "pdf":
                extra = {"tagged": 30, "lang": 30, "titled": 30, "headings": 30, "figures": 0, "figures_alt": 0,
                         "images": 0}
            write(folder, run, time, check, lang, passed=not (check == "axe" and axe_violations), pages=30, **extra)
        write(folder, run, time, "lighthouse", f"home-{lang}", template="home", lang=lang, path="",
              tool="Lighthouse 12.8.2",
              scores={"performance": 97, "accessibility": 100, "best-practices": 100, "seo": 100})


def identity(msgid):
    return msgid


def test_refresh_uses_only_the_latest_run(tmp_path):
    artifacts, target = tmp_path / "gate", tmp_path / "results.yml"
    a_run(artifacts, "old", "2026-11-01T09:00:00+00:00", axe_violations=7)
    a_run(artifacts, "new", "2026-11-29T09:00:00+00:00")
    data = accessibility.refresh(artifacts, target)
    assert data["tested"] == "2026-11-29"
    axe = next(c for c in data["checks"] if c["check"] == "axe")
    assert axe == {"check": "axe", "runs": 2, "passed": 2, "pages": 60, "problems": 0}
    assert {c["check"] for c in data["checks"]} == set(RUN_CHECKS)
    assert data["pages"] == {"ja": 30, "en": 30}
    assert data["tools"] == {"axe-core": "4.11.4", "Chromium": "156.0", "Lighthouse": "12.8.2"}
    assert target.read_text(encoding="utf-8").startswith("# Accessibility test results")


def test_refresh_reports_failures_as_they_were(tmp_path):
    artifacts = tmp_path / "gate"
    a_run(artifacts, "only", "2026-11-29T09:00:00+00:00", axe_violations=3)
    data = accessibility.refresh(artifacts, tmp_path / "results.yml")
    table = accessibility.render("en", identity, data)
    assert "Failed: 6 problems found" in table  # 3 in each language


def test_refresh_refuses_without_a_full_run(tmp_path):
    with pytest.raises(accessibility.NoResults, match="run the browser tests first"):
        accessibility.refresh(tmp_path / "empty", tmp_path / "results.yml")
    write(tmp_path / "gate", "partial", "2026-11-29T09:00:00+00:00", "axe", "ja")
    with pytest.raises(accessibility.NoResults, match="did not run every check"):
        accessibility.refresh(tmp_path / "gate", tmp_path / "results.yml")
    assert not (tmp_path / "results.yml").exists()


def test_render_dates_and_numbers_per_language(tmp_path):
    a_run(tmp_path / "gate", "r", "2026-11-29T09:00:00+00:00")
    data = accessibility.refresh(tmp_path / "gate", tmp_path / "results.yml")
    ja = accessibility.render("ja", identity, data)
    en = accessibility.render("en", identity, data)
    assert "2026年11月29日" in ja and "November 29, 2026" in en
    assert "| 60 | Passed |" in en
    assert "| Home (English) | 100 | 100 | 100 | 97 |" in en


def test_render_without_data_says_so():
    text = accessibility.render("en", identity, {})
    assert text.startswith("No test results have been recorded yet.")
    assert "|" not in text


def test_render_rejects_a_broken_data_file(tmp_path):
    broken = tmp_path / "results.yml"
    broken.write_text("checks: [\n", encoding="utf-8")
    with pytest.raises(ContentError, match="accessibility-results"):
        accessibility.load(broken)


def test_statement_pages_show_the_results(built_site):
    for page in (built_site / "about" / "accessibility" / "index.html",
                 built_site / "en" / "about" / "accessibility" / "index.html"):
        html = page.read_text(encoding="utf-8")
        assert accessibility.PLACEHOLDER not in html
        # The committed results (data/accessibility-results.yml) are on the page, check by check.
        data = accessibility.load()
        assert data.get("checks"), "data/accessibility-results.yml holds no results"
        assert "<table>" in html and "Lighthouse" in html
        assert "試験の結果は、まだ記録されていません" not in html and "No test results have been recorded yet" not in html


# ---------------------------------------------------------------- the statement (JIS X 8341-3 practice)

def results(tmp_path, axe_violations=0):
    a_run(tmp_path / "gate", "r", "2026-11-29T09:00:00+00:00", axe_violations=axe_violations)
    return accessibility.refresh(tmp_path / "gate", tmp_path / "results.yml")


def test_each_criterion_gets_a_result_from_the_gate_data(tmp_path):
    rows = {r["sc"]: r for r in results(tmp_path)["criteria"]}
    assert len(rows) == len(accessibility.load_criteria()) == 56  # WCAG 2.2 A and AA, and JIS's 4.1.1
    assert rows["1.4.3"]["result"] == "checked" and rows["1.4.3"]["axe"] == ["color-contrast"]
    assert rows["1.1.1"]["result"] == "checked"
    assert rows["1.2.2"]["result"] == "not-tested"  # its rule never applied (no video)
    assert rows["2.1.1"]["result"] == "checked" and "keyboard-menu" in rows["2.1.1"]["checks"]
    assert rows["1.4.10"]["checks"] == ["reflow"] and rows["1.4.13"]["checks"] == ["glossary-tap", "keyboard-glossary"]
    assert rows["3.3.8"]["result"] == "not-tested"


def test_a_violation_fails_its_criterion(tmp_path):
    rows = {r["sc"]: r for r in results(tmp_path, axe_violations=2)["criteria"]}
    assert rows["1.4.3"]["result"] == "failed" and rows["1.1.1"]["result"] == "checked"


def test_conformance_wording_is_decided_by_the_data(tmp_path):
    data = results(tmp_path)
    wording, counts = accessibility.conformance(data)
    assert wording == "considered" and counts["untested"] > 0 and counts["total"] == 56
    everything = [{"sc": c["sc"], "result": "met", "axe": [], "checks": []} for c in accessibility.load_criteria()]
    assert accessibility.conformance({"criteria": everything})[0] == "conforms"
    everything[0]["result"] = "failed"
    assert accessibility.conformance({"criteria": everything})[0] == "partial"
    everything[1]["result"] = "checked"  # automated only: not enough for 一部準拠
    assert accessibility.conformance({"criteria": everything})[0] == "considered"


def test_statement_parts_in_each_language(tmp_path):
    from scripts.catalogs import po_path, read_catalog, translate

    data = results(tmp_path, axe_violations=1)
    ja_catalog = read_catalog(po_path("ja"), "ja")

    def ja(msgid):
        return translate(ja_catalog, msgid)

    head = accessibility.render_conformance("ja", ja, data, "https://mlit-plan.example.jp/")
    assert "JIS X 8341-3:2016 の適合レベルAAに配慮" in head and "2026年11月29日" in head
    assert "60ページ" in head and "axe-core 4.11.4" in head and "未検証" not in head
    table = accessibility.render_criteria("en", identity, data)
    assert table.count("\n") == 56 + 1  # heading, rule, a row per criterion
    assert "| 1.4.3 Contrast (Minimum) | AA | **Problems found** | axe-core (color-contrast) |" in table
    assert "| 2.5.8 Target Size (Minimum) (added in WCAG 2.2) | AA | Not tested | — |" in table
    assert "4.1.1 Parsing (JIS X 8341-3:2016 only" in table
    issues = accessibility.render_known_issues("en", identity, data)
    assert "1.4.3 Contrast (Minimum): the tests found problems" in issues
    assert "Lesson PDFs (30 files): 30 are tagged PDFs" in issues and "no text alternative" in issues
    assert "screen readers" in issues  # data/accessibility-known-issues.yml


def test_contact_is_the_publisher_setting():
    extra = {"publisher": {"contact": "about/#contact"}}
    assert accessibility.contact_href(extra, "about/accessibility/") == "../#contact"
    assert accessibility.contact_href(extra, "") == "about/#contact"
    assert accessibility.contact_href({"publisher": {"contact": "mailto:a@b.jp"}}, "x/") == "mailto:a@b.jp"
    assert accessibility.contact_href({"publisher": {"contact": "https://e.jp/c"}}, "x/") == "https://e.jp/c"


def test_statement_pages_have_every_section(built_site):
    sections = {"ja": ["対応状況", "試験のしかた", "達成基準ごとの結果", "既知の問題と例外", "使いやすい形式がほしいとき", "試験結果"],
                "en": ["Conformance status", "How we test", "Results for each success criterion",
                       "Known issues and exceptions", "Asking for another format", "Test results"]}
    data = accessibility.load()
    for prefix, lang in (("", "ja"), ("en/", "en")):
        page = (built_site / prefix / "about" / "accessibility" / "index.html").read_text(encoding="utf-8")
        assert "[[accessibility-" not in page
        headings = [re.sub(r"<(rt|rp)>.*?</\1>|<[^>]+>|¶|&para;", "", h).strip()  # without readings
                    for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
        for name in sections[lang]:
            assert name in headings, (lang, name, headings)
        # How to ask for another format: the publisher's contact (extra.publisher.contact), linked.
        plain = re.sub(r"<(rt|rp)>.*?</\1>|<(?!/?(a|h2)\b)[^>]+>", "", page)  # text, links and h2 only
        section = plain.split(sections[lang][4])[-1].split("<h2")[0]  # the article, after the TOC
        assert re.search(r'<a href="[^"]+"[^>]*>(お問い合わせ|Contact us)</a>', section), section
        if data.get("criteria"):
            assert page.count("<tr>") >= 56 and ("配慮" in page or "一部準拠" in page or "準拠" in page or lang == "en")
