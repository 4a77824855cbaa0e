"""Furigana (ruby readings) for young readers.

Kanji that a child has not learnt yet get their reading above them. "Learnt"
follows the 2020 学年別漢字配当表 (MEXT's grade-by-grade kanji list, from the
`kanji-lists` package: KYOIKU.REIWA2); readings come from the SudachiPy
morphological analyser with its core dictionary. Grade 1–6 = end of that
primary school year; grade 7 = every 常用漢字 known (only rarer kanji get
readings); grade 0 = every kanji gets one.

Usage for other modules (lessons, worksheets):

    from scripts import furigana

    furigana.ruby_html("防災について学ぼう", grade=4)
    # -> '<ruby>防災<rp>(</rp><rt>ぼうさい</rt><rp>)</rp></ruby>について学ぼう'
    furigana.annotate_html(html, grade=4)   # every text node of an HTML fragment
    furigana.inline_readings(markdown, path)  # {漢字|かんじ} in Markdown -> <ruby>

In Markdown pages (the build does this through scripts/hooks.py):

* a block for children:   <div markdown class="kids" data-grade="4"> … </div>
* a whole page:           front matter `furigana: 4`
* fix one reading:        {明日|あした}   (group ruby: the whole word)
                          {漢字|かん|じ}  (one reading per character)

On Japanese pages the whole text gets readings too, each <ruby> marked with
the school grade of its hardest kanji (data-g: 1–6 primary year, 7 other
常用漢字, 8 outside them). Readers choose a grade (小学1年 … 6年, 中学生, or
none) in a menu at the top of the page and of each kids' block; readings
show only for kanji above that grade. The choice is kept in localStorage
(overrides/assets/javascripts/furigana.js, CSS in reading.css). Until a
reader chooses, the running text has no readings and each kids' block shows
those above its own grade; without JavaScript that stays so and the menus
are hidden. English pages get neither readings nor the menu.

A malformed reading ({漢字|}, {漢字|kanji}, {防災|ぼ}, a missing `}`) stops
the build with a ContentError naming the file and line.
Readings are `<rt>`: CSS makes them unselectable, so copying copies the base
text, and the search index leaves them out.
"""
from __future__ import annotations

import functools
import html
import re
from pathlib import Path

from scripts import htmltext, languages
from scripts.problems import ContentError, Problem, relative

MAX_GRADE = 7
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006\u30f6]")
KANA_READING = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe]+$")
# Longest reading of one kanji in the jōyō list is five kana (承る: うけたまわ).
MAX_KANA_PER_CHAR = 5
# `{` + base + `|` starts an inline reading; attr_list's `{: .x }` never has `|` before `}`.
READING_START = re.compile(r"\{(?=[^{}\s|]*\|)")
READING = re.compile(r"\{([^{}|\s]+)((?:\|[^{}|\s]*)+)\}")
FENCE = re.compile(r"^(\s*)(```+|~~~+)")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# Where text is never annotated: code, existing ruby, permalink marks, form controls.
SKIP = {"code", "pre", "kbd", "samp", "script", "style", "svg", "ruby", "rt", "rp", "textarea", "button", "math",
        "select", "option", "label"}
SKIP_CLASSES = {"headerlink", "furigana-choice"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def grade_number(value, where: str = "", line: int | None = None) -> int:
    """Check a grade from front matter or data-grade: a whole number 0–7."""
    try:
        grade = int(str(value).strip())
    except (TypeError, ValueError):
        grade = -1
    if not 0 <= grade <= MAX_GRADE:
        raise ContentError([Problem(
            "furigana-grade", "error", where or "(furigana)",
            f"furigana grade {value!r} is not a school grade",
            "Use a whole number: 1–6 for primary school years (kanji up to that year have no reading), "
            "7 for junior high (only kanji outside the 常用漢字 get readings), 0 for readings on every kanji.",
            line)])
    return grade


@functools.lru_cache(maxsize=None)
def known_kanji(grade: int) -> frozenset[str]:
    """Kanji a child knows at the end of `grade` (2020 list)."""
    from kanji_lists import JOYO, KYOIKU

    if grade >= MAX_GRADE:
        return frozenset(JOYO)
    lists = KYOIKU.REIWA2
    grades = [lists.GRADE1, lists.GRADE2, lists.GRADE3, lists.GRADE4, lists.GRADE5, lists.GRADE6]
    return frozenset().union(*grades[:max(0, grade)])


@functools.lru_cache(maxsize=1)
def sudachi_dictionary():
    """SudachiPy's dictionary, loaded once per process (phrases.py uses it too)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import SplitMode

    # Short units (mode A) align readings with kanji most reliably: 働き|方|改革.
    return sudachi_dictionary().tokenizer(mode=SplitMode.A)


@functools.lru_cache(maxsize=None)
def kanji_grade(char: str) -> int:
    """The school year a kanji is taught in: 1–6 primary, 7 other 常用漢字, 8 outside them."""
    for grade in range(1, MAX_GRADE + 1):
        if char in known_kanji(grade):
            return grade
    return MAX_GRADE + 1


def word_grade(text: str) -> int:
    """The grade of the hardest kanji in text (0 when it has none)."""
    return max((kanji_grade(c) for c in text if KANJI.match(c) and c not in "々〆ヶ"), default=0)


def hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def _needs_reading(kanji_run: str, known: frozenset[str]) -> bool:
    return any(c not in known for c in kanji_run if c not in "々〆ヶ")


def _ruby(base: str, reading: str, marked: bool = False) -> str:
    mark = f' data-g="{word_grade(base)}"' if marked else ""
    return f"<ruby{mark}>{html.escape(base)}<rp>(</rp><rt>{html.escape(reading)}</rt><rp>)</rp></ruby>"


def align(surface: str, reading: str) -> list[tuple[str, str | None]] | None:
    """Split a word into (text, reading) pieces: kanji runs get their part of
    the reading, kana stay as they are. None if the kana do not line up.

    >>> align("取り組み", "とりくみ")
    [('取', 'と'), ('り', None), ('組', 'く'), ('み', None)]
    """
    pieces = re.findall(rf"{KANJI.pattern}+|(?:(?!{KANJI.pattern}).)+", surface)
    pattern = "".join("(.+?)" if KANJI.match(p) else f"({re.escape(hiragana(p))})" for p in pieces)
    m = re.fullmatch(pattern, hiragana(reading))
    if not m:
        return None
    return [(p, m.group(i + 1) if KANJI.match(p) else None) for i, p in enumerate(pieces)]


def ruby_html(text: str, grade: int, marked: bool = False) -> str:
    """Escaped HTML of plain `text` with <ruby> on words whose kanji are above `grade`
    (`marked`: each <ruby> says the grade of its hardest kanji in data-g)."""
    known = known_kanji(grade)
    if not KANJI.search(text) or not any(c not in known for c in text if KANJI.match(c)):
        return html.escape(text, quote=False)
    out = []
    for m in _tokenizer().tokenize(text):
        surface, reading = m.surface(), hiragana(m.reading_form())
        if not KANJI.search(surface) or not _needs_reading(surface, known) or not KANA_READING.match(reading):
            out.append(html.escape(surface, quote=False))
            continue
        pieces = align(surface, reading)
        if pieces is None:  # irregular (熟字訓 like 今日): one reading over the whole word
            out.append(_ruby(surface, reading, marked))
            continue
        # Ruby over the kanji runs that need it; kana and known runs stay plain.
        for piece, piece_reading in pieces:
            if piece_reading and _needs_reading(piece, known):
                out.append(_ruby(piece, piece_reading, marked))
            else:
                out.append(html.escape(piece, quote=False))
    return "".join(out)


# ------------------------------------------------------------ HTML fragments

def _skip(token: htmltext.Token) -> bool:
    return token.tag in SKIP or bool(token.classes & SKIP_CLASSES)


def _annotate_tokens(tokens: list[htmltext.Token], grade: int, marked: bool = False) -> str:
    out, stack, skipping = [], [], 0
    for t in tokens:
        if t.kind == "start" and not t.void:
            # Graded readings stay out of headings: Chromium may break a line at a
            # <ruby>'s edge, which undoes the phrase breaks (暮|らし; scripts/phrases.py).
            blocked = skipping > 0 or _skip(t) or (marked and t.tag in HEADINGS)
            stack.append(blocked)
            skipping += blocked
        elif t.kind == "end" and stack:
            skipping -= stack.pop()
        if t.kind == "text" and not skipping:
            out.append(ruby_html(html.unescape(t.raw), grade, marked))
        else:
            out.append(t.raw)
    return "".join(out)


def annotate_html(fragment: str, grade: int, marked: bool = False) -> str:
    """Ruby on every text node of an HTML fragment (not inside code or existing ruby)."""
    return _annotate_tokens(list(htmltext.tokenize(fragment)), grade, marked)


# The running text gets readings for every kanji above the first year's.
PAGE_GRADE = 1
# The reader's choices: "off", or the grade whose kanji need no reading.
CHOICES = [("off", "なし"), *((str(g), f"小学{g}年") for g in range(1, 7)), ("7", "中学生")]


def grade_menu(label: str, default: str) -> str:
    """The grade menu. Hidden until furigana.js runs: without JavaScript the
    defaults hold (no readings in running text, the kids' blocks' own)."""
    options = "".join(f'<option value="{value}"{" selected" if value == default else ""}>{html.escape(name)}</option>'
                      for value, name in CHOICES)
    return (f'<label class="furigana-choice" hidden data-search-exclude>{html.escape(label)} '
            f'<select class="furigana-grade" data-default="{default}">{options}</select></label>')


def annotate_page(content: str, page_grade, label: str, where: str = "", lang: str | None = None) -> str:
    """Readings for a page's HTML: on Japanese pages every kanji word above
    the first year gets a marked <ruby> (shown by the reader's grade); the
    kids' blocks (class "kids" or attribute data-furigana, grade from
    data-grade, else the page's, else 3) and whole pages for children (front
    matter `furigana: N`) show theirs by default. Other languages: unchanged."""
    if not (languages.get(lang) if lang else languages.source()).furigana:
        return content
    where = relative(where) if where else ""
    if page_grade is not None:
        grade = grade_number(page_grade, where)
        return (f'<div class="furigana" data-grade="{grade}">{grade_menu(label, str(grade))}'
                f'{annotate_html(content, PAGE_GRADE, marked=True)}</div>')

    def selected(t: htmltext.Token) -> bool:
        return t.kind == "start" and ("kids" in t.classes or "data-furigana" in t.attrs)

    def opening(t: htmltext.Token) -> str:
        attrs = t.attrs
        grade = grade_number(attrs.get("data-grade") or attrs.get("data-furigana") or 3, where)
        grades.append(grade)
        tag = htmltext.add_attribute(t.raw, "data-grade", str(grade))
        classes = (attrs.get("class", "") + " furigana").strip()
        if "class" in attrs:
            return re.sub(r"""\sclass=("[^"]*"|'[^']*'|[^\s>]+)""", f' class="{html.escape(classes)}"', tag, count=1)
        return htmltext.add_attribute(tag, "class", classes)

    def change(tokens: list[htmltext.Token]) -> str:
        return grade_menu(label, str(grades[-1])) + "".join(t.raw for t in tokens)

    grades: list[int] = []
    if "kids" in content or "data-furigana" in content:
        content = htmltext.rewrite(content, selected, change, opening=opening)
    content = annotate_html(content, PAGE_GRADE, marked=True)
    menu = f'<div class="furigana-page">{grade_menu(label, "off")}</div>'
    h1 = re.search(r"</h1>", content)
    return content[:h1.end()] + menu + content[h1.end():] if h1 else menu + content


# ------------------------------------------------------------ Markdown

def _check_reading(base: str, readings: list[str]) -> str | None:
    """What is wrong with one inline reading, or None."""
    if not base:
        return "the word before `|` is empty"
    if any(not r for r in readings):
        return "a reading after `|` is empty"
    bad = [r for r in readings if not KANA_READING.match(r)]
    if bad:
        return f"the reading {bad[0]!r} is not hiragana or katakana"
    if len(readings) > 1:
        if len(readings) != len(base):
            return (f"{len(readings)} readings for {len(base)} characters: with one reading per character, "
                    "give exactly one for each")
        for char, r in zip(base, readings):
            if not KANJI.match(char) and hiragana(char) != hiragana(r):
                return f"{char!r} is kana; its reading must be {char!r} itself"
        return None
    reading = readings[0]
    kanji = sum(1 for c in base if KANJI.match(c))
    if kanji and len(reading) < kanji:
        return f"the reading {reading!r} is too short for {kanji} kanji (each kanji needs at least one kana)"
    if len(reading) > MAX_KANA_PER_CHAR * len(base):
        return f"the reading {reading!r} is too long for {base!r}"
    if kanji and re.search(r"[\u3041-\u30fa]", base) and align(base, reading) is None:
        return f"the kana in {base!r} do not appear in the reading {reading!r}"
    return None


def _ruby_markup(base: str, readings: list[str]) -> str:
    if len(readings) == 1:
        return f'<ruby class="reading">{html.escape(base)}<rp>(</rp><rt>{html.escape(readings[0])}</rt><rp>)</rp></ruby>'
    inner = "".join(f"{html.escape(c)}<rp>(</rp><rt>{html.escape(r)}</rt><rp>)</rp>" for c, r in zip(base, readings))
    return f'<ruby class="reading">{inner}</ruby>'


def inline_readings(markdown: str, path: str | Path = "", first_line: int = 1) -> str:
    """Turn {漢字|かんじ} into <ruby> (outside code); raise ContentError for bad ones.
    `first_line` is the file line of the first Markdown line (after front matter)."""
    if "|" not in markdown or "{" not in markdown:
        return markdown
    problems, out, fence = [], [], None
    where = relative(path) if path else "(markdown)"
    for number, line in enumerate(markdown.split("\n"), start=first_line):
        m = FENCE.match(line)
        if fence:
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if m:
            fence = m.group(2)
            out.append(line)
            continue
        if line.startswith("    ") or "{" not in line:
            out.append(line)
            continue
        out.append(_line_readings(line, where, number, problems))
    if problems:
        raise ContentError(problems)
    return "\n".join(out)


def _line_readings(line: str, where: str, number: int, problems: list[Problem]) -> str:
    result, pos = [], 0
    code = [(m.start(), m.end()) for m in CODE_SPAN.finditer(line)]
    for start in READING_START.finditer(line):
        s = start.start()
        if s < pos or any(a <= s < b for a, b in code) or (s > 0 and line[s - 1] == "\\"):
            continue  # inside code, or \{ (a literal brace)
        m = READING.match(line, s)
        text = line[s:m.end()] if m else line[s:s + 20]
        if not m:
            problems.append(Problem(
                "furigana-reading", "error", where,
                f"the inline reading starting {text!r} is not written as {{漢字|よみ}}",
                "Write the word, a `|`, then its reading in kana, inside { }: {防災|ぼうさい}. "
                "For one reading per character: {漢字|かん|じ}. To show a literal {, write \\{.",
                number))
            continue
        base, readings = m.group(1), m.group(2).split("|")[1:]
        problem = _check_reading(base, readings)
        if problem:
            problems.append(Problem(
                "furigana-reading", "error", where, f"{m.group(0)}: {problem}",
                "Give the reading in hiragana or katakana, e.g. {防災|ぼうさい}; "
                "for one reading per character, one per character: {漢字|かん|じ}.", number))
            continue
        result.append(line[pos:s])
        result.append(_ruby_markup(base, readings))
        pos = m.end()
    result.append(line[pos:])
    return "".join(result)


def base_markdown(markdown: str) -> str:
    """Markdown with inline readings reduced to their base text ({防災|ぼうさい} -> 防災),
    e.g. to measure sentence length without the readings."""
    return READING.sub(lambda m: m.group(1), markdown) if "|" in markdown else markdown


def page_markdown(markdown: str, path: str | Path) -> str:
    """Inline readings of one page's Markdown, with errors on the file's own line numbers."""
    if "|" not in markdown or "{" not in markdown:
        return markdown
    try:
        source = Path(path).read_text(encoding="utf-8-sig")
    except OSError:
        source = ""
    return inline_readings(markdown, path, front_matter_lines(source, markdown) + 1)


def front_matter_lines(source: str, body: str) -> int:
    """How many lines of the file come before `body` (the Markdown after front matter)."""
    if body and source.endswith(body):
        return source[:len(source) - len(body)].count("\n")
    return 0
