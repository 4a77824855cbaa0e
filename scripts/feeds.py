"""News feeds per language: RSS 2.0 (news/feed.xml) and JSON Feed 1.1 (news/feed.json).

Built from the posts Material's blog plugin published in this language's
build, so drafts and posts dated in the future are never in a feed, and a
single-language post is only in its own language's feeds. Dates come from
the posts (not the clock), so the same sources give the same feed bytes.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

MAX_ITEMS = 20
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
_URL_ATTR = re.compile(r'\b(href|src)="([^"]*)"')
# Page furniture that means nothing in a feed reader: heading permalinks (¶), the
# glossary pop-ups (the word stays), the excerpt marker, and the title (the item has it).
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
_TERM_TIP = re.compile(r'<span class="term__tip"[^>]*>.*?</span>', re.S)
_TERM_WORD = re.compile(r'<button type="button" class="term__word"[^>]*>(.*?)</button>', re.S)
_TERM = re.compile(r'<span class="term">(.*?)</span>', re.S)
_MORE = re.compile(r"<!--\s*more\s*-->\n*")
_FIRST_H1 = re.compile(r"^\s*<h1\b[^>]*>.*?</h1>\s*", re.S)


@dataclass(frozen=True)
class Item:
    title: str
    url: str  # absolute
    published: dt.datetime
    updated: dt.datetime | None
    summary: str
    content_html: str  # relative links made absolute
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = field(default_factory=tuple)


def absolute_links(html: str, base: str) -> str:
    """Feed readers show content away from the site: resolve relative href/src."""

    def fix(match: re.Match) -> str:
        value = match.group(2)
        if not value or value.startswith(("#", "data:", "mailto:")) or re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
            return match.group(0)
        return f'{match.group(1)}="{urllib.parse.urljoin(base, value)}"'

    return _URL_ATTR.sub(fix, html)


def clean_html(html: str) -> str:
    html = _HEADERLINK.sub("", html)
    html = _TERM_TIP.sub("", html)
    html = _TERM_WORD.sub(r"\1", html)
    html = _TERM.sub(r"\1", html)
    html = _MORE.sub("", html)
    return _FIRST_H1.sub("", html, count=1)


def _published(post) -> dt.datetime:
    """A post dated by day (date: 2026-11-29) is published at midnight in Japan, not in UTC."""
    from scripts import news

    value = post.meta.get("date")
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0), news.JST)
    return post.config.date.created


def post_values(post) -> dict:
    """A rendered Material blog Post's feed item, without its content, as plain data: the
    engine puts it in the page (scripts/page_data.py) and the finish stage adds the content."""
    dates = post.config.date
    updated = getattr(dates, "updated", None)
    return {
        "title": post.title or "",
        "url": post.canonical_url,
        "published": _published(post).isoformat(),
        "updated": updated.isoformat() if updated else None,
        "summary": str(post.meta.get("description") or ""),
        "categories": [c.title for c in getattr(post, "categories", []) or []],
        "tags": [str(t) for t in post.meta.get("tags") or []],
        "authors": [a.name for a in getattr(post, "authors", []) or []],
    }


def item(values: dict, content_html: str) -> Item:
    """One feed item from post_values() and the post's finished content."""
    return Item(
        title=values["title"],
        url=values["url"],
        published=dt.datetime.fromisoformat(values["published"]),
        updated=dt.datetime.fromisoformat(values["updated"]) if values.get("updated") else None,
        summary=values["summary"],
        content_html=absolute_links(clean_html(content_html), values["url"]),
        categories=tuple(values["categories"]),
        tags=tuple(values["tags"]),
        authors=tuple(values["authors"]),
    )


def newest(items: list[Item]) -> list[Item]:
    items = sorted(items, key=lambda i: (i.published, i.url), reverse=True)
    return items[:MAX_ITEMS]


def rss(items: list[Item], *, title: str, description: str, home_url: str, feed_url: str, lang: str) -> str:
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("content", CONTENT)
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = home_url
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = lang
    ET.SubElement(channel, f"{{{ATOM}}}link", {"href": feed_url, "rel": "self", "type": "application/rss+xml"})
    if items:
        newest = max(i.updated or i.published for i in items)
        ET.SubElement(channel, "lastBuildDate").text = email.utils.format_datetime(newest)
    for item in items:
        node = ET.SubElement(channel, "item")
        ET.SubElement(node, "title").text = item.title
        ET.SubElement(node, "link").text = item.url
        ET.SubElement(node, "guid", {"isPermaLink": "true"}).text = item.url
        ET.SubElement(node, "pubDate").text = email.utils.format_datetime(item.published)
        ET.SubElement(node, "description").text = item.summary
        ET.SubElement(node, f"{{{CONTENT}}}encoded").text = item.content_html
        for name in item.categories + item.tags:
            ET.SubElement(node, "category").text = name
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def json_feed(items: list[Item], *, title: str, description: str, home_url: str, feed_url: str, lang: str) -> str:
    data = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home_url,
        "feed_url": feed_url,
        "description": description,
        "language": lang,
        "items": [
            {
                "id": item.url,
                "url": item.url,
                "title": item.title,
                "summary": item.summary,
                "content_html": item.content_html,
                "date_published": item.published.isoformat(),
                **({"date_modified": item.updated.isoformat()} if item.updated else {}),
                **({"tags": list(item.categories + item.tags)} if item.categories or item.tags else {}),
                **({"authors": [{"name": name} for name in item.authors]} if item.authors else {}),
            }
            for item in items
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
