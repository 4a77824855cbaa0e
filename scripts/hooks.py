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

from scripts import CACHE, ROOT, catalogs, engine, finish, languages, material_bundle  # noqa: E402
from scripts import news, page_data, prepare, progress, publisher, search, timings  # noqa: E402
from scripts import translations  # noqa: E402
from scripts.lessons import site as lesson_site  # noqa: E402
from scripts.problems import ContentError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.site")


def _friendly(func):
    """Turn our content errors into MkDocs errors: a clear message, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (ContentError, languages.LanguageConfigError, material_bundle.BundlePatchError, finish.FinishFailed,
                engine.EngineFailed) as e:
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
    engine.keep_compiled_templates(config.theme, CACHE / "jinja")
    # Strings MkDocs sets outside templates also come from the catalog.
    toc = config.mdx_configs.setdefault("toc", {})
    toc["permalink_title"] = catalogs.translate(catalog, catalogs.N_("Link to this section"))
    footnotes = config.mdx_configs.setdefault("footnotes", {})
    footnotes["BACKLINK_TITLE"] = catalogs.translate(catalog, catalogs.N_("Back to the text (note %d)"))
    news.configure_blog(config, lang.code)  # news categories: ASCII addresses, allowed names
    if lang is langs[0] and not prepare.in_engine():  # MkDocs started this build (`make serve`, `mkdocs build`)
        progress.start_build()
        timings.reset()
        # The other languages start now, in their own processes, and render beside this one.
        engine.beside_start(langs[1:], config.strict, root_url, news.serving)
    return config


def on_build_error(error):
    prepare.forget()  # no report of a failed build is reused
    engine.beside_cancel()


def on_startup(command, dirty):
    news.serving = command == "serve"  # the preview shows posts dated in the future


@_friendly
def on_files(files, config):
    langs, lang = _site(config)
    # Checks, translation report, every rule, lesson downloads: scripts/engine.py's prepare stage,
    # or, when MkDocs started this build (`mkdocs build`, `make serve`), the same stage here.
    prepared = prepare.current(config, langs, lang, start=True)
    if lang is langs[0]:
        engine.beside_prepared(prepared)  # the other languages' processes go on with it
    if lang is not langs[0]:
        # INFO, not WARNING: "warn" must not stop the strict build. Details: make translations.
        log.info(translations.build_summary(prepared.report, lang.code))
        translations.add_fallbacks(files, config, prepared.report, lang.code,
                                   languages.docs_root(config.docs_dir) / langs[0].code)
    # News: posts dated after today (Japan time) wait for their day (the lint's post-scheduled
    # note says so in the log); the preview shows them. The finish stage fills the feeds.
    news.hide_scheduled(files, config, news.serving)
    news.move_post_media(files, config)  # before anything sees their addresses
    news.add_feed_files(files, config)
    with timings.phase("lesson PDFs"):  # this language's lesson downloads
        return lesson_site.add_downloads(files, config, prepared=True)


def on_page_read_source(page, config):
    """The staged copy of the page (scripts/stage.py): its markers are expanded, and its front
    matter carries its values (`site`) and what the expansion decided (a lesson page's template)."""
    langs, lang = _site(config)
    return prepare.current(config, langs, lang).stage.read(lang.code, page.file.src_uri)


@_friendly
def on_page_markdown(markdown, page, config, files):
    langs, lang = _site(config)
    if page.meta.get(page_data.STAGED_KEY) is None:
        # News posts read their own file (Material's blog), not on_page_read_source: the staged page here.
        staged = prepare.current(config, langs, lang).stage.parts(lang.code, page.file.src_uri)
        if staged is not None:
            meta, markdown = staged
            for key, value in meta.items():
                page.meta.setdefault(key, value)
    page_data.before_render(page, config.docs_dir, langs, lang, config.extra["site_root_url"])
    return markdown


def on_page_content(html, page, config, files):
    progress.page_rendered(_site(config)[1].code)
    return html  # the finish stage works on it, after the engine (scripts/finish)


def on_pre_build(config):
    search.skip_material_index(config.plugins)  # ours replaces Material's index (finish stage)


def on_post_page(output, page, config):
    progress.page_written(_site(config)[1].code)
    return output


@event_priority(-100)  # after the blog plugin has added its posts and archive pages
def on_nav(nav, config, files):
    progress.pages_started(_site(config)[1].code, len(files.documentation_pages()))
    return nav


def on_env(env, config, files):
    langs, lang = _site(config)
    root = languages.docs_root(config.docs_dir)
    root_url = config.extra["site_root_url"]

    # The values templates read (scripts/page_data.py), set on every page once all are read and
    # before MkDocs renders sitemap.xml; 404.html has no page, so its links (to each home) go in the config.
    blog = getattr(config.plugins.get("material/blog"), "blog", None)
    data = page_data.PageData(lang, langs, root, root_url, config.docs_dir, prepare.current(config, langs, lang).report,
                              publisher.load(), catalogs.gettext(lang.code), config.site_name,
                              config.site_description or "", config.site_url, tuple(blog.posts) if blog else ())
    for file in files.documentation_pages():
        if file.page is not None:
            file.page.meta["site"] = data.for_page(file.page)
    config.extra["home_alternates"] = data.alternates(None)
    config.extra["site_wide"] = data.site_wide()  # 404.html's publisher and framing
    env.globals["site_language"] = lang
    return env


@_friendly
def on_post_build(config):
    if prepare.load() is not None:
        return  # scripts/engine.py finishes each language after its engine run, then reports
    # Started by MkDocs itself (`mkdocs build`, `make serve`): finish this language, then put the
    # other languages (rendered beside it) below this site_dir, so the preview is always the whole site.
    finish.run(finish.from_mkdocs(config))
    langs, lang = _site(config)
    if lang is not langs[0]:
        return
    engine.beside_finish(config.site_dir)
    prepare.forget()  # the next build, or a lone build of another language, checks again
    log.info(progress.end_build(config.site_dir, timings.snapshot()))
