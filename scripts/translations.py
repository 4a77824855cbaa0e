"""Translation status: does every translated page still match its Japanese source?

Each translated page (docs/en/plan/index.md) records in its front matter a
fingerprint of the Japanese text it was last checked against:

    translation:
      source_hash: sha256:<64 hex digits>

The fingerprint is the SHA-256 of the source's *normalised* text (see
`normalise`), so only edits a translator must follow count:

- counted: any change to the body text, and to the front-matter keys in
  `counted_front_matter` of data/translation-policy.yml (title, description);
- not counted: whitespace of any kind (spaces, full-width spaces, tabs, line
  breaks, blank lines, indentation, CRLF vs LF), a UTF-8 BOM, Unicode
  composed vs decomposed forms (NFC), HTML comments (<!-- notes to editors -->)
  and every other front-matter key (tags, hide, search, ...).

Every page is then current, stale (the source's fingerprint differs, or none
was ever recorded), missing (no translation) or orphaned (a translation whose
source is gone). What each state does (fail, warn, fall back) is set in
data/translation-policy.yml. The date the source last changed comes from git
history: one `git log` for every file, then `git cat-file --batch` to read
each old version once, so a commit that only changed whitespace does not
count as a change either. Uncommitted edits count from the file's mtime.

Staff use it through `python -m scripts translations status|mark-reviewed`
(`make translations`); the build uses it through scripts/hooks.py. Nothing
here writes under docs/ except `mark-reviewed`, which edits only the
`translation.source_hash` line of the pages it is given.
"""
from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from scripts import datafiles
from scripts import ROOT
from scripts.problems import ContentError, Problem, relative

POLICY_FILE = ROOT / "data" / "translation-policy.yml"
SITE_MAP_FILE = ROOT / "data" / "site-map.yml"
HASH_PREFIX = "sha256:"
STATES = ("current", "stale", "missing", "orphaned")
RULES = {"stale": ("fail", "warn", "ignore"), "missing_required": ("fail", "warn", "ignore"),
         "missing_optional": ("fail", "warn", "ignore"), "orphaned": ("fail", "warn", "ignore"),
         "terminology": ("fail", "warn", "ignore")}
MISSING_PAGES = ("fallback", "omit")
SEVERITY = {"fail": "error", "warn": "warning"}

# After BOM removal and newline normalisation.
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
COMMENT = re.compile(r"<!--.*?-->", re.S)
WHITESPACE = re.compile(r"\s+")  # str patterns: Unicode whitespace, including U+3000
JST = dt.timezone(dt.timedelta(hours=9), "JST")  # dates are days in Japan, as in scripts/git_dates.py


# --- policy ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Policy:
    rules: dict[str, str]
    missing_pages: str = "fallback"
    counted_front_matter: tuple[str, ...] = ("title", "description")
    single_language: tuple[str, ...] = ()
    # Rules (and missing_pages) set for one language (`languages: {ko: {missing_required: warn,
    # missing_pages: omit}}`), e.g. while a new language is being translated page by page.
    per_language: dict[str, dict[str, str]] = field(default_factory=dict)

    def rule(self, name: str, language: str) -> str:
        return self.per_language.get(language, {}).get(name, self.rules[name])

    def missing_pages_for(self, language: str) -> str:
        return self.per_language.get(language, {}).get("missing_pages", self.missing_pages)

    def is_single_language(self, page: str) -> bool:
        return any(fnmatch.fnmatchcase(page, pattern) for pattern in single_language_patterns(self))

    def as_dict(self) -> dict[str, Any]:
        return {"rules": dict(self.rules), "missing_pages": self.missing_pages,
                "counted_front_matter": list(self.counted_front_matter),
                "single_language": list(self.single_language),
                "languages": {code: dict(rules) for code, rules in self.per_language.items()}}


def load_policy(path: Path = POLICY_FILE) -> Policy:
    """Read data/translation-policy.yml; a wrong value stops with the line and the allowed values."""
    where = relative(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = datafiles.load(text) or {}
    except FileNotFoundError:
        raise ContentError([Problem("translation-policy", "error", where, "the translation policy file is missing.",
                                    "restore it from git (git checkout -- data/translation-policy.yml).")]) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ContentError([Problem("translation-policy", "error", where,
                                    f"the file is not valid YAML: {getattr(e, 'problem', e)}.",
                                    "check the indentation and quotes on that line.",
                                    mark.line + 1 if mark else None)]) from None

    def line_of(key: str) -> int | None:
        for number, line in enumerate(text.splitlines(), 1):
            if re.match(rf"\s*{re.escape(key)}\s*:", line):
                return number
        return None

    problems = []
    rules = dict(data.get("rules") or {}) if isinstance(data, dict) else {}
    for name, allowed in RULES.items():
        value = str(rules.get(name, "")).strip()
        if value not in allowed:
            problems.append(Problem("translation-policy", "error", where,
                                    f"rules.{name} is '{value}', which is not one of {', '.join(allowed)}.",
                                    f"write `{name}: {allowed[1]}` (or another allowed value) under rules:.",
                                    line_of(name) or line_of("rules")))
    for name in sorted(set(rules) - set(RULES)):
        problems.append(Problem("translation-policy", "error", where, f"rules.{name} is not a rule.",
                                f"the rules are {', '.join(RULES)}; check the spelling.", line_of(name)))
    per_language = {}
    for code, own in ((data.get("languages") or {}) if isinstance(data, dict) else {}).items():
        own = own if isinstance(own, dict) else {}
        for name, value in own.items():
            allowed = MISSING_PAGES if name == "missing_pages" else RULES.get(name, ())
            if str(value).strip() not in allowed:
                problems.append(Problem("translation-policy", "error", where,
                                        f"languages.{code}.{name}: '{value}' is not a rule and one of its values.",
                                        f"use a rule of rules: ({', '.join(RULES)}) or missing_pages, with one of its values.",
                                        line_of(str(name))))
        per_language[str(code)] = {str(k): str(v).strip() for k, v in own.items()}
    missing_pages = str((data or {}).get("missing_pages", "")).strip()
    if missing_pages not in MISSING_PAGES:
        problems.append(Problem("translation-policy", "error", where,
                                f"missing_pages is '{missing_pages}', which is not one of {', '.join(MISSING_PAGES)}.",
                                "write `missing_pages: fallback` or `missing_pages: omit`.", line_of("missing_pages")))
    keys = data.get("counted_front_matter", ["title", "description"])
    single = data.get("single_language") or []
    for name, value in (("counted_front_matter", keys), ("single_language", single)):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(Problem("translation-policy", "error", where, f"{name} must be a list of words.",
                                    f"write it as a list, e.g. `{name}: [a, b]`.", line_of(name)))
    if problems:
        raise ContentError(problems)
    return Policy({k: str(rules[k]).strip() for k in RULES}, missing_pages, tuple(keys), tuple(single), per_language)


def single_language_patterns(policy: Policy) -> list[str]:
    """Pages that may exist in one language: the policy's list plus news posts, which
    scripts/news.py checks itself (a post says `single_language: true`)."""
    from scripts import news  # lazy: news imports this module's neighbours

    return list(policy.single_language) + news.single_language_exemptions()


def required_pages(path: Path = SITE_MAP_FILE) -> set[str]:
    """Pages the site map requires in every language (data/site-map.yml)."""
    with open(path, encoding="utf-8") as f:
        data = datafiles.load(f) or {}
    return {str(p["path"]) for p in data.get("pages") or [] if isinstance(p, dict) and p.get("path")}


# --- fingerprints -------------------------------------------------------------------------------

def split_front_matter(text: str) -> tuple[dict[str, Any] | None, str, str]:
    """(front matter as a dict or None if invalid, raw front matter, body) of a page's text."""
    meta, raw, body = _split_cached(text)
    return (dict(meta) if isinstance(meta, dict) else meta), raw, body


@functools.lru_cache(maxsize=1024)  # each page is read several times (fingerprint, terms, hash)
def _split_cached(text: str) -> tuple[dict[str, Any] | None, str, str]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, "", text
    raw = match.group(1) or ""
    try:
        meta = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError:
        return None, raw, text[match.end():]
    return (meta if isinstance(meta, dict) else None), raw, text[match.end():]


def _squash(text: str) -> str:
    return WHITESPACE.sub("", unicodedata.normalize("NFC", text))


def normalise(text: str, counted_front_matter: Iterable[str] = ("title", "description")) -> str:
    """The part of a page a translation follows, with whitespace and invisible differences removed."""
    meta, raw, body = split_front_matter(text)
    parts = []
    if meta is None:  # unreadable front matter: count all of it rather than guess
        parts.append("front-matter=" + _squash(raw))
    else:
        for key in counted_front_matter:
            if key in meta and meta[key] is not None:
                parts.append(f"{key}={_squash(str(meta[key]))}")
    parts.append("body=" + _squash(COMMENT.sub("", body)))
    return "\n".join(parts)


def source_hash(text: str, counted_front_matter: Iterable[str] = ("title", "description")) -> str:
    return HASH_PREFIX + hashlib.sha256(normalise(text, counted_front_matter).encode("utf-8")).hexdigest()


def recorded_hash(text: str) -> str | None:
    """The `translation.source_hash` a translated page records, if any."""
    meta, _, _ = split_front_matter(text)
    translation = (meta or {}).get("translation")
    value = translation.get("source_hash") if isinstance(translation, dict) else None
    return str(value) if value else None


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


# --- git history --------------------------------------------------------------------------------

@dataclass
class History:
    """When each source page last changed (in its normalised text), from git."""
    available: bool = False
    changed: dict[str, dt.date] = field(default_factory=dict)  # page -> last committed change
    removed: dict[str, dt.date] = field(default_factory=dict)  # page -> date it was deleted
    committed_hash: dict[str, str] = field(default_factory=dict)  # page -> fingerprint at HEAD
    versions: dict[str, dict[str, dt.date]] = field(default_factory=dict)  # page -> fingerprint -> date


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, input=stdin,
                                capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _blobs(cwd: Path, shas: set[str]) -> dict[str, bytes]:
    """Read many git blobs in one `git cat-file --batch` call."""
    if not shas:
        return {}
    order = sorted(shas)
    out = _git(cwd, "cat-file", "--batch", stdin=("\n".join(order) + "\n").encode())
    result, pos = {}, 0
    while out and pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].decode().split()
        pos = end + 1
        if len(header) < 3 or header[1] == "missing":
            continue
        size = int(header[2])
        result[header[0]] = out[pos:pos + size]
        pos += size + 1
    return result


def git_history(project: Path, folder: str, counted_front_matter: Iterable[str]) -> History:
    """Three git calls in all (log, ls-tree, cat-file), however many pages there are."""
    log = _git(project, "log", "--raw", "--no-abbrev", "--no-renames", "--relative", "--format=%x00%cI",
               "--", folder)
    if log is None:
        return History(available=False)
    tree = _git(project, "ls-tree", "-r", "HEAD", "--", folder) or b""
    prefix = folder.rstrip("/") + "/"
    entries: list[tuple[dt.date, str, str, str]] = []
    date = None
    for line in log.decode("utf-8", errors="replace").splitlines():
        if line.startswith("\x00"):
            date = dt.datetime.fromisoformat(line[1:].strip()).astimezone(JST).date()
        elif line.startswith(":") and "\t" in line and date:
            fields, path = line.split("\t", 1)
            old, new = fields.split()[2:4]
            if path.startswith(prefix) and path.endswith(".md"):
                entries.append((date, path[len(prefix):], old, new))
    head = {}
    for line in tree.decode("utf-8", errors="replace").splitlines():
        meta, _, path = line.partition("\t")
        if path.startswith(prefix) and path.endswith(".md"):
            head[path[len(prefix):]] = meta.split()[2]
    zero = "0" * 40
    shas = {sha for _, _, old, new in entries for sha in (old, new) if sha != zero} | set(head.values())
    contents = _blobs(project, shas)
    fingerprints = {sha: source_hash(data.decode("utf-8", errors="replace"), counted_front_matter)
                    for sha, data in contents.items()}
    history = History(available=True)
    for date, page, old, new in entries:  # newest first: the first change seen is the last one made
        before, after = fingerprints.get(old), fingerprints.get(new)
        if before == after:  # whitespace-only or uncounted front-matter edit
            continue
        if new == zero:
            history.removed.setdefault(page, date)
        else:
            history.changed.setdefault(page, date)
            history.versions.setdefault(page, {}).setdefault(after, date)
    history.committed_hash = {page: fingerprints[sha] for page, sha in head.items() if sha in fingerprints}
    return history


# --- status -------------------------------------------------------------------------------------

@dataclass
class PageStatus:
    page: str  # path below docs/<language>/, e.g. plan/index.md
    language: str  # the translation's language
    status: str  # current | stale | missing | orphaned
    required: bool  # listed in data/site-map.yml
    source_file: str  # docs/ja/plan/index.md
    translation_file: str  # docs/en/plan/index.md
    source_changed: dt.date | None = None  # when the source last changed (or was deleted)
    uncommitted: bool = False  # the source has changes not yet committed to git
    recorded_hash: str | None = None
    current_hash: str | None = None
    reviewed_version: dt.date | None = None  # date of the source version the translation matches
    served_as: str = "translation"  # translation | fallback | omitted | source-only
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page, "language": self.language, "status": self.status, "required": self.required,
            "source_file": self.source_file, "translation_file": self.translation_file,
            "source_changed": self.source_changed.isoformat() if self.source_changed else None,
            "uncommitted": self.uncommitted, "recorded_hash": self.recorded_hash,
            "current_hash": self.current_hash,
            "reviewed_version": self.reviewed_version.isoformat() if self.reviewed_version else None,
            "served_as": self.served_as,
            "problems": [_problem_dict(p) for p in self.problems],
        }


def _problem_dict(p: Problem) -> dict[str, Any]:
    return {"rule": p.rule, "severity": p.severity, "file": p.file, "line": p.line, "message": p.message,
            "fix": p.fix}


@dataclass
class Report:
    source_language: str
    policy: Policy
    pages: list[PageStatus]
    git: bool  # dates come from git history (False: from file times)
    single_language: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for page in self.pages for p in page.problems]

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def page(self, language: str, page: str) -> PageStatus | None:
        for status in self.pages:
            if status.language == language and status.page == page:
                return status
        return None

    def fallbacks(self, language: str) -> list[str]:
        return [s.page for s in self.pages if s.language == language and s.served_as == "fallback"]

    def summary(self) -> dict[str, int]:
        counts = {state: 0 for state in STATES}
        for status in self.pages:
            counts[status.status] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {"source_language": self.source_language, "policy": self.policy.as_dict(),
                "dates_from": "git" if self.git else "file times", "summary": self.summary(),
                "single_language": self.single_language,
                "pages": [s.as_dict() for s in self.pages],
                "problems": [_problem_dict(p) for p in self.problems]}


def _pages(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")} if folder.is_dir() else set()


def _mtime_date(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, JST).date()


def build_report(docs: Path, source: str, targets: Iterable[str], policy: Policy | None = None,
                 required: set[str] | None = None, terms: list | None = None,
                 history: History | None = None) -> Report:
    """The status of every page in every target language; docs is the folder holding docs/<code>/."""
    policy = policy or load_policy()
    required = required_pages() if required is None else required
    if terms is None:
        from scripts import glossary

        terms = glossary.load_glossary()
    source_dir = docs / source
    keys = policy.counted_front_matter
    if history is None:
        project = docs.parent
        history = git_history(project, os.path.relpath(source_dir, project).replace(os.sep, "/"), keys)
    source_pages = _pages(source_dir)
    source_text = {page: _read(source_dir / page) for page in source_pages}
    current = {page: source_hash(text, keys) for page, text in source_text.items()}
    # When each source last changed: the last meaningful commit, or now if it has uncommitted edits.
    changed, uncommitted = {}, set()
    for page in source_pages:
        if history.available and history.committed_hash.get(page) == current[page]:
            changed[page] = history.changed.get(page)
        else:
            changed[page] = _mtime_date(source_dir / page)
            if history.available:
                uncommitted.add(page)
    pages, single = [], []
    kept = _KeptTerminology(terms, docs.parent)
    for target in targets:
        target_dir = docs / target
        target_pages = _pages(target_dir)
        for page in sorted(source_pages | target_pages):
            if policy.is_single_language(page):
                if (page in source_pages) != (page in target_pages):
                    single.append(f"{(source if page in source_pages else target)}/{page}")
                    continue
            status = PageStatus(page=page, language=target, status="current", required=page in required,
                                source_file=relative(source_dir / page), translation_file=relative(target_dir / page))
            if page not in source_pages:
                _orphaned(status, history, policy)
            elif page not in target_pages:
                _missing(status, changed[page], page in uncommitted, current[page], policy)
            else:
                text = _read(target_dir / page)
                _compare(status, changed[page], page in uncommitted, current[page], recorded_hash(text),
                         history.versions.get(page, {}), policy)
                if current[page] == status.recorded_hash and page in uncommitted:
                    status.reviewed_version = changed[page]
                _terminology(status, source, source_text[page], text, terms, policy, kept)
            pages.append(status)
    return Report(source, policy, pages, history.available, sorted(single))


def _add(status: PageStatus, rule: str, setting: str, message: str, fix: str, line: int | None = None) -> None:
    if setting in SEVERITY:
        status.problems.append(Problem(rule, SEVERITY[setting], status.translation_file, message, fix, line))


def _orphaned(status: PageStatus, history: History, policy: Policy) -> None:
    status.status = "orphaned"
    status.served_as = "translation"
    status.source_changed = history.removed.get(status.page)
    when = f" (deleted on {status.source_changed.isoformat()})" if status.source_changed else ""
    _add(status, "orphaned-translation", policy.rule("orphaned", status.language),
         f"もとの日本語のページ {status.source_file} がもうありません。 / "
         f"Its Japanese source {status.source_file} no longer exists{when}.",
         f"ページを消したなら {status.translation_file} も消し、移したなら翻訳も同じ場所に移してください。 / "
         f"If the page was removed, delete {status.translation_file} too; if it moved, move the translation "
         f"to the same new path; or restore {status.source_file}.")


def _missing(status: PageStatus, changed: dt.date | None, uncommitted: bool, current: str, policy: Policy) -> None:
    status.status = "missing"
    status.source_changed, status.uncommitted, status.current_hash = changed, uncommitted, current
    served = policy.missing_pages_for(status.language)
    status.served_as = served if served == "fallback" else "omitted"
    shown = ("until then the translated site shows the Japanese page, with a notice"
             if status.served_as == "fallback" else "until then the page is left out of the translated site")
    if status.required:
        _add(status, "missing-translation", policy.rule("missing_required", status.language),
             f"{status.source_file} の翻訳がありません。このページはどの言語にも必要です（data/site-map.yml）。 / "
             f"{status.source_file} has no translation, and data/site-map.yml requires this page in every language.",
             f"{status.source_file} を {status.translation_file} にコピーして訳してください。 / "
             f"Copy {status.source_file} to {status.translation_file}, translate it, then run "
             f"`python -m scripts translations mark-reviewed {status.translation_file}`.")
    else:
        _add(status, "missing-translation", policy.rule("missing_optional", status.language),
             f"{status.source_file} の翻訳はまだありません。 / {status.source_file} has no translation yet; {shown}.",
             f"{status.source_file} を {status.translation_file} にコピーして訳してください。 / "
             f"Copy {status.source_file} to {status.translation_file}, translate it, then run "
             f"`python -m scripts translations mark-reviewed {status.translation_file}`.")


def _compare(status: PageStatus, changed: dt.date | None, uncommitted: bool, current: str, recorded: str | None,
             versions: dict[str, dt.date], policy: Policy) -> None:
    status.source_changed, status.uncommitted = changed, uncommitted
    status.current_hash, status.recorded_hash = current, recorded
    status.reviewed_version = versions.get(recorded) if recorded else None
    if recorded == current:
        return
    status.status = "stale"
    review = f"`python -m scripts translations mark-reviewed {status.translation_file}`"
    if recorded is None:
        message = ("日本語のページと合っているか、まだだれも確かめていません。 / It records no translation.source_hash, "
                   "so nobody has confirmed it matches the Japanese page.")
        fix = f"{status.source_file} とくらべてから {review} を実行してください。 / Check it against {status.source_file}, then run {review}."
    else:
        when = f"on {changed.isoformat()}" if changed else "since"
        checked = f" (it was checked against the version of {status.reviewed_version.isoformat()})" \
            if status.reviewed_version else ""
        message = (f"翻訳を確かめたあとで、もとのページ {status.source_file} が変わりました。 / "
                   f"{status.source_file} changed {when}, after this translation was last checked{checked}.")
        fix = (f"変わったところを git log -p {status.source_file} で見て、翻訳を合わせてください。 / "
               f"See what changed with `git log -p {status.source_file}`, update this page to match, "
               f"then run {review}.")
    _add(status, "stale-translation", policy.rule("stale", status.language), message, fix)


# --- terminology --------------------------------------------------------------------------------

PROSE_DROP = [
    re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M),  # fenced code blocks
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\[\[[^\]]*\]\]"),  # [[fact:ID]], [[chart:ID]], [[glossary]]
    re.compile(r"\]\([^)]*\)"),  # link and image targets (the link text stays)
    re.compile(r"^\s*\[[^\]]+\]:.*$", re.M),  # reference definitions
    re.compile(r"\{[:#.][^}]*\}|\{\s*[#.][^}]*\}"),  # attribute lists
    re.compile(r"<[^>]+>"),  # HTML tags
]


def prose(text: str, keys: Iterable[str] = ("title", "description")) -> str:
    """What readers read: title, description and body, without code, link targets, tags and comments."""
    meta, _, body = split_front_matter(text)
    body = COMMENT.sub(" ", body)
    for pattern in PROSE_DROP:
        body = pattern.sub(" ", body)
    parts = [str((meta or {}).get(k) or "") for k in keys]
    return WHITESPACE.sub(" ", "\n".join(parts + [body]))


def _word_pattern(word: str, english: bool) -> str:
    """One glossary word as a regex: spaces optional (Japanese) or flexible (English), ASCII edges whole."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+" if english else r"\s+", word.strip()) if p]
    body = (r"[\s-]+" if english else r"\s*").join(parts)
    if english and re.search(r"[a-z]y$", word, re.I):
        body = body[:-1] + "(?:y|ies)"
    elif english and re.search(r"[A-Za-z]$", word):
        body += "(?:s|es)?"
    if re.match(r"[A-Za-z0-9]", word):
        body = r"(?<![A-Za-z0-9-])" + body
    if re.search(r"[A-Za-z0-9]$", word):
        body += r"(?![A-Za-z0-9-])"
    return body


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


_matchers: dict[tuple[int, str], tuple[list, tuple]] = {}


def _source_words(terms: list, source: str) -> tuple[dict, tuple[str, ...], bool]:
    """Every glossary word of the source language, longest first; made once per
    glossary list (glossary.load_glossary keeps one per file version)."""
    hit = _matchers.get((id(terms), source))
    if hit is None or hit[0] is not terms:
        by_word = {}
        for term in terms:
            for word in term.words(source):
                by_word.setdefault(word.casefold(), term)
        words = tuple(sorted(by_word, key=len, reverse=True))  # longest first: インフラメンテナンス before インフラ
        english_source = not re.search(r"[^\x00-\u024f]", "".join(words))
        hit = _matchers[(id(terms), source)] = (terms, (by_word, words, english_source))
    return hit[1]


@functools.lru_cache(maxsize=1024)
def _words_pattern(words: tuple[str, ...], english: bool) -> re.Pattern:
    return _compiled("|".join(f"({_word_pattern(w, english)})" for w in words))


def terminology_problems(source_text: str, translation_text: str, terms: list, source: str,
                         target: str) -> list[tuple[Any, str]]:
    """(term, source word) for each glossary term the source uses whose translation is never used."""
    if not terms:
        return []
    by_word, words, english_source = _source_words(terms, source)
    text = prose(source_text)
    if not english_source:  # only the words that occur at all go into the pattern (same matches, far faster)
        compact = WHITESPACE.sub("", text).casefold()
        words = tuple(w for w in words if WHITESPACE.sub("", w) in compact)
    found: dict[str, tuple[Any, str]] = {}
    if words:
        for match in _words_pattern(words, english_source).finditer(text):
            term = by_word[words[match.lastindex - 1]]
            found.setdefault(term.id, (term, match.group(0)))
    text = prose(translation_text)
    missing = []
    for term, word in found.values():
        if target not in term.entries:  # the glossary has no wording in this language yet
            continue
        english = _compiled("|".join(_word_pattern(w, True) for w in term.words(target)))
        if not english.search(text):
            missing.append((term, word))
    return missing


class _KeptTerminology:
    """terminology_problems' results kept between builds (scripts/memo.py), by both pages' texts,
    the glossary's terms and the code: the glossary's patterns are then never compiled in a
    build whose pages did not change (a quarter of a second)."""

    def __init__(self, terms: list, project: Path):
        from scripts import memo

        self.memo, self.store, self.terms = memo, memo.Store("terminology"), terms
        self.by_id = {term.id: term for term in terms}
        self.base = memo.digest(memo.inputs_version(project), repr([(t.id, t.entries) for t in terms]))

    def problems(self, source_text: str, text: str, source: str, target: str) -> list[tuple[Any, str]]:
        key = self.memo.digest(self.base, source, target, source_text, text)
        kept = self.store.get(key)
        try:
            return [(self.by_id[term_id], word) for term_id, word in kept]
        except (KeyError, TypeError, ValueError):  # never stored, or not an entry of ours
            found = terminology_problems(source_text, text, self.terms, source, target)
            self.store.put(key, [[term.id, word] for term, word in found])
            return found


def _terminology(status: PageStatus, source: str, source_text: str, text: str, terms: list, policy: Policy,
                 kept: _KeptTerminology | None = None) -> None:
    setting = policy.rule("terminology", status.language)
    if setting not in SEVERITY:
        return
    found = (kept.problems(source_text, text, source, status.language) if kept is not None
             else terminology_problems(source_text, text, terms, source, status.language))
    for term, word in found:
        entry = term.entries[status.language]
        others = f" (or {', '.join(entry.aliases)})" if entry.aliases else ""
        _add(status, "terminology", setting,
             f"もとのページは用語集の「{word}」を使っていますが、このページには '{entry.term}' がありません。 / "
             f"{status.source_file} uses the glossary term 「{word}」, but this page never says "
             f"'{entry.term}'{others}.",
             f"「{word}」の訳には '{entry.term}' を使うか、別の言い方も正しければ data/glossary.yml の aliases に"
             f"加えてください。 / Use '{entry.term}' where the Japanese says 「{word}」, or, if your wording is also right, add it to "
             f"the aliases of '{term.id}' in data/glossary.yml.")


# --- marking a translation reviewed -------------------------------------------------------------

def set_source_hash(raw: bytes, new_hash: str) -> bytes:
    """The file with translation.source_hash set; every other byte is kept as it was."""
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    lines = re.findall(r"[^\n]*\n|[^\n]+\Z", text)
    eol = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    entry = f"  source_hash: {new_hash}{eol}"
    if not lines or lines[0].rstrip("\r\n").rstrip(" \t") != "---":
        new = f"---{eol}translation:{eol}{entry}---{eol}" + text
        return (bom + new).encode("utf-8")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip(" \t") in ("---", "...")), None)
    if end is None:
        raise ValueError("the front matter starts with --- but never ends")
    key = next((i for i in range(1, end) if re.match(r"translation[ \t]*:", lines[i])), None)
    if key is None:
        lines[end:end] = [f"translation:{eol}", entry]
    else:
        rest = lines[key].split(":", 1)[1].strip()
        if rest and not rest.startswith("#"):  # inline value such as {source_hash: ...}
            value = datafiles.load(rest)
            value = dict(value) if isinstance(value, dict) else {}
            value["source_hash"] = new_hash
            dumped = yaml.safe_dump({"translation": value}, sort_keys=False, allow_unicode=True, width=4096)
            lines[key:key + 1] = [line + eol for line in dumped.splitlines()]
        else:
            children = key + 1
            while children < end and (not lines[children].strip() or lines[children][0] in " \t"):
                children += 1
            for i in range(key + 1, children):
                match = re.match(r"([ \t]+)source_hash[ \t]*:", lines[i])
                if match:
                    ending = "\r\n" if lines[i].endswith("\r\n") else ("\n" if lines[i].endswith("\n") else "")
                    lines[i] = f"{match.group(1)}source_hash: {new_hash}{ending}"
                    break
            else:
                indent = next((re.match(r"[ \t]+", lines[i]).group(0) for i in range(key + 1, children)
                               if lines[i].strip()), "  ")
                lines.insert(key + 1, f"{indent}source_hash: {new_hash}{eol}")
    return (bom + "".join(lines)).encode("utf-8")


def mark_reviewed(path: Path, docs: Path, source: str, policy: Policy) -> tuple[str, str]:
    """Record the source's current fingerprint in one translated page: (file, 'marked'|'already current')."""
    path = path.resolve()
    try:
        rel = path.relative_to(docs.resolve())
    except ValueError:
        raise ContentError([Problem("mark-reviewed", "error", relative(path), "this file is not under docs/.",
                                    "name a translated page, e.g. docs/en/plan/index.md.")]) from None
    language, page = rel.parts[0], "/".join(rel.parts[1:])
    if language == source:
        raise ContentError([Problem("mark-reviewed", "error", relative(path),
                                    "this is a Japanese source page; only translations are marked reviewed.",
                                    f"name the translation instead, e.g. docs/en/{page}.")])
    if not path.is_file():
        raise ContentError([Problem("mark-reviewed", "error", relative(path), "this file does not exist.",
                                    "check the path; `python -m scripts translations status` lists every page.")])
    source_path = docs / source / page
    if not source_path.is_file():
        raise ContentError([Problem("mark-reviewed", "error", relative(path),
                                    f"its Japanese source {relative(source_path)} does not exist (orphaned).",
                                    "delete this page, or move it to where its Japanese page now is.")])
    new_hash = source_hash(_read(source_path), policy.counted_front_matter)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem("mark-reviewed", "error", relative(path), "the file is not saved as UTF-8.",
                                    "open it in your editor and save it again with the encoding 'UTF-8'.")]) from None
    before, _, body_before = split_front_matter(text)
    if before is None:
        raise ContentError([Problem("mark-reviewed", "error", relative(path), "its front matter is not valid YAML.",
                                    "fix the front matter first (the build names the line), then run this again.")])
    if recorded_hash(text) == new_hash:
        return relative(path), "already current"
    try:
        new = set_source_hash(raw, new_hash)
    except ValueError as e:
        raise ContentError([Problem("mark-reviewed", "error", relative(path), f"{e}.",
                                    "add a line with only --- after the last front-matter line.", 1)]) from None
    # Safety net: only translation.source_hash may differ, or nothing is written.
    after, _, body_after = split_front_matter(new.decode("utf-8"))
    expected = dict(before)
    translation = expected.get("translation")
    expected["translation"] = {**(translation if isinstance(translation, dict) else {}), "source_hash": new_hash}
    if after != expected or body_after != body_before:
        raise ContentError([Problem("mark-reviewed", "error", relative(path),
                                    "the translation: entry in the front matter has a shape this tool cannot edit safely.",
                                    f"write it as two lines, `translation:` and `  source_hash: {new_hash}`.")])
    tmp = path.with_name(f".{path.name}.reviewing")
    tmp.write_bytes(new)
    os.replace(tmp, path)
    return relative(path), "marked"


# --- build helpers (called from scripts/hooks.py) -----------------------------------------------

def is_fallback(file, source_docs_dir: str | Path, docs_dir: str | Path) -> bool:
    """A page of the source language built into another language's site (missing_pages: fallback)."""
    source = Path(source_docs_dir).resolve()
    return (bool(getattr(file, "src_dir", None)) and Path(file.src_dir).resolve() == source
            and Path(docs_dir).resolve() != source)


@dataclass(frozen=True)
class Notice:
    kind: str  # "stale": the source changed after the translation was checked; "fallback": not translated
    changed: dt.date | None  # when the source last changed


def notice(report: Report | None, language: str, page: str, fallback: bool) -> Notice | None:
    if report is None or language == report.source_language:
        return None
    status = report.page(language, page)
    if fallback:
        return Notice("fallback", status.source_changed if status else None)
    if status and status.status == "stale":
        return Notice("stale", status.source_changed)
    return None


def check_build(docs: Path, source: str, targets: list[str]) -> Report:
    """The report for a build; stops it (ContentError) on every problem the policy says must fail."""
    report = build_report(docs, source, targets)
    errors = report.errors()
    if errors:
        raise ContentError(errors)
    return report


def add_fallbacks(files, config, report: Report, language: str, source_dir: Path) -> list[str]:
    """Serve each untranslated page as the source page in this language's build."""
    from mkdocs.structure.files import File

    added = []
    for page in report.fallbacks(language):
        if files.get_file_from_path(page) is None:
            files.append(File(page, str(source_dir), config.site_dir, config.use_directory_urls))
            added.append(page)
    return added


def build_summary(report: Report, language: str) -> str:
    """One line for the build log: what needs a translator, and where to see the list."""
    pages = [s for s in report.pages if s.language == language]
    counts = {state: sum(1 for s in pages if s.status == state) for state in STATES}
    terms = sum(1 for s in pages for p in s.problems if p.rule == "terminology")
    fallback = sum(1 for s in pages if s.served_as == "fallback")
    return (f"Translations ({language}): {counts['current']} current, {counts['stale']} stale, "
            f"{counts['missing']} missing ({fallback} shown in the original), {counts['orphaned']} orphaned; "
            f"{terms} terminology warnings. Details: make translations")


H1_END = re.compile(r"</h1\s*>", re.I)


def insert_notice(page_html: str, notice_html: str) -> str:
    """Put the notice right after the page's heading (or first, if it has none)."""
    match = H1_END.search(page_html)
    if not match:
        return notice_html + page_html
    return page_html[:match.end()] + notice_html + page_html[match.end():]


# --- command line -------------------------------------------------------------------------------

def _languages(root: Path) -> tuple[str, list[str]]:
    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        extra = yaml.load(f, Loader=yaml.BaseLoader).get("extra", {})
    from scripts.languages import load_languages

    langs = load_languages(extra)
    return langs[0].code, [lang.code for lang in langs[1:]]


def table(report: Report) -> str:
    header = ("Page", "Status", "Japanese changed", "Checked against", "Notes")
    rows = []
    for s in report.pages:
        notes = []
        if s.status == "missing":
            notes.append("required" if s.required else f"optional: {s.served_as}")
        if s.status == "stale" and not s.recorded_hash:
            notes.append("never marked reviewed")
        if s.status == "orphaned":
            notes.append("Japanese page deleted")
        terms = sum(1 for p in s.problems if p.rule == "terminology")
        if terms:
            notes.append(f"{terms} term{'s' if terms > 1 else ''} to check")
        changed = (s.source_changed.isoformat() if s.source_changed else "-") + (" *" if s.uncommitted else "")
        checked = s.reviewed_version.isoformat() if s.reviewed_version else "-"
        rows.append((s.translation_file, s.status, changed, checked, "; ".join(notes)))
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    counts = report.summary()
    lines.append("")
    lines.append(f"{len(report.pages)} pages: " + ", ".join(f"{counts[s]} {s}" for s in STATES) + ".")
    if any(s.uncommitted for s in report.pages):
        lines.append("* = the Japanese page has changes not yet committed (date of the file).")
    if not report.git:
        lines.append("Dates are file times: no git history was found.")
    if report.single_language:
        lines.append(f"Single-language pages (data/translation-policy.yml): {', '.join(report.single_language)}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="translations_command", required=True)
    status = sub.add_parser("status", help="every translated page: current, stale, missing or orphaned")
    status.add_argument("--json", action="store_true", help="print JSON instead of a table")
    mark = sub.add_parser("mark-reviewed", help="record that a translation matches its Japanese page now")
    mark.add_argument("files", nargs="*", help="translated pages, e.g. docs/en/plan/index.md")
    mark.add_argument("--all", action="store_true",
                      help="mark every translated page (first adoption only: it does not check anything)")


def cli(args: argparse.Namespace, root: Path = ROOT) -> int:
    docs = root / "docs"
    try:
        source, targets = _languages(root)
        policy = load_policy(root / "data" / "translation-policy.yml")
        if args.translations_command == "status":
            from scripts import glossary

            report = build_report(docs, source, targets, policy, required_pages(root / "data" / "site-map.yml"),
                                  glossary.load_glossary(root / "data" / "glossary.yml"))
            if args.json:
                print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            else:
                print(table(report))
                for problem in report.problems:
                    print(problem, file=sys.stderr)
            return 1 if report.errors() else 0
        if args.all == bool(args.files):
            print("Name the translated pages to mark, or use --all (for the first adoption).", file=sys.stderr)
            return 2
        files = [Path(f) for f in args.files] or sorted(
            docs / target / page for target in targets for page in _pages(docs / target)
            if (docs / source / page).is_file())
        status = 0
        for path in files:
            path = path if path.is_absolute() else Path.cwd() / path
            try:
                name, outcome = mark_reviewed(path, docs, source, policy)
            except ContentError as e:
                print(e, file=sys.stderr)
                status = 1
                continue
            print(f"{name}: {outcome}")
        return status
    except ContentError as e:
        print(e, file=sys.stderr)
        return 1
