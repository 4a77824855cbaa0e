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
import unicodedata
from dataclasses import dataclass
from pathlib import Path


from scripts import datafiles, languages
from scripts import ROOT
from scripts.problems import ContentError, Problem, relative

GLOSSARY_FILE = ROOT / "data" / "glossary.yml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Text inside these elements is never annotated.
SKIP = {"a", "abbr", "button", "code", "pre", "kbd", "script", "style", "svg", "h1", "h2", "h3", "h4",
        "h5", "h6", "title", "textarea", "select", "option", "label", "dfn", "rt", "rp", "figcaption",
        "summary", "nav", "sup", "sub", "time"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>|<!--.*?-->", re.S)
VOID = {"br", "hr", "img", "input", "link", "meta", "source", "wbr", "col", "area", "base", "embed", "track"}


HIRAGANA = re.compile(r"^[\u3041-\u3096\u30fc]+$")


@dataclass(frozen=True)
class Entry:
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    reading: str = ""  # in hiragana: the glossary page lists terms in 五十音順 by it


@dataclass(frozen=True)
class Term:
    id: str
    entries: dict[str, Entry]
    source: str = ""
    line: int = 0

    def words(self, lang: str) -> tuple[str, ...]:
        """The term and its aliases in one language; none where the glossary has no wording in it yet."""
        entry = self.entries.get(lang)
        return (entry.term, *entry.aliases) if entry else ()


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
    # Every term in the source language, and in each other language once any term has it.
    langs = languages.written_in({key for item in items if isinstance(item, dict) for key in item})
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
        for lang in langs:
            spec = item.get(lang) or {}
            if not spec.get("term") or not spec.get("definition"):
                bad(f"term '{term_id}' needs a {lang} term and definition.", f"add {lang}: {{term: …, definition: …}}.")
                break
            reading = str(spec.get("reading") or "")
            if reading and not HIRAGANA.match(reading):
                bad(f"用語「{term_id}」の{lang}の読み '{reading}' がひらがなではありません。 / "
                    f"the {lang} reading '{reading}' of term '{term_id}' is not hiragana.",
                    "読みはひらがなと長音符（ー）だけで書いてください（例: reading: こくどきょうじんか）。 / "
                    "Write the reading in hiragana and ー only, e.g. reading: こくどきょうじんか.")
            entries[lang] = Entry(str(spec["term"]), str(spec["definition"]).strip(),
                                  tuple(str(a) for a in spec.get("aliases") or ()), reading)
        else:
            terms.append(Term(term_id, entries, str(item.get("source") or ""), line or 0))
    # A language that lists its terms by reading needs a reading for every term.
    for lang in langs:
        if any(t.entries[lang].reading for t in terms):
            for t in terms:
                if not t.entries[lang].reading:
                    problems.append(Problem(
                        "bad-glossary", "error", relative(path),
                        f"用語「{t.id}」に{lang}の読み（reading）がありません。 / term '{t.id}' has no {lang} reading.",
                        f"{lang}: の下に reading: をひらがなで書いてください。ほかの用語は読みの順に並びます。 / "
                        f"Add reading: in hiragana under {lang}:; the other terms are listed in the order of "
                        "their readings.", t.line or None))
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


# The rows of the kana table (五十音): the glossary's index by first kana.
KANA_ROWS = (("あ", "a", "あいうえおぁぃぅぇぉゔ"), ("か", "ka", "かきくけこがぎぐげごゕゖ"), ("さ", "sa", "さしすせそざじずぜぞ"),
             ("た", "ta", "たちつてとだぢづでどっ"), ("な", "na", "なにぬねの"),
             ("は", "ha", "はひふへほばびぶべぼぱぴぷぺぽ"), ("ま", "ma", "まみむめも"), ("や", "ya", "やゆよゃゅょ"),
             ("ら", "ra", "らりるれろ"), ("わ", "wa", "わゐゑをんゎ"))
SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
VOWEL = {c: v for v, row in (("あ", "あかさたなはまやらわがざだばぱぁゃゎ"), ("い", "いきしちにひみりぎじぢびぴぃ"),
                              ("う", "うくすつぬふむゆるぐずづぶぷぅゅゔ"), ("え", "えけせてねへめれげぜでべぺぇ"),
                              ("お", "おこそとのほもよろごぞどぼぽぉょを")) for c in row}


def reading_key(reading: str) -> tuple[str, str]:
    """Dictionary (五十音) order: voiced and small kana sort with their plain
    kana, ー as the vowel before it; ties by the reading itself (か before が)."""
    plain = "".join(c for c in unicodedata.normalize("NFD", reading) if c not in "\u3099\u309a")
    plain = unicodedata.normalize("NFC", plain).translate(SMALL)
    out = []
    for c in plain:
        out.append(VOWEL.get(out[-1], c) if c == "ー" and out else c)
    return "".join(out), reading


def _row(reading: str) -> tuple[str, str]:
    first = reading_key(reading)[0][:1]
    return next(((label, slug) for label, slug, kana in KANA_ROWS if first in kana), KANA_ROWS[0][:2])


def _letter(term: str) -> tuple[str, str]:
    first = next((c for c in unicodedata.normalize("NFKD", term).casefold() if c.isalnum()), "#")
    if first.isdigit():
        return "0–9", "0-9"
    return (first.upper(), first) if "a" <= first <= "z" else ("#", "other")


@functools.lru_cache(maxsize=4)
def _index_labels(path: Path, _mtime: int) -> dict[str, str]:
    data, _ = datafiles.parse(path.read_text(encoding="utf-8"), path, "bad-glossary")
    return {str(k): str(v) for k, v in (data.get("index_label") or {}).items()}


def glossary_markdown(terms: list[Term], lang: str, path: Path = GLOSSARY_FILE) -> str:
    """The glossary page body: an index row, then every term with its definition,
    grouped by first kana (五十音順 by reading, when the language's terms have
    readings) or by first letter (A–Z)."""
    by_reading = bool(terms) and all(t.entries[lang].reading for t in terms)
    if by_reading:
        ordered = sorted(terms, key=lambda t: reading_key(t.entries[lang].reading))
        groups = [(label, slug) for label, slug, _ in KANA_ROWS]
        group_of = {t.id: _row(t.entries[lang].reading) for t in terms}
    else:
        ordered = sorted(terms, key=lambda t: t.entries[lang].term.casefold())
        groups = [("0–9", "0-9")] + [(c.upper(), c) for c in "abcdefghijklmnopqrstuvwxyz"] + [("#", "other")]
        group_of = {t.id: _letter(t.entries[lang].term) for t in terms}
    present = {group_of[t.id] for t in terms}
    label = _index_labels(path, path.stat().st_mtime_ns).get(lang, "") if path.exists() else ""
    links = " ".join(f'<a href="#index-{slug}">{html.escape(name)}</a>' if (name, slug) in present
                     else f'<span aria-hidden="true">{html.escape(name)}</span>'
                     for name, slug in groups if (name, slug) in present or name not in ("0–9", "#"))
    out = [f'<nav class="glossary-index" aria-label="{html.escape(label)}"><p>{links}</p></nav>\n']
    for name, slug in groups:
        members = [t for t in ordered if group_of[t.id] == (name, slug)]
        if not members:
            continue
        out.append(f"## {name} {{#index-{slug}}}\n")
        lines = []
        for term in members:
            entry = term.entries[lang]
            other_lang = next(code for code in term.entries if code != lang)
            other = term.entries[other_lang].term
            head = html.escape(entry.term)
            if entry.reading and _kana(entry.term) != entry.reading:
                head += f' <span class="term-reading">（{html.escape(entry.reading)}）</span>'
            if unicodedata.normalize("NFKC", other).casefold() != unicodedata.normalize("NFKC", entry.term).casefold():
                head += f' <span class="term-pair" lang="{other_lang}">{html.escape(other)}</span>'
            lines.append(f'<dt id="{term.id}">{head}</dt>')
            lines.append(f"<dd>{html.escape(entry.definition)}</dd>")
        out.append('<dl class="glossary">\n' + "\n".join(lines) + "\n</dl>\n")
    return "\n".join(out)


def _kana(text: str) -> str:
    """Katakana as hiragana, to tell whether a reading only repeats the term."""
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)
