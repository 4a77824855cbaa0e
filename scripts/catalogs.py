"""UI string catalogs (gettext, managed by Babel).

Sources: locales/messages.pot (extracted from overrides/ templates) and
locales/<lang>/LC_MESSAGES/messages.po (translated by people). The build
compiles each .po into a .mo under .cache/ and adds that folder to the theme
directories, where MkDocs looks for `locales/<locale>/LC_MESSAGES/messages.mo`.
No .mo file is ever committed or edited by hand.
"""
from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from scripts import ROOT
from scripts.problems import ContentError, Problem, relative

LOCALES = ROOT / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a UI string set from Python for extraction (`make i18n-extract`)."""
    return message


def translate(catalog: Catalog, msgid: str, context: str | None = None) -> str:
    message = catalog.get(msgid, context=context)
    return message.string if message is not None and message.string and not message.fuzzy else msgid


def gettext(lang: str):
    """`_` for a language in Python code: English msgid -> translated string."""
    catalog = _current(lang)
    return lambda msgid: translate(catalog, msgid)


def pgettext(lang: str):
    """`pgettext(context, msgid)` for a language: the same English words, translated apart by context."""
    catalog = _current(lang)
    return lambda context, msgid: translate(catalog, msgid, context)


def _current(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.is_file():
        read_catalog(path, lang)  # raises the usual clear error: the file and `make i18n-init`
    return _cached(lang, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _cached(lang: str, _mtime: int) -> Catalog:
    return read_catalog(po_path(lang), lang)


def po_path(locale: str, locales: Path = LOCALES) -> Path:
    return locales / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, locale: str) -> Catalog:
    if not path.is_file():
        raise ContentError([Problem(
            rule="missing-catalog", severity="error", file=relative(path),
            message=f"画面の文言の翻訳ファイル（{locale}）がありません。 / The UI string catalog for '{locale}' does not exist.",
            fix=f"make i18n-init LANG={locale} を実行してください。 / Run `make i18n-init LANG={locale}` (or `make i18n-update` if the language is already set up).",
        )])
    try:
        with path.open("rb") as f:
            return read_po(f, locale=locale, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as e:
        raise ContentError([Problem(
            rule="broken-catalog", severity="error", file=relative(path),
            message=f"翻訳ファイルが読めません：{e} / The catalog cannot be read: {e}",
            fix="上に書かれた行を直してください（msgid ごとに \" \" で囲んだ msgstr が要ります）。 / Fix the line named above (each msgid needs a msgstr in double quotes), then run `make i18n-update`.",
        )]) from None


def catalog_problems(catalog: Catalog, path: Path) -> list[Problem]:
    """Strings that would show in the wrong language: untranslated or fuzzy."""
    problems = []
    for message in catalog:
        if not message.id:
            continue  # the header
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            problems.append(Problem(
                rule="fuzzy-ui-string", severity="error", file=relative(path), line=message.lineno,
                message=f"「{msgid}」の翻訳が fuzzy（古いかもしれない）になっています。 / The translation of \"{msgid}\" is marked fuzzy (it may be out of date).",
                fix="msgstr を確かめて、上の #, fuzzy の行を消してください。 / Check the msgstr, then delete the '#, fuzzy' line above it.",
            ))
        elif not all(strings):
            problems.append(Problem(
                rule="untranslated-ui-string", severity="error", file=relative(path), line=message.lineno,
                message=f"「{msgid}」に翻訳がありません。 / \"{msgid}\" has no translation.",
                fix="下の msgstr の \" \" の間に翻訳を書いてください。 / Write the translation between the quotes of the msgstr line below it.",
            ))
    return problems


def compile_catalog(locale: str, out_root: Path, locales: Path = LOCALES) -> tuple[Path, Catalog, list[Problem]]:
    """Compile locales/<locale>/…/messages.po into out_root/locales/<locale>/…/messages.mo."""
    src = po_path(locale, locales)
    catalog = read_catalog(src, locale)
    target = out_root / "locales" / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    # Rewrite only on change: the preview server watches this folder.
    if not target.is_file() or target.read_bytes() != buffer.getvalue():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".mo.tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(target)
    return target, catalog, catalog_problems(catalog, src)
