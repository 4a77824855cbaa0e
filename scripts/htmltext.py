"""Rewrite the text of built HTML without touching its markup.

A small tokenizer (tags, comments, text; script/style bodies kept whole)
that lets `phrases` and `furigana` change text inside chosen elements and
pass every other byte through unchanged. The standard library's HTMLParser
re-creates tags; this keeps them as written, so a post-processed page
differs only where we meant it to.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable, Iterator

_ATTR = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)"""
TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?[^>]*>"
    rf"|</?([a-zA-Z][a-zA-Z0-9:-]*){_ATTR}*\s*/?>", re.S)
ATTRS = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr"}
RAW = {"script", "style", "textarea", "title"}


@dataclass
class Token:
    kind: str  # "start", "end", "text", "other" (comment, doctype, void or self-closing tag as "start")
    raw: str
    tag: str = ""

    @property
    def attrs(self) -> dict[str, str]:
        inner = re.sub(r"^<[a-zA-Z][a-zA-Z0-9:-]*", "", self.raw).rstrip(">").rstrip("/")
        result = {}
        for m in ATTRS.finditer(inner):
            value = next((g for g in m.groups()[1:] if g is not None), "")
            result[m.group(1).lower()] = html.unescape(value)
        return result

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def void(self) -> bool:
        return self.kind == "start" and (self.tag in VOID or self.raw.endswith("/>"))


_RAW_END = {tag: re.compile(rf"</{tag}", re.I) for tag in RAW}
# Where a candidate tag cannot be: comments and script/style/textarea/title bodies.
_OPAQUE = re.compile(r"<!--.*?-->|<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>", re.S | re.I)


def tokenize(source: str, pos: int = 0) -> Iterator[Token]:
    raw_until: str | None = None
    while pos < len(source):
        if raw_until:  # script/style bodies are text up to their end tag
            found = _RAW_END[raw_until].search(source, pos)
            end = found.start() if found else len(source)
            if end > pos:
                yield Token("other", source[pos:end])
            pos, raw_until = end, None
            continue
        m = TOKEN.search(source, pos)
        if not m:
            yield Token("text", source[pos:])
            return
        if m.start() > pos:
            yield Token("text", source[pos:m.start()])
        raw = m.group(0)
        if m.group(1):
            tag = m.group(1).lower()
            kind = "end" if raw.startswith("</") else "start"
            yield Token(kind, raw, tag)
            if kind == "start" and tag in RAW and not raw.endswith("/>"):
                raw_until = tag
        else:
            yield Token("other", raw)
        pos = m.end()


def elements(tokens: list[Token], start: int) -> int:
    """Index of the end token matching the start token at `start` (or the last token)."""
    depth = 0
    for i in range(start, len(tokens)):
        t = tokens[i]
        if t.kind == "start" and not t.void and t.tag == tokens[start].tag:
            depth += 1
        elif t.kind == "end" and t.tag == tokens[start].tag:
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


def _element_at(source: str, start: int) -> list[Token]:
    """Tokens of the element whose start tag is at `start`, up to its end tag."""
    tokens: list[Token] = []
    depth = 0
    for t in tokenize(source, start):
        tokens.append(t)
        if t.tag == tokens[0].tag:
            if t.kind == "start" and not t.void:
                depth += 1
            elif t.kind == "end":
                depth -= 1
        if depth <= 0:
            break
    return tokens


def rewrite(source: str, select: Callable[[Token], bool], change: Callable[[list[Token]], str],
            opening: Callable[[Token], str] | None = None, candidates: re.Pattern | None = None) -> str:
    """Replace the inner HTML of every element that `select` picks (outermost
    only) with `change(inner_tokens)`, and its start tag with `opening(tag)`
    if given; everything else is copied as is.

    `candidates`, if given, matches inside every start tag that `select` could
    pick (and maybe elsewhere), e.g. a class name: only the tags it hits are
    tokenized, which is much faster on a whole page where few are picked."""
    if candidates is not None:
        return _rewrite_candidates(source, select, change, opening, candidates)
    tokens = list(tokenize(source))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.kind == "start" and not t.void and select(t):
            end = elements(tokens, i)
            out.append(opening(t) if opening else t.raw)
            out.append(change(tokens[i + 1:end]))
            if end > i and tokens[end].kind == "end":
                out.append(tokens[end].raw)
            i = end + 1
            continue
        out.append(t.raw)
        i += 1
    return "".join(out)


def _rewrite_candidates(source, select, change, opening, candidates) -> str:
    opaque = [(m.start(), m.end()) for m in _OPAQUE.finditer(source)]
    out: list[str] = []
    pos = 0  # everything before pos is in out
    block = 0  # index into opaque
    for m in candidates.finditer(source):
        start = source.rfind("<", 0, m.start() + 1)  # the tag the match is in
        if start < pos:
            continue  # inside an element already rewritten
        while block < len(opaque) and opaque[block][1] <= start:
            block += 1
        if block < len(opaque) and opaque[block][0] <= start:
            continue  # in a comment or a script
        tokens = _element_at(source, start)
        first = tokens[0]
        if first.kind != "start" or first.void or not select(first):
            continue
        end = start + sum(len(t.raw) for t in tokens)
        closed = len(tokens) > 1 and tokens[-1].kind == "end" and tokens[-1].tag == first.tag
        inner = tokens[1:-1] if closed else tokens[1:]
        out.append(source[pos:start])
        out.append(opening(first) if opening else first.raw)
        out.append(change(inner))
        if closed:
            out.append(tokens[-1].raw)
        pos = end
    out.append(source[pos:])
    return "".join(out)


def text_of(tokens: list[Token], skip: Callable[[Token], bool]) -> str:
    """The plain text of tokens, leaving out elements that `skip` picks."""
    parts, depth_skip, stack = [], 0, []
    for t in tokens:
        if t.kind == "start" and not t.void:
            skipped = depth_skip > 0 or skip(t)
            stack.append((t.tag, skipped))
            if skipped:
                depth_skip += 1
        elif t.kind == "end":
            while stack:
                tag, skipped = stack.pop()
                if skipped:
                    depth_skip -= 1
                if tag == t.tag:
                    break
        elif t.kind == "text" and not depth_skip:
            parts.append(html.unescape(t.raw))
    return "".join(parts)


def add_attribute(start_tag: str, name: str, value: str | None = None) -> str:
    """`<h2 id="a">` -> `<h2 data-x id="a">` (unchanged if it is already there)."""
    m = re.match(r"<[a-zA-Z][a-zA-Z0-9:-]*", start_tag)
    if not m or re.search(rf"\s{re.escape(name)}(?:[\s=/>]|$)", start_tag):
        return start_tag
    attribute = name if value is None else f'{name}="{html.escape(value)}"'
    return f"{m.group(0)} {attribute}{start_tag[m.end():]}"
