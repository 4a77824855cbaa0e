"""Japanese headings, card titles and navigation labels break only between phrases.

Browsers may break Japanese text between any two characters, so on a phone
a heading like 防災・減災が主流となる社会 can end a line in the middle of
a word (防災・減 / 災が…). At build time BudouX (Google's phrase segmenter)
finds the phrase boundaries; we put a `<wbr>` at each one and mark the
element `data-phrases`, which site CSS sets to `word-break: keep-all`
(break only at the `<wbr>`s and spaces) with `overflow-wrap: anywhere` as a
last resort for a phrase wider than the screen.

A phrase too long for a phone line (国土交通省技術基本計画を) also gets
breaks between its words (SudachiPy, long units), never before a particle.

`<wbr>` is an empty element: copied text, the search index and screen
readers see the words unchanged.

    from scripts import phrases
    phrases.wrap_page(html)      # a built page: headings, nav labels, cards
    phrases.wrap_text("防災・減災が主流となる社会")  # one string -> HTML with <wbr>
"""
from __future__ import annotations

import functools
import html
import re

from scripts import htmltext

# What gets phrase breaks: every heading, Material's navigation labels (side
# nav and table of contents), footer prev/next titles and card titles (a
# card's first line, or anything marked class="card__title" or data-phrases).
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CLASSES = {"md-nav__link", "md-footer__title", "md-ellipsis", "card__title", "lesson-card__title"}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u3005]")
# Inside these, text is left alone (readings, code, permalink marks).
SKIP = {"rt", "rp", "code", "kbd", "pre", "script", "style", "svg", "textarea"}
SKIP_CLASSES = {"headerlink"}


@functools.lru_cache(maxsize=1)
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


# A phrase longer than this rarely fits a phone line in a heading (about nine
# characters of an h1 at 360 px): it also gets breaks between its words.
LONG_PHRASE = 7
# A single word longer than this does not fit a phone line in an h1 (about ten
# characters at 360 px): it gets one break near its middle, where kinsoku allows,
# so the browser's last-resort break (overflow-wrap) never leaves 「ョン」 alone.
LONG_WORD = 10
# A line never starts with these (particles, endings, suffixes, punctuation).
NO_LINE_START = {"助詞", "助動詞", "接尾辞", "補助記号"}
# Kinsoku shori (JIS X 4051 / W3C JLReq): characters that may not start a line
# (small kana, the long-vowel mark, iteration marks, closing brackets and
# punctuation), and those that may not end one (opening brackets).
NO_START = set("、。，．,.・：；:;？！?!‼⁇⁈⁉ー～〜‐－-…‥」』）)］]｝}〕〉》】〙〗｣’”"
               "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ%％℃")
NO_END = set("「『（(［[｛{〔〈《【〘〖｢‘“")


@functools.lru_cache(maxsize=1)
def _words():
    from sudachipy import SplitMode

    from scripts.furigana import sudachi_dictionary

    # Long units (mode C) keep compounds whole: 国土交通省|技術|基本計画|を.
    return sudachi_dictionary().tokenizer(mode=SplitMode.C)


def _tokens(text: str) -> list[tuple[int, str, str]]:
    """(offset, surface, part of speech) of each long-unit word of text."""
    out, pos = [], 0
    for m in _words().tokenize(text):
        out.append((pos, m.surface(), m.part_of_speech()[0]))
        pos += len(m.surface())
    return out


def _word_starts(phrase: str) -> list[int]:
    return [pos for pos, _, part in _tokens(phrase) if pos and part not in NO_LINE_START]


def allowed(text: str, offset: int) -> bool:
    """Kinsoku: may a line break at offset (no small kana, ー or closing mark first)?"""
    return 0 < offset < len(text) and text[offset] not in NO_START and text[offset - 1] not in NO_END


def _middle(word: str) -> int | None:
    """The kinsoku-allowed offset nearest the middle of a long word."""
    half = len(word) // 2
    for step in range(half):
        for offset in (half + step, half - step):
            if allowed(word, offset) and not word[offset - 1].isspace():
                return offset
    return None


@functools.lru_cache(maxsize=4096)
def boundaries(text: str) -> tuple[int, ...]:
    """Offsets in `text` where a line may break (never 0 or len(text)): between
    BudouX phrases, and between the words of a phrase too long for a line;
    never inside a word (BudouX alone splits 重点分|野, 方|向), never before a
    one-character word (先生|方へ), never against kinsoku (トランスフォーメーシ|ョン)."""
    if not JAPANESE.search(text):
        return ()
    tokens = _tokens(text)
    word_edges = {pos for pos, _, _ in tokens}
    single = {pos for pos, surface, _ in tokens if len(surface) == 1 and JAPANESE.match(surface)}
    offsets, pos = [], 0
    for phrase in _parser().parse(text):
        if len(phrase.strip()) > LONG_PHRASE:
            offsets += [pos + w for w in _word_starts(phrase)]
        pos += len(phrase)
        if pos < len(text):
            offsets.append(pos)
    offsets = [o for o in offsets if o in word_edges and o not in single]
    for pos, surface, _ in tokens:  # a word too long for a phone line: one break inside it
        if len(surface) > LONG_WORD and JAPANESE.search(surface) and " " not in surface:
            middle = _middle(surface)
            if middle:
                offsets.append(pos + middle)
    return tuple(sorted({o for o in offsets if allowed(text, o)}))


def wrap_text(text: str) -> str:
    """Escaped HTML of `text` with `<wbr>` between phrases."""
    return _insert(list(htmltext.tokenize(html.escape(text, quote=False))))


def _skip(token: htmltext.Token) -> bool:
    return token.tag in SKIP or bool(token.classes & SKIP_CLASSES)


# Navigation labels repeat on every page: each distinct label is worked out once.
_inserted: dict[str, str] = {}


def _insert(tokens: list[htmltext.Token]) -> str:
    raw = "".join(t.raw for t in tokens)
    done = _inserted.get(raw)
    if done is None:
        if len(_inserted) > 50_000:
            _inserted.clear()
        done = _inserted[raw] = _insert_tokens(tokens)
    return done


def _insert_tokens(tokens: list[htmltext.Token]) -> str:
    text = htmltext.text_of(tokens, _skip)
    cuts = [b for b in boundaries(text) if not text[b - 1].isspace() and not text[b].isspace()]
    if not cuts:
        return "".join(t.raw for t in tokens)
    # Readings (rt, rp) and code are not part of the text; a ruby base is, but
    # never gets a break inside it: a cut at its start goes before <ruby>.
    out, offset, stack, skipping, in_ruby = [], 0, [], 0, 0
    pending = set(cuts)
    for t in tokens:
        if t.kind == "start" and not t.void:
            hidden = skipping > 0 or _skip(t)
            ruby = not hidden and t.tag == "ruby"
            if ruby and offset in pending and not in_ruby:
                out.append("<wbr>")
                pending.discard(offset)
            stack.append((hidden, ruby))
            skipping += hidden
            in_ruby += ruby
        elif t.kind == "end" and stack:
            hidden, ruby = stack.pop()
            skipping -= hidden
            in_ruby -= ruby
        if t.kind != "text" or skipping:
            out.append(t.raw)
            continue
        plain = html.unescape(t.raw)
        inside = [] if in_ruby else [c - offset for c in sorted(pending) if offset <= c < offset + len(plain) and c > 0]
        if not inside:
            out.append(t.raw)
        else:
            pieces, last = [], 0
            for c in inside:
                pieces.append(html.escape(plain[last:c], quote=False))
                last = c
                pending.discard(c + offset)
            pieces.append(html.escape(plain[last:], quote=False))
            out.append("<wbr>".join(pieces))
        offset += len(plain)
    return "".join(out)


# Start tags that _selected may pick: only these are looked at (htmltext.rewrite).
CANDIDATES = re.compile(r"<h[1-6][\s>]|data-phrases|" + "|".join(re.escape(c) for c in sorted(CLASSES)))


# Start tags with a "cards" class, in any order with "grid" (_wrap_cards picks those with both).
CARD_GRIDS = re.compile(r'class="[^"]*\bcards\b')


def _selected(token: htmltext.Token) -> bool:
    if token.tag in HEADINGS or "data-phrases" in token.raw:
        return True
    return bool(token.classes & CLASSES)


def wrap_page(page_html: str) -> str:
    """Add phrase breaks to the headings, navigation labels and card titles of a page."""
    if not JAPANESE.search(page_html):
        return page_html
    page_html = htmltext.rewrite(page_html, _selected, _insert, candidates=CANDIDATES,
                                 opening=lambda t: htmltext.add_attribute(t.raw, "data-phrases"))
    return _wrap_cards(page_html)


def _wrap_cards(page_html: str) -> str:
    """Material's grid cards (`<div class="grid cards">` + list): the first line
    of each card (its title, usually **bold** or a link) gets phrase breaks."""
    if "grid cards" not in page_html:
        return page_html

    def in_cards(tokens):
        def first_strong(t):
            return t.tag in ("strong", "b")
        return htmltext.rewrite("".join(x.raw for x in tokens), first_strong, _insert,
                                opening=lambda t: htmltext.add_attribute(t.raw, "data-phrases"))

    return htmltext.rewrite(page_html, lambda t: t.tag == "div" and {"grid", "cards"} <= t.classes, in_cards,
                            candidates=CARD_GRIDS)
