"""The glossary: plain definitions shared by every page and the glossary page.

`annotate()` takes a page's HTML and marks the first use of each term with a
small button that shows the definition on hover, keyboard focus or tap
(overrides/assets/javascripts/glossary.js adds Escape to close). It works
without JavaScript: the definition is in the HTML and shown by CSS.

Terms match whole words only. Latin words by their letters (AI is not inside
"chain"); Japanese words where the SudachiPy morphological analyser puts word
boundaries, so 川 is a word in 「川で遊ぶ」 but not inside 品川駅, 河川, 川崎市 or
天の川.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path


from scripts import datafiles
from scripts import ROOT
from scripts.problems import ContentError, Problem, relative

GLOSSARY_FILE = ROOT / "data" / "glossary.yml"
LANGS = ("ja", "en")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Text inside these elements is never annotated.
SKIP = {"a", "abbr", "button", "code", "pre", "kbd", "script", "style", "svg", "h1", "h2", "h3", "h4",
        "h5", "h6", "title", "textarea", "select", "option", "label", "dfn", "rt", "rp", "figcaption",
        "summary", "nav", "sup", "sub", "time"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>|<!--.*?-->", re.S)
VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base", "embed", "track"}


@dataclass(frozen=True)
class Entry:
    term: str
    definition: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    id: str
    entries: dict[str, Entry]
    source: str = ""
    line: int = 0

    def words(self, lang: str) -> tuple[str, ...]:
        entry = self.entries[lang]
        return (entry.term, *entry.aliases)


def load_glossary(path: Path = GLOSSARY_FILE) -> list[Term]:
    return _load_cached(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int) -> list[Term]:
    text = path.read_text(encoding="utf-8")
    data, root = datafiles.parse(text, path, "bad-glossary")
    items = data.get("terms") or []
    nodes = []
    for key, value in (root.value if root else []):
        if key.value == "terms":
            nodes = value.value
    problems, terms, seen = [], [], {}
    for i, item in enumerate(items):
        line = nodes[i].start_mark.line + 1 if i < len(nodes) else None

        def bad(message, fix):
            problems.append(Problem("bad-glossary", "error", relative(path), message, fix, line))

        term_id = str((item or {}).get("id", ""))
        if not ID_PATTERN.match(term_id):
            bad(f"term id '{term_id}' is not lowercase ASCII with hyphens.", "write an id like national-resilience.")
            continue
        if term_id in seen:
            bad(f"term id '{term_id}' is used twice (also on line {seen[term_id]}).", "give each term its own id.")
            continue
        seen[term_id] = line
        entries = {}
        for lang in LANGS:
            spec = item.get(lang) or {}
            if not spec.get("term") or not spec.get("definition"):
                bad(f"term '{term_id}' needs a {lang} term and definition.", f"add {lang}: {{term: …, definition: …}}.")
                break
            entries[lang] = Entry(str(spec["term"]), str(spec["definition"]).strip(),
                                  tuple(str(a) for a in spec.get("aliases") or ()))
        else:
            terms.append(Term(term_id, entries, str(item.get("source") or ""), line or 0))
    if problems:
        raise ContentError(problems)
    return terms


_words_by_list: dict[tuple[int, str], tuple[list[Term], tuple[dict[str, Term], tuple[str, ...]]]] = {}


def _words(terms: list[Term], lang: str) -> tuple[dict[str, Term], tuple[str, ...]]:
    """Each term's words as matched in HTML text (so "O&M" is "O&amp;M"), longest first;
    made once per list (load_glossary keeps one per file version)."""
    hit = _words_by_list.get((id(terms), lang))
    if hit is None or hit[0] is not terms:
        by_word = {}
        for term in terms:
            for word in term.words(lang):
                by_word.setdefault(html.escape(word, quote=False).casefold(), term)
        words = tuple(sorted(by_word, key=len, reverse=True))  # longest first: 事後保全 before 保全
        hit = _words_by_list[(id(terms), lang)] = (terms, (by_word, words))
    return hit[1]


@functools.lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern:
    alternatives = []
    for word in words:
        # Latin words match whole words only, in either language ("AI" not inside "chain").
        before = r"(?<![A-Za-z0-9-])" if word[:1].isascii() and word[:1].isalnum() else ""
        after = r"(?![A-Za-z0-9-])" if word[-1:].isascii() and word[-1:].isalnum() else ""
        alternatives.append(before + re.escape(word) + after)
    return re.compile("|".join(alternatives), re.I)


def _matcher(terms: list[Term], lang: str, page_html: str = "") -> tuple[re.Pattern | None, dict[str, Term]]:
    """One pattern for the terms whose words occur in the page (all of them without a page):
    a small pattern is much faster on long pages than one with every word."""
    by_word, words = _words(terms, lang)
    if page_html:
        text = page_html.casefold()
        words = tuple(w for w in words if w in text)
    return (_pattern(words) if words else None), by_word


def word_boundaries(text: str) -> set[int]:
    """Offsets in `text` where SudachiPy's short units (the finest) begin or end."""
    tokenizer = _boundary_tokenizer()
    found, offset = {0, len(text)}, 0
    while offset < len(text):
        chunk = text[offset:offset + 4000]  # SudachiPy refuses very long input
        if offset + len(chunk) < len(text):
            cut = max(chunk.rfind(mark) for mark in "。、 \n")
            chunk = chunk[:cut + 1] if cut > 0 else chunk
        for m in tokenizer.tokenize(chunk):
            found.add(offset + m.begin())
            found.add(offset + m.end())
        offset += len(chunk)
    return found


@functools.lru_cache(maxsize=1)
def _boundary_tokenizer():
    from sudachipy import SplitMode

    from scripts.furigana import sudachi_dictionary

    return sudachi_dictionary().tokenizer(mode=SplitMode.A)


def annotate(page_html: str, terms: list[Term], lang: str, glossary_url: str, exclude: set[str] = frozenset()) -> str:
    """Mark the first use of each term in body text with its definition."""
    if not terms:
        return page_html
    pattern, by_word = _matcher(terms, lang, page_html)
    if pattern is None:
        return page_html
    done: set[str] = set(exclude)
    out, stack, pos, count = [], [], 0, 0

    def mark(text: str) -> str:
        nonlocal count
        boundaries: set[int] | None = None

        def whole_word(match: re.Match) -> bool:
            nonlocal boundaries
            if match.group(0).isascii():
                return True  # the pattern's own letter boundaries
            if boundaries is None:
                boundaries = word_boundaries(text)
            return match.start() in boundaries and match.end() in boundaries

        def replace(match: re.Match) -> str:
            nonlocal count
            term = by_word[match.group(0).casefold()]
            if term.id in done:
                return match.group(0)
            done.add(term.id)
            count += 1
            tip = f"glossary-tip-{count}"
            entry = term.entries[lang]
            return (f'<span class="term"><button type="button" class="term__word" aria-describedby="{tip}" '
                    f'data-term="{term.id}">{match.group(0)}</button>'
                    f'<span class="term__tip" role="tooltip" id="{tip}" data-search-exclude>'
                    f'{html.escape(entry.definition)}</span></span>')

        out, pos, at = [], 0, 0
        while (match := pattern.search(text, at)) is not None:
            if by_word[match.group(0).casefold()].id in done:
                at = match.end()  # marked already: no need to know where its words are
            elif whole_word(match):
                out.append(text[pos:match.start()])
                out.append(replace(match))
                pos = at = match.end()
            else:  # part of a longer word: look again from the next character
                at = match.start() + 1
        out.append(text[pos:])
        return "".join(out)

    for tag in TAG.finditer(page_html):
        text = page_html[pos:tag.start()]
        out.append(mark(text) if text.strip() and not stack else text)
        out.append(tag.group(0))
        pos = tag.end()
        if tag.group(0).startswith("<!--"):
            continue
        closing, name, selfclosing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name in VOID or selfclosing:
            continue
        skip = name in SKIP or 'class="term' in tag.group(0) or "footnote" in tag.group(0)
        if closing:
            if stack and stack[-1] == name:
                stack.pop()
        elif skip or stack:
            stack.append(name)
    rest = page_html[pos:]
    out.append(mark(rest) if rest.strip() and not stack else rest)
    return "".join(out)


def glossary_markdown(terms: list[Term], lang: str) -> str:
    """The glossary page body: every term with its definition, sorted for the language."""
    if lang == "ja":
        ordered = sorted(terms, key=lambda t: t.entries["ja"].term)
    else:
        ordered = sorted(terms, key=lambda t: t.entries["en"].term.casefold())
    lines = []
    for term in ordered:
        entry = term.entries[lang]
        other = term.entries["en" if lang == "ja" else "ja"].term
        lines.append(f'<dt id="{term.id}">{html.escape(entry.term)} <span class="term-pair" lang="{"en" if lang == "ja" else "ja"}">'
                     f'{html.escape(other)}</span></dt>')
        lines.append(f"<dd>{html.escape(entry.definition)}</dd>")
    return '<dl class="glossary">\n' + "\n".join(lines) + "\n</dl>\n"
