"""The lint rules. Each one: an English id, a severity, a Japanese message that
names the file and line, and how to fix it (scripts/lint/__init__.py).

Content types and their front matter (the schema):

    page    title, description                      (docs/<lang>/**.md)
    post    title, description, date, slug, authors, categories; tags, draft,
            single_language, pin optional             (docs/<lang>/news/posts/*.md)
    lesson  title, description; `lesson: ID` must name data/lessons/ID.yml; the lesson
            data itself is checked by scripts/lessons, which this lint calls (data-files)
"""
from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from scripts import datafiles
from scripts import ROOT, catalogs, facts, furigana, images, languages, news, plain_language
from scripts.lint import problem, rule
from scripts.lint.anchors import render_ids
from scripts.lint.document import Document
from scripts.problems import ContentError, Problem, relative

# --------------------------------------------------------------------------- context

# Keys other modules read: translation (scripts/translations.py), furigana (scripts/furigana.py),
# lesson (scripts/lessons); the rest are Material's.
COMMON_KEYS = {"title", "description", "hide", "icon", "status", "search", "template", "tags",
               "translation", "subtitle", "robots", "furigana", "lesson"}
PAGE_KEYS = COMMON_KEYS
POST_KEYS = COMMON_KEYS | {"date", "slug", "authors", "categories", "draft", "pin", "single_language",
                           "readtime", "links"}
REQUIRED = {
    "page": ("title", "description"),
    "lesson": ("title", "description"),
    "post": ("title", "description", "date", "slug", "authors", "categories"),
}
# Lengths in characters, by whether the language's script is written full-width (extra.languages
# `script`). Search engines show about 30 Japanese / 60 English characters of a title and about
# 120 / 160 of a description; longer text is cut off.
TITLE_MAX = {"full-width": 40, "narrow": 70}
DESCRIPTION_MAX = {"full-width": 120, "narrow": 160}
DESCRIPTION_MIN = {"full-width": 10, "narrow": 20}


def _width(lang: str) -> str:
    return "full-width" if lang in languages.codes() and languages.get(lang).full_width else "narrow"
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
GLOSSARY_PAGE = "glossary/index.md"


@dataclass
class Context:
    root: Path  # docs/
    languages: list[str]
    today: dt.date
    _documents: dict[tuple[str, str], Document | None] = field(default_factory=dict)
    _files: dict[str, set[str]] = field(default_factory=dict)
    _anchors: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)
    # Set when a check reads another file of docs/ (the file list, another page, its anchors, the
    # authors): a page rule that did so is run again every build (scripts/lint/__init__.py).
    crossed: bool = False

    @classmethod
    def create(cls, root: Path, languages: list[str], today: dt.date | None = None) -> "Context":
        return cls(Path(root), languages, today or news.today())

    def files(self, lang: str) -> set[str]:
        """Every file below docs/<lang>/ (paths relative to it), without hidden ones."""
        self.crossed = True
        if lang not in self._files:
            folder = self.root / lang
            self._files[lang] = {
                p.relative_to(folder).as_posix() for p in folder.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            } if folder.is_dir() else set()
        return self._files[lang]

    def document(self, lang: str, src_uri: str) -> Document | None:
        self.crossed = True
        key = (lang, src_uri)
        if key not in self._documents:
            path = self.root / lang / src_uri
            try:
                self._documents[key] = Document.load(path, lang, src_uri)
            except (OSError, UnicodeDecodeError):  # reported by scripts/sources.py (not-utf8)
                self._documents[key] = None
        return self._documents[key]

    def documents(self, lang: str) -> list[Document]:
        docs = (self.document(lang, src) for src in sorted(self.files(lang)) if src.endswith(".md"))
        return [d for d in docs if d is not None]

    def anchors(self, lang: str, src_uri: str) -> frozenset[str]:
        """Rendered only for pages that some link points into (a few ms each)."""
        self.crossed = True
        key = (lang, src_uri)
        if key not in self._anchors:
            doc = self.document(lang, src_uri)
            self._anchors[key] = render_ids("\n".join(doc.body_lines), self.glossary_ids(),
                                            self.inputs_version()) if doc else frozenset()
        return self._anchors[key]

    def inputs_version(self) -> str:
        """scripts/memo.py's version of the code, data and settings, once per run of the checks."""
        if "version" not in self._cache:
            from scripts import memo

            self._cache["version"] = memo.inputs_version(self.root.resolve().parent)
        return self._cache["version"]

    def data_file(self, name: str) -> Path:
        """data/<name> beside this docs folder (a test's copy), else the project's own."""
        local = self.root.parent / "data" / name
        return local if local.exists() else ROOT / "data" / name

    def glossary_ids(self) -> frozenset[str]:
        if "glossary" not in self._cache:
            from scripts import glossary

            try:
                self._cache["glossary"] = frozenset(t.id for t in glossary.load_glossary(self.data_file("glossary.yml")))
            except (ContentError, OSError):  # reported by check_data_files
                self._cache["glossary"] = frozenset()
        return self._cache["glossary"]

    def registry(self):
        """(facts registry or None when data/facts.yml is broken, chart ids)."""
        if "registry" not in self._cache:
            try:
                registry = facts.load_registry(self.data_file("facts.yml"))
            except (ContentError, OSError):
                registry = None
            try:
                charts = set((datafiles.load(self.data_file("charts.yml").read_text(encoding="utf-8")) or {}).keys())
            except (OSError, yaml.YAMLError):
                charts = set()
            self._cache["registry"] = (registry, charts)
        return self._cache["registry"]

    def authors(self, lang: str) -> set[str]:
        self.crossed = True
        path = self.root / lang / news.AUTHORS_FILE
        try:
            data = datafiles.load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            return set()
        return set((data.get("authors") or {}).keys())


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return close[0] if close else ""


def _yaml_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


# --------------------------------------------------------------------------- front matter

@rule("fm-required", "error", "お知らせの front matter に必要な項目（title, description, date, slug, authors, categories）がない",
      "a news post lacks a required front-matter field")
def fm_required(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind != "post" or not doc.meta_ok:
        return  # broken YAML: scripts/sources.py names the line
    if not doc.meta:
        yield problem("fm-required", doc.file, 1,
                      "お知らせの最初に front matter（--- で囲んだ設定）がありません。 / The post has no front matter.",
                      "python -m scripts new post（make new-post）で作り直すか、CONTRIBUTING.md のひな形を"
                      "ファイルの1行目から貼り付けてください。 / Recreate it with make new-post, or paste the template "
                      "from CONTRIBUTING.md at the top of the file.")
        return
    for key in REQUIRED["post"]:
        value = doc.meta.get(key)
        if value is None or (isinstance(value, (str, list)) and not value):
            yield problem("fm-required", doc.file, doc.meta_line(key) if key in doc.meta else 2,
                          f"お知らせに必要な「{key}:」がありません（または空です）。 / The post lacks '{key}:' (or it is empty).",
                          f"front matter に {key}: を書いてください。例：{_example(key, doc.lang)} / Add {key}: to the front matter.")


@rule("fm-recommended", "warning", "ページの front matter に title か description がない（検索結果やSNSで使われる）",
      "a page has no title or description in its front matter (used by search results and social cards)")
def fm_recommended(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind == "post" or not doc.meta_ok:
        return
    what = "授業のページ" if doc.kind == "lesson" else "ページ"
    if not doc.meta:
        yield problem("fm-recommended", doc.file, 1,
                      f"{what}の最初に front matter（--- で囲んだ設定）がありません。検索結果やSNSに説明が出ません。"
                      " / The page has no front matter: search results and social cards show no description.",
                      "1行目から次のように書いてください：---（改行）title: ページの題名（改行）"
                      "description: ページの説明を一文で（改行）--- / Start the file with ---, title:, description:, ---.")
        return
    for key in REQUIRED[doc.kind]:
        value = doc.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            yield problem("fm-recommended", doc.file, doc.meta_line(key) if key in doc.meta else 2,
                          f"{what}に「{key}:」がありません（または空です）。検索結果やSNSで使われます。 / The page lacks '{key}:' "
                          "(used by search results and social cards).",
                          f"front matter に {key}: を書いてください。例：{_example(key, doc.lang)} / Add {key}: to the front matter.")


def _example(key: str, lang: str) -> str:
    _ = catalogs.gettext(lang)  # the example in the page's own language
    first = news.category_name(next(iter(news.CATEGORIES)), lang)
    return {
        "title": "title: " + _("This site is now open"),
        "description": "description: " + _("One sentence on what the page says."),
        "date": "date: 2026-11-29（年-月-日）",
        "slug": "slug: site-launch（半角の小文字・数字・ハイフン）",
        "authors": f"authors: [{news.DEFAULT_AUTHOR}]",
        "categories": f"categories: [{first}]",
    }.get(key, f"{key}: …")


@rule("fm-type", "error", "front matter の値の形がちがう（日付、リスト、true/false、授業の id など）",
      "a front-matter value has the wrong type or format")
def fm_type(doc: Document, ctx: Context) -> Iterator[Problem]:
    meta = doc.meta  # title and description that are not text: scripts/sources.py (front-matter-type)
    for key in ("draft", "pin", "single_language"):
        if key in meta and not isinstance(meta[key], bool):
            yield problem("fm-type", doc.file, doc.meta_line(key), f"「{key}:」は true か false です（今は {meta[key]!r}）。 / '{key}' is true or false.",
                          f"{key}: true または {key}: false と書いてください。 / Write {key}: true or {key}: false.")
    for key in ("tags", "hide"):
        if key in meta and not _yaml_list(meta[key]):
            yield problem("fm-type", doc.file, doc.meta_line(key), f"「{key}:」がリストになっていません。 / '{key}' is not a list.",
                          f"角かっこで囲んで、カンマで区切ってください。例：{key}: [防災, 用語集] / Use brackets and commas.")
    lesson = meta.get("lesson")
    if doc.kind == "lesson" and lesson is not None:
        folder = ctx.data_file("lessons")
        if not isinstance(lesson, str) or not (folder / f"{lesson}.yml").is_file():
            known = sorted(p.stem for p in folder.glob("*.yml") if p.name != "posters.yml")
            yield problem("fm-type", doc.file, doc.meta_line("lesson"),
                          f"「lesson: {lesson}」の授業のデータ（data/lessons/{lesson}.yml）がありません。 / There is no data/lessons/{lesson}.yml.",
                          f"data/lessons/ にある授業の id を書いてください：{', '.join(known) or 'なし'} / Use a lesson id from data/lessons/.")
    if doc.kind != "post":
        return
    for key in ("authors", "categories"):
        if key in meta and meta[key] is not None and not _yaml_list(meta[key]):
            yield problem("fm-type", doc.file, doc.meta_line(key), f"「{key}:」がリストになっていません。 / '{key}' is not a list.",
                          f"角かっこで囲んでください。例：{_example(key, doc.lang)} / Put it in brackets.")
    if "date" in meta and meta["date"] is not None and news.post_date(meta["date"]) is None:
        yield problem("fm-type", doc.file, doc.meta_line("date"),
                      f"「date:」が日付として読めません（{meta['date']!r}）。 / 'date' is not a date.",
                      "半角で 年-月-日 の順に書いてください。例：date: 2026-11-29（2026/11/29 や 11月29日 は使えません）"
                      " / Write year-month-day, e.g. date: 2026-11-29.")


@rule("fm-unknown-key", "warning", "front matter に知らない項目がある（つづりのまちがい？）",
      "an unknown front-matter field (a typo?)")
def fm_unknown_key(doc: Document, ctx: Context) -> Iterator[Problem]:
    known = POST_KEYS if doc.kind == "post" else PAGE_KEYS
    if doc.kind == "lesson":
        return  # lesson pages may carry fields of their own (scripts/lessons)
    for key in doc.meta:
        if key not in known:
            guess = _suggest(str(key), known)
            hint = f"「{guess}:」のまちがいなら、直してください。" if guess else "使わない項目なら消してください。"
            yield problem("fm-unknown-key", doc.file, doc.meta_line(key),
                          f"「{key}:」はこのサイトの front matter にない項目です。 / '{key}' is not a front-matter field of this site.",
                          hint + "（使える項目は CONTRIBUTING.md を見てください） / Fix the spelling or remove it (see CONTRIBUTING.md).")


@rule("title-length", "warning", "題名（title）が長すぎる", "the title is too long for search results and tabs")
def title_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    title = doc.meta.get("title")
    limit = TITLE_MAX[_width(doc.lang)]
    if isinstance(title, str) and len(title) > limit:
        yield problem("title-length", doc.file, doc.meta_line("title"),
                      f"題名が {len(title)} 文字あります（{limit} 文字まで）。検索結果やブラウザのタブで後ろが切れます。"
                      f" / The title has {len(title)} characters (limit {limit}).",
                      f"{limit} 文字以内に短くしてください。くわしいことは本文に書きます。 / Shorten it to {limit} characters.")


@rule("description-length", "warning", "説明（description）が長すぎる、または短すぎる",
      "the description is too long or too short")
def description_length(doc: Document, ctx: Context) -> Iterator[Problem]:
    text = doc.meta.get("description")
    if not isinstance(text, str) or not text:
        return
    high = DESCRIPTION_MAX[_width(doc.lang)]
    low = DESCRIPTION_MIN[_width(doc.lang)]
    if len(text) > high:
        yield problem("description-length", doc.file, doc.meta_line("description"),
                      f"説明が {len(text)} 文字あります（{high} 文字まで）。検索結果で後ろが切れます。"
                      f" / The description has {len(text)} characters (limit {high}).",
                      f"{high} 文字以内の一、二文にしてください。 / Use one or two sentences within {high} characters.")
    elif len(text) < low:
        yield problem("description-length", doc.file, doc.meta_line("description"),
                      f"説明が {len(text)} 文字しかありません（{low} 文字以上）。検索結果で内容が伝わりません。"
                      f" / The description has only {len(text)} characters (at least {low}).",
                      "ページで分かることを一文で書いてください。 / Say in one sentence what the page explains.")


@rule("unfinished", "error", "ひな形の「TODO」が残っている", "scaffold placeholder (TODO) left in the text")
def unfinished(doc: Document, ctx: Context) -> Iterator[Problem]:
    for key in ("title", "description"):
        if isinstance(doc.meta.get(key), str) and "TODO" in doc.meta[key]:
            yield problem("unfinished", doc.file, doc.meta_line(key), f"「{key}:」に TODO が残っています。 / '{key}' still says TODO.",
                          "TODO の部分を、公開する文章に書きかえてください。 / Replace TODO with the text to publish.")
    for number, line in doc.numbered():
        if re.search(r"\bTODO\b", line):
            yield problem("unfinished", doc.file, number, "本文に TODO（書きかける場所の印）が残っています。 / A TODO is left in the text.",
                          "TODO の行を、公開する文章に書きかえてください。 / Replace the TODO line with the text to publish.")


# --------------------------------------------------------------------------- news posts

@rule("post-category", "error", "お知らせのカテゴリーが決められた名前ではない", "a post's category is not one of the site's categories")
def post_category(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind != "post" or not _yaml_list(doc.meta.get("categories")):
        return
    allowed = news.category_names(doc.lang)
    for name in doc.meta["categories"]:
        if name in allowed:
            continue
        ident = news.category_id(name)
        if ident:
            hint = f"このページの言語では「{news.category_name(ident, doc.lang)}」と書きます。"
        else:
            guess = _suggest(name, allowed)
            hint = f"「{guess}」のことなら、そう書いてください。" if guess else ""
        yield problem("post-category", doc.file, doc.meta_line("categories"),
                      f"カテゴリー「{name}」はありません。使えるのは {', '.join(allowed)} です。 / There is no category '{name}'.",
                      hint + "新しいカテゴリーが必要なときは、担当者に scripts/news.py の CATEGORIES への追加を頼んでください。"
                      " / Use one of the listed categories.")


@rule("post-author", "error", "お知らせの書き手（authors）が登録されていない", "a post's author is not in news/.authors.yml")
def post_author(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind != "post" or not _yaml_list(doc.meta.get("authors")):
        return
    known = ctx.authors(doc.lang)
    for ident in doc.meta["authors"]:
        if ident not in known:
            yield problem("post-author", doc.file, doc.meta_line("authors"),
                          f"書き手「{ident}」は docs/{doc.lang}/{news.AUTHORS_FILE} に登録されていません。"
                          f" / The author '{ident}' is not in docs/{doc.lang}/{news.AUTHORS_FILE}.",
                          f"登録されている id（{', '.join(sorted(known)) or 'なし'}）を使うか、"
                          f"docs/ja/{news.AUTHORS_FILE} と docs/en/{news.AUTHORS_FILE} の両方に書き手を追加してください。"
                          " / Use a registered id or add the author in both languages.")


@rule("post-slug", "error", "お知らせの slug が半角英小文字・数字・ハイフンでない、またはファイル名とちがう",
      "a post's slug is not ASCII lowercase-with-hyphens or differs from its file name")
def post_slug(doc: Document, ctx: Context) -> Iterator[Problem]:
    slug = doc.meta.get("slug")
    if doc.kind != "post" or slug is None:
        return
    stem = Path(doc.src_uri).stem
    if not isinstance(slug, str) or not news.SLUG.match(slug):
        yield problem("post-slug", doc.file, doc.meta_line("slug"),
                      f"slug「{slug}」はアドレス（URL）に使えません。 / The slug '{slug}' cannot be used in an address.",
                      f"半角の小文字・数字・ハイフンだけで書いてください。例：slug: {stem} / Use lowercase ASCII, digits and hyphens.")
    elif slug != stem:
        yield problem("post-slug", doc.file, doc.meta_line("slug"),
                      f"slug「{slug}」がファイル名「{stem}.md」とちがいます。 / The slug '{slug}' differs from the file name {stem}.md.",
                      f"slug: {stem} にするか、ファイル名を {slug}.md に変えてください（日本語版と英語版の両方）。"
                      f" / Make them the same in both languages.")


@rule("post-scheduled", "info", "日付が未来のお知らせは、その日（日本時間）まで公開されない",
      "a post dated in the future stays unpublished until that day (Japan time)")
def post_scheduled(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind != "post":
        return
    date = news.post_date(doc.meta.get("date"))
    if date and date > ctx.today:
        yield problem("post-scheduled", doc.file, doc.meta_line("date"),
                      f"このお知らせは {date.isoformat()}（日本時間）に公開されます。それまでサイトとフィードには出ません"
                      "（make serve のプレビューでは見えます）。"
                      f" / This post is published on {date.isoformat()} (Japan time); until then it is not on the site.",
                      "今日公開したいときは date: を今日の日付にしてください。公開の日には自動でサイトが作り直されます。"
                      " / To publish today, set date: to today.")


@rule("post-draft", "info", "下書き（draft: true）のお知らせは公開されない", "a draft post (draft: true) is not published")
def post_draft(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind == "post" and doc.meta.get("draft") is True:
        yield problem("post-draft", doc.file, doc.meta_line("draft"),
                      "このお知らせは下書き（draft: true）なので公開されません（プレビューでは見えます）。 / This draft is not published.",
                      "公開するときは draft: true の行を消してください。 / Delete the draft: true line to publish it.")


@rule("post-translation", "error", "お知らせが片方の言語にしかなく、single_language: true もない",
      "a post exists in one language only without `single_language: true`", scope="site")
def post_translation(ctx: Context) -> Iterator[Problem]:
    from scripts import translations

    by_lang = {lang: {p.src_uri: p for p in news.posts(ctx.root, lang)} for lang in ctx.languages}
    try:
        policy = translations.load_policy(ctx.data_file("translation-policy.yml"))
    except ContentError:
        policy = None  # the policy file itself is reported by the translation checks
    for lang in ctx.languages:
        for src, post in sorted(by_lang[lang].items()):
            for other in ctx.languages:
                if other == lang or src in by_lang[other] or post.single_language:
                    continue
                # A language still being translated (the policy lets its required pages be missing)
                # is told, not stopped: data/translation-policy.yml, languages:.
                severity = "warning" if policy and policy.rule("missing_required", other) != "fail" else None
                yield problem("post-translation", relative(post.path), 1,
                              f"このお知らせには {other} 版（docs/{other}/{src}）がありません。 / This post has no {other} version.",
                              f"docs/{other}/{src} を作って訳すか（python -m scripts new post で両方作れます）、"
                              f"この言語だけで出すなら front matter に single_language: true と書いてください。"
                              f" / Translate it to docs/{other}/{src}, or add single_language: true.", severity)


@rule("post-pair", "error", "日本語版と英語版のお知らせで date か slug がちがう（アドレスがずれる）",
      "the language versions of a post differ in date or slug (their addresses would differ)", scope="site")
def post_pair(ctx: Context) -> Iterator[Problem]:
    first, *others = ctx.languages
    source = {p.src_uri: p for p in news.posts(ctx.root, first)}
    for other in others:
        for post in news.posts(ctx.root, other):
            original = source.get(post.src_uri)
            if original is None:
                continue
            for key, mine, theirs in (("date", post.date, original.date), ("slug", post.slug, original.slug)):
                if mine is not None and theirs is not None and mine != theirs:
                    yield problem("post-pair", relative(post.path), post.meta_lines.get(key, 1),
                                  f"{key} が {first} 版（{relative(original.path)}）とちがいます（{mine} と {theirs}）。"
                                  f" / {key} differs from the {first} version ({mine} vs {theirs}).",
                                  f"両方を同じ {key} にしてください。同じでないと、言語の切り替えで同じお知らせに移れません。"
                                  f" / Use the same {key} in both languages.")


# --------------------------------------------------------------------------- links and anchors

def _resolve(doc: Document, path: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(doc.src_uri), path))


def _generated(src: str) -> bool:
    return src in (news.FEED_RSS, news.FEED_JSON)


def _theme_file(src: str) -> bool:
    return (ROOT / "overrides" / src).is_file()


@rule("broken-link", "error", "リンク先や画像のファイルがない", "a link or image points to a file that does not exist")
def broken_link(doc: Document, ctx: Context) -> Iterator[Problem]:
    files = ctx.files(doc.lang)
    for link in doc.links:
        target = link.target.strip()
        kind = "画像" if link.image else "リンク"
        if not target:
            yield problem("broken-link", doc.file, link.line, f"{kind}「{link.text}」のリンク先が空です。 / The link target is empty.",
                          "( ) の中に、ページのファイル名（例：../plan/index.md）か https:// で始まるアドレスを書いてください。"
                          " / Write a file name (../plan/index.md) or an https:// address in the ( ).")
            continue
        if SCHEME.match(target) or target.startswith(("//", "#")):
            continue
        path = urllib.parse.unquote(target.split("#", 1)[0].split("?", 1)[0])
        if path.startswith("/"):
            yield problem("broken-link", doc.file, link.line,
                          f"{kind}「{target}」が / で始まっています。サイトの場所が変わるとリンクが切れます。",
                          "このページからの相対的な書き方にしてください。例：../plan/index.md / Link relative to this page.")
            continue
        src = _resolve(doc, path)
        if src.startswith("../") or src == "..":
            yield problem("broken-link", doc.file, link.line,
                          f"{kind}「{target}」が docs/{doc.lang}/ の外を指しています。 / {target} points outside docs/{doc.lang}/.",
                          "同じ言語のページにリンクしてください。もう一方の言語へは、ページ上部の言語ボタンで移れます。"
                          " / Link to a page of the same language.")
            continue
        if src in files or _generated(src) or _theme_file(src):
            continue
        if src + "/index.md" in files or (src + ".md") in files:
            better = posixpath.relpath((src + "/index.md") if src + "/index.md" in files else src + ".md",
                                       posixpath.dirname(doc.src_uri) or ".")
            yield problem("broken-link", doc.file, link.line, f"{kind}「{target}」はファイル名で書いてください。 / Link to the file, not the folder.",
                          f"Markdown のファイルを指してください：{better} / Link to {better}.")
            continue
        guess = _suggest(src, files)
        hint = f"「{posixpath.relpath(guess, posixpath.dirname(doc.src_uri) or '.')}」のことですか？" if guess else ""
        yield problem("broken-link", doc.file, link.line,
                      f"{kind}のリンク先「{target}」（docs/{doc.lang}/{src}）がありません。 / {target} does not exist.",
                      hint + "ファイル名と、../ の数を確かめてください。 / Check the file name and the number of ../.")


@rule("broken-anchor", "error", "リンクの #見出し がリンク先のページにない", "a link's #anchor is not on the linked page")
def broken_anchor(doc: Document, ctx: Context) -> Iterator[Problem]:
    files = ctx.files(doc.lang)
    for link in doc.links:
        target = link.target.strip()
        if "#" not in target or SCHEME.match(target) or target.startswith("//"):
            continue
        path, fragment = target.split("#", 1)
        fragment = urllib.parse.unquote(fragment)
        src = doc.src_uri if not path else _resolve(doc, urllib.parse.unquote(path.split("?", 1)[0]))
        if src not in files or not src.endswith(".md") or not fragment:
            continue  # a missing file is reported by broken-link
        if src == GLOSSARY_PAGE:
            continue  # reported by unknown-glossary
        anchors = ctx.anchors(doc.lang, src)
        if fragment in anchors:
            continue
        guess = _suggest(fragment, anchors)
        hint = f"「#{guess}」のことですか？" if guess else ""
        yield problem("broken-anchor", doc.file, link.line,
                      f"リンク「{target}」の #{fragment} という見出しが docs/{doc.lang}/{src} にありません。"
                      f" / #{fragment} is not a heading of docs/{doc.lang}/{src}.",
                      hint + "見出しの文字を変えたときは、リンクの # のあとも同じにしてください（英字は小文字、空白は -）。"
                      " / When a heading changes, change the # of the links too.")


@rule("unknown-glossary", "error", "用語集にない用語（id）へのリンク", "a link to a glossary term id that does not exist")
def unknown_glossary(doc: Document, ctx: Context) -> Iterator[Problem]:
    known = ctx.glossary_ids()
    for link in doc.links:
        target = link.target.strip()
        if "#" not in target or SCHEME.match(target):
            continue
        path, fragment = target.split("#", 1)
        src = doc.src_uri if not path else _resolve(doc, urllib.parse.unquote(path))
        if src != GLOSSARY_PAGE or not fragment:
            continue
        anchors = known | (ctx.anchors(doc.lang, src) if src in ctx.files(doc.lang) else frozenset())
        if urllib.parse.unquote(fragment) not in anchors:
            guess = _suggest(fragment, known)
            yield problem("unknown-glossary", doc.file, link.line,
                          f"用語「{fragment}」は用語集（data/glossary.yml）にありません。 / '{fragment}' is not in data/glossary.yml.",
                          (f"「#{guess}」のことですか？" if guess else "") +
                          "data/glossary.yml にある id を使うか、用語集に用語を追加してください。 / Use an id of data/glossary.yml or add the term.")


# --------------------------------------------------------------------------- facts and charts

@rule("unknown-fact", "error", "[[fact:ID]] の ID が data/facts.yml にない", "[[fact:ID]] names no fact in data/facts.yml")
def unknown_fact(doc: Document, ctx: Context) -> Iterator[Problem]:
    """scripts/facts.py's own check (the build uses the same), with its own rule ids
    (unknown-fact, unknown-chart, chart-not-alone) and messages."""
    registry, charts = ctx.registry()
    if registry is None:
        return  # data/facts.yml itself is broken: check_data_files reports it
    yield from facts.find_problems(doc.text, doc.path, registry, charts)


# --------------------------------------------------------------------------- images and raw HTML

@rule("image-alt", "error", "画像に代わりの文章（alt）がない、またはページの言語でない",
      "an image has no alt text, or alt text not in the page's language")
def image_alt(doc: Document, ctx: Context) -> Iterator[Problem]:
    """scripts/images.py's own check (the build uses the same)."""
    yield from images.check_alt(doc.text, doc.file, doc.lang)


# --------------------------------------------------------------------------- headings

@rule("heading-order", "warning", "見出しのレベルが飛んでいる、または # の見出しが2つ以上ある",
      "heading levels skip (## then ####) or there is more than one # heading")
def heading_order(doc: Document, ctx: Context) -> Iterator[Problem]:
    previous = 1  # the page title is the level-1 heading when the page has none
    seen_h1 = False
    for heading in doc.headings:
        if heading.level == 1:
            if seen_h1:
                yield problem("heading-order", doc.file, heading.line,
                              f"「# {heading.text}」は2つめの # 見出しです。# はページの題名に1回だけ使います。"
                              " / This is a second # heading; # is for the page title only.",
                              "## にしてください。 / Make it ##.")
            seen_h1 = True
        elif heading.level > previous + 1:
            yield problem("heading-order", doc.file, heading.line,
                          f"見出し「{heading.text}」が {'#' * heading.level} で、前の見出し（{'#' * previous}）から"
                          "レベルが飛んでいます。画面読み上げを使う人が迷います。 / The heading skips a level.",
                          f"{'#' * (previous + 1)} にしてください（# の数は一つずつ増やします）。 / Use {'#' * (previous + 1)}.")
        previous = heading.level


# --------------------------------------------------------------------------- checks of whole files
# Plain functions, not rules: each reports the rule ids of the module that owns the file
# (scripts/lint/registry.py), so `make check` finds what the build would stop on.

def check_data_files(ctx: Context) -> list[Problem]:
    """data/facts.yml, glossary.yml, charts.yml and lessons pass their owners' validators."""
    from scripts import charts, glossary
    from scripts.lessons import model as lessons

    checks = [lambda: facts.load_registry(ctx.data_file("facts.yml")),
              lambda: glossary.load_glossary(ctx.data_file("glossary.yml"))]
    if ctx.data_file("charts.yml").is_file():
        checks.append(lambda: charts.load_charts(ctx.data_file("charts.yml"), ctx.data_file("facts.yml")))
    if ctx.data_file("lessons").is_dir():
        checks.append(lambda: lessons.load_lessons(ctx.data_file("lessons")))
    problems = []
    for check in checks:
        try:
            check()
        except ContentError as e:
            problems += e.problems
    return problems


RESIZE_FIX = ("長い辺を 3200 px 以下に縮めて保存し直してください（写真のアプリの「書き出し」や「サイズ変更」）。"
              "サイトに出るのは最大 1600 px です。 / The site shows at most 1600 px: resize it to 3200 px or less "
              "on the long side and save it again.")


def check_images(ctx: Context) -> list[Problem]:
    """Every image under docs/<lang>/, as the build's image step checks it (scripts/images.py):
    unreadable, unsupported (GIF…), bombs, unsafe SVG, oversized photos."""
    from scripts import memo

    # Pixels decoded whole once per image content (plan.key hashes the bytes); a photo takes a
    # tenth of a second, so a hundred of them were ten seconds of every build.
    decoded, version = memo.Store("decoded-images"), ctx.inputs_version()
    problems = []
    for lang in ctx.languages:
        for src in sorted(ctx.files(lang)):
            path = ctx.root / lang / src
            suffix = path.suffix.lower()
            if suffix not in images.RASTER | images.VECTOR | images.UNSUPPORTED:
                continue
            try:
                if suffix in images.VECTOR:
                    images.check_svg(path)
                    continue
                plan = images.plan(path)
                key = memo.digest(version, plan.key, plan)
                if decoded.get(key) is not True:
                    images.decode(plan).close()  # a truncated file only fails when its pixels are read
                    decoded.put(key, True)
            except images.ImageFault as fault:
                problems.append(Problem("bad-image", "error", relative(path), fault.message, fault.fix))
                continue
            except (OSError, ValueError, SyntaxError) as e:  # what Pillow raises on damaged pixel data
                problems.append(Problem("bad-image", "error", relative(path),
                                        f"画像のファイルが読めません（{e}）。 / The image file cannot be read ({e}).",
                                        "ファイルを保存し直してください。 / Save the file again."))
                continue
            warning = images.oversize_warning(path, plan)
            if warning:
                problems.append(Problem("large-image", "error", relative(path), warning, RESIZE_FIX))
    return problems


@rule("external-image", "error", "画像をほかのサイト（https://、file:// など）から読み込んでいる",
      "an image is loaded from another site or from file://")
def external_image(doc: Document, ctx: Context) -> Iterator[Problem]:
    for link in doc.links:
        target = link.target.strip()
        if link.image and (SCHEME.match(target) or target.startswith("//")) and not target.lower().startswith("data:"):
            yield problem("external-image", doc.file, link.line,
                          f"画像「{target}」を、ほかの場所から読み込もうとしています。ページはほかのサイトに接続できません。"
                          f" / The image {target} is loaded from another site or your computer.",
                          "画像を docs/ の、ページと同じ言語のフォルダー（例：docs/ja/assets/）に保存して、"
                          "ファイル名でリンクしてください。 / Save the image under docs/<language>/assets/ and link it by its path.")


def check_nav(ctx: Context) -> list[Problem]:
    """Every page named in nav: of mkdocs.yml (and mkdocs.<lang>.yml) exists; MkDocs would stop the strict build."""
    from scripts.lint import _read_config

    problems = []
    project = ctx.root.parent
    configs = {}
    for path in sorted(project.glob("mkdocs*.yml")):
        configs[path] = _read_config(path)
    base = configs.get(project / "mkdocs.yml", {})
    for path, config in configs.items():
        docs_dir = (project / (config.get("docs_dir") or base.get("docs_dir") or "docs")).resolve()
        nav = config.get("nav") if "nav" in config else base.get("nav")
        lang = docs_dir.name
        if not nav or not docs_dir.is_relative_to(ctx.root.resolve()):
            continue
        text = path.read_text(encoding="utf-8")
        for entry in _nav_pages(nav):
            if entry in ctx.files(lang) or (lang != ctx.languages[0] and entry in ctx.files(ctx.languages[0])):
                continue  # a page missing in a translation falls back to the original
            line = next((i for i, t in enumerate(text.splitlines(), 1) if entry in t), None)
            problems.append(Problem(
                "nav-missing-page", "error", relative(path), line=line,
                message=f"nav: のページ「{entry}」が {relative(docs_dir)}/ にありません。"
                        f" / The nav entry {entry} names a page that does not exist in {relative(docs_dir)}/.",
                fix="ページを消したときは nav: の行も消してください。名前を変えたときは nav: も同じ名前に"
                    "直してください。 / Remove the nav: line of a deleted page, or give it the page's new name."))
    return problems


def _nav_pages(nav) -> Iterator[str]:
    if isinstance(nav, str):
        if not SCHEME.match(nav) and nav.endswith(".md"):
            yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_pages(value)


def check_catalogs(ctx: Context) -> list[Problem]:
    """The UI string catalogs (locales/<lang>/LC_MESSAGES/messages.po), as the build reads them."""
    from scripts import catalogs

    problems = []
    locales = ctx.root.parent / "locales"
    for lang in ctx.languages:
        path = catalogs.po_path(lang, locales)
        try:
            problems += catalogs.catalog_problems(catalogs.read_catalog(path, lang), path)
        except ContentError as e:
            problems += e.problems
    return problems




# --------------------------------------------------------------------------- malformed Markdown and HTML

BLOCK_TAGS = ("div", "section", "article", "aside", "details", "figure", "figcaption", "table", "thead", "tbody",
              "tfoot", "tr", "td", "th", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "nav", "header",
              "footer", "main", "p", "pre", "summary")
INLINE_TAGS = ("span", "a", "em", "strong", "b", "i", "u", "s", "small", "sub", "sup", "ruby", "rt", "rp", "abbr",
               "mark", "code", "kbd", "q", "del", "ins", "cite", "dfn", "var", "samp", "time", "bdi", "bdo", "label")
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>")


def _tags(doc: Document):
    """(line, closing?, name) of each block and inline HTML tag outside code."""
    for number, line in doc.numbered():
        for m in TAG.finditer(line):
            name = m.group(2).lower()
            if m.group(3) or name not in BLOCK_TAGS + INLINE_TAGS:
                continue
            yield number, bool(m.group(1)), name


@rule("html-block", "error", "<div> などのブロックのタグが閉じていない、または余分な閉じタグがある",
      "a block HTML tag (<div>, <details>, …) is not closed, or a closing tag has no opening tag")
def html_block(doc: Document, ctx: Context) -> Iterator[Problem]:
    stack: list[tuple[str, int]] = []
    for number, closing, name in _tags(doc):
        if name not in BLOCK_TAGS:
            continue
        if not closing:
            if name == "p" and stack and stack[-1][0] == "p":
                stack.pop()  # HTML closes an open <p> by itself
            stack.append((name, number))
            continue
        if any(open_name == name for open_name, _ in stack):
            while stack:
                open_name, opened = stack.pop()
                if open_name == name:
                    break
                if open_name not in ("p", "li", "dt", "dd", "td", "th", "tr"):  # closed implicitly in HTML
                    yield _unclosed(doc, open_name, opened)
        else:
            yield problem("html-block", doc.file, number,
                          f"閉じタグ </{name}> に対応する <{name}> がありません。このあとのページがくずれます。"
                          f" / The closing tag </{name}> has no opening <{name}>; the rest of the page would break.",
                          f"</{name}> を消すか、対応する <{name}> を書いてください。 / Delete </{name}> or add "
                          f"the matching <{name}>.")
    for open_name, opened in stack:
        if open_name not in ("p", "li", "dt", "dd", "td", "th", "tr"):
            yield _unclosed(doc, open_name, opened)


def _unclosed(doc: Document, name: str, line: int) -> Problem:
    return problem("html-block", doc.file, line,
                   f"<{name}> が閉じられていません。このあとのページ全体が Markdown として表示されなくなります。"
                   f" / <{name}> is never closed: the rest of the page would be shown as raw Markdown.",
                   f"ブロックの終わりに </{name}> を書くか、<{name}> の行を消してください。"
                   f" / Add </{name}> where the block ends, or delete the <{name}> line.")


@rule("html-inline", "error", "<span> <a> <strong> などのタグの閉じ方が合わない",
      "inline HTML tags (<span>, <a>, <strong>, …) are not closed in order")
def html_inline(doc: Document, ctx: Context) -> Iterator[Problem]:
    stack: list[tuple[str, int]] = []
    last = 0
    for number, closing, name in _tags(doc):
        if name not in INLINE_TAGS:
            continue
        if stack and number > last + 1 and _blank_between(doc, last, number):
            for open_name, opened in stack:  # a paragraph ended with the tag still open
                yield _inline(doc, opened, f"<{open_name}> が段落の中で閉じられていません。"
                                           f" / <{open_name}> is not closed within its paragraph.", open_name)
            stack = []
        last = number
        if not closing:
            stack.append((name, number))
        elif stack and stack[-1][0] == name:
            stack.pop()
        else:
            expected = f"</{stack[-1][0]}>" if stack else "なし / none"
            yield _inline(doc, number, f"</{name}> の位置がちがいます（ここで閉じるのは {expected}）。"
                                       f" / </{name}> does not match the open tag (expected {expected}).", name)
            stack = [t for t in stack if t[0] != name] if any(t[0] == name for t in stack) else stack
    for open_name, opened in stack:
        yield _inline(doc, opened, f"<{open_name}> が閉じられていません。 / <{open_name}> is never closed.", open_name)


def _blank_between(doc: Document, first: int, second: int) -> bool:
    lines = doc.masked
    return any(not lines[n - doc.body_line].strip() for n in range(first + 1, second))


def _inline(doc: Document, line: int, message: str, name: str) -> Problem:
    return problem("html-inline", doc.file, line, message,
                   f"開いたタグは、開いた順の逆に同じ段落の中で閉じてください（例：<strong><em>…</em></strong>）。"
                   f" / Close tags in the reverse order they were opened, within one paragraph "
                   f"(e.g. <strong><em>…</em></strong>).")


LOCAL_PATH = re.compile(r"^(?:[a-zA-Z]:[\\/]|\\\\|file:)|\\", re.I)


@rule("local-path", "error", "リンクが自分のパソコンの場所（C:\\Users\\…、file://）を指している",
      "a link points to a place on the author's computer (C:\\Users\\…, file://) or uses backslashes")
def local_path(doc: Document, ctx: Context) -> Iterator[Problem]:
    for link in doc.links:
        target = link.target.strip()
        if link.image and target.lower().startswith("file:"):
            continue  # external-image says it for images
        if LOCAL_PATH.search(target):
            yield problem("local-path", doc.file, link.line,
                          f"リンク先「{target}」は、あなたのパソコンの中の場所です。サイトを見る人には開けません。"
                          f" / The link {target} points to a place on your computer; readers cannot open it.",
                          "ファイルを docs/ の中に置き、このページからの相対的な書き方で、/ で区切ってリンクしてください"
                          "（例：../assets/report.pdf）。 / Put the file under docs/ and link it relative to this page "
                          "with forward slashes, e.g. ../assets/report.pdf.")


# Every marker a module replaces: facts.py (fact, chart), publisher.py (publisher), glossary.py, lessons/site.py, accessibility.py.
MARKERS = ("fact", "chart", "publisher", "glossary", "lesson", "lesson-finder", "lesson-posters", "accessibility-results",
           "accessibility-conformance", "accessibility-criteria", "accessibility-known-issues", "accessibility-contact")
VALID_MARKER = re.compile(r"\[\[(?:(?:fact|chart|publisher):[a-z0-9][a-z0-9-]*|"
                          + "|".join(re.escape(m) for m in MARKERS[3:]) + r")\]\]")
# Two brackets of any width, or one bracket before a marker keyword ([fact:x]]).
NEAR_MARKER = re.compile(r"[\[［]\s*[\[［]|[\]］]\s*[\]］]|[\[［]\s*(?:fact|chart)\s*[:：]", re.I)
MARKER_WORD = re.compile(r"[\[［]+\s*([A-Za-z-]+)\s*(?:[:：]\s*([^\]］\s]*))?")


@rule("marker-syntax", "error", "[[fact:ID]] [[chart:ID]] [[lesson]] などの印の書き方がちがう",
      "a [[fact:ID]], [[chart:ID]] or [[lesson]] marker is misspelt (one bracket, spaces, capitals, full-width)")
def marker_syntax(doc: Document, ctx: Context) -> Iterator[Problem]:
    for number, line in doc.numbered():
        valid = [m.span() for m in VALID_MARKER.finditer(line)]
        for m in NEAR_MARKER.finditer(line):
            if any(start <= m.start() < end for start, end in valid):
                continue
            if _footnote_or_link(line, m.start()):
                continue
            word = MARKER_WORD.search(line, max(0, m.start() - 2))
            keyword, ident = (word.group(1), word.group(2)) if word else ("", "")
            guess = _suggest(keyword.lower(), MARKERS) if keyword else ""
            example = (f"[[{guess}:{ident}]]" if guess in ("fact", "chart") and ident else
                       f"[[{guess}]]" if guess else "[[fact:ID]]")
            yield problem("marker-syntax", doc.file, number,
                          f"「{line[max(0, m.start() - 2):m.end() + 30].strip()}」は [[…]] の印の書き方になっていません。"
                          "このままでは数字やグラフに置きかわらず、文字のまま公開されます。"
                          " / This is not a valid [[…]] marker; it would be published as it is.",
                          f"半角の [[ と ]] で囲み、空白を入れず小文字で書いてください：{example}"
                          f" / Write it with two half-width brackets each side, lowercase, no spaces: {example}")
            break  # one report per line


def _footnote_or_link(line: str, at: int) -> bool:
    """[[1]](url), [[PDF] report](url) or [text [with] brackets](url): Markdown, not a marker."""
    rest = line[at:]
    if re.match(r"\[\[[^\]]*\][^\]]*\]\(", rest):
        return True
    return bool(re.match(r"\]\]\s*[\[(]", rest)) and "[" in line[:at]


# --------------------------------------------------------------------------- wording

@rule("plain-language", "warning", "文が長い、漢字が多い、です・ます でない（やさしい日本語・英語の目安）",
      "sentences are long, kanji-heavy or not polite, or English is hard to read (plain-language limits)")
def plain_language_limits(doc: Document, ctx: Context) -> Iterator[Problem]:
    if doc.kind != "page" or doc.src_uri.startswith(("teachers/", "glossary/")) or not plain_language.measured(doc.lang):
        return
    figures = plain_language.measure(furigana.base_markdown("\n".join(doc.body_lines)), doc.lang)
    for crossed in figures.problems():
        yield problem("plain-language", doc.file, None, crossed,
                      "短い文に分けて、です・ます で書いてください。むずかしい言葉は言いかえます。"
                      " / Split long sentences, prefer common words; see CONTRIBUTING.md (plain language).")


# --------------------------------------------------------------------------- news addresses

@rule("post-url", "error", "二つのお知らせが同じアドレス（日付と slug）で公開される",
      "two news posts resolve to the same address (same date and slug)", scope="site")
def post_url(ctx: Context) -> Iterator[Problem]:
    """Material's blog reads posts in every folder below news/posts/; the address is date + slug."""
    for lang in ctx.languages:
        folder = ctx.root / lang / news.POSTS_DIR
        seen: dict[tuple, Path] = {}
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            meta, lines, _ = news.read_front_matter(path)
            date = news.post_date(meta.get("date"))
            slug = meta.get("slug") or path.stem
            if date is None:
                continue  # fm-required / fm-type say it
            key = (date, str(slug))
            if key in seen:
                first = relative(seen[key])
                yield problem("post-url", relative(path), lines.get("slug", 1),
                              f"このお知らせと {first} が、同じアドレス（{date.isoformat()} の {slug}）で公開されてしまいます。"
                              f" / This post and {first} resolve to the same address ({date.isoformat()}, {slug}).",
                              f"どちらかの slug（とファイル名）を変えるか、片方を消してください。 / Change the slug (and file "
                              f"name) of one of them, or delete one: {relative(path)}, {first}.")
            else:
                seen[key] = path


# --------------------------------------------------------------------------- sanitizer
# The HTML sanitizer's check (scripts/sanitize.py: check_source(text, file) -> list[Problem], unsafe-* rules)
# goes here as one @rule when merged; its other rule ids go in scripts/lint/registry.py (sanitizer section).


# --------------------------------------------------------------------------- wording (用字用語)

@rule("wording", "warning", "用字用語：このサイトで決めた書き方とちがう（data/wording.yml）",
      "a spelling differs from the site's word list (data/wording.yml)")
def wording_rule(doc: Document, ctx: Context) -> Iterator[Problem]:
    from scripts import wording  # scripts/wording.py: the word list and the check

    yield from wording.check(doc.text, doc.file, doc.lang, wording.load(ctx.data_file("wording.yml")))


# --------------------------------------------------------------------------- sanitizer

# The page rendered as the build renders it, through the build's sanitizer (scripts/sanitize.py):
# what it would remove. One check emits all four ids; the other three are registered in registry.py.
@rule("unsafe-element", "error", "公開するページから取り除かれる HTML の要素（<script> <iframe> <meta> <form> など）",
      "an HTML element the sanitizer removes (<script>, <iframe>, <meta>, <form> …)")
def sanitizer(doc: Document, ctx: Context) -> Iterator[Problem]:
    from scripts import sanitize

    config = ctx.root.parent / "mkdocs.yml"
    yield from sanitize.check_source(doc.text, doc.file, config if config.is_file() else None)
