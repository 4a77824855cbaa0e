"""The content checks and the one registry of their rules.

    python -m scripts check           # all languages, no build (make check)
    python -m scripts check --rules   # every rule id that can be emitted

Every problem staff can see has a rule id registered here (RULES): its
severity and a one-line description in Japanese and English. Page and site
rules are checked in scripts/lint/rules.py; rules whose checks live in the
module that owns the data (images, facts, translations, lessons, …) are
listed in scripts/lint/registry.py. tests/test_lint.py walks scripts/ and
fails on an emitted id that is not registered, or a registered one that is
never emitted.

`check_project` is the single entry point: plain Python, no MkDocs, paths
in, problems out. `make check` prints its result; the build
(scripts/hooks.py, on_files, through `for_build`) stops on its errors and
logs and counts its warnings. An `error` stops both, a `warning` is shown
and published, an `info` is a note (a post that appears on a later date).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from scripts.problems import Problem, relative

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    summary: str  # one line, Japanese
    summary_en: str
    scope: str  # "page": runs on each page; "site": runs once over every language; "owner": see owner
    check: Callable | None
    owner: str = "scripts/lint/rules.py"  # the module that raises it


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, summary: str, summary_en: str, scope: str = "page"):
    """Register a check. Page checks get (document, context), site checks (context)."""
    assert severity in SEVERITIES and rule_id not in RULES, rule_id

    def register(func):
        RULES[rule_id] = Rule(rule_id, severity, summary, summary_en, scope, func)
        return func

    return register


def owned(rule_id: str, severity: str, summary: str, summary_en: str, owner: str) -> None:
    """Register a rule whose check lives in the module that owns the data (scripts/lint/registry.py)."""
    assert severity in SEVERITIES and rule_id not in RULES, rule_id
    RULES[rule_id] = Rule(rule_id, severity, summary, summary_en, "owner", None, owner)


def problem(rule_id: str, file: str, line: int | None, message: str, fix: str, severity: str | None = None) -> Problem:
    return Problem(rule=rule_id, severity=severity or RULES[rule_id].severity, file=file, line=line,
                   message=message, fix=fix)


def _load() -> None:
    from scripts.lint import registry, rules  # noqa: F401  (both register rules on import)


def _context(root: Path, languages: Iterable[str], today: dt.date | None):
    from scripts.lint.rules import Context

    return Context.create(root, list(languages), today)


def check_language(root: Path, lang: str, languages: Iterable[str] | None = None,
                   today: dt.date | None = None, context=None) -> list[Problem]:
    """Page rules for every page of one language (docs/<lang>/)."""
    _load()
    ctx = context or _context(root, _or_configured(languages, root), today)
    problems: list[Problem] = []
    stored = _StoredResults(ctx, lang)
    for doc in ctx.documents(lang):
        kept = stored.get(doc)  # {rule id: its problems} of the rules that read this page alone
        fresh: dict[str, list[Problem]] = {}
        for r in RULES.values():
            if r.scope != "page":
                continue
            if kept is not None and r.id in kept:
                problems += kept[r.id]
                continue
            ctx.crossed = False
            found = list(r.check(doc, ctx))
            problems += found
            if not ctx.crossed:
                fresh[r.id] = found
        if kept is None:
            stored.put(doc, fresh)
    return problems


class _StoredResults:
    """A page's results of the rules that read only the page itself and data/ (not docs/'s
    file list, another page or its anchors: those run every build), kept between runs
    (scripts/memo.py). The key: the page (path, text, front matter), the language, the
    languages, today's date, and every input of scripts/memo.py (code, data, settings)."""

    def __init__(self, ctx, lang: str):
        from scripts import memo

        self.memo, self.store = memo, memo.Store("lint")
        # Paths as staff name them (the problems do too), so copies of the project share results.
        self.base = memo.digest(ctx.inputs_version(), relative(ctx.root), lang, ctx.languages, ctx.today.isoformat())

    def _key(self, doc) -> str:
        return self.memo.digest(self.base, relative(doc.path), doc.src_uri, doc.text, repr(doc.meta),
                                repr(sorted(doc.meta_lines.items())), doc.body_line, doc.meta_ok)

    def get(self, doc) -> dict[str, list[Problem]] | None:
        entry = self.store.get(self._key(doc))
        if not isinstance(entry, dict):
            return None
        try:
            return {rule_id: [Problem(**fields) for fields in found] for rule_id, found in entry.items()
                    if rule_id in RULES}
        except TypeError:  # not an entry of ours: check the page again
            return None

    def put(self, doc, results: dict[str, list[Problem]]) -> None:
        from dataclasses import asdict

        self.store.put(self._key(doc), {rule_id: [asdict(p) for p in found] for rule_id, found in results.items()})


def check_site(root: Path, languages: Iterable[str] | None = None, today: dt.date | None = None,
               context=None, skip: Iterable[str] = ()) -> list[Problem]:
    """Rules that compare languages (post pairs, addresses)."""
    _load()
    ctx = context or _context(root, _or_configured(languages, root), today)
    problems: list[Problem] = []
    for r in RULES.values():
        if r.scope == "site" and r.id not in skip:
            problems += list(r.check(ctx))
    return problems


def check_all(root: Path, languages: Iterable[str] | None = None, today: dt.date | None = None) -> list[Problem]:
    languages = _or_configured(languages, root)
    ctx = _context(root, languages, today)
    problems = check_site(root, languages, context=ctx)
    for lang in languages:
        problems += check_language(root, lang, languages, context=ctx)
    return sort(problems)


def _or_configured(languages: Iterable[str] | None, docs: Path) -> list[str]:
    """The languages given, else the project's own (extra.languages beside docs/)."""
    return list(languages) if languages is not None else default_languages(docs)


def sort(problems: list[Problem]) -> list[Problem]:
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(problems, key=lambda p: (order.get(p.severity, 9), p.file, p.line or 0, p.rule))


def by_severity(problems: Iterable[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {s: [] for s in SEVERITIES}
    for p in problems:
        out.setdefault(p.severity, []).append(p)
    return out


def format_problem(p: Problem) -> str:
    """Japanese first: where, severity, [rule id], what is wrong, how to fix (scripts/problems.py)."""
    return p.formatted()


def summary(rule_id: str, english: bool = False) -> str:
    """The rule's one-line description for staff, in Japanese or English ("" for an unregistered id)."""
    _load()
    r = RULES.get(rule_id)
    return (r.summary_en if english else r.summary) if r else ""


def rules_table() -> str:
    _load()
    width = max(len(r.id) for r in RULES.values())
    lines = [f"{'rule id'.ljust(width)}  severity  what it checks / 検査すること"]
    for r in sorted(RULES.values(), key=lambda r: r.id):
        lines.append(f"{r.id.ljust(width)}  {r.severity.ljust(8)}  {r.summary} / {r.summary_en}")
    lines.append(f"\n{len(RULES)} rules / {len(RULES)} 個の規則")
    return "\n".join(lines)


def raise_errors(problems: list[Problem]) -> None:
    """Stop the build on errors: a ContentError (the hooks show it without a traceback)."""
    from scripts.problems import ContentError

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(sort(errors))


def default_languages(docs: Path) -> list[str]:
    """The site's languages (extra.languages in mkdocs.yml beside docs/), else docs/* folders."""
    from scripts import languages as langs_module

    config = _read_config(docs.parent / "mkdocs.yml")
    try:
        return [lang.code for lang in langs_module.load_languages(config.get("extra") or {})]
    except Exception:  # a broken language list is reported by the build's own config check
        return sorted((p.name for p in docs.iterdir() if p.is_dir()), key=lambda code: code != _site_source())


def _site_source() -> str:
    from scripts import languages as langs_module

    try:
        return langs_module.source().code
    except langs_module.LanguageConfigError:
        return ""


class _AnyTagLoader(getattr(__import__("yaml"), "CSafeLoader", __import__("yaml").SafeLoader)):
    """mkdocs.yml carries !!python/name tags; the checks only need plain values."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _read_config(path: Path) -> dict:
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}  # the build reports a broken mkdocs.yml with its line
    return data if isinstance(data, dict) else {}


def check_project(docs: Path, languages: list[str] | None = None, today: dt.date | None = None,
                  translation_report=None, sources_checked: bool = False) -> list[Problem]:
    """Every content check, for `make check` and for the build: plain Python, no MkDocs.

    docs is the folder holding docs/<language>/; data/ and mkdocs*.yml are beside it.
    Returns every problem (errors, warnings, notes), sorted. translation_report: a
    scripts.translations Report the caller already made (the build), else one is made.
    sources_checked: the caller ran scripts/sources.py's file checks and stopped on any problem.
    """
    from scripts import sources, translations

    docs = Path(docs)
    languages = list(languages or default_languages(docs))
    problems = sources.check_links(docs.parent)  # symlinks that leave the repository: nothing else reads them
    if any(p.severity == "error" for p in problems):
        return sort(problems)
    for code in languages if not sources_checked else ():  # the build's prepare stage checked them first
        problems += sources.check_sources(docs / code)
    if any(p.severity == "error" for p in problems):
        return sort(problems)  # files that cannot be read: what follows would only repeat it (the build stops here too)
    from scripts.lint import rules
    from scripts.problems import ContentError

    ctx = _context(docs, languages, today)
    problems += rules.check_data_files(ctx)
    try:
        report = translation_report or translations.build_report(docs, languages[0], languages[1:])
        problems += report.problems
    except ContentError as e:  # the policy or glossary it reads is broken
        problems += [p for p in e.problems if p not in problems]
    problems += rules.check_catalogs(ctx) + rules.check_nav(ctx) + rules.check_images(ctx)
    problems += check_publisher(docs.parent / "mkdocs.yml")
    problems += check_site(docs, languages, context=ctx)
    for lang in languages:
        problems += check_language(docs, lang, languages, context=ctx)
    return sort(problems)


def check_publisher(config_file: Path) -> list[Problem]:
    """Who publishes the site (extra.publisher, scripts/publisher.py): a malformed or misleading
    setting always; placeholders only for a production build (--production)."""
    from scripts import publisher
    from scripts.problems import ContentError

    if not config_file.is_file():
        return []
    try:
        publisher.check_production(publisher.load(config_file))
    except ContentError as e:
        return list(e.problems)
    return []


def check_config(project: Path) -> list[Problem]:
    """The settings files as MkDocs reads them (unknown or misspelt names stop the strict build).
    Apart from check_project because it needs the engine; the build validates its own config."""
    import logging

    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    problems = []
    for path in sorted(Path(project).glob("mkdocs*.yml")):
        said: list[str] = []
        handler = logging.Handler(logging.WARNING)
        handler.emit = lambda record: said.append(record.getMessage())
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            load_config(config_file=str(path))
        except (ConfigurationError, Abort) as e:
            detail = "; ".join(said) or str(getattr(e, "message", e))
            problems.append(Problem(
                "config", "error", path.name, message=f"設定ファイルが読めません：{detail} / The settings file "
                f"cannot be used: {detail}",
                fix="上に書かれた設定名（つづりのまちがいが多い）と、その行の字下げを確かめてください。 / Check the "
                    "setting named above (a misspelt name is the usual cause) and the indentation of its line."))
        finally:
            logger.removeHandler(handler)
    return problems


def run_checks(docs: Path | None = None, languages: list[str] | None = None) -> tuple[list[Problem], int]:
    """check_project and the settings files for `make check`; returns (problems, pages checked)."""
    from scripts import ROOT

    docs = Path(docs or ROOT / "docs")
    languages = list(languages or default_languages(docs))
    problems = sort(check_config(docs.parent) + check_project(docs, languages))
    pages = sum(1 for code in languages for _ in (docs / code).rglob("*.md"))
    return problems, pages


def command(docs: str | None = None, strict: bool = False, show_rules: bool = False) -> int:
    """`python -m scripts check`: print every problem; exit 1 on errors (and on warnings with --strict)."""
    import sys
    import time

    if show_rules:
        print(rules_table())
        return 0
    from scripts.problems import ContentError

    start = time.monotonic()
    try:
        problems, pages = run_checks(Path(docs) if docs else None)
    except ContentError as e:  # a data file a check needed could not be read: say so, no traceback
        problems, pages = sort(e.problems), 0
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


_linted: set[str] = set()  # languages already checked in this build


def mark_linted(languages) -> None:
    """Leave these languages to the build that lints every language (a parallel
    language build that runs after it in the same process: scripts/engine.py)."""
    _linted.update(languages)


def for_build(root: Path, languages: list[str], lang: str, translation_report=None) -> list[Problem]:
    """check_project inside the build (scripts/hooks.py, on_files).

    The first language's build checks every language, so one run lists every
    problem; a language build forked from it skips. Errors stop the build
    (ContentError). Warnings and notes are logged at INFO, because a WARNING
    would stop the strict build, and warnings are counted in the build summary.
    """
    import logging

    from scripts import progress

    log = logging.getLogger("mkdocs.site.lint")
    if lang == languages[0]:
        _linted.clear()
    elif lang in _linted:
        return []
    # The prepare stage (scripts/prepare.py) has stopped on any problem of scripts/sources.py already.
    problems = check_project(root, languages, translation_report=translation_report, sources_checked=True)
    _linted.update(languages)
    raise_errors(problems)
    for p in problems:
        log.info(format_problem(p).replace("\n", " "))
        if p.severity == "warning":
            first = format_problem(p).splitlines()[0].split(": ", 1)[-1]  # Japanese first, without the place
            progress.SUMMARY.warning(first, f"{p.file}:{p.line}" if p.line else p.file)
    return problems
