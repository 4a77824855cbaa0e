"""The accessibility statement's results table (scripts/accessibility.py):
refreshed only from a real test run's records, rendered per language."""
from __future__ import annotations

import json

import pytest

from scripts import accessibility
from scripts.problems import ContentError

RUN_CHECKS = ["axe", "reflow", "third-party", "errors", "keyboard-focus", "language-switcher", "keyboard-menu",
              "keyboard-language", "keyboard-search", "keyboard-glossary"]


def write(folder, run, time, check, key, passed=True, **data):
    folder.mkdir(parents=True, exist_ok=True)
    entry = {"check": check, "key": key, "passed": passed, "run": run, "time": time, **data}
    (folder / f"{check}--{key}.{run}.json").write_text(json.dumps(entry), encoding="utf-8")


def a_run(folder, run, time, axe_violations=0):
    for lang in ("ja", "en"):
        for check in RUN_CHECKS:
            extra = {"violations": axe_violations, "tool": "axe-core 4.11.4", "browser": "156.0"} if check == "axe" else {}
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
        data = accessibility.load()
        if data.get("checks"):
            assert "<table>" in html and "Lighthouse" in html
        else:
            assert "試験の結果は、まだ記録されていません" in html or "No test results have been recorded yet" in html
