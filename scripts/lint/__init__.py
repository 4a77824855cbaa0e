"""Content lint: every check on the Markdown pages, with stable English rule
ids and messages in Japanese that name the file and line and say how to fix.

    python -m scripts check           # all languages, no build (make check)
    python -m scripts check --rules   # the list of rules

The build runs the same checks (scripts/hooks.py, on_files): an `error`
stops the build, a `warning` is listed in the build log and the summary but
does not stop it, an `info` is a note (for example a post that will appear
on a later date). Rules live in scripts/lint/rules.py; each has a test with a
failing and a passing example in tests/test_lint.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from scripts.problems import Problem

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str  # one line, Japanese
    summary_en: str
    scope: str  # "page": runs on each page; "site": runs once over every language
    check: Callable


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, summary: str, summary_en: str, scope: str = "page"):
    """Register a check. Page checks get (document, context), site checks (context)."""
    assert severity in SEVERITIES and rule_id not in RULES

    def register(func):
        RULES[rule_id] = Rule(rule_id, severity, summary, summary_en, scope, func)
        return func

    return register


def problem(rule_id: str, file: str, line: int | None, message: str, fix: str, severity: str | None = None) -> Problem:
    return Problem(rule=rule_id, severity=severity or RULES[rule_id].severity, file=file, line=line,
                   message=message, fix=fix)


def _context(root: Path, languages: Iterable[str], today: dt.date | None):
    from scripts.lint.rules import Context

    return Context.create(root, list(languages), today)


def check_language(root: Path, lang: str, languages: Iterable[str] = ("ja", "en"),
                   today: dt.date | None = None, context=None) -> list[Problem]:
    """Page rules for every page of one language (docs/<lang>/)."""
    from scripts.lint import rules  # noqa: F401  (registers the rules)

    ctx = context or _context(root, languages, today)
    problems: list[Problem] = []
    for doc in ctx.documents(lang):
        for r in RULES.values():
            if r.scope == "page":
                problems += list(r.check(doc, ctx))
    return problems


def check_site(root: Path, languages: Iterable[str] = ("ja", "en"), today: dt.date | None = None,
               context=None, skip: Iterable[str] = ()) -> list[Problem]:
    """Rules that compare languages or read shared data (post pairs, lessons).
    The build skips "data-files": the modules that own those files check them there."""
    from scripts.lint import rules  # noqa: F401

    ctx = context or _context(root, languages, today)
    problems: list[Problem] = []
    for r in RULES.values():
        if r.scope == "site" and r.id not in skip:
            problems += list(r.check(ctx))
    return problems


def check_all(root: Path, languages: Iterable[str] = ("ja", "en"), today: dt.date | None = None) -> list[Problem]:
    languages = list(languages)
    ctx = _context(root, languages, today)
    problems = check_site(root, languages, context=ctx)
    for lang in languages:
        problems += check_language(root, lang, languages, context=ctx)
    return sort(problems)


def sort(problems: list[Problem]) -> list[Problem]:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(problems, key=lambda p: (order.get(p.severity, 9), p.file, p.line or 0, p.rule))


def by_severity(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {s: [] for s in SEVERITIES}
    for p in problems:
        out.setdefault(p.severity, []).append(p)
    return out


def format_problem(p: Problem) -> str:
    """Japanese first: where, severity, [rule id], what is wrong, how to fix."""
    where = f"{p.file}:{p.line}" if p.line else p.file
    label = {"error": "エラー error", "warning": "注意 warning", "info": "お知らせ info"}.get(p.severity, p.severity)
    return f"{where}: {label} [{p.rule}] {p.message}\n    直し方 (How to fix): {p.fix}"


def rules_table() -> str:
    from scripts.lint import rules  # noqa: F401

    width = max(len(r.id) for r in RULES.values())
    lines = [f"{'rule id'.ljust(width)}  severity  what it checks"]
    for r in RULES.values():
        lines.append(f"{r.id.ljust(width)}  {r.severity.ljust(8)}  {r.summary} / {r.summary_en}")
    return "\n".join(lines)


def raise_errors(problems: list[Problem]) -> None:
    """Stop the build on errors: a ContentError (the hooks show it without a traceback)
    whose text uses the lint's Japanese labels."""
    from scripts.problems import ContentError

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        error = ContentError(sort(errors))
        error.args = ("\n".join(format_problem(p) for p in sort(errors)),)
        raise error


def run_checks(docs: Path | None = None, languages: list[str] | None = None) -> tuple[list[Problem], int]:
    """Every content check that needs no build: file names and encodings
    (scripts/sources.py), pages missing in a language (scripts/translations.py),
    the lint rules and the data files. Returns (problems, pages checked)."""
    from scripts import ROOT, languages as langs_module, news, sources

    docs = Path(docs or ROOT / "docs")
    if languages is None:
        languages = sorted((p.name for p in docs.iterdir() if p.is_dir()), key=lambda code: code != "ja")
    problems: list[Problem] = []
    for code in languages:
        problems += sources.check_sources(docs / code)
    try:  # pages missing in a language: the translation policy decides (what the build stops on)
        from scripts import translations

        problems += translations.build_report(docs, languages[0], languages[1:]).errors()
    except ImportError:
        site_langs = [langs_module.Language(c, c, "", "" if i == 0 else f"{c}/") for i, c in enumerate(languages)]
        problems += langs_module.missing_counterparts(docs, site_langs, exempt=news.single_language_exemptions())
    problems += check_all(docs, languages)
    pages = sum(1 for code in languages for _ in (docs / code).rglob("*.md"))
    return sort(problems), pages


def command(docs: str | None = None, strict: bool = False, show_rules: bool = False) -> int:
    """`python -m scripts check`: print every problem; exit 1 on errors (and on warnings with --strict)."""
    import sys
    import time

    if show_rules:
        print(rules_table())
        return 0
    start = time.monotonic()
    problems, pages = run_checks(Path(docs) if docs else None)
    groups = by_severity(problems)
    for p in problems:
        print(format_problem(p))
    counts = {s: len(groups.get(s, [])) for s in SEVERITIES}
    print(f"\n{pages} ページを検査しました（{time.monotonic() - start:.1f} 秒）："
          f"エラー {counts['error']} 件、注意 {counts['warning']} 件、お知らせ {counts['info']} 件"
          f" / {pages} pages checked: {counts['error']} errors, {counts['warning']} warnings, {counts['info']} notes.")
    if counts["error"] or (strict and counts["warning"]):
        print("エラーを直してから、もう一度 make check を実行してください。/ Fix the errors above, then run make check again.",
              file=sys.stderr)
        return 1
    if counts["warning"]:
        print("エラーはありません。公開できます（注意も直すと、よりよくなります）。/ No errors: ready to publish "
              "(the warnings are worth fixing too).")
    else:
        print("問題ありません。公開できます。/ All good: ready to publish.")
    return 0


_linted: set[str] = set()  # languages already linted in this build


def mark_linted(languages) -> None:
    """Leave these languages to the build that lints every language (a parallel
    language build that runs after it in the same process: scripts/engine.py)."""
    _linted.update(languages)


def for_build(root: Path, languages: list[str], lang: str) -> list[Problem]:
    """The lint inside the build (scripts/hooks.py, on_files).

    The first language's build lints every language, so one run lists every
    problem; the builds that follow skip what was done. Errors stop the build
    (ContentError). Warnings and notes are logged at INFO, because a WARNING
    would stop the strict build, and listed in the build summary.
    """
    import logging

    from scripts import progress

    log = logging.getLogger("mkdocs.site.lint")
    if lang == languages[0]:
        _linted.clear()
        targets = list(languages)
    else:
        targets = [] if lang in _linted else [lang]
    ctx = _context(root, languages, None)
    problems = []
    if lang == languages[0]:
        problems += check_site(root, languages, context=ctx, skip=("data-files",))
    from scripts import sources

    for code in targets:
        if code != lang:  # this build's own files were checked by scripts/sources.py just before
            problems += sources.check_sources(root / code)
        problems += check_language(root, code, languages, context=ctx)
    _linted.update(targets)
    problems = sort(problems)
    raise_errors(problems)
    for p in problems:
        log.info(format_problem(p).replace("\n", " "))
        if p.severity == "warning":
            progress.SUMMARY.warning(f"[{p.rule}] {p.message}", f"{p.file}:{p.line}" if p.line else p.file)
    return problems
