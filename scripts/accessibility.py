"""The accessibility statement (about/accessibility): conformance, checklist, results.

The browser gate tests (tests/test_gate_*.py) write what they measured to
tests/artifacts/gate/, one JSON file per check, each tagged with the id of
its test run. `python -m scripts accessibility-results` copies the latest
complete run into data/accessibility-results.yml (committed), and the build
renders it where a page says [[accessibility-results]]. Nothing here makes
up a result: a row exists only if a test run wrote it.

The statement follows the JIS X 8341-3:2016 conformance-statement practice of
デジタル庁 and WAIC (ウェブアクセシビリティ方針策定ガイドライン, 試験結果表示):
where a page says [[accessibility-conformance]], the standard, target level,
the conformance wording (準拠 / 一部準拠 / 配慮, decided by `conformance()`
from the data), date, pages and tools; [[accessibility-criteria]], a row for
every WCAG 2.2 A/AA success criterion (data/wcag-criteria.yml) with what the
gate found: axe-core's rules map to criteria through their tags, our own
checks through CHECK_CRITERIA, and a criterion nothing checked says "not
tested"; [[accessibility-known-issues]], failures from the data, the lesson
PDFs as measured, and data/accessibility-known-issues.yml; and
[[accessibility-contact]], the publisher's contact (`contact_href`).
"""
from __future__ import annotations

import datetime as dt
import html
import json
from collections import defaultdict
from pathlib import Path
from typing import Callable

import yaml

from scripts import datafiles
from scripts import ROOT, formats, languages
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
    (N_("Phones (360 px, touch): header title on one line, back-to-top button, glossary terms, search, language switch"),
     ["header-title", "back-to-top", "glossary-tap", "search-tap", "language-label"]),
    (N_("Lesson PDFs: tagged, with language, title and headings"), ["pdf"]),
]
# Our own gate checks and the success criteria they test (in part: a check
# shows a problem, passing does not prove the criterion is met).
CHECK_CRITERIA = {
    "keyboard-focus": ["2.1.2", "2.4.1", "2.4.3", "2.4.7", "2.4.11"],
    "keyboard-menu": ["2.1.1"], "keyboard-language": ["2.1.1"], "keyboard-search": ["2.1.1"],
    "keyboard-glossary": ["2.1.1", "1.4.13"], "glossary-tap": ["1.4.13"],
    "reflow": ["1.4.10"], "language-label": ["2.5.3"],
}
CRITERIA_FILE = ROOT / "data" / "wcag-criteria.yml"
KNOWN_ISSUES_FILE = ROOT / "data" / "accessibility-known-issues.yml"
TARGET_LEVEL = "AA"
# Results of one criterion.
FAILED, CHECKED, NOT_TESTED = "failed", "checked", "not-tested"
RESULT_LABELS = {
    FAILED: N_("Problems found"),
    CHECKED: N_("No problems found by automated tests (not yet checked by a person)"),
    NOT_TESTED: N_("Not tested"),
}
# The JIS guidelines' wording (JIS X 8341-3:2016 対応度表記ガイドライン, WAIC).
CONFORMANCE_LABELS = {
    "conforms": N_("Conforms to JIS X 8341-3:2016 level %(level)s (準拠)"),
    "partial": N_("Partially conforms to JIS X 8341-3:2016 level %(level)s (一部準拠)"),
    "considered": N_("Takes JIS X 8341-3:2016 level %(level)s into account (配慮)"),
}
CONFORMANCE_REASONS = {
    "conforms": N_("Every success criterion was tested and met."),
    "partial": N_("Every success criterion was tested; %(failed)s did not meet it."),
    "considered": N_("Not every success criterion has been tested: of %(total)s, automated tests found no problem "
                     "in %(checked)s and problems in %(failed)s; %(untested)s are not tested yet, and no criterion "
                     "has yet been checked by a person or with assistive technology."),
}
TEMPLATES = {
    "home": N_("Home"), "explainer": N_("Explainer"), "lesson": N_("Lesson"), "news post": N_("News post"),
    "glossary": N_("Glossary"), "teachers' finder": N_("Lesson finder for teachers"),
}
# Table headings.
COLUMNS = {"check": N_("Check"), "count": N_("Pages or cases checked"), "result": N_("Result"), "page": N_("Page"),
           "accessibility": N_("Accessibility"), "best-practices": N_("Best practices"),
           "performance": N_("Performance")}
PAGE_IN_LANGUAGE = N_("%(page)s (%(language)s)")
# A run that left any of these out (a few test files run alone) does not replace the table.
REQUIRED = {name for _, names in CHECKS for name in names} | {"lighthouse"}
COLUMNS.update({"criterion": N_("Success criterion"), "level": N_("Level"), "how": N_("Tested with")})


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
    axe = by_check.get("axe", [])
    pages = {e["key"]: int(e.get("pages", 0)) for e in axe}
    pdf = next(iter(by_check.get("pdf", [])), None)
    pdfs = {k: pdf[k] for k in ("pages", "tagged", "lang", "titled", "headings", "figures", "figures_alt", "images")
            if k in pdf} if pdf else {}
    return {"tested": tested, "tools": tools, "pages": pages, "checks": checks, "criteria": criteria(by_check),
            "pdfs": pdfs, "lighthouse": lighthouse, "weight": weight}


def criteria(by_check: dict[str, list[dict]]) -> list[dict]:
    """Each WCAG 2.2 A/AA criterion: failed, checked (automated, no problem) or not tested, and by what."""
    rule_map: dict[str, list[str]] = {}
    applied: set[str] = set()
    violated: set[str] = set()
    for entry in by_check.get("axe", []):
        rule_map.update(entry.get("rule_criteria") or {})
        applied |= set(entry.get("applied") or [])
        violated |= set(entry.get("rules") or [])
    rows = []
    for item in load_criteria():
        sc = item["sc"]
        rules = sorted(r for r, scs in rule_map.items() if sc in scs and (r in applied or r in violated))
        checks = sorted(c for c, scs in CHECK_CRITERIA.items() if sc in scs and c in by_check)
        failed = [r for r in rules if r in violated] + [c for c in checks if not all(e["passed"] for e in by_check[c])]
        result = FAILED if failed else CHECKED if rules or checks else NOT_TESTED
        rows.append({"sc": sc, "result": result, "axe": rules, "checks": checks})
    return rows


_criteria: dict[str, tuple[tuple[int, int], list[dict]]] = {}


def load_criteria(path: Path | None = None) -> list[dict]:
    """The criteria, read again only when the file changes (each criterion's scope asks for
    them, so reading per call was half a second per language). Fresh rows, shared values."""
    path = path or CRITERIA_FILE
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _criteria.get(str(path))
    if hit is None or hit[0] != stamp:
        data, _ = datafiles.parse(path.read_text(encoding="utf-8"), path, "bad-wcag-criteria",
                                  "fix the YAML; each item is {sc, level, since, name: {<language>: …}}.")
        hit = _criteria[str(path)] = (stamp, [dict(item, sc=str(item["sc"])) for item in data])
    return [dict(item) for item in hit[1]]


def conformance(data: dict) -> tuple[str, dict]:
    """準拠 / 一部準拠 / 配慮 from the results (JIS guidelines): "conforms" only when every
    criterion was tested and met, "partial" when every one was tested and some failed,
    else "considered". Automated tests alone never meet a criterion."""
    rows = [r for r in data.get("criteria") or [] if _in_scope(r["sc"])]
    counts = {"total": len(rows), "failed": sum(r["result"] == FAILED for r in rows),
              "checked": sum(r["result"] == CHECKED for r in rows),
              "untested": sum(r["result"] == NOT_TESTED for r in rows)}
    met = [r for r in rows if r["result"] == "met"]  # only a person's test can say so; none yet
    if rows and len(met) == len(rows):
        return "conforms", counts
    if rows and all(r["result"] in ("met", FAILED) for r in rows):
        return "partial", counts
    return "considered", counts


def _in_scope(sc: str) -> bool:
    item = next((c for c in load_criteria() if c["sc"] == sc), None)
    return bool(item) and item["level"] in ("A", TARGET_LEVEL)


def _problem_count(entry: dict) -> int:
    for key in ("violations", "requests", "errors", "overflowing"):
        if key in entry:
            return int(entry[key])
    if isinstance(entry.get("problems"), list):
        return len(entry["problems"])
    return 0 if entry["passed"] else 1


def _template_order(entry: dict):
    names = list(TEMPLATES)
    codes = languages.codes()
    return (names.index(entry["template"]) if entry["template"] in names else len(names),
            codes.index(entry["lang"]) if entry["lang"] in codes else len(codes))


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
                                          "language": languages.display_name(row["lang"], lang)}
            scores = " | ".join(formats.format_number(row.get(k, 0), lang)
                                for k in ("accessibility", "best-practices", "seo", "performance"))
            lines.append(f"| {page} | {scores} |")
    return "\n".join(lines)


# Labels of our own checks in the checklist's "tested with" column.
CHECK_NAMES = {
    "keyboard-focus": N_("keyboard test"), "keyboard-menu": N_("keyboard test"), "keyboard-language": N_("keyboard test"),
    "keyboard-search": N_("keyboard test"), "keyboard-glossary": N_("keyboard test"),
    "glossary-tap": N_("touch test at 360 px"), "reflow": N_("layout test at 360 px"),
    "language-label": N_("language switch test"),
}
PLACEHOLDERS = ("[[accessibility-conformance]]", "[[accessibility-criteria]]", "[[accessibility-known-issues]]",
                "[[accessibility-contact]]")


def _tested_date(data: dict, lang: str) -> str:
    try:
        return formats.format_date(dt.date.fromisoformat(str(data["tested"])[:10]), lang)
    except (KeyError, ValueError):
        raise ContentError([Problem("bad-accessibility-results", "error", relative(RESULTS_FILE),
                                    "`tested` is missing or not a date (YYYY-MM-DD).",
                                    "run `python -m scripts accessibility-results` to write it again.")]) from None


def render_conformance(lang: str, _: Callable[[str], str], data: dict, site_url: str = "") -> str:
    """Standard, target level, conformance wording and why, date, pages, tools."""
    if not data.get("criteria"):
        return _("No test results have been recorded yet. They will appear here after the first full test run.")
    wording, counts = conformance(data)
    pages = data.get("pages") or {}
    per_language = ", ".join(f"{languages.display_name(code, lang)} {formats.format_number(n, lang)}"
                              for code, n in pages.items())
    tools = ", ".join(f"{name} {version}" for name, version in (data.get("tools") or {}).items())
    number = {k: formats.format_number(v, lang) for k, v in counts.items()}
    lines = [
        "- " + _("Standards: JIS X 8341-3:2016 and WCAG 2.2"),
        "- " + _("Target level: %(level)s") % {"level": TARGET_LEVEL},
        "- " + _("Conformance: %(wording)s") % {"wording": _(CONFORMANCE_LABELS[wording]) % {"level": TARGET_LEVEL}},
        "    - " + _(CONFORMANCE_REASONS[wording]) % number,
        "- " + _("Date of the tests: %(date)s") % {"date": _tested_date(data, lang)},
        "- " + _("Pages tested: every page of the site, %(count)s pages (%(languages)s)") % {
            "count": formats.format_number(sum(pages.values()), lang), "languages": per_language},
    ]
    if site_url:
        lines.append("- " + _("Site address: %(url)s") % {"url": f"<{site_url}>"})
    lines.append("- " + _("Tools: %(tools)s, in Chromium without a screen, 1280 px and 360 px wide") % {"tools": tools})
    return "\n".join(lines)


def render_criteria(lang: str, _: Callable[[str], str], data: dict) -> str:
    """The checklist: every WCAG 2.2 A/AA criterion with its result and what tested it."""
    rows = {r["sc"]: r for r in data.get("criteria") or []}
    if not rows:
        return _("No test results have been recorded yet. They will appear here after the first full test run.")
    head = {key: _(label) for key, label in COLUMNS.items()}
    lines = [f"| {head['criterion']} | {head['level']} | {head['result']} | {head['how']} |", "|---|---|---|---|"]
    for item in load_criteria():
        row = rows.get(item["sc"], {"result": NOT_TESTED, "axe": [], "checks": []})
        name = languages.pick(item.get("name") or {}, lang) or ""
        note = ""
        if item.get("obsolete"):
            note = " " + _("(JIS X 8341-3:2016 only; removed in WCAG %(version)s)") % {"version": item["obsolete"]}
        elif str(item.get("since")) != "2.0":
            note = " " + _("(added in WCAG %(version)s)") % {"version": item["since"]}
        how = [f"axe-core ({', '.join(row['axe'])})"] if row["axe"] else []
        how += list(dict.fromkeys(_(CHECK_NAMES.get(c, c)) for c in row["checks"]))
        label = RESULT_LABELS[row["result"]]
        result = _(label)
        if row["result"] == FAILED:
            result = f"**{result}**"
        lines.append(f"| {item['sc']} {name}{note} | {item['level']} | {result} | {', '.join(how) or '—'} |")
    return "\n".join(lines)


def load_known_issues(path: Path | None = None) -> list[dict]:
    path = path or KNOWN_ISSUES_FILE
    if not path.is_file():
        return []
    data, _ = datafiles.parse(path.read_text(encoding="utf-8"), path, "bad-accessibility-known-issues",
                              "fix the YAML; each item has the text in each language: {ja: …, en: …}.")
    return list(data or [])


def render_known_issues(lang: str, _: Callable[[str], str], data: dict) -> str:
    """Failed criteria (from the tests), the lesson PDFs as measured, and the issues staff listed."""
    names = {c["sc"]: (c.get("name") or {}).get(lang, "") for c in load_criteria()}
    items = []
    for row in data.get("criteria") or []:
        if row["result"] == FAILED:
            items.append(_("%(sc)s %(name)s: the tests found problems (%(how)s).") % {
                "sc": row["sc"], "name": names.get(row["sc"], ""), "how": ", ".join(row["axe"] + row["checks"])})
    pdfs = data.get("pdfs") or {}
    if pdfs.get("pages"):
        n = {k: formats.format_number(v, lang) for k, v in pdfs.items()}
        items.append(_("Lesson PDFs (%(pages)s files): %(tagged)s are tagged PDFs, %(lang)s state their language, "
                       "%(titled)s have a title and %(headings)s have headings.") % n)
        if not pdfs.get("figures"):
            items.append(_("The lesson PDFs have no parts tagged as figures with a text alternative: drawings in "
                           "them (such as pictograms and timelines) have no text alternative."))
        else:
            items.append(_("Of %(figures)s figures in the lesson PDFs, %(figures_alt)s have a text alternative.") % n)
        if pdfs.get("images"):
            items.append(_("The lesson PDFs contain %(images)s photographs or other raster images.") % n)
    for issue in load_known_issues():
        text = languages.pick(issue, lang)
        if text:
            items.append(str(text).strip())
    return "\n".join(f"- {item}" for item in items) or _("None known.")


def contact_href(extra: dict, page_url: str = "") -> str:
    """The publisher's contact (mkdocs.yml extra.publisher.contact), as a link from page_url:
    the one place the statement looks it up. A full address (https:, mailto:) is used as is."""
    contact = str(((extra or {}).get("publisher") or {}).get("contact") or "about/#contact")
    if ":" in contact.split("/")[0]:
        return contact
    from mkdocs.utils import get_relative_url

    path, _, fragment = contact.partition("#")
    href = get_relative_url(path or ".", page_url or ".")
    if path.endswith("/") and not href.endswith("/"):
        href += "/"
    return href + (f"#{fragment}" if fragment else "")


def replace_placeholder(markdown: str, lang: str, translate: Callable[[str], str],
                        extra: dict | None = None, page_url: str = "") -> str:
    if "[[accessibility-" not in markdown:
        return markdown
    data = load()
    if PLACEHOLDER in markdown:
        markdown = markdown.replace(PLACEHOLDER, render(lang, translate, data))
    site_url = str((extra or {}).get("site_root_url") or "")
    parts = {
        "[[accessibility-conformance]]": lambda: render_conformance(lang, translate, data, site_url),
        "[[accessibility-criteria]]": lambda: render_criteria(lang, translate, data),
        "[[accessibility-known-issues]]": lambda: render_known_issues(lang, translate, data),
        "[[accessibility-contact]]": lambda: f'<a href="{html.escape(contact_href(extra or {}, page_url))}">'
                                             f'{html.escape(translate("Contact us"))}</a>',
    }
    for placeholder, make in parts.items():
        if placeholder in markdown:
            markdown = markdown.replace(placeholder, make())
    return markdown
