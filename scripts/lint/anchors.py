"""The anchors (#ids) a page will have, found by rendering it with the same
Markdown extensions as the build (read from mkdocs.yml), so the lint agrees
with MkDocs about Japanese headings (#なぜ大切), duplicates (_1) and {#ids}."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import markdown

from scripts import ROOT, facts

ID_ATTR = re.compile(r"\bid\s*=\s*[\"']([^\"']+)[\"']")
NAME_ATTR = re.compile(r"<a\b[^>]*\bname\s*=\s*[\"']([^\"']+)[\"']", re.I)


@functools.lru_cache(maxsize=4)
def markdown_extensions(config_file: Path = ROOT / "mkdocs.yml") -> tuple[list, dict]:
    """The Markdown extensions and their settings in mkdocs.yml: one list for the build's
    renderer, the anchors here and the sanitizer's check (scripts/sanitize.py)."""
    import yaml

    # The project's own settings, which MkDocs executes anyway: the full loader builds the
    # !!python/object/apply:pymdownx.slugs.slugify it names, without importing MkDocs here.
    with open(config_file, encoding="utf-8") as f:
        config = yaml.load(f, Loader=yaml.UnsafeLoader) or {}
    names, configs = ["toc", "tables", "fenced_code"], {}  # MkDocs always adds these three
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, dict):
            (name, options), = item.items()
            configs[name] = options or {}
        else:
            name = item
        if name not in names:
            names.append(name)
    return names, configs


def render_ids(body: str, glossary_ids: frozenset[str] = frozenset(), version: str | None = None) -> frozenset[str]:
    """Every id="…" the page body produces (headings, {#id}, raw HTML, footnotes); kept between
    runs (scripts/memo.py) while the text, the glossary's ids and the code and settings stay the same."""
    from scripts import memo

    store = memo.Store("anchors")
    key = memo.digest(version or memo.inputs_version(), body, sorted(glossary_ids) if "[[glossary]]" in body else "")
    kept = store.get(key)
    if isinstance(kept, list) and all(isinstance(i, str) for i in kept):
        return frozenset(kept)
    ids = _render_ids(body, glossary_ids)
    store.put(key, sorted(ids))
    return ids


def _render_ids(body: str, glossary_ids: frozenset[str]) -> frozenset[str]:
    names, configs = markdown_extensions()
    # A fact becomes its value in the build; its id is a fine stand-in for the heading slug here.
    text = facts.PLACEHOLDER.sub(lambda m: m.group(2), body)
    html = markdown.Markdown(extensions=names, extension_configs=configs).convert(text)
    ids = set(ID_ATTR.findall(html)) | set(NAME_ATTR.findall(html))
    if "[[glossary]]" in body:
        ids |= glossary_ids
    return frozenset(ids)
