"""One Markdown page as the lint sees it: front matter, body lines with their
line numbers in the file, code masked out, links, images and headings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from scripts import news
from scripts.problems import relative

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
COMMENT = re.compile(r"<!--.*?-->", re.S)
# [text](target "title") and ![alt](src){ attrs }; text may hold one level of [brackets].
LINK = re.compile(r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
                  r"\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[(?P<label>[^\]^][^\]]*)\]:\s*<?(?P<target>\S+?)>?(?:\s+.*)?$")
HTML_ATTR_LINK = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']([^\"']*)[\"']", re.I)
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


def mask_code(lines: list[str]) -> list[str]:
    """Blank out fenced code blocks, inline code and HTML comments, keeping line numbers,
    so examples of forbidden markup inside code are not reported."""
    out, fence = [], None
    for line in lines:
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            out.append("")
            continue
        if opened:
            fence = opened.group(1)
            out.append("")
            continue
        out.append(CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    text = COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), "\n".join(out))
    return text.split("\n")


@dataclass(frozen=True)
class Link:
    target: str
    text: str
    line: int
    image: bool


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int


@dataclass
class Document:
    path: Path  # absolute path of the Markdown file
    lang: str  # docs/<lang>/
    src_uri: str  # path below docs/<lang>/, e.g. plan/index.md
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 1  # line number of the first body line
    meta_ok: bool = True  # False when the front matter could not be read

    @classmethod
    def load(cls, path: Path, lang: str, src_uri: str) -> "Document":
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        meta, lines, body_line = news.read_front_matter(path)
        ok = bool(meta) or not text.startswith("---")
        return cls(path, lang, src_uri, text, meta, lines, body_line, ok)

    @property
    def file(self) -> str:
        return relative(self.path)

    @property
    def kind(self) -> str:
        """Content type: post (news), lesson (teachers' pages other than the index) or page."""
        if news.is_post(self.src_uri):
            return "post"
        if self.src_uri.startswith("teachers/") and self.src_uri != "teachers/index.md":
            return "lesson"
        return "page"

    def meta_line(self, key: str) -> int:
        return self.meta_lines.get(key, 1)

    @cached_property
    def body_lines(self) -> list[str]:
        return self.text.split("\n")[self.body_line - 1:]

    @cached_property
    def masked(self) -> list[str]:
        return mask_code(self.body_lines)

    def numbered(self):
        """(line number in the file, masked line) for each body line."""
        for i, line in enumerate(self.masked):
            yield self.body_line + i, line

    @cached_property
    def links(self) -> list[Link]:
        found = []
        for number, line in self.numbered():
            for m in LINK.finditer(line):
                found.append(Link(m.group("target"), m.group("text"), number, bool(m.group("bang"))))
            ref = REF_DEF.match(line)
            if ref:
                found.append(Link(ref.group("target"), ref.group("label"), number, False))
            for m in HTML_ATTR_LINK.finditer(line):
                found.append(Link(m.group(1), "", number, m.group(0).lower().startswith("<img")))
        return found

    @cached_property
    def headings(self) -> list[Heading]:
        found, previous = [], ""
        for number, line in self.numbered():
            atx = ATX.match(line)
            if atx and not line.startswith("    "):
                found.append(Heading(len(atx.group(1)), (atx.group(2) or "").strip(), number))
            else:
                setext = SETEXT.match(line)
                if setext and previous.strip() and not previous.lstrip().startswith(("-", "*", "+", ">", "|")) \
                        and not ATX.match(previous):
                    found.append(Heading(1 if setext.group(1)[0] == "=" else 2, previous.strip(), number - 1))
            previous = line
        return found
