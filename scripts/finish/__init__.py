"""Finish: one pass over each page the engine wrote, then the site-wide outputs.

    prepare (scripts/prepare.py) ▸ engine (scripts/engine.py: MkDocs + Material)
    ▸ finish (here): for each page, in one read and one write (pages.py):
        content: sanitizer ▸ images ▸ glossary ▸ furigana ▸ note markers ▸ print addresses
        ▸ translation notice; page: search worker ▸ phrase breaks ▸ Content-Security-Policy
      then for the language: search index ▸ images ▸ charts ▸ social cards ▸ feeds ▸ robots.txt

It reads only files: the engine's HTML, with the values each page carries
(scripts/page_data.py), and the sources. Nothing here imports the engine, so
another engine that renders our templates can be finished the same way.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from scripts import cards, charts, feeds, images, languages, material_bundle, memo, news, progress, search, timings
from scripts.finish.config import Settings, from_mkdocs
from scripts.finish.pages import FinishFailed
from scripts.finish.stored import StoredPages

__all__ = ["Settings", "from_mkdocs", "run", "FinishFailed"]
log = logging.getLogger("mkdocs.site.finish")


def run(settings: Settings, strict: bool = False) -> dict:
    """Finish one language's output folder in place. Errors raise ContentError (file and line)."""
    counter = _WarningCounter()
    if strict:  # the engine counts warnings only while it runs; this stage counts its own
        logging.getLogger("mkdocs").addHandler(counter)
    try:
        stats = _run(settings)
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    if counter.count:
        raise FinishFailed(f"Aborted with {counter.count} warnings in strict mode!")
    return stats


def _run(settings: Settings) -> dict:
    site = settings.site_dir
    content_images = images.ImageSet(site, settings.docs_dir)
    for path, url in _media(settings.docs_dir):
        content_images.add(path, url)
    index = search.SearchIndex(settings.language.code)
    card_set = cards.CardSet(site, settings.site_name, settings.site_url, settings.language.code,
                             status=settings.card_status())
    entries: list[tuple[int, list]] = []  # (the engine's page order, the page's search entries)
    posts: list[feeds.Item] = []
    news_page: dict | None = None
    pages = StoredPages(settings, content_images)  # unchanged pages come from the cache (stored.py)
    for path in _pages(settings):
        done, docs = pages.finish(path.read_text(encoding="utf-8"))
        path.write_text(done.html, encoding="utf-8")
        values = done.values
        if values is None:
            continue
        if docs is not None:
            entries.append((values["order"], docs))
        card_set.add(values["url"], values["card"]["title"], values["card"]["description"], values["canonical"])
        if values.get("feed"):
            posts.append(feeds.item(values["feed"], done.feed_content))
        if values["url"] == news.NEWS_DIR + "/":
            news_page = values
    log.info(f"Pages: {pages.kept} from the cache, {pages.made} finished")  # benchmarks/build.py counts them
    material_bundle.disable_client_language_switch(site)
    with timings.phase("search index"):
        for _, docs in sorted(entries, key=lambda entry: entry[0]):
            index.docs.extend(docs)
        index.write(site)
    with timings.phase("images"):
        progress.SUMMARY.add_images(content_images.write())  # encodes only what .cache/images lacks
    with timings.phase("charts"):
        charts.write_images(site, settings.language.code)
    with timings.phase("cards"):
        card_set.write()
    if news_page is not None:
        _write_feeds(settings, news_page, posts)
    if settings.is_source:
        robots = languages.robots_txt(settings.root_url, list(settings.languages))
        (site / "robots.txt").write_text(robots, encoding="utf-8")
        memo.prune()  # kept results no build has used for a month (at most once a day)
    return {"pages": len(index.docs)}


def _pages(settings: Settings):
    """This language's HTML files; the other languages' folders below the root are theirs."""
    skip = settings.other_paths()
    for path in sorted(settings.site_dir.rglob("*.html")):
        rel = path.relative_to(settings.site_dir).as_posix()
        if any(rel.startswith(other) for other in skip):
            continue
        yield path


def _media(docs_dir: Path):
    """(file, its address in the site) for every file the engine publishes from docs/<code>/."""
    for folder, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(folder, name)
            yield path, news.media_url(path.relative_to(docs_dir).as_posix())


def _write_feeds(settings: Settings, news_page: dict, posts: list[feeds.Item]) -> None:
    """news/feed.xml and news/feed.json: the posts this build published, newest first."""
    base = settings.site_url
    meta = dict(title=f"{news_page['title']} – {settings.site_name}", description=news_page["description"],
                home_url=base + news.NEWS_DIR + "/", lang=settings.language.code)
    items = feeds.newest(posts)
    for name, render in ((news.FEED_RSS, feeds.rss), (news.FEED_JSON, feeds.json_feed)):
        target = settings.site_dir / name
        if target.exists():  # the engine publishes both files (empty) when the site has news
            target.write_text(render(items, feed_url=base + name, **meta), encoding="utf-8")


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1
