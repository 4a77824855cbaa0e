"""MkDocs hooks: thin glue from MkDocs events to the modules in scripts/.

Everything with logic lives in importable modules next to this file; keep
this file to wiring so a move to another engine is a port, not a rewrite.
"""
from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

# MkDocs loads hooks by file path, so make `import scripts` work.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts import CACHE, ROOT, catalogs, facts, formats, glossary, languages, material_bundle, segment_breaks, sources  # noqa: E402
from scripts.problems import ContentError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.site")


def _friendly(func):
    """Turn our content errors into MkDocs errors: a clear message, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ContentError, languages.LanguageConfigError, material_bundle.BundlePatchError) as e:
            raise PluginError(str(e)) from None

    return wrapper


def _site(config):
    langs = languages.load_languages(config.extra)
    return langs, languages.current_language(langs, config.theme["language"])


@event_priority(100)  # before Material's search plugin reads the theme's strings
@_friendly
def on_config(config):
    langs, lang = _site(config)
    # One site_url in mkdocs.yml: other languages live below it (…/en/).
    root_url = config.extra.get("site_root_url") or config.site_url
    if not root_url:
        raise PluginError("mkdocs.yml: site_url is not set; it is needed for hreflang links and sitemaps.")
    root_url = root_url.rstrip("/") + "/"
    config.extra["site_root_url"] = root_url
    config.site_url = root_url + lang.path
    # Compile this language's UI strings where MkDocs looks for them.
    out = CACHE / "i18n"
    _, catalog, problems = catalogs.compile_catalog(lang.code, out)
    for problem in problems:
        log.warning(str(problem))
    if str(out) not in config.theme.dirs:
        config.theme.dirs.insert(1, str(out))
    # Strings MkDocs sets outside templates also come from the catalog.
    toc = config.mdx_configs.setdefault("toc", {})
    toc["permalink_title"] = catalogs.translate(catalog, catalogs.N_("Link to this section"))
    footnotes = config.mdx_configs.setdefault("footnotes", {})
    footnotes["BACKLINK_TITLE"] = catalogs.translate(catalog, catalogs.N_("Back to the text (note %d)"))
    return config


@_friendly
def on_files(files, config):
    langs, _ = _site(config)
    source_problems = sources.check_sources(Path(config.docs_dir))
    if source_problems:
        raise ContentError(source_problems)
    problems = languages.missing_counterparts(languages.docs_root(config.docs_dir), langs)
    if problems:
        raise ContentError(problems)
    return files


@_friendly
def on_page_markdown(markdown, page, config, files):
    """Facts ([[fact:ID]]), charts ([[chart:ID]]) and the glossary list ([[glossary]])."""
    _, lang = _site(config)
    path = Path(config.docs_dir) / page.file.src_uri
    registry = facts.load_registry()
    chart_ids = _chart_ids()

    def chart_html(chart_id):
        import importlib

        try:
            charts = importlib.import_module("scripts.charts")
        except ImportError:  # the chart module is optional while it is being built
            return ""
        figure = getattr(charts, "figure_html", None)
        return figure(chart_id, lang.code, page.url) if figure else ""

    markdown = facts.render(markdown, lang.code, path, registry, chart_html, chart_ids)
    if lang.code == "ja":
        markdown = segment_breaks.join_cjk_lines(markdown)
    if "[[glossary]]" in markdown:
        markdown = markdown.replace("[[glossary]]", glossary.glossary_markdown(glossary.load_glossary(), lang.code))
    return markdown


@_friendly
def on_page_content(html, page, config, files):
    _, lang = _site(config)
    if page.file.src_uri.startswith("glossary/"):
        return html
    glossary_url = _relative(page.url, "glossary/")
    return glossary.annotate(html, glossary.load_glossary(), lang.code, glossary_url)


def _relative(page_url: str, target: str) -> str:
    from mkdocs.utils import get_relative_url

    return get_relative_url(target, page_url or ".")


def _chart_ids() -> set[str]:
    import yaml

    with open(ROOT / "data" / "charts.yml", encoding="utf-8") as f:
        return set((yaml.safe_load(f) or {}).keys())


def on_env(env, config, files):
    langs, lang = _site(config)
    root = languages.docs_root(config.docs_dir)
    root_url = config.extra["site_root_url"]

    def page_alternates(page):
        if page is None or getattr(page, "file", None) is None:
            return languages.alternates("index.md", "", lang, langs, root, root_url)  # e.g. 404.html
        return languages.alternates(page.file.src_uri, page.url, lang, langs, root, root_url)

    env.globals["page_alternates"] = page_alternates
    env.globals["site_language"] = lang
    env.filters["format_date"] = lambda value, fmt="long": formats.format_date(value, lang.code, fmt)
    env.filters["format_number"] = lambda value: formats.format_number(value, lang.code)
    env.filters["format_compact"] = lambda value: formats.format_compact(value, lang.code)
    return env


@_friendly
def on_post_build(config):
    material_bundle.disable_client_language_switch(config.site_dir)
    langs, lang = _site(config)
    if lang is not langs[0]:
        return
    robots = languages.robots_txt(config.extra["site_root_url"], langs)
    Path(config.site_dir, "robots.txt").write_text(robots, encoding="utf-8")
    # The source-language build also builds the others below its site_dir, so
    # `mkdocs build` and `mkdocs serve` always produce the whole bilingual site.
    from mkdocs.commands.build import build

    for other in langs[1:]:
        log.info(f"Building the {other.name} site into {other.path}")
        other_config = load_config(
            config_file=str(ROOT / other.config),
            site_dir=str(Path(config.site_dir) / other.path),
            strict=config.strict,
        )
        build(other_config)
