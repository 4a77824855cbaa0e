"""Start a new news post or page in every language, front matter filled in.

    python -m scripts new post --slug new-lessons --title-ja 新しい教材をのせました --title-en "New lessons"
    python -m scripts new page --path about/contact-form --title-ja お問い合わせ --title-en "Contact"
    make new-post SLUG=new-lessons TITLE_JA=新しい教材をのせました TITLE_EN="New lessons"

It prints the files to edit. Text still to write is marked TODO, and the lint
(make check, and the build) stops until every TODO is replaced, so a half-written
post cannot be published by mistake. Existing files are never overwritten.

Each translation records the fingerprint of the Japanese file it was written
beside (`translation: source_hash:`, scripts/translations.py), so a new
English page starts "current", not "may be out of date". Once the TODOs of
both are written, `translations mark-reviewed` records the final pair
(printed as the last step, and in CONTRIBUTING.md).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import yaml

from scripts import datafiles
from scripts import ROOT, languages, news, sources
from scripts.catalogs import gettext
from scripts.problems import relative

def body(kind: str, lang: str, title: str) -> str:
    """The new file's body, with TODO notes in its own language (the catalogs, locales/)."""
    _ = gettext(lang)
    if kind == "post":
        text = _("# %(title)s\n\nTODO: write the first paragraph. The news list shows the post up to here.\n\n"
                 "<!-- more -->\n\nTODO: write the rest. Headings start at ##.\n")
    else:
        text = _("# %(title)s\n\nTODO: write the page. Headings start at ##.\n")
    return text % {"title": title}


def description(lang: str) -> str:
    _ = gettext(lang)
    return _("TODO: one sentence on what this says")


class ScaffoldError(Exception):
    pass


def yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly `value`: plain when safe, quoted otherwise."""
    try:
        if datafiles.load(f"k: {value}") == {"k": value} and value.strip() == value:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted string


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(yaml_text(v) if "," not in v else json.dumps(v, ensure_ascii=False) for v in values) + "]"


def translation_lines(source_text: str) -> list[str]:
    """The front-matter lines saying a translation matches source_text (what mark-reviewed writes)."""
    from scripts import translations

    try:
        keys = translations.load_policy().counted_front_matter
    except Exception:  # noqa: BLE001 - a broken policy file is reported by the check and the build
        keys = ("title", "description")
    return ["translation:", f"  source_hash: {translations.source_hash(source_text, keys)}"]


def _record_translations(texts: dict[str, str]) -> dict[str, str]:
    """Add translation.source_hash to every language but the source (the first)."""
    source, *others = list(texts)
    for lang in others:
        head, _, body = texts[lang].partition("\n---\n")
        texts[lang] = head + "\n" + "\n".join(translation_lines(texts[source])) + "\n---\n" + body
    return texts


def _write_all(paths: dict[str, Path], texts: dict[str, str]) -> list[Path]:
    existing = [p for p in paths.values() if p.exists()]
    if existing:
        raise ScaffoldError(
            f"{', '.join(relative(p) for p in existing)} はもうあります（上書きしません）。\n"
            "    直し方: 別の --slug / --path を使うか、今あるファイルを編集してください。 / "
            "The file already exists; choose another name or edit it.")
    for lang, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(texts[lang], encoding="utf-8")
    return list(paths.values())


def new_post(slug: str, titles: dict[str, str], descriptions: dict[str, str] | None = None,
             category: str = news.DEFAULT_CATEGORY, date: dt.date | None = None,
             author: str = news.DEFAULT_AUTHOR, tags: dict[str, list[str]] | None = None,
             only: str | None = None, docs: Path = ROOT / "docs") -> list[Path]:
    """Write docs/<lang>/news/posts/<slug>.md for each language (or only one)."""
    if not news.SLUG.match(slug or ""):
        raise ScaffoldError(f"--slug「{slug}」はアドレスに使えません。\n"
                            "    直し方: 半角の小文字・数字・ハイフンだけで書いてください（例：--slug new-lessons）。 / "
                            "Use lowercase ASCII letters, digits and hyphens.")
    ident = category if category in news.CATEGORIES else news.category_id(category)
    if ident is None:
        raise ScaffoldError(f"カテゴリー「{category}」はありません。\n"
                            f"    直し方: --category に {', '.join(news.CATEGORIES)} のどれかを書いてください。")
    langs = (only,) if only else languages.codes()
    missing = [lang for lang in langs if not (titles.get(lang) or "").strip()]
    if missing:
        raise ScaffoldError(f"題名がありません: {', '.join('--title-' + lang for lang in missing)}\n"
                            "    直し方: すべての言語の題名を書いてください。一つの言語だけなら --only "
                            f"{' / '.join(languages.codes())}（どれか一つ）。 / Give a title in every language, or "
                            "use --only for one language.")
    for lang in langs:
        known = _authors(docs, lang)
        if known and author not in known:
            raise ScaffoldError(f"書き手「{author}」は docs/{lang}/{news.AUTHORS_FILE} にありません。\n"
                                f"    直し方: --author に {', '.join(sorted(known))} のどれかを書いてください。")
    date = date or news.today()
    paths, texts = {}, {}
    for lang in langs:
        lines = [
            "---",
            f"title: {yaml_text(titles[lang].strip())}",
            f"description: {yaml_text((descriptions or {}).get(lang) or description(lang))}",
            f"date: {date.isoformat()}",
            f"slug: {slug}",
            f"authors: [{author}]",
            f"categories: [{yaml_text(news.category_name(ident, lang))}]",
            f"tags: {yaml_list((tags or {}).get(lang) or [])}",
        ]
        if only:
            lines.append("single_language: true")
        lines.append("---")
        texts[lang] = "\n".join(lines) + "\n\n" + body("post", lang, titles[lang].strip())
        paths[lang] = docs / lang / news.POSTS_DIR / f"{slug}.md"
    return _write_all(paths, _record_translations(texts))


def new_page(path: str, titles: dict[str, str], descriptions: dict[str, str] | None = None,
             docs: Path = ROOT / "docs") -> list[Path]:
    """Write docs/<lang>/<path>.md for every language."""
    src = path.strip().strip("/")
    if src.endswith(".md"):
        src = src[:-3]
    parts = src.split("/")
    if not src or not all(sources.FOLDER_NAME.match(p) for p in parts) or src.startswith(news.NEWS_DIR + "/"):
        raise ScaffoldError(f"--path「{path}」はアドレスに使えません。\n"
                            "    直し方: 半角の小文字・数字・ハイフンと / で書いてください（例：--path about/contact）。"
                            "お知らせは new post で作ります。")
    missing = [lang for lang in languages.codes() if not (titles.get(lang) or "").strip()]
    if missing:
        raise ScaffoldError(f"題名がありません: {', '.join('--title-' + lang for lang in missing)}")
    paths, texts = {}, {}
    for lang in languages.codes():
        title = titles[lang].strip()
        texts[lang] = (f"---\ntitle: {yaml_text(title)}\n"
                       f"description: {yaml_text((descriptions or {}).get(lang) or description(lang))}\n---\n\n"
                       + body("page", lang, title))
        paths[lang] = docs / lang / f"{src}.md"
    return _write_all(paths, _record_translations(texts))


def _authors(docs: Path, lang: str) -> set[str]:
    try:
        data = datafiles.load((docs / lang / news.AUTHORS_FILE).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return set()
    return set((data.get("authors") or {}).keys())


def _argument_languages() -> tuple[str, ...]:
    """The configured languages for the command line; a broken list is reported by the command
    that reads it (the build's settings check), not while the options are being set up."""
    try:
        return languages.codes()
    except languages.LanguageConfigError:
        return ()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", required=True)
    post = kinds.add_parser("post", help="a news post in ja and en (docs/<lang>/news/posts/<slug>.md)")
    post.add_argument("--slug", required=True, help="ASCII name used in the address, e.g. new-lessons")
    post.add_argument("--category", default=news.DEFAULT_CATEGORY, help=f"one of {', '.join(news.CATEGORIES)}")
    post.add_argument("--date", help="publication date YYYY-MM-DD (default: today in Japan; a later date "
                                     "keeps the post unpublished until then)")
    post.add_argument("--author", default=news.DEFAULT_AUTHOR)
    post.add_argument("--only", choices=_argument_languages(), help="write one language only (single_language: true)")
    for lang in _argument_languages():
        post.add_argument(f"--tags-{lang}", default="", help="comma-separated tags")
    page = kinds.add_parser("page", help="a page in ja and en (docs/<lang>/<path>.md)")
    page.add_argument("--path", required=True, help="e.g. about/contact (no .md)")
    for sub in (post, page):
        for lang in _argument_languages():
            sub.add_argument(f"--title-{lang}", default="")
            sub.add_argument(f"--description-{lang}", default="")


def command(args: argparse.Namespace, docs: Path = ROOT / "docs") -> int:
    codes = _argument_languages()
    if not codes:
        try:
            languages.codes()
        except languages.LanguageConfigError as e:
            print(f"エラー error: {e}", file=sys.stderr)
        return 1
    titles = {lang: getattr(args, f"title_{lang}") for lang in codes}
    descriptions = {lang: getattr(args, f"description_{lang}") for lang in codes}
    try:
        if args.kind == "post":
            date = None
            if args.date:
                try:
                    date = dt.date.fromisoformat(args.date)
                except ValueError:
                    raise ScaffoldError(f"--date「{args.date}」が日付として読めません。\n"
                                        "    直し方: 2026-12-01 のように 年-月-日 で書いてください。") from None
            tags = {lang: [t.strip() for t in getattr(args, f"tags_{lang}").split(",") if t.strip()] for lang in codes}
            paths = new_post(args.slug, titles, descriptions, args.category, date, args.author, tags, args.only, docs)
        else:
            paths = new_page(args.path, titles, descriptions, docs)
    except ScaffoldError as e:
        print(f"エラー error: {e}", file=sys.stderr)
        return 2
    print("作りました / Created:")
    for path in paths:
        print(f"  {relative(path)}")
    print("\nつぎに / Next:\n"
          "  1. 上のファイルを開いて、TODO の部分を書きかえます。 / Replace every TODO in the files above.\n"
          "  2. make serve でプレビューします（http://127.0.0.1:8000/）。 / Preview with make serve.\n"
          "  3. make check で検査します。 / Check with make check.")
    step = 4
    for path in paths[1:]:
        print(f"  {step}. 英語版が日本語版と同じ内容になったら、記録します / When the translation matches, record it:\n"
              f"     .venv/bin/python -m scripts translations mark-reviewed {relative(path)}")
        step += 1
    if args.kind == "page":
        src = relative(paths[0]).split("/", 2)[2]
        print(f"  {step}. メニューに出すには、mkdocs.yml と mkdocs.en.yml の nav: に「- {src}」を足します。"
              f" / Add '- {src}' to nav: in mkdocs.yml and mkdocs.en.yml.")
    return 0
