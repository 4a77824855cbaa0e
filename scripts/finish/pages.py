"""One page of the engine's output, worked on in one pass.

The engine writes each page with its content between marks, and beside it the
values the finish stage needs (overrides/partials/page-content.html, values from
scripts/page_data.py):

    <script type="application/json" data-finish="page">{"src": …, "lang": …}</script>
    <!--finish:notice-->…translation notice…<!--/finish:notice-->
    <!--finish:content-->…the page's own content…<!--/finish:content-->

`finish_page` turns the content into what readers
get, puts the notice after the heading, removes every mark, then does the
whole-page steps: the search worker, phrase breaks, the Content-Security-Policy.
"""
from __future__ import annotations

import html as html_lib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from scripts import ROOT, csp, footnotes, furigana, glossary, lint, phrases, printing, sanitize, search, timings
from scripts import translations
from scripts.catalogs import N_
from scripts.catalogs import gettext
from scripts.finish.config import Settings
from scripts.problems import relative

log = logging.getLogger("mkdocs.site.finish")

REGION = re.compile(
    r'(?:<script type="application/json" data-finish="page">(?P<data>.*?)</script>\s*)?'
    r"(?:<!--finish:notice-->(?P<notice>.*?)<!--/finish:notice-->\s*)?"
    r"<!--finish:content-->(?P<content>.*)<!--/finish:content-->", re.S)  # one per page: to the last end mark
FURIGANA_LABEL = N_("Furigana")


class FinishFailed(Exception):
    """The finish stage cannot publish the engine's output (a strict build's warnings, a page without values)."""


@dataclass
class Finished:
    """What a page gave the site-wide outputs: its search entries, its card, its feed item."""
    html: str
    values: dict | None = None  # the page's values (scripts/page_data.py), None for 404.html
    content: str = ""  # the finished content, with the notice (the search index reads it)
    feed_content: str = ""  # the finished content, without the notice (feeds)


def _note(problem) -> None:
    log.info(lint.format_problem(problem))


def source(values: dict) -> Path:
    path = Path(values["src"])
    return path if path.is_absolute() else ROOT / path


def finish_page(page_html: str, settings: Settings, images, note=_note) -> Finished:
    """The engine's page -> the published page (404.html and the like have no content marks)."""
    match = REGION.search(page_html)  # one per page: the content runs to the last end mark
    if match is None:
        return Finished(whole_page(page_html, settings))
    if not match["data"]:  # content no step has seen must not be published
        raise FinishFailed("a page's content came without its values (overrides/partials/page-content.html, "
                           "scripts/page_data.py); the page was not published")
    values = json.loads(match["data"])
    content = page_content(match["content"], values, settings, images, note)
    notice = match["notice"] or ""
    shown = translations.insert_notice(content, notice) if notice.strip() else content
    page_html = page_html[:match.start()] + shown + page_html[match.end():]
    return Finished(whole_page(page_html, settings), values, content=shown, feed_content=content)


def page_content(content: str, values: dict, settings: Settings, images, note=_note) -> str:
    """The steps over a page's own content, in order; each needs the one before."""
    path, lang, url = source(values), values["lang"], values["url"]
    # The allowlist (scripts/sanitize.py): errors stop the build, naming the Markdown's line.
    with timings.phase("sanitizer"):
        content = sanitize.page_content(content, path, note)
    # <img> -> responsive <picture>; lazy loading for all but the first image.
    with timings.phase("images"):
        content = images.rewrite(content, url, relative(path))
    with timings.phase("reading aids"):
        if values.get("glossary", True):
            content = glossary.annotate(content, glossary.load_glossary(), lang, _relative(url, "glossary/"))
        # Furigana after the glossary, so glossary terms are matched on plain text.
        content = furigana.annotate_page(content, values.get("furigana"), gettext(lang)(FURIGANA_LABEL), str(path), lang)
        content = footnotes.name_markers(content, gettext(lang)(footnotes.MARKER))  # 〔注1〕, named after its source
    if lang != settings.language.code:  # a translation fallback: the original's language, for screen readers
        content = f'<div lang="{html_lib.escape(lang)}">{content}</div>'
    return printing.show_link_targets(content, values.get("canonical"))  # link addresses on paper (print.css)


def whole_page(page_html: str, settings: Settings) -> str:
    page_html = search.use_worker(page_html)
    if settings.language.writing.phrase_breaks:
        with timings.phase("reading aids"):
            page_html = phrases.wrap_page(page_html)
    return csp.apply(page_html)  # last: hashes of the page's inline scripts and styles in its policy


def _relative(page_url: str, target: str) -> str:
    """target relative to page_url: MkDocs' get_relative_url, so links are the same bytes as the engine's."""
    other = page_url or "."
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _parts(other), _parts(target)
    common = 0
    for a, b in zip(other_parts, dest_parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return rel + "/" if target.endswith("/") else rel


def _parts(path: str) -> list[str]:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return parts
