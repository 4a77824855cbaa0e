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
import json
import os
import tempfile
from pathlib import Path

from scripts import ROOT, memo, sanitize, search, timings
from scripts.finish.config import Settings
from scripts.finish.pages import Finished, _note, finish_page, source
from scripts.problems import Problem, relative


_DATA = '<script type="application/json" data-finish="page">'  # the page's values (pages.py)


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
    """Everything of the settings a page's result depends on (not site_dir: a new folder each build;
    docs_dir as staff name it, so copies of the project share their pages)."""
    return repr((settings.language, settings.languages, settings.site_name, settings.site_url,
                 settings.root_url, relative(settings.docs_dir) if settings.docs_dir else None))


class StoredPages:
    """finish_page, with its results kept in CACHE/memo/finish."""

    def __init__(self, settings: Settings, images, cache_dir: Path | None = None):
        self.settings, self.images = settings, images
        self.store = memo.Store("finish", cache_dir)
        self.kept = self.made = 0  # pages from the cache, pages finished here
        project = settings.docs_dir.parent.parent if settings.docs_dir else None
        self.projects = tuple(Path(p).resolve() for p in (ROOT, project) if p is not None)
        self.base = memo.digest(memo.inputs_version(project), settings_key(settings))

    def finish(self, page_html: str) -> tuple[Finished, list | None]:
        """(the finished page, its search entries or None)."""
        key, src, moved = self._key(page_html)
        entry = self.store.get(key)
        if entry is not None:
            try:
                done = self._replay(entry, src, moved)
            except (KeyError, TypeError, ValueError, AttributeError):  # not an entry of ours: make it again
                done = None
            if done is not None:
                self.kept += 1
                return done
        self.made += 1
        return self._make(key, page_html)

    def _key(self, page_html: str) -> tuple[str, str | None, bool]:
        """(key, the page's source file, whether it is in a temporary folder).

        Two things in the engine's output differ between builds of the same sources, and the
        finished page holds neither: the secret that fences our own generated HTML (a new one
        per process: scripts/sanitize.py, Generated) and the temporary folder of the pages
        Material's blog plugin makes (archive, categories). The key is made of the pieces
        between them, so a page that merely contains the text around them never matches."""
        src = None
        start = page_html.find(_DATA)
        if start >= 0:
            end = page_html.find("</script>", start)
            try:
                src = json.loads(page_html[start + len(_DATA):end]).get("src")
            except (ValueError, AttributeError):
                src = None
        folder = self._temporary(src)
        pieces = page_html.split(folder) if folder else [page_html]
        secret = sanitize.GENERATED.secret
        key = memo.digest(self.base, self._source_text(src), len(pieces),
                          *(memo.digest(*piece.split(secret)) for piece in pieces))
        return key, src if isinstance(src, str) else None, folder is not None

    @staticmethod
    def _source_text(src) -> bytes:
        """The page's Markdown: the sanitizer's notes name its lines (an edit that leaves the
        HTML as it was can still move them)."""
        if not isinstance(src, str):
            return b"\0none"
        try:
            return source({"src": src}).read_bytes()
        except OSError:
            return b"\0unreadable"

    def _temporary(self, src) -> str | None:
        """The temporary folder (one a build makes anew) that holds the page's source, if so."""
        if not isinstance(src, str) or not os.path.isabs(src):
            return None
        path, tmp = Path(src), Path(tempfile.gettempdir())
        if any(path.is_relative_to(p) for p in self.projects) or not path.is_relative_to(tmp):
            return None
        parts = path.relative_to(tmp).parts
        return str(tmp / parts[0]) if len(parts) > 1 and parts[0].startswith("tmp") else None

    def _replay(self, entry: dict, src: str | None, moved: bool) -> tuple[Finished, list | None] | None:
        values, html, docs, feed_content = entry["values"], entry["html"], entry["docs"], entry["feed_content"]
        notes = [Problem(**fields) for fields in entry["notes"]]
        if not (isinstance(html, str) and isinstance(values, (dict, type(None))) and isinstance(docs, (list, type(None)))
                and isinstance(feed_content, (str, type(None))) and isinstance(entry["images"], list)):
            return None
        if moved:  # the source is in this build's temporary folder: name that one
            if notes or values is None:
                return None  # its notes named the earlier folder: made again
            values = dict(values, src=src)
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
