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


def tokenize(source: str) -> Iterator[Token]:
    pos = 0
    raw_until: str | None = None
    while pos < len(source):
        if raw_until:  # script/style bodies are text up to their end tag
            end = source.lower().find(f"</{raw_until}", pos)
            end = len(source) if end == -1 else end
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


def rewrite(source: str, select: Callable[[Token], bool], change: Callable[[list[Token]], str],
            opening: Callable[[Token], str] | None = None) -> str:
    """Replace the inner HTML of every element that `select` picks (outermost
    only) with `change(inner_tokens)`, and its start tag with `opening(tag)`
    if given; everything else is copied as is."""
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
