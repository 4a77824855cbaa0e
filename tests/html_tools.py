"""Small helpers to read built HTML with the standard library."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if attributes.get("id"):
            self.ids.add(attributes["id"])


def parse(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def find(tags: Tags, tag: str, **attrs: str) -> list[dict]:
    return [a for t, a in tags.tags if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]


_READINGS = re.compile(r"<rp>.*?</rp>|<rt>.*?</rt>|</?ruby\b[^>]*>", re.S)


def without_readings(html: str) -> str:
    """The HTML with furigana taken out (<ruby>base<rt>reading</rt></ruby> -> base): pages carry
    readings for the kanji above grade 1 (scripts/furigana.py), which split words in the markup."""
    return _READINGS.sub("", html)
