"""MkDocs glue for lesson packs; scripts/hooks.py calls these three functions.

    add_downloads(files, config)   on_files: check lesson pages, make every
                                   download (cached), publish this language's
    page_markdown(markdown, meta, …)
                                   the prepare stage's staged copy (scripts/stage.py):
                                   [[lesson]] on a lesson page, [[lesson-finder]] and
                                   [[lesson-posters]] on the teachers' page; adds the
                                   template and JSON-LD to its front matter
"""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import yaml
from mkdocs.structure.files import File

from scripts import datafiles, languages
from scripts.lessons import downloads, model, pages
from scripts.problems import ContentError, Problem, relative

log = logging.getLogger("mkdocs.hooks.lessons")
SECTION = "teachers"
TEMPLATE = "lesson.html"
LESSON = "[[lesson]]"
_state: dict = {}  # the result of downloads.prepare for this build, shared by every language


def _front_matter(path: Path) -> tuple[dict, dict]:
    """Front matter and the line of each key (1-based, in the file)."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n", text, re.S)
    if not match:
        return {}, {}
    try:
        node = datafiles.compose(match.group(1))
        data = datafiles.load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, {}  # scripts/sources.py reports broken front matter with its line
    lines = {k.value: k.start_mark.line + 2 for k, _ in (node.value if node else [])}
    return (data if isinstance(data, dict) else {}), lines


def check_pages(docs_root: Path, codes: list[str], lessons: list[model.Lesson]) -> None:
    """Every lesson has a page in every language, named after it, with the same title."""
    by_id = {lesson.id: lesson for lesson in lessons}
    problems = []
    for code in codes:
        folder = docs_root / code / SECTION
        found = set()
        for path in sorted(folder.glob("*.md")):
            if path.name == "index.md":
                continue
            meta, lines = _front_matter(path)
            lesson_id = meta.get("lesson")
            if lesson_id is None:
                continue  # an ordinary page in the teachers' section
            where = relative(path)
            if lesson_id not in by_id:
                problems.append(Problem("lesson-page", "error", where,
                                        f"`lesson: {lesson_id}` names no lesson in data/lessons/.",
                                        f"use the name of a file in data/lessons/ without .yml "
                                        f"(one of: {', '.join(sorted(by_id))}).", lines.get("lesson")))
                continue
            if path.stem != lesson_id:
                problems.append(Problem("lesson-page", "error", where,
                                        f"the page for lesson '{lesson_id}' is called {path.name}.",
                                        f"rename it to {lesson_id}.md so its address matches the lesson.",
                                        lines.get("lesson")))
            title = by_id[lesson_id].title.get(code)
            if title is not None and meta.get("title") != title:
                problems.append(Problem("lesson-title", "error", where,
                                        f"the title is “{meta.get('title')}”, but the lesson's {code} title is “{title}”.",
                                        f"make them the same (data/lessons/{lesson_id}.yml, line "
                                        f"{by_id[lesson_id].line.get('title', 1)}).", lines.get("title")))
            if LESSON not in path.read_text(encoding="utf-8"):
                problems.append(Problem("lesson-page", "error", where, f"the page has no {LESSON} line.",
                                        f"add a line with {LESSON} where the lesson should appear.", None))
            found.add(lesson_id)
        # A lesson needs a page in each language its data is written in (a new language may have none yet).
        for lesson_id in sorted(i for i in set(by_id) - found if code in by_id[i].title):
            problems.append(Problem("lesson-page", "error", relative(folder / f"{lesson_id}.md"),
                                    f"lesson '{lesson_id}' has no {code} page.",
                                    f"create it with front matter title, description and `lesson: {lesson_id}`, "
                                    f"and a line with {LESSON}.", None))
    if problems:
        raise ContentError(problems)


class _CachedDownload(File):
    """A download published from the lesson cache as a hard link, not a copy:
    35 MB of PDFs, slides and ZIPs per build. Nothing writes to published
    downloads, and a file already there is replaced, never written through."""

    def copy_file(self, dirty: bool = False) -> None:
        target = self.abs_dest_path
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if os.path.lexists(target):
                os.unlink(target)
            os.link(self.abs_src_path, target)
        except OSError:  # another file system, or links not allowed: copy
            super().copy_file(dirty)


def prepare_downloads(config) -> None:
    """Check lessons and their pages, and make every language's downloads (cached)."""
    langs = languages.load_languages(config.extra)
    # Lesson packs are made in the languages their data is written in; a newly added
    # site language gets none until data/lessons has its text.
    codes = [each.code for each in langs if each.code in model.lesson_languages()]
    lessons = model.load_lessons()
    posters = model.load_posters()
    check_pages(languages.docs_root(config.docs_dir), codes, lessons)
    site = downloads.site_info(config.extra)
    result = downloads.prepare(lessons, posters, site, codes)
    _state.update(result=result, site=site, key=_key(config), lessons=lessons, posters=posters)
    log.info(f"Lesson packs: {result.made} files made, {result.cached} from the cache, "
             f"in {result.seconds:.1f} s ({downloads.cache_root()})")


def state() -> dict:
    """What prepare_downloads made, for the engine processes (scripts/prepare.py)."""
    return dict(_state)


def restore(saved: dict) -> None:
    _state.clear()
    _state.update(saved)


def _key(config) -> tuple[str, str]:
    return str(languages.docs_root(config.docs_dir)), config.extra["site_root_url"]


def add_downloads(files, config, prepared: bool = False):
    """Publish this language's downloads, after prepare_downloads.

    The source language prepares every language (prepared=True when it has
    just done so); the others reuse that result. A lone `mkdocs build -f
    mkdocs.en.yml`, or a build of another copy of the project, prepares its own.
    """
    langs = languages.load_languages(config.extra)
    lang = languages.current_language(langs, config.theme["language"])
    if not prepared and (lang is langs[0] or _state.get("key") != _key(config)):
        prepare_downloads(config)
    for item in _state["result"].for_language(lang.code):
        files.append(_CachedDownload.generated(config, item.path, abs_src_path=str(item.source)))
    return files


def page_markdown(markdown: str, meta: dict, lang: str, page_url: str, canonical_url: str, added: dict) -> str:
    """Fill [[lesson]], [[lesson-finder]] and [[lesson-posters]] for this page (lang: the language it is
    written in; page_url: its address below that language's root). The page's template and JSON-LD go
    in `added`, the keys the staged copy adds to its front matter (scripts/stage.py)."""
    lesson_id = meta.get("lesson")
    if lesson_id is None and pages.FINDER not in markdown and pages.POSTERS not in markdown:
        return markdown
    from mkdocs.utils import get_relative_url

    result, site = _state["result"], _state["site"]
    lessons = _state["lessons"]
    added["template"] = TEMPLATE
    if lesson_id is not None:
        lesson = next(l for l in lessons if l.id == lesson_id)
        own = result.lessons[(lesson.id, lang)]
        posters = result.posters.get((lesson.field, lang), [])
        markdown = markdown.replace(LESSON, pages.lesson_markdown(lesson, lang, own, posters), 1)
        added["lesson_jsonld"] = pages.json_ld(lesson, lang, canonical_url, own, site["publisher_ld"][lang])
    if pages.FINDER in markdown:
        finder = pages.finder_html(lessons, lang, lambda l: get_relative_url(f"{SECTION}/{l.id}/", page_url))
        markdown = markdown.replace(pages.FINDER, finder, 1)
    if pages.POSTERS in markdown:
        by_field = {field: items for (field, code), items in result.posters.items() if code == lang}
        markdown = markdown.replace(pages.POSTERS, pages.posters_markdown(_state["posters"], lang, by_field), 1)
    return markdown
    from mkdocs.utils import get_relative_url

    lang = languages.current_language(languages.load_languages(config.extra), config.theme["language"]).code
    result, site = _state["result"], _state["site"]
    lessons = _state["lessons"]
    page.meta["template"] = TEMPLATE
    if lesson_id is not None:
        lesson = next(l for l in lessons if l.id == lesson_id)
        own = result.lessons[(lesson.id, lang)]
        posters = result.posters.get((lesson.field, lang), [])
        markdown = markdown.replace(LESSON, pages.lesson_markdown(lesson, lang, own, posters), 1)
        page.meta["lesson_jsonld"] = pages.json_ld(lesson, lang, page.canonical_url or "", own,
                                                   site["publisher_ld"][lang])
    if pages.FINDER in markdown:
        finder = pages.finder_html(lessons, lang, lambda l: get_relative_url(f"{SECTION}/{l.id}/", page.url))
        markdown = markdown.replace(pages.FINDER, finder, 1)
    if pages.POSTERS in markdown:
        by_field = {field: items for (field, code), items in result.posters.items() if code == lang}
        markdown = markdown.replace(pages.POSTERS, pages.posters_markdown(_state["posters"], lang, by_field), 1)
    return markdown
