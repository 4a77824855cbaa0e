"""Finished pages kept between builds: a page whose engine output, settings and
inputs (code, data, catalogs, packages: scripts/memo.py) are unchanged is not
worked on again; its published HTML and search entries come from the cache.

What finishing a page does besides its result is kept with it and done again on
a hit, so a build from the cache says and checks what a fresh one does:

* the sanitizer's notes are logged again;
* each content image the page uses is registered and checked again (its file
  may have changed while the page did not): the page's entry holds what each
  image's plan was, and a different plan now makes the page a miss.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from scripts import memo, search, timings
from scripts.finish.config import Settings
from scripts.finish.pages import Finished, _note, finish_page, source
from scripts.problems import Problem, relative


class _Uses(dict):
    """An image set's sources that note which ones a page looked up."""

    def __init__(self, sources: dict):
        super().__init__(sources)
        self.used: list[str] = []

    def get(self, key, default=None):
        found = super().get(key, default)
        if found is not None and key not in self.used:
            self.used.append(key)
        return found


def _plan(source_image) -> str:
    return repr((source_image.plan, source_image.svg_size))


def settings_key(settings: Settings) -> str:
    """Everything of the settings a page's result depends on (not site_dir: a new folder each build)."""
    return repr((settings.language, settings.languages, settings.site_name, settings.site_url,
                 settings.root_url, str(settings.docs_dir)))


class StoredPages:
    """finish_page, with its results kept in CACHE/memo/finish."""

    def __init__(self, settings: Settings, images, cache_dir: Path | None = None):
        self.settings, self.images = settings, images
        self.store = memo.Store("finish", cache_dir)
        project = settings.docs_dir.parent.parent if settings.docs_dir else None
        self.base = memo.digest(memo.inputs_version(project), settings_key(settings))

    def finish(self, page_html: str) -> tuple[Finished, list | None]:
        """(the finished page, its search entries or None)."""
        key = memo.digest(self.base, page_html)
        entry = self.store.get(key)
        if entry is not None:
            try:
                done = self._replay(entry)
            except (KeyError, TypeError, ValueError, AttributeError):  # not an entry of ours: make it again
                done = None
            if done is not None:
                return done
        return self._make(key, page_html)

    def _replay(self, entry: dict) -> tuple[Finished, list | None] | None:
        values, html, docs, feed_content = entry["values"], entry["html"], entry["docs"], entry["feed_content"]
        notes = [Problem(**fields) for fields in entry["notes"]]
        if not (isinstance(html, str) and isinstance(values, (dict, type(None))) and isinstance(docs, (list, type(None)))
                and isinstance(feed_content, (str, type(None))) and isinstance(entry["images"], list)):
            return None
        sources = getattr(self.images, "sources", None)
        for url, plan in entry["images"]:
            image = sources.get(url) if isinstance(sources, dict) else None
            if image is None:
                return None
            page_file = relative(source(values))  # as page_content() names it
            if page_file not in image.pages:
                image.pages.append(page_file)
            self.images._check(image)  # as rewrite() does: an image that is now broken still stops the build
            if _plan(image) != plan:
                return None  # the image changed: the page is made again (its notes not yet logged)
        for problem in notes:
            _note(problem)
        return Finished(html, values, feed_content=feed_content or ""), docs

    def _make(self, key: str, page_html: str) -> tuple[Finished, list | None]:
        notes: list[Problem] = []

        def note(problem: Problem) -> None:
            notes.append(problem)
            _note(problem)

        sources = getattr(self.images, "sources", None)
        uses = _Uses(sources) if isinstance(sources, dict) else None
        if uses is not None:
            self.images.sources = uses
        try:
            done = finish_page(page_html, self.settings, self.images, note)
        finally:
            if uses is not None:
                self.images.sources = sources
        values, docs = done.values, None
        if values is not None and values.get("search"):
            with timings.phase("search index"):
                docs = search.page_docs(done.content, values["url"], values["search"]["title"],
                                        values["search"]["description"])
        self.store.put(key, {
            "html": done.html, "values": values, "docs": docs,
            "feed_content": done.feed_content if values and values.get("feed") else None,
            "notes": [dataclasses.asdict(p) for p in notes],
            "images": [[url, _plan(sources[url])] for url in (uses.used if uses is not None else [])],
        })
        return done, docs
