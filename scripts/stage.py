"""The staged docs: every page's Markdown with the site's markers expanded, written by
the prepare stage, read by the engine.

    docs/<code>/plan/index.md  ──expand──▸  <stage>/<code>/plan/index.md

Each staged page keeps its front matter as written, plus what the expansion
decided about the page (a lesson page's template and JSON-LD) and the values
its templates read that follow from the files (`site`: language alternates,
translation notice, last-updated date; scripts/page_data.py), and its body
has [[fact:…]], [[chart:…]], [[lesson…]], [[glossary]], {漢字|かんじ} …
expanded (scripts/page_markdown.py). MkDocs reads these instead of the sources
(hooks.py `on_page_read_source`), so file paths and error messages still name
the sources; another engine can build the same folder (`python -m scripts
stage`, which also links the other files beside them: benchmarks/zensical_report.py).

Errors are raised here, in the prepare stage, naming the source file and line,
before any engine starts. Sources are only read.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from scripts import ROOT, catalogs, git_dates, languages, memo, news, page_data, page_markdown, publisher, sanitize, translations
from scripts.lessons import site as lesson_site

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: the same values, faster
# MkDocs' own front-matter pattern (mkdocs.utils.meta.YAML_RE): the engine must split a staged page where we do.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


@dataclass(frozen=True)
class Stage:
    folder: Path  # <folder>/<code>/<src_uri>: each language's pages, its untranslated ones included
    docs_root: Path  # the sources: docs/ (docs/<code>/…)

    def read(self, code: str, src_uri: str | None) -> str | None:
        """The page as language `code`'s build renders it, front matter and all; None for a page
        the stage did not write (the blog's generated archive and category pages)."""
        path = self.folder / code / src_uri if src_uri else None
        return path.read_text(encoding="utf-8") if path is not None and path.is_file() else None

    def parts(self, code: str, src_uri: str | None) -> tuple[dict, str] | None:
        """(front matter, body) of the staged page, split as MkDocs splits it; None if there is none."""
        text = self.read(code, src_uri)
        if text is None:
            return None
        front, body = split(text)
        if not front:
            return {}, body
        return yaml.load(FRONT_MATTER.match(front).group(1), Loader=_LOADER) or {}, body.lstrip("\n")


def page_url(src_uri: str, front_matter: dict | None = None) -> str:
    """A page's address below its language's root, as MkDocs gives it with use_directory_urls
    ("" for index.md, "plan/" for plan/index.md, "plan/directions/" for plan/directions.md);
    news posts are served where the blog plugin puts them (scripts/news.py)."""
    if news.is_post(src_uri) and front_matter is not None:
        return news.post_url(src_uri, front_matter)
    stem = src_uri[:-len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/"


def split(text: str) -> tuple[str, str]:
    """(front matter block as written, including its fences, or ""; the body)."""
    match = FRONT_MATTER.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def with_meta(front: str, added: dict) -> str:
    """The front matter as written, with the expansion's keys added before its closing fence."""
    if not added:
        return front
    # libyaml's emitter where installed (ten times faster); the engine reads the same values either way.
    lines = yaml.dump(added, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                      sort_keys=True, width=10 ** 6)
    if not front:
        return f"---\n{lines}---\n"
    head, _, fence = front.rstrip("\n").rpartition("\n")
    return f"{head}\n{lines}{fence}\n"


def expand_page(source: Path, src_uri: str, language: languages.Language, root_url: str, extra: dict,
                values: Callable[[str, str], dict] | None = None, kept: "Kept | None" = None) -> str:
    """One page's staged text: its front matter (plus what the expansion adds, and the page's values
    under `site`) and its expanded body. language: the one it is written in; values(url, text): the
    values of the build it is staged for (page_data.PageData.file_values); kept: expansions kept
    between builds."""
    text = source.read_text(encoding="utf-8-sig")  # the engine reads the sources the same way
    front, body = split(text.replace("\r\n", "\n"))
    body = body.lstrip("\n") if front else body  # as MkDocs splits it (mkdocs.utils.meta.get_data)
    meta = (yaml.load(FRONT_MATTER.match(front).group(1), Loader=_LOADER) if front else None) or {}
    url = page_url(src_uri, meta if isinstance(meta, dict) else {})
    key = kept.key(src_uri, language.code, url, text) if kept else None
    found = kept.get(key) if kept else None
    if found is not None:
        added, body = found
    else:
        added = {}

        def lessons(markdown: str) -> str:
            return lesson_site.page_markdown(markdown, meta, language.code, url, root_url + language.path + url, added)

        body = page_markdown.expand(body, source, language, url, catalogs.gettext(language.code), extra, lessons)
        if kept:
            kept.put(key, added, body)
    if values is not None:
        added = {**added, page_data.STAGED_KEY: values(url, text)}
    return with_meta(front, added) + body


class Kept:
    """Expanded pages kept between builds (scripts/memo.py). An expansion is a pure function of the
    page's text, its address and language, the code and data (memo.inputs_version), the site's
    address and settings, and the lesson downloads it lists; all of them are in the key. It only
    raises errors (a page with one is never kept) and logs nothing, so a kept one loses no message."""

    def __init__(self, project: Path, root_url: str, extra: dict):
        lessons = lesson_site.state()
        result, site = lessons.get("result"), lessons.get("site")
        downloads = repr((sorted(result.lessons.items()), sorted(result.posters.items()), site)) if result else ""
        self.context = memo.digest(memo.inputs_version(project), root_url,
                                   json.dumps(extra, sort_keys=True, ensure_ascii=False, default=str), downloads)
        self.store = memo.Store("staged")

    def key(self, src_uri: str, code: str, url: str, text: str) -> str:
        return memo.digest(self.context, src_uri, code, url, text)

    # Our own HTML in a page is fenced with this build's secret (sanitize.Generated); a kept page
    # holds this mark in its place. It has a NUL, which no page can contain (source checks).
    SECRET_MARK = "\0generated-secret\0"

    def get(self, key: str) -> tuple[dict, str] | None:
        found = self.store.get(key)
        if isinstance(found, dict) and isinstance(found.get("added"), dict) and isinstance(found.get("body"), str):
            return found["added"], found["body"].replace(self.SECRET_MARK, sanitize.GENERATED.secret)
        return None

    def put(self, key: str, added: dict, body: str) -> None:
        if self.SECRET_MARK in body:
            return  # never: it would be read back as the secret
        self.store.put(key, {"added": added, "body": body.replace(sanitize.GENERATED.secret, self.SECRET_MARK)})


def write(folder: Path, docs_root: Path, langs: list[languages.Language], root_url: str, extra: dict,
          report: translations.Report) -> Stage:
    """Stage every page of every language's build: its own pages, each in the language it is written
    in, and its untranslated pages as the source language's (the translation policy's fallbacks)."""
    folder.mkdir(parents=True, exist_ok=True)
    dates = git_dates.load(ROOT)
    kept = Kept(docs_root.parent, root_url, extra)
    site_publisher = publisher.load()
    for lang in langs:
        data = page_data.PageData(lang, langs, docs_root, root_url, str(docs_root / lang.code), report, site_publisher)
        pages = [(lang, source) for source in sorted((docs_root / lang.code).rglob("*.md"))]
        pages += [(langs[0], docs_root / langs[0].code / page) for page in report.fallbacks(lang.code)]
        for written_in, source in pages:
            src_uri = source.relative_to(docs_root / written_in.code).as_posix()
            if any(part.startswith(".") for part in Path(src_uri).parts):
                continue  # MkDocs ignores dot-folders and dot-files
            fallback = written_in is not lang

            def values(url: str, text: str) -> dict:
                return data.file_values(src_uri, url, fallback, dates.page_date(source, text).isoformat())

            staged = expand_page(source, src_uri, written_in, root_url, extra, values, kept)
            _write_if_changed(folder / lang.code / src_uri, staged)
    return Stage(folder, docs_root)


def link_other_files(stage: Stage, langs: list[languages.Language]) -> None:
    """For another engine: the images and other files beside the staged pages (hard links where the
    file system allows, else copies)."""
    for lang in langs:
        src = stage.docs_root / lang.code
        for path in sorted(src.rglob("*")):
            if path.is_dir() or path.suffix == ".md":
                continue
            target = stage.folder / lang.code / path.relative_to(src)
            if target.exists():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)


def _write_if_changed(path: Path, text: str) -> None:
    """Unchanged pages keep their file (and its time): a preview's watcher sees only real edits."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
