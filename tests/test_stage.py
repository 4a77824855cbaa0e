"""The staged docs (scripts/stage.py): what the prepare stage hands the engine, and what
`python -m scripts stage` writes for another engine."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts import facts, languages, news, publisher, stage
from tests.conftest import ROOT, SHARED_CACHE, tree_hashes

LANGS = languages.configured()
MARKERS = re.compile(r"\[\[(fact:|chart:|glossary\]\]|lesson|publisher:|accessibility-)|\{[^{}|\n]+\|[^{}\n]+\}")


def run_stage(project: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1",
               SITE_CACHE_DIR=os.environ.get("SITE_CACHE_DIR") or str(SHARED_CACHE))
    return subprocess.run([sys.executable, "-m", "scripts", "stage", "--out", str(out)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def front_matter(text: str) -> dict:
    front, _ = stage.split(text)
    return (yaml.safe_load(stage.FRONT_MATTER.match(front).group(1)) or {}) if front else {}


@pytest.mark.parametrize("src_uri, url", [
    ("index.md", ""), ("plan/index.md", "plan/"), ("plan/directions.md", "plan/directions/"),
    ("about/terms.md", "about/terms/"),
])
def test_page_url_is_the_engines(src_uri, url):
    assert stage.page_url(src_uri) == url


def test_post_urls_are_where_the_blog_serves_them(built_site):
    """The stage works out each post's address itself (charts and links inside it are relative
    to it): every one must be a page the engine really wrote."""
    checked = 0
    for lang in LANGS:
        for post in news.posts(ROOT / "docs", lang.code):
            if post.draft or news.is_scheduled(post):
                continue
            url = stage.page_url(post.src_uri, post.meta)
            assert (built_site / lang.path / url / "index.html").is_file(), f"{lang.code} {post.src_uri}: {url}"
            checked += 1
    assert checked >= len(LANGS)  # every language has posts


def test_front_matter_keeps_what_was_written_and_adds_keys():
    front = "---\ntitle: 題\nlesson: x  # comment\n---\n"
    added = stage.with_meta(front, {"template": "lesson.html"})
    assert added.startswith("---\ntitle: 題\nlesson: x  # comment\n")
    assert front_matter(added + "body") == {"title": "題", "lesson": "x", "template": "lesson.html"}
    assert front_matter(stage.with_meta("", {"template": "lesson.html"}) + "# h") == {"template": "lesson.html"}
    assert stage.with_meta(front, {}) == front


def test_unchanged_pages_keep_their_file(tmp_path):
    """A preview's rebuild rewrites only the pages whose staged text changed."""
    path = tmp_path / "ja" / "a.md"
    stage._write_if_changed(path, "one")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    stage._write_if_changed(path, "one")
    assert path.stat().st_mtime_ns == 1_000_000_000
    stage._write_if_changed(path, "two")
    assert path.read_text(encoding="utf-8") == "two"
    assert not list(tmp_path.rglob(".*.tmp"))


def test_staged_docs_are_a_complete_docs_folder_with_no_markers(built_site, tmp_path):
    before = tree_hashes(ROOT)
    out = tmp_path / "staged"
    result = run_stage(ROOT, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert tree_hashes(ROOT) == before, "staging changed a source file"
    for lang in LANGS:
        src = ROOT / "docs" / lang.code
        for source in src.rglob("*"):
            if source.is_dir():
                continue
            staged = out / lang.code / source.relative_to(src)
            assert staged.is_file(), f"not staged: {staged}"
            if source.suffix != ".md":
                assert staged.read_bytes() == source.read_bytes()
                continue
            text = staged.read_text(encoding="utf-8")
            _, body = stage.split(text)
            assert not MARKERS.search(body), f"{staged}: {MARKERS.search(body).group(0)!r} left unexpanded"
            written, kept = front_matter(source.read_text(encoding="utf-8-sig")), front_matter(text)
            assert {k: kept.get(k) for k in written} == written, f"{staged}: front matter changed"
            values = kept["site"]  # what the templates read that follows from the files (page_data.FILE_VALUES)
            assert set(values) == {"alternates", "fallback", "notice", "updated", "publisher", "framing"}
            assert values["fallback"] is False
            # The status notice, footer and feedback links read these, not template globals.
            assert values["publisher"]["name"] == publisher.load().name(lang.code)
            assert values["framing"] == facts.framing(lang.code)
            assert [a["language"]["code"] for a in values["alternates"]] == [l.code for l in LANGS]
            assert re.fullmatch(r"\d{4}-\d\d-\d\d", values["updated"]["date"])
            if "lesson" in written:  # the expansion decided the page's template and its JSON-LD
                assert kept["template"] == "lesson.html" and '"LearningResource"' in kept["lesson_jsonld"]
    # What the engine renders is what was staged: a fact's text in the staged page is on the built page.
    page = "fields/disaster-resilience"
    staged = (out / LANGS[0].code / f"{page}.md").read_text(encoding="utf-8")
    assert "[[fact:" in (ROOT / "docs" / LANGS[0].code / f"{page}.md").read_text(encoding="utf-8")
    footnote = re.search(r"^\[\^[^\]]+\]: (.{12})", staged, re.M)
    built = (built_site / page / "index.html").read_text(encoding="utf-8")
    assert footnote and footnote.group(1) in built
    assert f'datetime="{front_matter(staged)["site"]["updated"]["date"]}' in built  # the staged date is shown


def test_stage_refuses_a_folder_with_files_in_it(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = run_stage(ROOT, tmp_path)
    assert result.returncode == 1
    assert "空ではありません" in result.stderr and "not empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_marker_error_names_the_source_not_the_stage(built_site, project, tmp_path):
    page = project / "docs" / LANGS[0].code / "plan" / "directions.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    lines.insert(len(lines) // 2, "{漢字|}")  # a reading with nothing after the bar
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "staged"
    result = run_stage(project, out)
    assert result.returncode == 1
    assert re.search(rf"docs/{LANGS[0].code}/plan/directions\.md:\d+", result.stderr), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_kept_pages_take_this_builds_secret_and_never_forge_one(tmp_path, monkeypatch):
    """A kept expansion holds a mark where our own HTML's fence had the build's secret; read back,
    it carries the new build's secret, so the finish stage still knows our HTML from the page's."""
    from scripts import memo, sanitize

    kept = stage.Kept(ROOT, "https://example.org/", {})
    kept.store = memo.Store("staged", tmp_path)
    old = sanitize.GENERATED.secret
    body = sanitize.GENERATED.fence("before\n[[lesson-finder]]\nafter", "[[lesson-finder]]")
    kept.put("k", {"template": "lesson.html"}, body)
    assert old not in (next(tmp_path.rglob("*.json"))).read_text(encoding="utf-8")  # the secret is not stored
    monkeypatch.setattr(sanitize.GENERATED, "secret", "0123456789abcdef01234567")
    added, again = kept.get("k")
    assert added == {"template": "lesson.html"}
    assert again == body.replace(old, "0123456789abcdef01234567")
    assert sanitize.GENERATED.split(again)[1], "the fence is not recognised with the new secret"
    kept.put("forged", {}, "text " + stage.Kept.SECRET_MARK)  # would come back as the secret
    assert kept.get("forged") is None
    assert kept.key("a.md", "ja", "a/", "text") != kept.key("a.md", "ja", "a/", "text!")
