"""A build of exactly the sources the last build prepared reuses that preparation (scripts/prepare.py,
"kept between builds"); any change to what the prepare stage reads prepares again, and a reused
preparation reports every warning again and publishes the same site."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from scripts import build
from tests.conftest import run_build

REUSED = "no source changed since the last build"


def _built(project: Path, *args: str) -> str:
    result = run_build(project, *args)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output, output
    return output


def _site_files(site: Path) -> dict[str, bytes]:
    stamped = [p for pattern in build.TIMESTAMPED_OUTPUTS for p in site.glob(pattern)]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p not in stamped}


def test_the_same_sources_reuse_the_preparation_and_publish_the_same_site(project, tmp_path):
    page = project / "docs" / "en" / "plan" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [the old address](http://example.org/).\n",
                    encoding="utf-8")
    first = _built(project)
    assert REUSED not in first
    assert "[http-link]" in first  # the warning the test page carries
    before = _site_files(project / "site")

    second = _built(project)
    assert REUSED in second, second
    assert "Lesson packs:" not in second  # a reused preparation makes no lesson file and says none
    # The reused preparation reports its warning again, in the log and in the summary.
    assert "[http-link]" in second, second
    assert "warnings / 注意: 0" not in second, second
    assert _site_files(project / "site") == before


def test_an_edit_prepares_again_and_its_error_is_not_hidden(project):
    _built(project)
    page = project / "docs" / "ja" / "plan" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[[fact:no-such-fact]]\n", encoding="utf-8")
    result = run_build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert REUSED not in output
    assert "no-such-fact" in output


def test_a_new_sentence_is_published_after_a_reused_build(project):
    _built(project)
    _built(project)
    page = project / "docs" / "en" / "plan" / "follow-up.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added after two builds.\n",
                    encoding="utf-8")
    output = _built(project)
    assert REUSED not in output
    assert "A sentence added after two builds." in (project / "site" / "en" / "plan" / "follow-up" / "index.html").read_text(
        encoding="utf-8")


def test_a_commit_prepares_again(project):
    """Page dates and translation status come from git history: a new commit is a new input."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "first"], cwd=project, check=True)
    _built(project)
    assert REUSED in _built(project)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "second"], cwd=project, check=True)
    assert REUSED not in _built(project)


def test_a_cleaned_lesson_cache_prepares_again(project, tmp_path, monkeypatch):
    """The kept preparation names lesson files in their cache: if one is gone, they are made again."""
    import shutil

    from scripts.lessons import downloads

    cache = tmp_path / "lessons"  # a copy of the lesson cache (hard links), to clean
    shutil.copytree(downloads.cache_root(), cache, copy_function=os.link)
    monkeypatch.setenv("LESSON_CACHE_DIR", str(cache))
    _built(project)
    assert REUSED in _built(project)
    published = next((project / "site").rglob("*.pdf")).read_bytes()
    used = [p for p in cache.rglob("*.pdf") if p.read_bytes() == published]  # the cache file it came from
    assert used, "no lesson PDF of the site is in its cache"
    for path in used:
        path.unlink()
    output = _built(project)
    assert REUSED not in output
    assert all(path.is_file() for path in used), "the missing lesson file was not made again"


def test_no_reuse_when_the_memo_is_off(project, monkeypatch):
    monkeypatch.setenv("SITE_MEMO", "0")
    _built(project)
    assert REUSED not in _built(project)


def test_a_copy_of_the_project_reuses_the_finished_pages(project, tmp_path):
    """Kept results are keyed by what they are made from, not by where the project lies: a copy of
    the project (a colleague's checkout, a test's copy) finishes no page the original finished."""
    import re
    import shutil

    first = _built(project)
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("site", ".site-*"))  # file times kept
    second = _built(copy)
    assert REUSED not in second  # the preparation is kept per settings file
    counts = [(int(kept), int(made)) for kept, made in re.findall(r"Pages: (\d+) from the cache, (\d+) finished", second)]
    assert counts and all(kept >= 40 and made <= 1 for kept, made in counts), (counts, first[-2000:], second[-2000:])
    assert _site_files(copy / "site") == _site_files(project / "site")
