"""`python -m scripts new post|page` (make new-post): files in both languages,
front matter filled in, paths printed, nothing overwritten, bad input refused."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import ROOT, lint, news, scaffold

TODAY_JST = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date()


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "scripts", "new", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def test_new_post_writes_both_languages_and_prints_the_paths(project):
    result = cli(project, "post", "--slug", "new-lessons", "--title-ja", "新しい教材をのせました",
                 "--title-en", "New lesson material", "--category", "teachers")
    assert result.returncode == 0, result.stderr
    for lang in ("ja", "en"):
        path = project / "docs" / lang / "news/posts/new-lessons.md"
        assert f"docs/{lang}/news/posts/new-lessons.md" in result.stdout
        meta, _, _ = news.read_front_matter(path)
        assert meta["slug"] == "new-lessons"
        assert meta["date"] == TODAY_JST
        assert meta["authors"] == [news.DEFAULT_AUTHOR]
        assert meta["categories"] == [news.category_name("teachers", lang)]
        assert meta["title"] == {"ja": "新しい教材をのせました", "en": "New lesson material"}[lang]
        assert "single_language" not in meta
        assert "<!-- more -->" in path.read_text(encoding="utf-8")
    assert "make check" in result.stdout and "make serve" in result.stdout


def test_scaffold_is_lint_clean_once_the_todos_are_written(tmp_path):
    docs = tmp_path / "docs"
    for lang in ("ja", "en"):
        (docs / lang / "news").mkdir(parents=True)
        (docs / lang / news.AUTHORS_FILE).write_text((ROOT / "docs" / lang / news.AUTHORS_FILE).read_text("utf-8"),
                                                    encoding="utf-8")
    paths = scaffold.new_post("a-post", {"ja": "題名", "en": "Title"}, docs=docs)
    rules = {p.rule for p in lint.check_all(docs, ["ja", "en"]) if p.severity == "error"}
    assert rules == {"unfinished"}  # the TODOs are the only thing left to do
    for path in paths:
        text = path.read_text(encoding="utf-8")
        text = text.replace(scaffold.description("ja"), "このお知らせのれいの説明です。")
        text = text.replace(scaffold.description("en"), "A description of this example post.")
        path.write_text(re.sub(r"^TODO:.*$", "Text.", text, flags=re.M), encoding="utf-8")
    assert [p for p in lint.check_all(docs, ["ja", "en"]) if p.severity != "info"] == []


@pytest.mark.parametrize("title", ['計画: 5年間の「技術」', "It's #1: \"quoted\" [list]", "- starts with a dash"])
def test_titles_with_yaml_characters_read_back_exactly(tmp_path, title):
    paths = scaffold.new_post("t", {"ja": title, "en": title}, docs=tmp_path)
    for path in paths:
        assert news.read_front_matter(path)[0]["title"] == title


def test_only_one_language_marks_the_post(tmp_path):
    paths = scaffold.new_post("ja-only", {"ja": "日本語だけ"}, only="ja", docs=tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["ja/news/posts/ja-only.md"]
    assert news.read_front_matter(paths[0])[0]["single_language"] is True


def test_future_date_is_kept(tmp_path):
    path = scaffold.new_post("later", {"ja": "あと", "en": "Later"}, date=dt.date(2030, 4, 1), docs=tmp_path)[0]
    assert news.read_front_matter(path)[0]["date"] == dt.date(2030, 4, 1)


def test_existing_files_are_never_overwritten(project):
    first = cli(project, "post", "--slug", "twice", "--title-ja", "一回目", "--title-en", "First")
    assert first.returncode == 0
    path = project / "docs/ja/news/posts/twice.md"
    before = path.read_bytes()
    second = cli(project, "post", "--slug", "twice", "--title-ja", "二回目", "--title-en", "Second")
    assert second.returncode == 2 and "上書きしません" in second.stderr and "twice.md" in second.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("args, needle", [
    (["--slug", "お知らせ", "--title-ja", "あ", "--title-en", "a"], "--slug"),
    (["--slug", "Big News", "--title-ja", "あ", "--title-en", "a"], "半角の小文字"),
    (["--slug", "ok", "--title-ja", "あ"], "--title-en"),
    (["--slug", "ok", "--title-ja", "あ", "--title-en", "a", "--category", "sports"], "announcements"),
    (["--slug", "ok", "--title-ja", "あ", "--title-en", "a", "--date", "2026/12/01"], "年-月-日"),
    (["--slug", "ok", "--title-ja", "あ", "--title-en", "a", "--author", "nobody"], "editorial-team"),
])
def test_bad_input_is_refused_with_a_fix(project, args, needle):
    result = cli(project, "post", *args)
    assert result.returncode == 2, result.stdout
    assert needle in result.stderr and "直し方" in result.stderr and "Traceback" not in result.stderr
    assert not list((project / "docs/ja/news/posts").glob("ok.md"))


def test_new_page_writes_both_languages_and_says_how_to_add_it_to_the_menu(project):
    result = cli(project, "page", "--path", "about/contact-form", "--title-ja", "お問い合わせの方法",
                 "--title-en", "How to contact us")
    assert result.returncode == 0, result.stderr
    for lang in ("ja", "en"):
        meta, _, _ = news.read_front_matter(project / "docs" / lang / "about/contact-form.md")
        assert meta["title"] and meta["description"].startswith("TODO")
    assert "about/contact-form.md" in result.stdout and "mkdocs.en.yml" in result.stdout


def test_new_page_refuses_non_ascii_paths(project):
    result = cli(project, "page", "--path", "about/連絡", "--title-ja", "連絡", "--title-en", "Contact")
    assert result.returncode == 2 and "--path" in result.stderr


def test_make_new_post_runs_the_same_command():
    out = subprocess.run(["make", "-n", "new-post", "SLUG=a-b", "TITLE_JA=題名", "TITLE_EN=Title", "CATEGORY=guides"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert '-m scripts new post --slug "a-b" --title-ja "題名" --title-en "Title" --category "guides"' in out


def translation_status(project: Path, page: str) -> str:
    from scripts import translations

    report = translations.build_report(project / "docs", "ja", ["en"])
    return report.page("en", page).status


@pytest.mark.parametrize("kind, args, page", [
    ("post", ["--slug", "new-lessons", "--title-ja", "新しい教材をのせました", "--title-en", "New lesson material"],
     "news/posts/new-lessons.md"),
    ("page", ["--path", "about/contact", "--title-ja", "お問い合わせ", "--title-en", "Contact us"], "about/contact.md"),
])
def test_a_new_english_page_is_current_not_out_of_date(project, kind, args, page):
    """The English scaffold records the fingerprint of the Japanese one, as mark-reviewed would."""
    assert translation_status(project, "plan/index.md") == "current"  # control: the report works here
    result = cli(project, kind, *args)
    assert result.returncode == 0, result.stderr
    en = project / "docs/en" / page
    assert re.search(r"^translation:\n  source_hash: sha256:[0-9a-f]{64}\n---$", en.read_text(encoding="utf-8"), re.M)
    assert translation_status(project, page) == "current"
    # CONTRIBUTING.md: write both (the Japanese text changes), then record the pair as the scaffold says.
    ja = project / "docs/ja" / page
    ja.write_text(ja.read_text(encoding="utf-8").replace("TODO:", "書きました。"), encoding="utf-8")
    en.write_text(en.read_text(encoding="utf-8").replace("TODO:", "Written."), encoding="utf-8")
    assert translation_status(project, page) == "stale"
    step = re.search(r"^\s+(\.venv/bin/python -m scripts translations mark-reviewed \S+)$", result.stdout, re.M)
    assert step and step.group(1).endswith(f"docs/en/{page}"), result.stdout
    reviewed = subprocess.run([sys.executable, *step.group(1).split()[1:]], cwd=project, capture_output=True,
                              text=True, timeout=120, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert reviewed.returncode == 0, reviewed.stderr
    assert translation_status(project, page) == "current"


def test_a_one_language_post_records_no_translation(tmp_path):
    path = scaffold.new_post("ja-only", {"ja": "日本語だけ"}, only="ja", docs=tmp_path)[0]
    assert "translation" not in news.read_front_matter(path)[0]
