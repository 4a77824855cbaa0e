"""用字用語: the site's preferred spellings (data/wording.yml), checked on every page.

    from scripts import wording
    wording.check(text, "docs/ja/plan/index.md", lang)   # -> [Problem(rule="wording", ...)]

The word list says which form to write (暮らし, not くらし) and where a variant is fine
(text for children: kids' boxes and pages whose front matter marks them for pupils).
Each problem names the file, the line, the preferred form and the entry's id. Severity is
`warning`: staff are told, the build is not stopped. Code, link addresses, [[fact:…]]
markers and HTML attributes are masked first, so ids and URLs are never reported.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts import ROOT, datafiles
from scripts.lint.document import mask_code
from scripts.problems import ContentError, Problem, relative

WORDING_FILE = ROOT / "data" / "wording.yml"

FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.S)
FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
CHECKED_KEYS = {"title", "description"}  # front matter readers see
# Masked before matching, keeping columns and line numbers: inline code, HTML comments, tags
# (attributes), link addresses, bare URLs, {: attribute lists }, [[fact:…]] markers.
MASKS = [re.compile(p, re.S) for p in (
    r"(`+)(?:(?!\1).)+?\1",
    r"<!--.*?-->",
    r"<[^>\n]*>",
    r"\]\([^)\n]*\)",
    r"^\s{0,3}\[[^\]\n]+\]:\s*\S+",
    r"\b(?:https?|mailto|ftp):[^\s)>\]]+",
    r"\{[:#.][^}\n]*\}",
    r"\[\[[^\]\n]*\]\]",
)]
CHILDREN_FIX = (" 子ども向けの囲み（class=\"kids\"）の中では、今の書き方のままでかまいません。"
                " / Inside a kids' box (class=\"kids\") the current form is fine.")
DIV_OPEN = re.compile(r"<div\b([^>]*)>", re.I)
DIV_CLOSE = re.compile(r"</div\s*>", re.I)
CLASS_ATTR = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""", re.I)


@dataclass(frozen=True)
class Entry:
    id: str
    lang: str
    preferred: str
    regex: re.Pattern
    children_allowed: bool
    note: str = ""
    suggest: tuple[str, str] | None = None  # (from, to) applied once to a match: neighbor -> neighbour

    def preferred_for(self, found: str) -> str:
        return found.replace(*self.suggest, 1) if self.suggest else self.preferred


@dataclass(frozen=True)
class WordList:
    entries: tuple[Entry, ...]
    child_classes: frozenset[str]
    child_keys: frozenset[str]


def _error(path: Path, line: int | None, message: str, fix: str) -> ContentError:
    return ContentError([Problem("wording-list", "error", relative(path), message, fix, line)])


def load(path: Path = WORDING_FILE) -> WordList:
    """The word list; a malformed entry stops with an error naming its line."""
    return _load(Path(path), Path(path).stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load(path: Path, _mtime: int) -> WordList:
    data, root = datafiles.parse(path.read_text(encoding="utf-8"), path, "wording-list")
    lines = {}
    for key, value in getattr(root, "value", []) or []:
        if key.value == "words" and isinstance(value, yaml.SequenceNode):
            lines = {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    children = data.get("children") or {}
    entries, seen = [], set()
    for i, item in enumerate(data.get("words") or []):
        line = lines.get(i)
        if not isinstance(item, dict) or not all(item.get(k) for k in ("id", "lang", "preferred")):
            raise _error(path, line, "用字用語の項目に id・lang・preferred のどれかがありません。 / "
                         "A word-list entry lacks id, lang or preferred.",
                         "id・lang・preferred を書いてください（ファイルの先頭の説明を参照）。 / "
                         "Add them (see the comment at the top of the file).")
        if item["id"] in seen:
            raise _error(path, line, f"id「{item['id']}」が2回あります。 / The id {item['id']!r} is used twice.",
                         "ほかの id にしてください。 / Give it another id.")
        seen.add(item["id"])
        variants, pattern = item.get("variants"), item.get("pattern")
        if bool(variants) == bool(pattern):
            raise _error(path, line, f"「{item['id']}」には variants か pattern のどちらか一つを書きます。 / "
                         f"Entry {item['id']!r} needs exactly one of variants or pattern.",
                         "置きかえる書き方を variants に並べるか、pattern に正規表現を書いてください。 / "
                         "List the forms to replace under variants, or write a regular expression under pattern.")
        try:
            regex = re.compile(pattern) if pattern else re.compile("|".join(map(re.escape, map(str, variants))))
        except re.error as e:
            raise _error(path, line, f"「{item['id']}」の pattern が正規表現として読めません（{e}）。 / "
                         f"The pattern of {item['id']!r} is not a valid regular expression ({e}).",
                         "かっこや \\b の書き方を確かめてください。 / Check the brackets and escapes.") from None
        suggest = item.get("suggest")
        if suggest is not None and not (isinstance(suggest, list) and len(suggest) == 2):
            raise _error(path, line, f"「{item['id']}」の suggest は [置きかえる文字, 新しい文字] の2つです。 / "
                         f"The suggest of {item['id']!r} must be a pair [from, to].",
                         "例：suggest: [iz, is] / For example: suggest: [iz, is]")
        entries.append(Entry(str(item["id"]), str(item["lang"]), str(item["preferred"]), regex,
                             item.get("children") == "allowed", str(item.get("note") or ""),
                             tuple(map(str, suggest)) if suggest else None))
    return WordList(tuple(entries), frozenset(children.get("classes") or ()),
                    frozenset(children.get("front_matter") or ()))


def _mask(line: str) -> str:
    for regex in MASKS:
        line = regex.sub(lambda m: " " * len(m.group(0)), line)
    return line


def _lines(text: str, words: WordList) -> list[tuple[int, str, bool]]:
    """(line number, text to check, for children?) for the lines readers see."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    out: list[tuple[int, str, bool]] = []
    front = FRONT.match(text)
    page_for_children, offset = False, 0
    if front:
        try:
            meta = datafiles.load(front.group(1))
        except yaml.YAMLError:  # the front-matter rules report it; check the lines as they are
            meta = None
        page_for_children = isinstance(meta, dict) and any(k in meta for k in words.child_keys)
        for n, line in enumerate(front.group(1).splitlines(), start=2):
            key = FRONT_KEY.match(line)
            if key and key.group(1) in CHECKED_KEYS:
                out.append((n, " " * key.end() + _mask(line[key.end():]), page_for_children))
        offset = front.group(0).count("\n")
    stack = []  # one bool per open <div>: is it a block for children?
    # Code blocks, inline code and comments blanked as the lint does (line numbers kept).
    for n, line in enumerate(mask_code(text[front.end() if front else 0:].split("\n")), start=offset + 1):
        for tag in re.finditer(rf"{DIV_OPEN.pattern}|{DIV_CLOSE.pattern}", line, re.I):
            if tag.group(0).startswith("</"):
                if stack:
                    stack.pop()
            else:
                classes = set((CLASS_ATTR.search(tag.group(1) or "") or [None, ""])[1].split())
                stack.append(bool(classes & words.child_classes))
        out.append((n, _mask(line), page_for_children or any(stack)))
    return out


def check(text: str, file: str, lang: str, words: WordList | None = None) -> list[Problem]:
    """Every variant on the page's lines that readers see, with the preferred form."""
    words = words or load()
    entries = [e for e in words.entries if e.lang == lang]
    problems: list[Problem] = []
    if not entries:
        return problems
    for n, line, for_children in _lines(text, words):
        for entry in entries:
            if for_children and entry.children_allowed:
                continue
            for m in entry.regex.finditer(line):
                note = f" {entry.note}" if entry.note else ""
                preferred = entry.preferred_for(m.group(0))
                problems.append(Problem(
                    rule="wording", severity="warning", file=file, line=n,
                    message=f"「{m.group(0)}」は、このサイトでは「{preferred}」と書きます"
                            f"（用字用語 {entry.id}）。 / Write “{preferred}” instead of “{m.group(0)}” "
                            f"(word list entry {entry.id}).{note}",
                    fix=f"「{preferred}」に直してください。 / Change it to “{preferred}”."
                        + (CHILDREN_FIX if entry.children_allowed else "")))
    return problems
