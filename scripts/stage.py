"""The staged docs: every page's Markdown with the site's markers expanded, written by
the prepare stage, read by the engine.

    docs/<code>/plan/index.md  ──expand──▸  <stage>/<code>/plan/index.md

Each staged page keeps its front matter as written, plus what the expansion
decided about the page (a lesson page's template and JSON-LD), and its body
has [[fact:…]], [[chart:…]], [[lesson…]], [[glossary]], {漢字|かんじ} …
expanded (scripts/page_markdown.py). MkDocs reads these instead of the sources
(hooks.py `on_page_read_source`), so file paths, dates and error messages still
name the sources; another engine can build the same folder (`python -m scripts
stage`, which also links the other files beside them: benchmarks/zensical_report.py).

Errors are raised here, in the prepare stage, naming the source file and line,
before any engine starts. Sources are only read.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts import catalogs, languages, news, page_markdown
from scripts.lessons import site as lesson_site

# MkDocs' own front-matter pattern (mkdocs.utils.meta.YAML_RE): the engine must split a staged page where we do.
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)


@dataclass(frozen=True)
class Stage:
    folder: Path  # <folder>/<code>/<src_uri>, one folder per language
    docs_root: Path  # the sources: docs/ (docs/<code>/…)

    def staged(self, src_dir: str | Path, src_uri: str) -> Path | None:
        """The staged copy of a page the engine reads from src_dir (docs/<code>); None if there is none."""
        try:
            code = Path(src_dir).resolve().relative_to(self.docs_root.resolve()).as_posix()
        except ValueError:
            return None
        path = self.folder / code / src_uri
        return path if path.is_file() else None

    def read(self, src_dir: str | Path | None, src_uri: str) -> str | None:
        """The staged page, front matter and all; None for a page the stage did not write
        (the blog's generated archive and category pages)."""
        path = self.staged(src_dir, src_uri) if src_dir else None
        return path.read_text(encoding="utf-8") if path else None

    def body(self, src_dir: str | Path | None, src_uri: str) -> str | None:
        """The staged page without its front matter, as MkDocs splits it."""
        text = self.read(src_dir, src_uri)
        if text is None:
            return None
        front, body = split(text)
        return body.lstrip("\n") if front else body


def page_url(src_uri: str, front_matter: dict | None = None) -> str:
    """A page's address below its language's root, as MkDocs gives it with use_directory_urls
    ("" for index.md, "plan/" for plan/index.md, "plan/directions/" for plan/directions.md);
    news posts are served where the blog plugin puts them (scripts/news.py)."""
    if news.is_post(src_uri) and front_matter is not None:
        return news.post_url(src_uri, front_matter)
    stem = src_uri[:-len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-len("index")]
        return stem
    return stem + "/"


def split(text: str) -> tuple[str, str]:
    """(front matter block as written, including its fences, or ""; the body)."""
    match = FRONT_MATTER.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def with_meta(front: str, added: dict) -> str:
    """The front matter as written, with the expansion's keys added before its closing fence."""
    if not added:
        return front
    lines = yaml.safe_dump(added, allow_unicode=True, sort_keys=True, width=10 ** 6)
    if not front:
        return f"---\n{lines}---\n"
    head, _, fence = front.rstrip("\n").rpartition("\n")
    return f"{head}\n{lines}{fence}\n"


def expand_page(source: Path, src_uri: str, language: languages.Language, root_url: str, extra: dict) -> str:
    """One page's staged text: its front matter (plus what the expansion adds) and its expanded body."""
    text = source.read_text(encoding="utf-8-sig")  # the engine reads the sources the same way
    front, body = split(text.replace("\r\n", "\n"))
    body = body.lstrip("\n") if front else body  # as MkDocs splits it (mkdocs.utils.meta.get_data)
    meta = (yaml.safe_load(FRONT_MATTER.match(front).group(1)) if front else None) or {}
    url = page_url(src_uri, meta if isinstance(meta, dict) else {})
    added: dict = {}

    def lessons(markdown: str) -> str:
        return lesson_site.page_markdown(markdown, meta, language.code, url, root_url + language.path + url, added)

    body = page_markdown.expand(body, source, language, url, catalogs.gettext(language.code), extra, lessons)
    return with_meta(front, added) + body


def write(folder: Path, docs_root: Path, langs: list[languages.Language], root_url: str, extra: dict) -> Stage:
    """Stage every page of every language (each in the language it is written in)."""
    folder.mkdir(parents=True, exist_ok=True)
    for lang in langs:
        src = docs_root / lang.code
        for source in sorted(src.rglob("*.md")):
            src_uri = source.relative_to(src).as_posix()
            if any(part.startswith(".") for part in source.relative_to(src).parts):
                continue  # MkDocs ignores dot-folders and dot-files
            target = folder / lang.code / src_uri
            staged = expand_page(source, src_uri, lang, root_url, extra)
            _write_if_changed(target, staged)
    return Stage(folder, docs_root)


def link_other_files(stage: Stage, langs: list[languages.Language], fallbacks: dict[str, list[str]]) -> None:
    """For another engine: the images and other files beside the staged pages (hard links where the
    file system allows, else copies), and each untranslated page as the source language's."""
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
        for page in fallbacks.get(lang.code, []):
            target = stage.folder / lang.code / page
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(stage.folder / langs[0].code / page, target)


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
