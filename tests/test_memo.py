"""Results kept between builds (scripts/memo.py): the finish stage's pages, the page rules'
results, the search readings. A kept result is used only while everything it was made from
is unchanged; what making it said (warnings, notes) is said again; a broken entry is made again."""
from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path

import pytest

from scripts import images, lint, memo, search
from scripts.finish import pages
from scripts.finish.stored import StoredPages
from tests.test_finish import VALUES, engine_page, settings

WARNING_PAGE = """---
title: 確かめるページ
description: 覚えておくことを確かめるためのページです。
---

# 確かめるページ

まちのくらしを支える技術について書きます。

[計画へ](index.md#{anchor})
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A private cache folder for every store (the lint's and the readings' use the default)."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(memo, "CACHE", folder)
    monkeypatch.delenv("SITE_MEMO", raising=False)
    return folder


def _entries(cache: Path, name: str) -> list[Path]:
    return sorted((cache / "memo" / name).rglob("*.json"))


# --------------------------------------------------------------------------- the store

def test_a_broken_entry_is_a_miss_and_is_written_again(cache):
    store = memo.Store("test")
    key = memo.digest("a", "b")
    assert store.get(key) is None
    store.put(key, {"x": [1, "二"]})
    assert store.get(key) == {"x": [1, "二"]}
    path = _entries(cache, "test")[0]
    for broken in (b"", b"{\"key\": ", b"\xff\xfe not json", json.dumps({"key": "other", "value": 1}).encode()):
        path.write_bytes(broken)
        assert memo.Store("test").get(key) is None
    store.put(key, 3)
    assert memo.Store("test").get(key) == 3


def test_digest_parts_are_not_run_together():
    assert memo.digest("ab", "c") != memo.digest("a", "bc")


def test_the_inputs_version_follows_data_code_and_settings(tmp_path):
    project = tmp_path / "project"
    for part in ("data", "scripts", "locales/en/LC_MESSAGES"):
        (project / part).mkdir(parents=True)
    (project / "data" / "wording.yml").write_text("words: []\n", encoding="utf-8")
    (project / "scripts" / "rule.py").write_text("X = 1\n", encoding="utf-8")
    (project / "locales" / "en" / "LC_MESSAGES" / "messages.po").write_text('msgid "a"\n', encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: a\n", encoding="utf-8")
    seen = {memo.inputs_version(project)}
    for name, text in (("data/wording.yml", "words: [x]\n"), ("scripts/rule.py", "X = 2\n"),
                       ("locales/en/LC_MESSAGES/messages.po", 'msgid "b"\n'), ("mkdocs.yml", "site_name: b\n")):
        (project / name).write_text(text, encoding="utf-8")
        seen.add(memo.inputs_version(project))
    (project / "data" / "facts.yml").write_text("a: 1\n", encoding="utf-8")  # a new file
    seen.add(memo.inputs_version(project))
    assert len(seen) == 6


# --------------------------------------------------------------------------- the finish stage

def test_a_kept_page_is_the_same_page_and_says_its_notes_again(tmp_path, cache, caplog, image_set_factory):
    page = engine_page('<h1>計画</h1><p>国土交通省の<a href="http://example.com/x">技術</a></p>')
    fresh = pages.finish_page(page, settings(tmp_path), image_set_factory())
    caplog.set_level(logging.INFO, logger="mkdocs")
    first = StoredPages(settings(tmp_path), image_set_factory(), cache)
    done, docs = first.finish(page)
    assert first.kept == 0 and done.html == fresh.html
    assert docs == search.page_docs(fresh.content, VALUES["url"], "計画")
    said = [r.getMessage() for r in caplog.records if "http-link" in r.getMessage()]
    assert len(said) == 1  # the sanitizer's warning about http://

    caplog.clear()
    again = StoredPages(settings(tmp_path), image_set_factory(), cache)
    kept, kept_docs = again.finish(page)
    assert again.kept == 1
    assert (kept.html, kept.values, kept_docs) == (done.html, done.values, docs)
    assert [r.getMessage() for r in caplog.records if "http-link" in r.getMessage()] == said


def test_a_kept_page_does_no_work(tmp_path, cache, monkeypatch, image_set_factory):
    page = engine_page("<h1>計画</h1><p>地震に備える。</p>")
    StoredPages(settings(tmp_path), image_set_factory(), cache).finish(page)

    def no_work(*args, **kwargs):
        raise AssertionError("the page was finished again")

    monkeypatch.setattr("scripts.finish.stored.finish_page", no_work)
    StoredPages(settings(tmp_path), image_set_factory(), cache).finish(page)
    with pytest.raises(AssertionError, match="finished again"):  # another page is not kept
        StoredPages(settings(tmp_path), image_set_factory(), cache).finish(page.replace("地震", "台風"))


def test_the_settings_and_a_broken_entry_make_the_page_again(tmp_path, cache, image_set_factory):
    page = engine_page("<h1>計画</h1><p>本文</p>")
    done, _ = StoredPages(settings(tmp_path), image_set_factory(), cache).finish(page)
    other = StoredPages(dataclasses.replace(settings(tmp_path), site_name="別のサイト"), image_set_factory(), cache)
    other.finish(page)
    assert other.kept == 0
    for path in _entries(cache, "finish"):
        path.write_text('{"key": "', encoding="utf-8")  # cut short
    again = StoredPages(settings(tmp_path), image_set_factory(), cache)
    assert again.finish(page)[0].html == done.html and again.kept == 0
    third = StoredPages(settings(tmp_path), image_set_factory(), cache)
    assert third.finish(page)[0].html == done.html and third.kept == 1  # written again


def test_a_kept_page_registers_its_images_and_a_changed_image_makes_it_again(tmp_path, cache, image_set_factory):
    from PIL import Image

    picture = tmp_path / "docs" / "plan" / "map.png"
    picture.parent.mkdir(parents=True)
    Image.new("RGB", (800, 600), (20, 90, 160)).save(picture)
    page = engine_page('<h1>計画</h1><p><img src="map.png" alt="地図"></p>')
    done, _ = StoredPages(settings(tmp_path), image_set_factory(picture), cache).finish(page)
    assert "<picture" in done.html and 'height="600"' in done.html

    image_set = image_set_factory(picture)
    kept = StoredPages(settings(tmp_path), image_set, cache)
    assert kept.finish(page)[0].html == done.html and kept.kept == 1
    source = image_set.sources["plan/map.png"]
    assert source.pages == [VALUES["src"]] and source.checked  # as a fresh build leaves it

    Image.new("RGB", (800, 400), (20, 90, 160)).save(picture)  # same name, another size
    changed = StoredPages(settings(tmp_path), image_set_factory(picture), cache)
    html = changed.finish(page)[0].html
    assert changed.kept == 0 and 'height="400"' in html


@pytest.fixture
def image_set_factory(tmp_path):
    def make(*files: Path):
        image_set = images.ImageSet(tmp_path / "site", tmp_path / "docs", cache_dir=tmp_path / "images")
        for path in files:
            image_set.add(path, path.relative_to(tmp_path / "docs").as_posix())
        return image_set

    return make


# --------------------------------------------------------------------------- the search readings

def test_kept_readings_load_no_dictionary(cache, monkeypatch):
    docs = [{"location": "plan/", "title": "計画", "text": "地震と国土強靱化について。"}]
    first = search.page_readings(docs)
    assert "じしん" in first

    def no_dictionary(text):
        raise AssertionError("SudachiPy was asked again")

    monkeypatch.setattr(search, "word_readings", no_dictionary)
    assert search.page_readings(docs) == first
    with pytest.raises(AssertionError, match="asked again"):
        search.page_readings([dict(docs[0], text="台風について。")])


# --------------------------------------------------------------------------- the page rules

def _wording_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    rule = lint.RULES["wording"]

    def counted(doc, ctx):
        calls.append(doc.src_uri)
        return rule.check(doc, ctx)

    monkeypatch.setitem(lint.RULES, "wording", dataclasses.replace(rule, check=counted))
    return calls


def _found(problems, rule: str, name: str = "memo-check.md") -> list[tuple]:
    return [(p.severity, p.line, p.message) for p in problems if p.rule == rule and p.file.endswith(name)]


def test_kept_page_results_report_the_same_warnings(project, cache, monkeypatch):
    lint.summary("wording")  # every rule registered
    page = project / "docs" / "ja" / "plan" / "memo-check.md"
    page.write_text(WARNING_PAGE.format(anchor=""), encoding="utf-8")
    monkeypatch.setenv("SITE_MEMO", "0")
    fresh = lint.check_project(project / "docs")
    monkeypatch.delenv("SITE_MEMO")
    assert _found(fresh, "wording")  # くらし on a page for adults: 暮らし

    calls = _wording_calls(monkeypatch)
    first = lint.check_project(project / "docs")
    assert first == fresh and "plan/memo-check.md" in calls
    calls.clear()
    second = lint.check_project(project / "docs")
    assert second == fresh and calls == []  # every page's result was kept, and said again

    for path in _entries(cache, "lint"):  # broken entries: checked again, the same result
        path.write_bytes(b"\x00garbage")
    assert lint.check_project(project / "docs") == fresh and "plan/memo-check.md" in calls


def test_an_edited_page_or_data_file_changes_the_result(project, cache, monkeypatch):
    lint.summary("wording")
    page = project / "docs" / "ja" / "plan" / "memo-check.md"
    page.write_text(WARNING_PAGE.format(anchor=""), encoding="utf-8")
    assert _found(lint.check_project(project / "docs"), "wording")
    assert _found(lint.check_project(project / "docs"), "wording")  # kept

    page.write_text(WARNING_PAGE.format(anchor="").replace("くらし", "暮らし"), encoding="utf-8")
    assert not _found(lint.check_project(project / "docs"), "wording")

    page.write_text(WARNING_PAGE.format(anchor=""), encoding="utf-8")
    assert _found(lint.check_project(project / "docs"), "wording")
    wording = project / "data" / "wording.yml"
    text = wording.read_text(encoding="utf-8")
    entry = "  - id: ja-kurashi\n    lang: ja\n    preferred: 暮らし\n    variants: [くらし]\n    children: allowed\n"
    assert entry in text
    wording.write_text(text.replace(entry, ""), encoding="utf-8")
    assert not _found(lint.check_project(project / "docs"), "wording")


def test_a_rule_that_reads_another_page_runs_every_time(project, cache):
    """A link into another page: editing that page alone changes this page's result."""
    page = project / "docs" / "ja" / "plan" / "memo-check.md"
    target = project / "docs" / "ja" / "plan" / "index.md"
    heading = next(line for line in target.read_text(encoding="utf-8").splitlines() if line.startswith("## "))
    from scripts.lint.anchors import render_ids

    anchor = sorted(render_ids(heading, frozenset()))[0]
    page.write_text(WARNING_PAGE.format(anchor=anchor), encoding="utf-8")
    assert not _found(lint.check_project(project / "docs"), "broken-anchor")
    assert not _found(lint.check_project(project / "docs"), "broken-anchor")
    target.write_text(target.read_text(encoding="utf-8").replace(heading + "\n", "\n"), encoding="utf-8")
    assert _found(lint.check_project(project / "docs"), "broken-anchor")


# --------------------------------------------------------------------------- translation terminology

def test_kept_terminology_warnings_follow_both_pages_and_the_glossary(tmp_path, cache, monkeypatch):
    from scripts import translations
    from tests.test_translations import TERMS, report_for

    docs = _docs(tmp_path)
    (docs / "ja/index.md").write_text("# ホーム\n\n国土強靱化の話。\n", encoding="utf-8")

    def warned(terms=TERMS) -> list[str]:
        return [p.message for p in report_for(docs, terms=terms).warnings() if p.rule == "terminology"]

    first = warned()
    assert len(first) == 1 and "national resilience" in first[0]

    def no_work(*args):
        raise AssertionError("the glossary's patterns were matched again")

    real = translations.terminology_problems
    monkeypatch.setattr(translations, "terminology_problems", no_work)
    assert warned() == first  # kept, and said again
    monkeypatch.setattr(translations, "terminology_problems", real)
    (docs / "en/index.md").write_text("# Home\n\nNational resilience.\n", encoding="utf-8")
    assert warned() == []  # the translation now uses the term
    (docs / "en/index.md").write_text("# Home\n", encoding="utf-8")
    assert len(warned()) == 1
    assert warned([t for t in TERMS if t.id != "national-resilience"]) == []  # another glossary


def _docs(tmp_path: Path) -> Path:
    pages = {"ja/index.md": "# ホーム\n", "en/index.md": "# Home\n"}
    for path, text in pages.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    return tmp_path


def test_prune_removes_what_no_build_used_for_a_month(cache):
    import os
    import time

    store = memo.Store("test")
    old, used = memo.digest("old"), memo.digest("used")
    store.put(old, 1)
    store.put(used, 2)
    month_ago = time.time() - 31 * 86400
    for path in _entries(cache, "test"):
        os.utime(path, (month_ago, month_ago))
    assert store.get(used) == 2  # a use renews it
    assert memo.prune() == 1
    assert memo.Store("test").get(old) is None and memo.Store("test").get(used) == 2
    store.put(old, 1)
    os.utime(_entries(cache, "test")[0], (month_ago, month_ago))
    assert memo.prune() == 0  # once a day


def test_a_note_names_the_line_of_the_markdown_as_it_is_now(tmp_path, cache, caplog, image_set_factory):
    """Blank lines added above a warning leave the HTML as it was but move the warning's line."""
    markdown = tmp_path / "page.md"
    markdown.write_text("# 計画\n\n[技術](http://example.com/x)\n", encoding="utf-8")
    values = dict(VALUES, src=str(markdown))
    page = engine_page('<h1>計画</h1><p><a href="http://example.com/x">技術</a></p>', values=values)
    caplog.set_level(logging.INFO, logger="mkdocs")

    def said() -> list[str]:
        caplog.clear()
        StoredPages(settings(tmp_path), image_set_factory(), cache).finish(page)
        return [r.getMessage() for r in caplog.records if "http-link" in r.getMessage()]

    first = said()
    assert len(first) == 1 and "page.md:3" in first[0] and said() == first
    markdown.write_text("# 計画\n\n\n\n[技術](http://example.com/x)\n", encoding="utf-8")
    moved = said()
    assert len(moved) == 1 and "page.md:5" in moved[0]
