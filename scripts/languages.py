"""The site's languages and how a page maps to its counterpart.

Each language is built from its own MkDocs config (mkdocs.yml for Japanese at
"/", mkdocs.en.yml for English at "/en/"), sharing everything else through
INHERIT. A page's counterpart is the file with the same path under the other
language's docs folder (docs/ja/plan/index.md <-> docs/en/plan/index.md), so
links are computed on the server and work without JavaScript.
"""
from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from scripts import ROOT
from scripts.problems import Problem, relative

CONFIG = ROOT / "mkdocs.yml"


@dataclass(frozen=True)
class Script:
    """What a writing system asks of the build, so code asks about the script, never a language code."""
    code: str  # ISO 15924
    furigana: bool  # kanji get readings (ruby) for young readers: scripts/furigana.py
    phrase_breaks: bool  # no spaces between words: lines may break only between phrases (BudouX)
    spaced: bool  # words are separated by spaces; False: a line break in the source joins without one
    full_width: bool  # full-width punctuation and brackets: （ ）、。：

    @property
    def comma(self) -> str:
        """Between the items of a list: 「A、B」 / "A, B"."""
        return "、" if self.full_width else ", "

    @property
    def colon(self) -> str:
        """Between a label and its text: 「見出し：本文」 / "Heading: text"."""
        return "：" if self.full_width else ": "

    @property
    def space(self) -> str:
        """Between words, or between a number and its unit: "" where words are not spaced."""
        return " " if self.spaced else ""

    def brackets(self, text: str) -> str:
        """A remark in brackets after a word: 「語（注）」 / "word (note)"."""
        return f"（{text}）" if self.full_width else f" ({text})"


# The scripts the build knows; a new one is one line here (and, for furigana or phrase breaks, their modules).
SCRIPTS = {s.code: s for s in (
    Script("Jpan", furigana=True, phrase_breaks=True, spaced=False, full_width=True),
    Script("Hans", furigana=False, phrase_breaks=True, spaced=False, full_width=True),
    Script("Hant", furigana=False, phrase_breaks=True, spaced=False, full_width=True),
    Script("Kore", furigana=False, phrase_breaks=False, spaced=True, full_width=False),
    Script("Latn", furigana=False, phrase_breaks=False, spaced=True, full_width=False),
    Script("Cyrl", furigana=False, phrase_breaks=False, spaced=True, full_width=False),
    Script("Grek", furigana=False, phrase_breaks=False, spaced=True, full_width=False),
)}


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 code, also the docs folder name: docs/<code>/
    name: str  # shown in the switcher, in its own language
    config: str  # MkDocs config file that builds this language
    path: str  # where it is served under the site root: "" or "en/"
    script: str  # ISO 15924 code of its writing system: Jpan, Latn, Kore, ... (SCRIPTS)

    @property
    def writing(self) -> Script:
        return SCRIPTS[self.script]

    @property
    def furigana(self) -> bool:
        return self.writing.furigana

    @property
    def spaced(self) -> bool:
        return self.writing.spaced

    @property
    def full_width(self) -> bool:
        return self.writing.full_width

    @property
    def comma(self) -> str:
        return self.writing.comma

    @property
    def space(self) -> str:
        return self.writing.space

    @property
    def colon(self) -> str:
        return self.writing.colon

    def brackets(self, text: str) -> str:
        return self.writing.brackets(text)

    @property
    def counts_characters(self) -> bool:
        """Length limits (titles, sentences) count characters where words are not spaced, else words."""
        return not self.writing.spaced


@dataclass(frozen=True)
class Alternate:
    language: Language
    url: str  # absolute URL, for <link hreflang> and sitemaps
    href: str  # relative to the current page, for the switcher
    exists: bool  # False: no counterpart, href leads to that language's home


class LanguageConfigError(ValueError):
    pass


def load_languages(extra: dict[str, Any]) -> list[Language]:
    """Read `extra.languages` from mkdocs.yml; the first one is the source language."""
    raw = extra.get("languages")
    if not isinstance(raw, list) or not raw:
        raise LanguageConfigError(
            "mkdocs.yml: extra.languages がないか、空です。言語ごとに code, name, config, path, script を書いてください"
            "（README）。 / 'extra.languages' is missing or empty. "
            "List each language with code, name, config, path and script (see README)."
        )
    languages = []
    for i, item in enumerate(raw):
        missing = [k for k in FIELDS if k not in (item or {})]
        if missing:
            raise LanguageConfigError(
                f"mkdocs.yml: extra.languages[{i}] に {', '.join(missing)} がありません。"
                f"言語ごとに code, name, config, path, script が要ります。 / "
                f"extra.languages[{i}] lacks {', '.join(missing)}. "
                "Each language needs code, name, config, path and script."
            )
        script = str(item["script"])
        if script not in SCRIPTS:
            known = ", ".join(SCRIPTS)
            raise LanguageConfigError(
                f"mkdocs.yml: extra.languages[{i}] の script: {script} は知らない文字体系です。"
                f"ISO 15924 のコード（{known}）のどれかを書いてください。 / "
                f"extra.languages[{i}] has script: {script}, which the build does not know. "
                f"Use an ISO 15924 code: one of {known} (add a new one to SCRIPTS in scripts/languages.py)."
            )
        path = str(item["path"])
        if path and not path.endswith("/"):
            path += "/"
        languages.append(Language(str(item["code"]), str(item["name"]), str(item["config"]), path, script))
    if languages[0].path:
        raise LanguageConfigError(
            "mkdocs.yml: extra.languages の最初の言語（元の言語）は path: \"\"（/ に置く）にしてください。 / "
            "the first language in extra.languages must have path \"\" (served at /)."
        )
    return languages


FIELDS = ("code", "name", "config", "path", "script")


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml carries !!python/name tags; the language list needs only plain values."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


class _FastAnyTagLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml (every build process reads mkdocs.yml); errors are read again with
    the pure-Python loader above, whose messages show the line."""


_FastAnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def configured(config: str | Path = CONFIG) -> list[Language]:
    """The site's languages from mkdocs.yml (extra.languages), the source language first."""
    return list(_languages(str(Path(config)), _stamp(config)))


def settings(config: str | Path = CONFIG) -> dict:
    """mkdocs.yml's plain values, read without MkDocs (its tags read as None); read again only
    when the file changes. Treat the result as read-only."""
    data = _settings(str(Path(config)), _stamp(config))
    return data if isinstance(data, dict) else {}


def _stamp(config: str | Path) -> int:
    try:
        return Path(config).stat().st_mtime_ns
    except OSError:
        return -1


@functools.lru_cache(maxsize=8)
def _settings(path: str, _stamp: int):
    try:
        text = Path(path).read_text(encoding="utf-8")
        try:
            return yaml.load(text, Loader=_FastAnyTagLoader)
        except yaml.YAMLError:
            return yaml.load(text, Loader=_AnyTagLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise LanguageConfigError(
            f"{path}: 設定ファイルが読めません（{e}）。 / the settings file cannot be read ({e})."
        ) from None


@functools.lru_cache(maxsize=8)
def _languages(path: str, _stamp: int) -> tuple[Language, ...]:
    extra = settings(path).get("extra")
    return tuple(load_languages(extra if isinstance(extra, dict) else {}))


def codes(config: str | Path = CONFIG) -> tuple[str, ...]:
    """Every configured language code, the source language first."""
    return tuple(lang.code for lang in configured(config))


def source(config: str | Path = CONFIG) -> Language:
    """The language the site is written in first; the others translate it."""
    return configured(config)[0]


def written_in(found: Iterable[str], config: str | Path = CONFIG) -> tuple[str, ...]:
    """The configured languages a data file is written in: the source language always, the others
    once the data has text in them (`found`: the language keys seen). A newly added site language
    needs no data until someone translates it; from then on every entry needs it."""
    found = set(found)
    return tuple(lang.code for i, lang in enumerate(configured(config)) if i == 0 or lang.code in found)


def display_name(code: str, in_language: str) -> str:
    """A language's name in another language, from the Unicode CLDR (Babel): ja in en -> Japanese."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(in_language, sep="-").languages
    except (UnknownLocaleError, ValueError):
        return code
    return names.get(code.replace("-", "_")) or names.get(code.split("-")[0]) or code


def territory_locale(code: str) -> str:
    """ja -> ja_JP, en -> en_US: the language with its most likely country (CLDR, through Babel),
    the form Open Graph's og:locale takes."""
    from babel.core import get_global

    likely = get_global("likely_subtags").get(code.replace("-", "_"))
    if not likely:
        return code
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}"


def pick(texts: dict, lang: str, config: str | Path = CONFIG):
    """Text in the reader's language, else in another configured language: the other
    translations first, the source language last (a reader of a translation may not read it)."""
    order = [lang] + [code for code in codes(config)[1:] if code != lang] + list(codes(config)[:1])
    for code in order:
        if texts.get(code):
            return texts[code]
    return None


def is_source(code: str, config: str | Path = CONFIG) -> bool:
    """Is this the source language (the first of extra.languages; the plan's documents are in it)?"""
    return code == source(config).code


def get(code: str, config: str | Path = CONFIG) -> Language:
    """The configured language with this code."""
    for lang in configured(config):
        if lang.code == code:
            return lang
    known = ", ".join(codes(config))
    raise LanguageConfigError(
        f"mkdocs.yml: 言語 {code} は extra.languages にありません（{known}）。 / "
        f"language '{code}' is not in extra.languages ({known})."
    )


def current_language(languages: list[Language], theme_language: str) -> Language:
    for lang in languages:
        if lang.code == theme_language:
            return lang
    codes = ", ".join(lang.code for lang in languages)
    raise LanguageConfigError(
        f"theme.language is '{theme_language}', which is not one of extra.languages ({codes})."
    )


def docs_root(docs_dir: str | Path) -> Path:
    """docs/ja -> docs: every language lives in docs/<code>/."""
    return Path(docs_dir).parent


def alternates(
    src_uri: str,
    page_url: str,
    current: Language,
    languages: list[Language],
    root: Path,
    root_url: str,
    fallbacks: dict[str, Iterable[str]] | None = None,
) -> list[Alternate]:
    """Where this page lives in every language, itself included.

    `fallbacks` maps a language code to the pages it serves untranslated, as
    the source page (scripts/translations.py): the switcher links there, but
    they are not translations, so `exists` stays False (no hreflang).
    """
    result = []
    here = current.path + page_url
    for lang in languages:
        exists = (root / lang.code / src_uri).is_file()
        served = exists or src_uri in (fallbacks or {}).get(lang.code, ())
        target = lang.path + (page_url if served else "")
        result.append(
            Alternate(
                language=lang,
                url=root_url + target,
                href=_relative_url(target, here),
                exists=exists,
            )
        )
    return result


def _relative_url(target: str, here: str) -> str:
    """Relative link between two directory-style URLs under the site root ('' is the root)."""
    rel = posixpath.relpath("/" + target, "/" + here)
    return rel + "/" if rel != "." else "./"


def pages(root: Path, code: str) -> set[str]:
    folder = root / code
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}


def missing_counterparts(root: Path, languages: list[Language], exempt: Iterable[str] = ()) -> list[Problem]:
    """Every page must exist in every language (the only exceptions are listed in `exempt`)."""
    exempt = set(exempt)
    by_lang = {lang.code: pages(root, lang.code) for lang in languages}
    problems = []
    for lang in languages:
        for other in languages:
            if other is lang:
                continue
            for src in sorted(by_lang[lang.code] - by_lang[other.code]):
                if any(Path(src).match(pattern) for pattern in exempt):
                    continue
                problems.append(
                    Problem(
                        rule="missing-translation",
                        severity="error",
                        file=relative(root / other.code / src),
                        message=f"this page is missing: {relative(root / lang.code / src)} has no {other.name} version.",
                        fix=f"copy {relative(root / lang.code / src)} to {relative(root / other.code / src)} "
                        f"and translate it, or delete both if the page should go.",
                    )
                )
    return problems


def robots_txt(root_url: str, languages: list[Language]) -> str:
    """robots.txt at the site root naming every language's sitemap."""
    lines = ["User-agent: *", "Allow: /", ""]
    lines += [f"Sitemap: {root_url}{lang.path}sitemap.xml" for lang in languages]
    return "\n".join(lines) + "\n"
