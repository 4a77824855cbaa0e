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

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority  # noqa: E402

from scripts import CACHE, ROOT, catalogs, datafiles, facts, glossary, languages, material_bundle, segment_breaks, sources  # noqa: E402
from scripts import finish, furigana, search  # noqa: E402
from scripts import page_data, translations  # noqa: E402
from scripts import accessibility  # noqa: E402
from scripts import charts, images, publisher  # noqa: E402
from scripts import engine, git_dates, lint, news, prepare, progress, sanitize, timings  # noqa: E402
from scripts.lessons import pages as lesson_pages, site as lesson_site  # noqa: E402
from scripts.problems import ContentError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.site")
# Per language code: this build's translation report and notice template (scripts/translations.py).
_translations: dict[str, translations.Report] = {}


def _friendly(func):
    """Turn our content errors into MkDocs errors: a clear message, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ContentError, languages.LanguageConfigError, material_bundle.BundlePatchError, finish.FinishFailed) as e:
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
    # Who publishes the site; a production build stops on placeholder settings (scripts/publisher.py).
    publisher.check_production(publisher.load())
    # Compile this language's UI strings where MkDocs looks for them.
    out = ROOT / ".cache" / "i18n"  # per checkout: a shared SITE_CACHE_DIR must not mix catalogs
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
    news.configure_blog(config, lang.code)  # news categories: ASCII addresses, allowed names
    if lang is langs[0]:  # once per whole build: summary, and one `git log` for every page's date
        progress.start_build()
        timings.reset()
        dates = git_dates.load(ROOT, refresh=True)
        progress.SUMMARY.note(f"last updated / 最終更新: {len(dates.committed)} files dated by git, "
                              f"{len(dates.changed)} uncommitted (file time), {dates.seconds * 1000:.0f} ms")
        if dates.shallow:
            log.info("Last updated: this is a shallow git clone, so page dates may be wrong (fetch-depth: 0).")
    return config


def on_build_error(error):
    _translations.clear()  # no report of a failed build is reused


def on_startup(command, dirty):
    news.serving = command == "serve"  # the preview shows posts dated in the future


@_friendly
def on_files(files, config):
    langs, lang = _site(config)
    root = languages.docs_root(config.docs_dir)
    # Started by scripts/engine.py: the prepare stage has checked every language already.
    prepared = prepare.load()
    if prepared is not None:
        report = prepared.report
    else:
        with timings.phase("checks"):
            source_problems = sources.check_sources(Path(config.docs_dir))
            if source_problems:
                raise ContentError(source_problems)
            # Missing and orphaned pages fail or fall back, stale ones warn: data/translation-policy.yml.
            # The source build makes the report; the builds it runs after itself reuse it.
            report = _translations.get(langs[0].code) if lang is not langs[0] else None
            report = report or translations.check_build(root, langs[0].code, [other.code for other in langs[1:]])
    _translations[lang.code] = report
    if lang is not langs[0]:
        # INFO, not WARNING: "warn" must not stop the strict build. Details: make translations.
        log.info(translations.build_summary(report, lang.code))
        for problem in report.warnings():
            log.debug(str(problem))
        translations.add_fallbacks(files, config, report, lang.code, root / langs[0].code)
    if prepared is None:
        if lang is langs[0]:
            # Lesson packs: check data/lessons and the lesson pages, make downloads (cached).
            with timings.phase("lesson PDFs"):
                lesson_site.prepare_downloads(config)
        # Content lint (scripts/lint): errors stop the build, warnings and notes are logged;
        # the source build lints every language.
        with timings.phase("checks"):
            lint.for_build(root, [each.code for each in langs], lang.code, report)
    # News: posts dated after today (Japan time) wait for their day (the lint's post-scheduled
    # note says so in the log); the preview shows them. Feeds are filled in on_env.
    news.hide_scheduled(files, config, news.serving)
    news.move_post_media(files, config)  # before the images below see their addresses
    news.add_feed_files(files, config)
    # Lesson packs: publish this language's downloads.
    with timings.phase("lesson PDFs"):
        files = lesson_site.add_downloads(files, config, prepared=lang is langs[0])
    return files


def _source_path(page, config) -> Path:
    """The page's file; a translation fallback's is under the source language's docs."""
    return Path(page.file.abs_src_path or Path(config.docs_dir) / page.file.src_uri)


def _content_language(page, config):
    """A page served untranslated (a translation fallback) is in the source language."""
    langs, lang = _site(config)
    source_dir = languages.docs_root(config.docs_dir) / langs[0].code
    return langs[0] if translations.is_fallback(page.file, source_dir, config.docs_dir) else lang


@_friendly
def on_page_markdown(markdown, page, config, files):
    """Facts ([[fact:ID]]), charts ([[chart:ID]]) and the glossary list ([[glossary]])."""
    lang = _content_language(page, config)
    path = _source_path(page, config)
    if page.file.abs_src_path and page.file.generated_by is None:
        # Last updated (shown on the page, sitemap <lastmod>): the page's file or the data it shows.
        page.update_date = git_dates.load(ROOT).page_date(page.file.abs_src_path, markdown).isoformat()
    if lang != _site(config)[1]:  # translation fallback: not in this language's search, canonical = original
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        page.canonical_url = config.extra["site_root_url"] + lang.path + page.url
    markdown = furigana.page_markdown(markdown, path)  # {漢字|かんじ} first: its errors name the file's line
    images.check_alt_file(path, lang.code)  # alt text in the page's language, with the line
    markdown = sanitize.GENERATED.fence(markdown, lesson_pages.FINDER)  # our finder's form is not page content
    markdown = lesson_site.page_markdown(markdown, page, config)  # [[lesson]], [[lesson-finder]]: before facts
    registry = facts.load_registry()
    chart_ids = _chart_ids()

    def chart_html(chart_id):
        return charts.figure_html(chart_id, lang.code, page.url)

    markdown = facts.render(markdown, lang.code, path, registry, chart_html, chart_ids)
    markdown = publisher.render(markdown, lang.code, path)  # [[publisher:name]] etc. (About)
    if lang.code == "ja":
        markdown = segment_breaks.join_cjk_lines(markdown)
    if "[[glossary]]" in markdown:
        markdown = markdown.replace("[[glossary]]", glossary.glossary_markdown(glossary.load_glossary(), lang.code))
    # The accessibility statement's results table (data/accessibility-results.yml).
    markdown = accessibility.replace_placeholder(markdown, lang.code, lambda msgid: _ui(lang.code, msgid),
                                                 config.extra, page.url)
    return markdown


def on_page_content(html, page, config, files):
    progress.page_rendered(_site(config)[1].code)
    return html  # the finish stage works on it, after the engine (scripts/finish)


@functools.lru_cache(maxsize=None)
def _ui(locale: str, msgid: str) -> str:
    return catalogs.translate(catalogs.read_catalog(catalogs.po_path(locale), locale), msgid)


def on_pre_build(config):
    search.skip_material_index(config.plugins)  # ours replaces Material's index (finish stage)


def on_post_page(output, page, config):
    progress.page_written(_site(config)[1].code)
    return output


@event_priority(-100)  # after the blog plugin has added its posts and archive pages
def on_nav(nav, config, files):
    progress.pages_started(_site(config)[1].code, len(files.documentation_pages()))
    return nav


def _chart_ids() -> set[str]:
    return set((datafiles.load_file(ROOT / "data" / "charts.yml") or {}).keys())


def on_env(env, config, files):
    langs, lang = _site(config)
    # Compiled templates are kept between builds: compiling Material's templates
    # anew was a large share of a warm build. Jinja checks each template's source.
    import jinja2

    (CACHE / "jinja").mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(CACHE / "jinja"))
    root = languages.docs_root(config.docs_dir)
    root_url = config.extra["site_root_url"]

    # The values templates read (scripts/page_data.py), set on every page once all are read and
    # before MkDocs renders sitemap.xml; 404.html has no page, so its links (to each home) go in the config.
    blog = getattr(config.plugins.get("material/blog"), "blog", None)
    data = page_data.PageData(lang, langs, root, root_url, config.docs_dir, _translations.get(lang.code),
                              publisher.load(), lambda msgid: _ui(lang.code, msgid), config.site_name,
                              config.site_description or "", config.site_url, tuple(blog.posts) if blog else ())
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.meta["site"] = data.for_page(file.page)
    config.extra["home_alternates"] = data.alternates(None)
    env.globals["site_language"] = lang
    env.globals["publisher"] = publisher.load().view(lang.code)  # status notice, footer, feedback link (values)
    env.globals["framing"] = facts.framing(lang.code)  # the outline's date and the final plan's (values)
    return env


@_friendly
def on_post_build(config):
    if prepare.load() is not None:
        return  # scripts/engine.py finishes each language after its engine run, then reports
    # Started by MkDocs itself (`mkdocs build`, `make serve`): finish this language, then build
    # the other languages below this site_dir, so the preview is always the whole site.
    finish.run(finish.from_mkdocs(config))
    langs, lang = _site(config)
    if lang is not langs[0]:
        return
    engine.build_here(langs[1:], config.site_dir, config.strict)
    _translations.clear()  # the next build, or a lone build of another language, checks again
    log.info(progress.end_build(config.site_dir, timings.snapshot()))
