"""Content lint (scripts/lint): every rule has a failing and a passing example
in tests/lint_cases/<rule-id>/, and the real site passes."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts import ROOT, lint
from scripts.lint import RULES, rules  # noqa: F401  (registers the rules)

CASES = ROOT / "tests" / "lint_cases"
TODAY = dt.date(2026, 11, 29)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def run(tree: Path) -> list:
    docs = tree / "docs"
    languages = [p.name for p in sorted(docs.iterdir()) if p.is_dir()]
    languages.sort(key=lambda code: code != "ja")  # Japanese is the source language
    return lint.check_all(docs, languages, today=TODAY)


def test_every_rule_has_a_failing_and_a_passing_example():
    missing = [r for r in RULES if not ((CASES / r / "fail").is_dir() and (CASES / r / "pass").is_dir())]
    assert not missing, f"rules without tests/lint_cases/<rule>/fail and pass: {missing}"
    extra = [p.name for p in CASES.iterdir() if p.is_dir() and p.name not in RULES]
    assert not extra, f"cases for rules that do not exist: {extra}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_failing_example_is_reported_at_its_file_and_line(rule_id):
    expect = yaml.safe_load((CASES / rule_id / "expect.yml").read_text(encoding="utf-8"))
    found = [p for p in run(CASES / rule_id / "fail") if p.rule == rule_id]
    assert found, f"{rule_id}: the failing example was not reported"
    first = found[0]
    assert first.file.endswith(expect["file"]), first
    assert first.line == expect["line"], first
    assert first.severity == RULES[rule_id].severity
    if rule_id != "data-files":  # that rule passes on the facts module's own (English) messages
        assert JAPANESE.search(first.message) and JAPANESE.search(first.fix), first


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_passing_example_is_not_reported(rule_id):
    found = [p for p in run(CASES / rule_id / "pass") if p.rule == rule_id]
    assert not found, "\n".join(lint.format_problem(p) for p in found)


def test_every_rule_has_an_english_id_a_severity_and_a_japanese_summary():
    for r in RULES.values():
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", r.id)
        assert r.severity in lint.SEVERITIES
        assert JAPANESE.search(r.summary) and r.summary_en


def test_the_real_site_has_no_lint_errors_or_warnings():
    problems = [p for p in lint.check_all(ROOT / "docs", ["ja", "en"]) if p.severity != "info"]
    assert not problems, "\n".join(lint.format_problem(p) for p in problems)


def test_messages_name_file_line_rule_and_fix():
    problem = [p for p in run(CASES / "broken-link" / "fail") if p.rule == "broken-link"][0]
    text = lint.format_problem(problem)
    assert text.startswith("tests/lint_cases/broken-link/fail/docs/ja/plan/index.md:8: エラー error [broken-link]")
    assert "直し方 (How to fix)" in text and "../fields/index.md" in text  # suggests the right file


def test_code_blocks_and_inline_code_are_not_linted(tmp_path):
    page = tmp_path / "docs" / "ja" / "page.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 例\ndescription: コードの中は検査しないことの例です。\n---\n\n# 例\n\n"
                    "`<script>` と `[x](nowhere.md)` は説明の文字です。\n\n~~~\n<style>p{}</style>\n~~~\n",
                    encoding="utf-8")
    assert [p for p in run(tmp_path) if p.severity != "info"] == []


def test_check_command_exits_non_zero_on_errors_and_prints_japanese(tmp_path):
    env_root = CASES / "broken-link" / "fail"
    result = subprocess.run([sys.executable, "-m", "scripts", "check", "--docs", str(env_root / "docs")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[broken-link]" in result.stdout and "がありません" in result.stdout


def test_check_command_passes_on_the_real_site_and_lists_rules():
    result = subprocess.run([sys.executable, "-m", "scripts", "check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    rules_out = subprocess.run([sys.executable, "-m", "scripts", "check", "--rules"], cwd=ROOT,
                               capture_output=True, text=True, timeout=60).stdout
    for rule_id in RULES:
        assert rule_id in rules_out
