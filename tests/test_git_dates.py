"""“Last updated” from git (scripts/git_dates.py): one git log for every file,
Japan-time days, fallbacks for uncommitted files and for no git at all, and
the same day on the page (localized) and in the sitemap."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scripts import ROOT, formats, git_dates, publisher

JST = dt.timezone(dt.timedelta(hours=9))


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def write(repo: Path, name: str, text: str) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    write(tmp_path, "docs/ja/a.md", "# a\n")
    write(tmp_path, "docs/en/a.md", "# a\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "one", date="2024-01-02T10:00:00+09:00")
    write(tmp_path, "docs/ja/a.md", "# a, changed\n")
    write(tmp_path, "docs/ja/b.md", "# b\n")
    git(tmp_path, "add", ".")
    # 23:30 UTC on March 3rd is already March 4th in Japan.
    git(tmp_path, "commit", "-qm", "two", date="2025-03-03T23:30:00+00:00")
    write(tmp_path, "README.md", "outside docs\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "three", date="2025-06-01T12:00:00+09:00")
    return tmp_path


def test_each_file_gets_the_day_of_its_last_commit_in_japan(repo):
    dates = git_dates.collect(repo)
    assert dates.git and not dates.shallow
    assert dates.lookup(repo / "docs/ja/a.md") == (dt.date(2025, 3, 4), "git")
    assert dates.lookup(repo / "docs/en/a.md") == (dt.date(2024, 1, 2), "git")
    assert dates.lookup(repo / "docs/ja/b.md") == (dt.date(2025, 3, 4), "git")
    assert "README.md" not in dates.committed  # only docs/ is read


def test_one_git_log_for_all_files_however_many(repo, monkeypatch):
    for i in range(30):
        write(repo, f"docs/ja/many/page-{i}.md", f"# {i}\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "many", date="2025-07-01T12:00:00+09:00")
    calls = []
    real_run = subprocess.run

    def counting_run(cmd, *args, **kwargs):
        calls.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(git_dates.subprocess, "run", counting_run)
    dates = git_dates.collect(repo)
    assert len(dates.committed) == 33
    assert sum(1 for cmd in calls if "log" in cmd) == 1
    assert len(calls) <= 4  # log, status, rev-parse (twice at most)


def test_uncommitted_and_untracked_files_use_the_day_they_were_saved(repo):
    edited = write(repo, "docs/en/a.md", "# a, edited\n")
    new = write(repo, "docs/ja/new.md", "# new\n")
    saved = dt.datetime(2026, 2, 3, 12, 0, tzinfo=JST).timestamp()
    for path in (edited, new):
        os.utime(path, (saved, saved))
    dates = git_dates.collect(repo)
    assert dates.lookup(edited) == (dt.date(2026, 2, 3), "uncommitted")
    assert dates.lookup(new) == (dt.date(2026, 2, 3), "uncommitted")
    assert dates.lookup(repo / "docs/ja/a.md")[1] == "git"


def test_without_git_every_file_uses_its_modification_time(tmp_path):
    page = write(tmp_path, "docs/ja/a.md", "# a\n")
    saved = dt.datetime(2026, 5, 6, 8, 0, tzinfo=JST).timestamp()
    os.utime(page, (saved, saved))
    dates = git_dates.collect(tmp_path)
    assert not dates.git
    assert dates.lookup(page) == (dt.date(2026, 5, 6), "file")


def test_a_shallow_clone_is_detected(repo, tmp_path_factory):
    clone = tmp_path_factory.mktemp("clone") / "c"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    assert git_dates.collect(clone).shallow


@pytest.mark.parametrize("lang, prefix", [("ja", ""), ("en", "en/")])
def test_page_and_sitemap_show_the_same_day_localized(built_site, lang, prefix):
    dates = git_dates.collect(ROOT)
    src = ROOT / "docs" / lang / "plan/index.md"
    day = dates.page_date(src, src.read_text(encoding="utf-8"))
    page = (built_site / prefix / "plan/index.html").read_text(encoding="utf-8")
    shown = re.search(r'page-updated">\s*(.*?)\s*</p>', page, re.S).group(1)
    label = "最終更新：" if lang == "ja" else "Last updated: "
    assert shown == f'{label}<time datetime="{day.isoformat()}">{formats.format_date(day, lang)}</time>'
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(built_site / prefix / "sitemap.xml")
    lastmod = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in tree.findall("s:url", ns)}
    assert lastmod[f"{publisher.load().site_url}{prefix}plan/"] == day.isoformat()


def test_a_page_is_as_new_as_the_data_it_shows(repo):
    write(repo, "data/facts.yml", "a: 1\n")
    write(repo, "data/lessons/one.yml", "x: 1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "data", date="2025-08-01T12:00:00+09:00")
    dates = git_dates.collect(repo)
    page = repo / "docs/ja/a.md"  # last committed 2025-03-04
    assert dates.page_date(page, "# a\n") == dt.date(2025, 3, 4)
    assert dates.page_date(page, "# a\n[[fact:a]]\n") == dt.date(2025, 8, 1)
    assert dates.page_date(page, "[[lesson]]") == dt.date(2025, 8, 1)  # a folder: its newest file
    assert dates.page_date(page, "[[glossary]]") == dt.date(2025, 3, 4)  # no data/glossary.yml here
    assert sorted(git_dates.data_used("[[chart:x]] [[fact:y]]")) == ["data/charts.yml", "data/facts.yml"]


def site_dates(site: Path, prefix: str, page: str) -> tuple[str, str]:
    """(the day in the page's 最終更新 line, the page's sitemap <lastmod>)."""
    html = (site / prefix / page / "index.html").read_text(encoding="utf-8")
    shown = re.search(r'page-updated">.*?<time datetime="([0-9-]+)"', html, re.S).group(1)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(site / prefix / "sitemap.xml")
    lastmod = {u.find("s:loc", ns).text: u.find("s:lastmod", ns).text for u in tree.findall("s:url", ns)}
    return shown, lastmod[f"{publisher.load().site_url}{prefix}{page}/"]


def test_a_facts_change_gives_the_pages_that_show_facts_a_new_date(project):
    """A real repository: pages committed on one day, data/facts.yml changed later, then a real build."""
    from tests.conftest import run_build

    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "pages", date="2025-04-01T12:00:00+09:00")
    facts = project / "data/facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8") + "# checked again against the source\n", encoding="utf-8")
    git(project, "commit", "-qam", "facts checked", date="2025-09-10T12:00:00+09:00")
    assert "[[fact:" in (project / "docs/ja/plan/index.md").read_text(encoding="utf-8")
    assert "[[" not in (project / "docs/ja/about/privacy.md").read_text(encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    for prefix in ("", "en/"):
        assert site_dates(project / "site", prefix, "plan") == ("2025-09-10", "2025-09-10"), prefix
        assert site_dates(project / "site", prefix, "about/privacy") == ("2025-04-01", "2025-04-01"), prefix
