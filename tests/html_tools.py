"""Small helpers to read built HTML with the standard library."""
from __future__ import annotations

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
