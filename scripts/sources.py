"""Checks on the source files themselves, before anything reads them.

Staff edit in many tools: a file saved as Shift_JIS, front matter with a
stray bracket, or an image called 写真 1.JPG must stop the build with a
message that says which file and what to do, never a Python traceback.
UTF-8 with a BOM and Windows line endings (CRLF) are fine.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from scripts import datafiles
from scripts.problems import Problem, relative

PAGE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
FOLDER_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ASSET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
TEXT_FIELDS = ("title", "description")
FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*\r?\n", re.S)


def suggest_name(name: str) -> str:
    """写真 1.JPG -> photo-1.jpg is impossible to guess; give a safe ASCII shape instead."""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    ascii_stem = re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-") or "name-in-english"
    return ascii_stem + (dot + ext.lower() if dot else "")


def check_names(docs_dir: Path) -> list[Problem]:
    problems = []
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        name = path.name
        if path.is_dir():
            ok = FOLDER_NAME.match(name)
            kind = "folder"
        elif name.endswith(".md"):
            ok = PAGE_NAME.match(name)
            kind = "page"
        else:
            ok = ASSET_NAME.match(name)
            kind = "file"
        if not ok:
            problems.append(Problem(
                rule="file-name", severity="error", file=relative(path),
                message=f"the {kind} name '{name}' becomes part of a web address, so it must be plain ASCII "
                        "(no spaces, no Japanese characters" + (", lowercase letters, digits and hyphens)." if kind != "file" else ")."),
                fix=f"rename it, for example to '{suggest_name(name)}', and update the links to it.",
            ))
    return problems


def check_page(path: Path) -> list[Problem]:
    """Encoding and front-matter syntax of one Markdown page."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return [Problem(
            rule="not-utf8", severity="error", file=relative(path), line=line,
            message="the file is not saved as UTF-8 (perhaps Shift_JIS).",
            fix="open it in your editor and save it again with the encoding 'UTF-8'.",
        )]
    match = FRONT_MATTER.match(text)
    if not match:
        if text.lstrip("\ufeff").startswith("---"):
            return [Problem(
                rule="front-matter", severity="error", file=relative(path), line=1,
                message="the front matter starts with --- but never ends.",
                fix="add a line with only --- after the last front-matter line (title:, description:).",
            )]
        return []
    try:
        meta = datafiles.load(match.group(1) or "")
    except yaml.YAMLError as e:
        # Where an unclosed bracket or quote began is more useful than where YAML gave up.
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = (mark.line + 2) if mark else 1  # +1 for 1-based, +1 for the opening ---
        return [Problem(
            rule="front-matter", severity="error", file=relative(path), line=line,
            message=f"the front matter is not valid YAML: {getattr(e, 'problem', None) or e}.",
            fix="check that line: a value containing ':' '[' or '#' must be in quotes, e.g. title: \"A: B\".",
        )]
    if meta is not None and not isinstance(meta, dict):
        return [Problem(
            rule="front-matter", severity="error", file=relative(path), line=2,
            message="the front matter must be a list of 'key: value' lines.",
            fix="write each setting on its own line, e.g. title: ページの題名",
        )]
    problems = []
    lines = (match.group(1) or "").splitlines()
    for key in TEXT_FIELDS:
        value = (meta or {}).get(key)
        if value is not None and not isinstance(value, str):
            line = next((i + 2 for i, text in enumerate(lines) if text.startswith(f"{key}:")), 2)
            problems.append(Problem(
                rule="front-matter-type", severity="error", file=relative(path), line=line,
                message=f"'{key}' must be plain text, but it is a {type(value).__name__}.",
                fix=f"write it on one line after '{key}: ', in quotes if it starts with [ or {{ or contains ': '.",
            ))
    return problems


def page_url(rel: str) -> str:
    """plan/extra.md and plan/extra/index.md both become /plan/extra/."""
    stem = rel[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def check_duplicate_urls(docs_dir: Path) -> list[Problem]:
    seen: dict[str, Path] = {}
    problems = []
    for page in sorted(docs_dir.rglob("*.md")):
        url = page_url(page.relative_to(docs_dir).as_posix())
        if url in seen:
            problems.append(Problem(
                rule="duplicate-url", severity="error", file=relative(page),
                message=f"this page and {relative(seen[url])} would both be published at /{url}.",
                fix="rename or delete one of them.",
            ))
        else:
            seen[url] = page
    return problems


def check_sources(docs_dir: Path) -> list[Problem]:
    problems = check_names(docs_dir) + check_duplicate_urls(docs_dir)
    for page in sorted(docs_dir.rglob("*.md")):
        problems += check_page(page)
    return problems
