"""Content lint (scripts/lint): one registry holds every rule id emitted anywhere
in scripts/; every page and site rule has a failing and a passing example in
tests/lint_cases/<rule-id>/; the real site has no errors (warnings are shown,
never a test failure: a staff author's wording must not fail CI)."""
from __future__ import annotations

import ast
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts import ROOT, lint
from scripts.lint import RULES

lint._load()  # registers every rule

CASES = ROOT / "tests" / "lint_cases"
TODAY = dt.date(2026, 11, 29)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def run(tree: Path) -> list:
    docs = tree / "docs"
    languages = [p.name for p in sorted(docs.iterdir()) if p.is_dir()]
    languages.sort(key=lambda code: code != "ja")  # Japanese is the source language
    return lint.check_all(docs, languages, today=TODAY)


CHECKED = sorted(r.id for r in RULES.values() if r.check is not None)
# Owners' rules the lint also reports page by page (through scripts/facts.py's own check).
CASED = sorted(set(CHECKED) | {"unknown-chart", "chart-not-alone"})


def test_every_rule_has_a_failing_and_a_passing_example():
    missing = [r for r in CHECKED if not ((CASES / r / "fail").is_dir() and (CASES / r / "pass").is_dir())]
    assert not missing, f"rules without tests/lint_cases/<rule>/fail and pass: {missing}"
    extra = [p.name for p in CASES.iterdir() if p.is_dir() and p.name not in RULES]
    assert not extra, f"cases for rules that do not exist: {extra}"


@pytest.mark.parametrize("rule_id", CASED)
def test_failing_example_is_reported_at_its_file_and_line(rule_id):
    expect = yaml.safe_load((CASES / rule_id / "expect.yml").read_text(encoding="utf-8"))
    found = [p for p in run(CASES / rule_id / "fail") if p.rule == rule_id]
    assert found, f"{rule_id}: the failing example was not reported"
    first = found[0]
    assert first.file.endswith(expect["file"]), first
    assert first.line == expect["line"], first
    assert first.severity == RULES[rule_id].severity
    assert JAPANESE.search(first.message) and JAPANESE.search(first.fix), first
    for text in (first.message, first.fix):  # written Japanese first, then English, by the rule itself
        ja, _, en = text.partition(" / ")
        assert JAPANESE.search(ja) and re.search(r"[A-Za-z]{3}", en), text
    shown = lint.format_problem(first)  # Japanese first, then English
    assert " / " in shown.splitlines()[0] and JAPANESE.search(shown.splitlines()[0].split(" / ")[0]), shown


@pytest.mark.parametrize("rule_id", CASED)
def test_passing_example_is_not_reported(rule_id):
    found = [p for p in run(CASES / rule_id / "pass") if p.rule == rule_id]
    assert not found, "\n".join(lint.format_problem(p) for p in found)


def test_every_rule_has_an_english_id_a_severity_and_a_japanese_summary():
    for r in RULES.values():
        assert re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", r.id), r.id
        assert r.severity in lint.SEVERITIES
        assert JAPANESE.search(r.summary) and r.summary_en


def test_the_real_site_has_no_errors():
    """Errors only: warnings (wording, terminology) are shown by make check and the build, never fail a test."""
    problems = [p for p in lint.check_project(ROOT / "docs") if p.severity == "error"]
    assert not problems, "\n".join(lint.format_problem(p) for p in problems)


# ----------------------------------------------------------------- the one registry

# Calls that carry a rule id, and where: a keyword `rule=` anywhere, or this positional argument.
RULE_ARGUMENT = {"Problem": 0, "problem": 0, "Finding": 0, "_setting_problem": 0, "_add": 1, "syntax_error": 2, "parse": 2}


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.JoinedStr):
        raise AssertionError(f"line {node.lineno}: a rule id built with an f-string cannot be checked; "
                             "write each id out (a if x else b)")


def emitted_rule_ids() -> dict[str, str]:
    """Every rule id passed to Problem/problem (or a helper taking `rule`) in scripts/, with one place."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "scripts").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            values = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                values = [kw.value for kw in node.keywords if kw.arg == "rule"]
                if not values and name in RULE_ARGUMENT and len(node.args) > RULE_ARGUMENT[name]:
                    values = [node.args[RULE_ARGUMENT[name]]]
                if name in ("rule", "owned") and node.args:  # registrations are not emissions
                    values = []
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):  # def add(..., rule="bad-lesson")
                args = node.args.args[len(node.args.args) - len(node.args.defaults):]
                values = [d for a, d in zip(args, node.args.defaults) if a.arg == "rule"]
            for value in values:
                for rule_id in _strings(value):
                    found.setdefault(rule_id, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_walk_finds_rule_ids_in_every_form():
    """The collector must see the forms used in scripts/ (else the next test proves nothing)."""
    found = emitted_rule_ids()
    for rule_id, where in {"bad-image": "images.py", "large-image": "images.py", "bad-lesson": "model.py",
                           "stale-translation": "translations.py", "bad-glossary": "glossary.py",
                           "unknown-chart": "facts.py", "broken-link": "lint/rules.py"}.items():
        assert rule_id in found, rule_id


def test_every_emitted_rule_id_is_registered():
    lint._load()
    missing = {rule_id: where for rule_id, where in emitted_rule_ids().items() if rule_id not in RULES}
    assert not missing, f"register these in scripts/lint/registry.py (or with @rule): {missing}"


def test_every_registered_rule_id_is_emitted_somewhere():
    lint._load()
    found = emitted_rule_ids()
    never = sorted(set(RULES) - set(found))
    assert not never, f"registered but never emitted (remove them or emit them): {never}"


def test_check_rules_lists_every_registered_id():
    result = subprocess.run([sys.executable, "-m", "scripts", "check", "--rules"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines()[1:] if line.strip() and "rules" not in line}
    assert listed == set(RULES), set(RULES) ^ listed
    assert len(RULES) >= 60


def test_messages_name_file_line_rule_and_fix():
    problem = [p for p in run(CASES / "broken-link" / "fail") if p.rule == "broken-link"][0]
    text = lint.format_problem(problem)
    assert text.startswith("tests/lint_cases/broken-link/fail/docs/ja/plan/index.md:8: エラー error [broken-link]")
    assert "直し方 / How to fix" in text and "../fields/index.md" in text  # suggests the right file


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


def test_check_command_passes_on_the_real_site():
    result = subprocess.run([sys.executable, "-m", "scripts", "check"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_project_is_plain_python_without_mkdocs():
    """The entry point can move into a "prepare" stage that runs before any engine."""
    code = ("import sys; from scripts import ROOT, lint; lint.check_project(ROOT / 'docs'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize("text, reported", [
    ("[[fact:plan-period-years]]", False), ("[[glossary]]", False), ("[[1]](x.md)", False),
    ("[a [b]](x.md)", False), ("[[PDF] report](x.md)", False),
    ("[[fact:plan-period-years]", True), ("[fact:plan-period-years]]", True), ("[[ fact:plan-period-years ]]", True),
    ("[[Fact:plan-period-years]]", True), ("［［fact:plan-period-years］］", True), ("[[fcat:plan-period-years]]", True),
    ("[[chart :x]]", True), ("[[lesosn]]", True),
])
def test_marker_near_misses_are_reported_and_markdown_is_not(tmp_path, text, reported):
    page = tmp_path / "docs" / "ja" / "page.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\ntitle: 例\ndescription: 印の書き方を検査する例のページです。\n---\n\n# 例\n\n" + text + "\n",
                    encoding="utf-8")
    found = [p for p in run(tmp_path) if p.rule == "marker-syntax"]
    assert bool(found) == reported, found
