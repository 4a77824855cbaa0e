"""Language codes come from configuration (issue 17): no code in scripts/ names 'ja' or 'en'.

Languages are listed in mkdocs.yml `extra.languages` (scripts/languages.py). Code asks the
configuration (`languages.codes()`, `languages.source()`, `lang.furigana`, `lang.spaced`, ...)
or the catalogs (locales/) instead of comparing with, indexing by or listing a literal code.
"""
from __future__ import annotations

import ast
from pathlib import Path

from scripts import ROOT

CODES = {"ja", "en"}
SCRIPTS = ROOT / "scripts"
# Code being moved into the finish stage right now (the lead's files): it switches to
# scripts/languages.py (Language.furigana, .spaced, ...) next, then leaves this list.
PENDING: set[str] = set()
PENDING_FOLDERS: tuple[str, ...] = ()


def pending(rel: str) -> bool:
    return rel in PENDING or rel.startswith(PENDING_FOLDERS)
# The one place that names codes on purpose: staff read every message in Japanese, then English,
# whatever the site's languages are.
NAMED = {("scripts/problems.py", "STAFF_LANGUAGES")}


def literal_uses(tree: ast.AST, named: set[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, code) for every string constant that is exactly a language code, outside the `named` assignments."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in named for t in node.targets):
            allowed |= {id(child) for child in ast.walk(node)}
    return sorted((node.lineno, node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and node.value in CODES and id(node) not in allowed)


def found() -> dict[str, list[tuple[int, str]]]:
    out = {}
    for path in sorted(SCRIPTS.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        named = {name for file, name in NAMED if file == rel}
        uses = literal_uses(ast.parse(path.read_text(encoding="utf-8"), rel), named)
        if uses:
            out[rel] = uses
    return out


def test_no_literal_language_codes_in_scripts():
    offending = {rel: uses for rel, uses in found().items() if not pending(rel)}
    assert not offending, (
        "言語コードを直接書かないでください。scripts/languages.py（extra.languages）か翻訳ファイル（locales/）から"
        "取ります。 / Do not write language codes in code: ask scripts/languages.py (extra.languages: codes(), "
        "source(), get(code).furigana / .spaced / .full_width ...) or the catalogs (locales/).\n"
        + "\n".join(f"  {rel}:{line}: '{code}'" for rel, uses in offending.items() for line, code in uses))


def test_the_pending_list_only_names_files_that_still_need_it():
    still = set(found())
    done = sorted(rel for rel in PENDING if rel not in still and (ROOT / rel).exists())
    assert not done, f"no literal codes left in {done}: take them off PENDING in this test"


def test_the_check_finds_comparisons_subscripts_lists_and_defaults():
    code = """
if lang == "ja": pass
x = names["en"]
LANGS = ("ja", "en")
def f(lang="ja"): pass
STAFF_LANGUAGES = ("ja", "en")
ok = "japan", "ja-en", f"{lang}"
"""
    assert [line for line, _ in literal_uses(ast.parse(code), {"STAFF_LANGUAGES"})] == [2, 3, 4, 4, 5]
    assert [line for line, _ in literal_uses(ast.parse(code))] == [2, 3, 4, 4, 5, 6, 6]
