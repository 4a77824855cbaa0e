"""News (お知らせ / News): posts, categories, scheduling and language pairs.

Posts are Material's blog plugin posts in docs/<lang>/news/posts/<slug>.md,
one file per language with the same file name. This module holds what the
plugin does not know about our site:

- categories have one ASCII id and a name per language, so category pages get
  the same ASCII address in every language (news/category/announcements/);
- a post dated in the future stays out of the built site until that date in
  Japan (the build log says so); the preview server (make serve) shows it;
- a post may exist in one language only when its front matter says
  `single_language: true`; the other language's switcher then leads to its
  news index, and the post is listed only in its own language and feed;
- the language switcher of generated pages (archive, categories) leads to the
  same page in the other language when it exists there, else to its news index.

Nothing here imports MkDocs except where a MkDocs object is passed in.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scripts import datafiles, languages
from scripts import sources
from scripts.catalogs import N_, gettext

NEWS_DIR = "news"
POSTS_DIR = "news/posts"
AUTHORS_FILE = "news/.authors.yml"  # Material's blog reads it from each language's docs
FEED_RSS = "news/feed.xml"
FEED_JSON = "news/feed.json"
# Japan has no daylight saving time, so a fixed offset is exact and needs no tz database.
JST = dt.timezone(dt.timedelta(hours=9), "JST")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Category id -> its name, translated in each language's catalog (locales/). Posts write
# the name in their own language (categories: [お知らせ] / categories: [Announcements]); the
# address of the category page is the id in every language. Add a category here.
CATEGORIES: dict[str, str] = {
    "announcements": N_("Announcements"),
    "guides": N_("How to use this site"),
    "teachers": N_("For teachers"),
}
DEFAULT_CATEGORY = "announcements"
DEFAULT_AUTHOR = "editorial-team"
# True under the preview server (make serve): scheduled posts are shown there.
serving = False


def is_post(src_uri: str) -> bool:
    """news/posts/<name>.md (src_uri is relative to docs/<lang>/)."""
    return src_uri.startswith(POSTS_DIR + "/") and src_uri.endswith(".md")


def post_url(src_uri: str, meta: dict[str, Any]) -> str:
    """Where Material's blog serves a post, below the language's root: news/2026/11/29/site-launch/
    (its defaults, which mkdocs.yml keeps: post_url_format "{date}/{slug}", post_url_date_format
    "yyyy/MM/dd"). The lint requires `slug` and `date` (fm-required, post-slug), so both are set."""
    date = post_date(meta.get("date"))
    slug = meta.get("slug") or Path(src_uri).stem
    return f"{NEWS_DIR}/{date:%Y/%m/%d}/{slug}/" if date else f"{NEWS_DIR}/{slug}/"


def today() -> dt.date:
    """Today in Japan: a post dated 12月1日 appears from 00:00 JST that day."""
    return dt.datetime.now(JST).date()


def category_name(ident: str, lang: str) -> str:
    return gettext(lang)(CATEGORIES[ident])


def category_names(lang: str) -> list[str]:
    return [category_name(ident, lang) for ident in CATEGORIES]


def categories() -> dict[str, dict[str, str]]:
    """Category id -> {language code: its name} for every configured language."""
    return {ident: {code: category_name(ident, code) for code in languages.codes()} for ident in CATEGORIES}


def category_id(name: str) -> str | None:
    for ident, names in categories().items():
        if name in names.values():
            return ident
    return None


def category_slug(name: str, separator: str = "-") -> str:
    """Blog plugin slugify for categories: the ASCII id, in every language."""
    ident = category_id(name)
    if ident:
        return ident
    from pymdownx.slugs import slugify  # unknown names are stopped by the lint first

    return slugify(case="lower")(name, separator)


@dataclass(frozen=True)
class Post:
    path: Path  # docs/<lang>/news/posts/<name>.md
    lang: str
    src_uri: str  # news/posts/<name>.md
    meta: dict[str, Any]
    meta_lines: dict[str, int]  # front-matter key -> line in the file

    @property
    def date(self) -> dt.date | None:
        return post_date(self.meta.get("date"))

    @property
    def slug(self) -> str | None:
        slug = self.meta.get("slug")
        return str(slug) if slug is not None else None

    @property
    def single_language(self) -> bool:
        return self.meta.get("single_language") is True

    @property
    def draft(self) -> bool:
        return self.meta.get("draft") is True


def post_date(value: Any) -> dt.date | None:
    """`date: 2026-11-29`, a datetime, or `date: {created: …, updated: …}`."""
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return value.astimezone(JST).date()
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def read_front_matter(path: Path) -> tuple[dict[str, Any], dict[str, int], int]:
    """(front matter, line of each key, line where the body starts). Empty on errors:
    sources.check_page reports broken front matter with its line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}, {}, 1
    match = sources.FRONT_MATTER.match(text)
    if not match:
        return {}, {}, 1
    body_line = text[: match.end()].count("\n") + 1
    try:
        node = datafiles.compose(match.group(1) or "")
        meta = datafiles.load(match.group(1) or "")
    except (yaml.YAMLError, ValueError):  # ValueError: a date not in the calendar (sources.py names it)
        return {}, {}, body_line
    if not isinstance(meta, dict):
        return {}, {}, body_line
    lines = {}
    if node is not None and isinstance(node, yaml.MappingNode):
        lines = {key.value: key.start_mark.line + 2 for key, _ in node.value}  # +1 for "---", +1 1-based
    return meta, lines, body_line


def posts(root: Path, lang: str) -> list[Post]:
    """Every post of one language, sorted by file name. root is docs/."""
    folder = root / lang / POSTS_DIR
    result = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        meta, lines, _ = read_front_matter(path)
        result.append(Post(path, lang, path.relative_to(root / lang).as_posix(), meta, lines))
    return result


def is_scheduled(post: Post, on: dt.date | None = None) -> bool:
    date = post.date
    return date is not None and date > (on or today())


def hide_scheduled(files, config, serving: bool, on: dt.date | None = None) -> list[Post]:
    """Remove posts dated after today from a MkDocs build (not from the preview).

    Returns the hidden posts so the caller can log when each one appears.
    Material's own `draft_if_future_date` compares with UTC midnight, which in
    Japan is 09:00; removing the files here keeps the date in Japan's terms.
    """
    root = Path(config.docs_dir).parent
    lang = Path(config.docs_dir).name
    hidden = [p for p in posts(root, lang) if is_scheduled(p, on)]
    if serving:
        return hidden
    for post in hidden:
        file = files.get_file_from_path(post.src_uri)
        if file is not None:
            files.remove(file)
    return hidden


def configure_blog(config, lang: str) -> None:
    """Categories: only the names listed in CATEGORIES, with ASCII addresses."""
    plugin = config.plugins.get("material/blog")
    if plugin is None:
        return
    plugin.config.categories_allowed = category_names(lang)
    plugin.config.categories_slugify = category_slug


def single_language_exemptions() -> list[str]:
    """Patterns for languages.missing_counterparts: posts are checked by the lint
    instead (rule post-translation), which knows about `single_language: true`."""
    return [POSTS_DIR + "/*.md"]


def views(root: Path, lang: str, on: dt.date | None = None) -> set[str]:
    """src_uris of the archive and category pages the blog generates for a language."""
    result = set()
    for post in posts(root, lang):
        if post.draft or is_scheduled(post, on) or post.date is None:
            continue
        result.add(f"{NEWS_DIR}/archive/{post.date.year}.md")
        for name in post.meta.get("categories") or []:
            result.add(f"{NEWS_DIR}/category/{category_slug(str(name))}.md")
    return result


def adapt_alternates(alternates: list, src_uri: str, page_url: str, current_path: str, root: Path,
                     root_url: str, generated: bool) -> list:
    """Language switcher for news pages (see languages.alternates for the rest).

    Posts have the same file name, date and slug in every language (the lint
    checks it), so their addresses match and languages.alternates already
    links them. A post or generated page (archive, category) without a
    counterpart leads to the other language's news index, not its home page.
    """
    if not src_uri.startswith(NEWS_DIR + "/"):
        return alternates
    from scripts.languages import _relative_url

    here = current_path + page_url
    result = []
    for alt in alternates:
        lang = alt.language
        exists = alt.exists
        if generated:
            exists = lang.path == current_path or src_uri in views(root, lang.code)
        if exists and not generated:
            result.append(alt)
            continue
        target = lang.path + (page_url if exists else NEWS_DIR + "/")
        result.append(dataclasses.replace(alt, url=root_url + target, href=_relative_url(target, here),
                                          exists=exists))
    return result


def media_url(src_uri: str) -> str:
    """Where a file under docs/<lang>/ is published: as it is, but news/posts/x -> news/x."""
    return NEWS_DIR + src_uri[len(POSTS_DIR):] if src_uri.startswith(POSTS_DIR + "/") else src_uri


def move_post_media(files, config) -> None:
    """Images beside posts (news/posts/images/x.jpg) are published under news/ (news/images/x.jpg).

    Material's blog moves them in its own on_files, which runs after ours; doing
    it first lets every module (the image pipeline above all, which strips photo
    metadata) see the final address.
    """
    import os

    for file in files.media_files():
        if file.src_uri.startswith(POSTS_DIR + "/"):
            file.dest_uri = media_url(file.dest_uri)
            file.abs_dest_path = os.path.join(config.site_dir, file.dest_path)
            file.url = file.url.replace(POSTS_DIR, NEWS_DIR, 1)


def add_feed_files(files, config) -> None:
    """Register news/feed.xml and news/feed.json (filled by the finish stage, scripts/finish) so pages may link to them."""
    from mkdocs.structure.files import File

    for src in (FEED_RSS, FEED_JSON):
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=""))
