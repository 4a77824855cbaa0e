"""UI strings: every string in the templates is in the catalogs and translated."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scripts import ROOT, languages
from scripts.catalogs import catalog_problems, compile_catalog, po_path, read_catalog
from scripts.problems import ContentError

LANGS = list(languages.codes())  # every configured language (extra.languages)


def ids(catalog):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.fixture(scope="module")
def fresh_pot(tmp_path_factory) -> Path:
    """Extract the strings the templates use now, the way `make i18n-extract` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "N_",
                    "--omit-header", "-o", str(out), "overrides", "scripts"],
                   cwd=ROOT, check=True, capture_output=True)
    return out


def test_pot_is_up_to_date_with_templates(fresh_pot):
    with fresh_pot.open("rb") as f:
        extracted = ids(read_po(f))
    with (ROOT / "locales" / "messages.pot").open("rb") as f:
        committed = ids(read_po(f))
    assert extracted, "no UI strings were extracted: is babel.cfg right?"
    assert extracted == committed, "run `make i18n-update` and translate the new strings"


@pytest.mark.parametrize("lang", LANGS)
def test_every_ui_string_is_translated_and_not_fuzzy(lang, fresh_pot):
    catalog = read_catalog(po_path(lang), lang)
    with fresh_pot.open("rb") as f:
        missing = ids(read_po(f)) - ids(catalog)
    assert not missing, f"{lang}: strings not in messages.po (run `make i18n-update`): {missing}"
    problems = catalog_problems(catalog, po_path(lang))
    assert not problems, "\n".join(map(str, problems))


def reads_as_japanese(text: str) -> bool:
    """Japanese words, or only placeholders, addresses and punctuation (「%(first)s〜%(last)s」, 「、」)."""
    rest = re.sub(r"%\(\w+\)[sd]|https?://\S+", "", text)
    # CJK punctuation, kana and kanji, or full-width forms (「：」 in 「CC BY 4.0：」).
    return any("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in rest) \
        or not re.search(r"[A-Za-z]", rest)


def test_japanese_catalog_really_is_japanese():
    catalog = read_catalog(po_path("ja"), "ja")
    for message in catalog:
        if message.id:
            assert reads_as_japanese(message.string), message.id
    assert not reads_as_japanese("Grades %(first)s–%(last)s") and reads_as_japanese("%(first)s〜%(last)s")


def test_untranslated_and_fuzzy_strings_are_reported(tmp_path):
    po = tmp_path / "ja" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Contact us"\nmsgstr ""\n\n#, fuzzy\nmsgid "Choose a language"\nmsgstr "言語"\n',
                  encoding="utf-8")
    _, _, problems = compile_catalog("ja", tmp_path / "out", locales=tmp_path)
    rules = sorted(p.rule for p in problems)
    assert rules == ["fuzzy-ui-string", "untranslated-ui-string"]
    assert all(p.line for p in problems)
    assert (tmp_path / "out/locales/ja/LC_MESSAGES/messages.mo").is_file()


def test_missing_catalog_says_what_to_run(tmp_path):
    with pytest.raises(ContentError) as err:
        compile_catalog("ko", tmp_path / "out", locales=tmp_path)
    assert "messages.po" in str(err.value) and "make i18n-init" in str(err.value)
