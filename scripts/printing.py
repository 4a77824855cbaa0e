"""Printing: on paper a link cannot be followed, so print.css writes its
address after it. The address is resolved here, at build time, against the
page's public address (site_url), so a printout shows
https://…/plan/directions/ and not ../../plan/directions/ or a preview host.
"""
from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin

ATTRIBUTE = "data-print-href"
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_CLASS = re.compile(r"""\bclass\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
# Links that only move within the page or are part of the page's furniture.
SKIP_CLASSES = {"headerlink", "footnote-ref", "footnote-backref", "md-content__button"}


def show_link_targets(html: str, page_url: str | None) -> str:
    """Add data-print-href="<absolute address>" to each link that leads off the page."""
    if not page_url:
        return html

    def mark(match: re.Match) -> str:
        attrs, text = match.group(1), match.group(2)
        href_match = _HREF.search(attrs)
        if not href_match or ATTRIBUTE in attrs:
            return match.group(0)
        classes = set((_CLASS.search(attrs) or [None, None, ""])[2].split())
        href = html_lib.unescape(href_match.group(2)).strip()
        if classes & SKIP_CLASSES or not href or href.startswith(("#", "javascript:")):
            return match.group(0)
        target = href[len("mailto:"):] if href.startswith("mailto:") else urljoin(page_url, href)
        if html_lib.unescape(_TAGS.sub("", text)).strip() in (href, target):
            return match.group(0)  # the text already is the address
        return f'<a{attrs} {ATTRIBUTE}="{html_lib.escape(target, quote=True)}">{text}</a>'

    return _LINK.sub(mark, html)
