"""Accessibility test results: the table on the accessibility statement page.

The browser gate tests (tests/test_gate_*.py) write what they measured to
tests/artifacts/gate/, one JSON file per check, each tagged with the id of
its test run. `python -m scripts accessibility-results` copies the latest
complete run into data/accessibility-results.yml (committed), and the build
renders it where a page says [[accessibility-results]]. Nothing here makes
up a result: a row exists only if a test run wrote it.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Callable

import yaml

from scripts import datafiles
from scripts import ROOT, formats
from scripts.catalogs import N_
from scripts.problems import ContentError, Problem, relative

PLACEHOLDER = "[[accessibility-results]]"
RESULTS_FILE = ROOT / "data" / "accessibility-results.yml"
ARTIFACTS = ROOT / "tests" / "artifacts" / "gate"
HEADER = """\
# Accessibility test results, shown on about/accessibility in every language.
# Written by `python -m scripts accessibility-results` from the latest run of the
# browser gate tests (tests/test_gate_*.py): do not edit by hand.
"""

# Rows of the first table, in order: (label, the checks it sums up).
CHECKS = [
    (N_("Automated check with axe-core: WCAG 2.2 level A and AA rules, every page 1280 px wide and one page of each kind 360 px wide"), ["axe"]),
    (N_("Keyboard: skip link, and focus always visible"), ["keyboard-focus"]),
    (N_("Keyboard: menu, language switch, search and glossary terms"),
     ["keyboard-menu", "keyboard-language", "keyboard-search", "keyboard-glossary"]),
    (N_("No sideways scrolling on a screen 360 px wide"), ["reflow"]),
    (N_("The language switch leads to the same page"), ["language-switcher"]),
    (N_("No script errors and no missing files"), ["errors"]),
    (N_("Nothing is sent to other websites"), ["third-party"]),
]
TEMPLATES = {
    "home": N_("Home"), "explainer": N_("Explainer"), "lesson": N_("Lesson"), "news post": N_("News post"),
    "glossary": N_("Glossary"), "teachers' finder": N_("Lesson finder for teachers"),
}
LANGUAGE_NAMES = {"ja": N_("Japanese"), "en": N_("English")}
# Table headings.
COLUMNS = {"check": N_("Check"), "count": N_("Pages or cases checked"), "result": N_("Result"), "page": N_("Page"),
           "accessibility": N_("Accessibility"), "best-practices": N_("Best practices"),
           "performance": N_("Performance")}
PAGE_IN_LANGUAGE = N_("%(page)s (%(language)s)")
# A run that left any of these out (a few test files run alone) does not replace the table.
REQUIRED = {name for _, names in CHECKS for name in names} | {"lighthouse"}


class NoResults(Exception):
    pass


# ---------------------------------------------------------------- refresh

def latest_run(artifacts: Path = ARTIFACTS) -> list[dict]:
    """The records of the most recent test run found under artifacts."""
    runs: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(artifacts.glob("*.json")) if artifacts.is_dir() else []:
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(entry, dict) and entry.get("run") and entry.get("check"):
            runs[entry["run"]].append(entry)
    if not runs:
        raise NoResults(f"no test results in {relative(artifacts)}: run the browser tests first "
                        "(`make test`, or `.venv/bin/python -m pytest tests/test_gate_*.py`).")
    newest = max(runs.values(), key=lambda entries: max(e["time"] for e in entries))
    missing = REQUIRED - {e["check"] for e in newest}
    if missing:
        raise NoResults(f"the latest test run in {relative(artifacts)} did not run every check "
                        f"(missing: {', '.join(sorted(missing))}): run all of tests/test_gate_*.py, then try again.")
    return newest


def summarise(entries: list[dict]) -> dict:
    """The data file's content: what the run found, grouped for the tables."""
    by_check: dict[str, list[dict]] = defaultdict(list)
    for e in entries:
        by_check[e["check"]].append(e)
    tested = max(e["time"] for e in entries)[:10]
    tools = {}
    for e in entries:
        if e.get("tool"):
            name, _, version = e["tool"].rpartition(" ")
            tools[name] = version
        if e.get("browser"):
            tools["Chromium"] = e["browser"]
    checks = []
    for check, items in sorted(by_check.items()):
        if check in ("lighthouse", "weight"):
            continue
        checks.append({"check": check, "runs": len(items), "passed": sum(1 for i in items if i["passed"]),
                       "pages": sum(int(i.get("pages", 1)) for i in items),
                       "problems": sum(_problem_count(i) for i in items)})
    lighthouse = [{"template": e["template"], "lang": e["lang"], "path": e.get("path", ""), **e["scores"],
                   "cpu_slowdown": e.get("cpu_slowdown", 4.0)}
                  for e in sorted(by_check.get("lighthouse", []), key=_template_order)]
    weight = [{"template": e["template"], "lang": e["lang"], "total_kb": e["total_kb"], "js_kb": e["js_kb"]}
              for e in sorted(by_check.get("weight", []), key=_template_order)]
    return {"tested": tested, "tools": tools, "checks": checks, "lighthouse": lighthouse, "weight": weight}


def _problem_count(entry: dict) -> int:
    for key in ("violations", "requests", "errors", "overflowing"):
        if key in entry:
            return int(entry[key])
    if isinstance(entry.get("problems"), list):
        return len(entry["problems"])
    return 0 if entry["passed"] else 1


def _template_order(entry: dict):
    names = list(TEMPLATES)
    return (names.index(entry["template"]) if entry["template"] in names else len(names), entry["lang"] != "ja")


def refresh(artifacts: Path = ARTIFACTS, target: Path = RESULTS_FILE) -> dict:
    data = summarise(latest_run(artifacts))
    text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    tmp = target.with_suffix(".yml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
    return data


# ---------------------------------------------------------------- render

def load(path: Path = RESULTS_FILE) -> dict:
    if not path.is_file():
        return {}
    data, _ = datafiles.parse(path.read_text(encoding="utf-8"), path, "bad-accessibility-results",
                              "run `python -m scripts accessibility-results` to write it again.")
    if not isinstance(data, dict):
        raise ContentError([Problem("bad-accessibility-results", "error", relative(path),
                                    "the file does not hold a mapping of results.",
                                    "run `python -m scripts accessibility-results` to write it again.")])
    return data


def render(lang: str, _: Callable[[str], str], data: dict | None = None) -> str:
    """Markdown for the results: a summary of each check, then Lighthouse per template."""
    data = load() if data is None else data
    if not data.get("checks"):
        return _("No test results have been recorded yet. They will appear here after the first full test run.")
    try:
        tested = formats.format_date(dt.date.fromisoformat(str(data["tested"])[:10]), lang)
    except (KeyError, ValueError):
        raise ContentError([Problem("bad-accessibility-results", "error", relative(RESULTS_FILE),
                                    "`tested` is missing or not a date (YYYY-MM-DD).",
                                    "run `python -m scripts accessibility-results` to write it again.")]) from None
    tools = ", ".join(f"{name} {version}" for name, version in (data.get("tools") or {}).items())
    lines = [_("Tested on %(date)s with %(tools)s.") % {"date": tested, "tools": tools}, ""]
    rows = {c["check"]: c for c in data["checks"]}
    head = {key: _(label) for key, label in COLUMNS.items()}
    lines += [f"| {head['check']} | {head['count']} | {head['result']} |", "|---|---:|---|"]
    for label, names in CHECKS:
        found = [rows[n] for n in names if n in rows]
        if not found:
            continue
        pages = sum(c["pages"] for c in found)
        failed = sum(c["runs"] - c["passed"] for c in found)
        problems = sum(c["problems"] for c in found)
        result = _("Passed") if not failed else _("Failed: %(count)s problems found") % {
            "count": formats.format_number(max(problems, failed), lang)}
        lines.append(f"| {_(label)} | {formats.format_number(pages, lang)} | {result} |")
    if data.get("lighthouse"):
        lines += ["", _("Lighthouse scores (out of 100) for one page of each kind, on a simulated phone:"), "",
                  f"| {head['page']} | {head['accessibility']} | {head['best-practices']} "
                  f"| SEO | {head['performance']} |", "|---|---:|---:|---:|---:|"]
        for row in data["lighthouse"]:
            page = _(PAGE_IN_LANGUAGE) % {"page": _(TEMPLATES.get(row["template"], row["template"])),
                                          "language": _(LANGUAGE_NAMES.get(row["lang"], row["lang"]))}
            scores = " | ".join(formats.format_number(row.get(k, 0), lang)
                                for k in ("accessibility", "best-practices", "seo", "performance"))
            lines.append(f"| {page} | {scores} |")
    return "\n".join(lines)


def replace_placeholder(markdown: str, lang: str, translate: Callable[[str], str]) -> str:
    if PLACEHOLDER not in markdown:
        return markdown
    return markdown.replace(PLACEHOLDER, render(lang, translate))
