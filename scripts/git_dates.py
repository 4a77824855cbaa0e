"""“Last updated” dates for every page from git history, in one `git log` call.

A page's date is the latest of its own file and of the data it shows: a page
with [[fact:…]] gets a new date when data/facts.yml changes, a page with a
chart when data/charts.yml (or the facts it draws) changes, and so on
(`USES` below). The same `git log` covers docs/ and data/.

The git-revision-date plugin runs git once per page (a third of the build in a
300-page probe); here one `git log --name-only` over docs/ gives every file's
newest commit, plus one `git status` for files changed since. Dates are days
in Japan time (the site's time zone), shown by Babel in each page's language
and used for the sitemap's <lastmod>.

Fallbacks (documented in CONTRIBUTING.md):
- a file with uncommitted changes, or one git has never seen: the day it was
  last saved (its modification time), so a preview shows today's edits;
- no git, or git not installed (e.g. a downloaded ZIP): every file's
  modification time;
- a shallow clone (CI checkouts fetch one commit by default) would date every
  page to the last commit: the build log says so, and the deploy workflow
  fetches the full history (fetch-depth: 0).

    python -m scripts.git_dates            # cost on this repository
    python -m scripts.git_dates --probe 300   # cost on a generated 300-page history, vs. one call per file
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts import ROOT, languages

JST = dt.timezone(dt.timedelta(hours=9), "JST")  # no daylight saving time in Japan


@dataclass
class Dates:
    root: Path
    committed: dict[str, dt.date] = field(default_factory=dict)  # path relative to root -> day of last commit
    changed: set[str] = field(default_factory=set)  # uncommitted or untracked
    git: bool = False
    shallow: bool = False
    seconds: float = 0.0

    def lookup(self, path: Path | str) -> tuple[dt.date, str]:
        """(day, where it came from: "git", "uncommitted" or "file")."""
        path = Path(path)
        try:
            rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = None
        if rel is not None and rel not in self.changed and rel in self.committed:
            return self.committed[rel], "git"
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return dt.datetime.now(JST).date(), "file"
        return dt.datetime.fromtimestamp(mtime, JST).date(), "uncommitted" if self.git else "file"

    def date(self, path: Path | str) -> dt.date:
        return self.lookup(path)[0]

    def folder_date(self, folder: str) -> dt.date | None:
        """The newest day of any file below folder (relative to root), committed or not."""
        prefix = folder.rstrip("/") + "/"
        days = [day for name, day in self.committed.items() if name.startswith(prefix) and name not in self.changed]
        days += [self.date(self.root / name) for name in self.changed if name.startswith(prefix)]
        return max(days, default=None)

    def page_date(self, path: Path | str, markdown: str) -> dt.date:
        """The page's own day, or a later day of the data its Markdown shows."""
        days = [self.date(path)]
        for name in data_used(markdown):
            day = self.folder_date(name) if (self.root / name).is_dir() else (
                self.date(self.root / name) if (self.root / name).exists() else None)
            if day:
                days.append(day)
        return max(days)


# The markers the staged docs expand (scripts/stage.py), and the data files they show.
# (Glossary tooltips on every page are a reading aid, not page content: only
# the glossary list itself is dated by data/glossary.yml.)
USES = {
    "[[fact:": ("data/facts.yml",),
    "[[chart:": ("data/charts.yml", "data/facts.yml"),
    "[[glossary]]": ("data/glossary.yml",),
    "[[lesson": ("data/lessons", "data/facts.yml"),
    "[[accessibility-results]]": ("data/accessibility-results.yml",),
}
FOLDERS = ("docs", "data")


def data_used(markdown: str) -> list[str]:
    """Data files (and folders) relative to the repository that a page's Markdown shows."""
    used: list[str] = []
    for marker, names in USES.items():
        if marker in markdown:
            used += [name for name in names if name not in used]
    return used


def _git(root: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=off", *args],
                                capture_output=True, text=True, encoding="utf-8", timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def collect(root: Path = ROOT, folders: tuple[str, ...] = FOLDERS) -> Dates:
    """Newest commit day of every file below root/folders (pages and data), in one `git log`."""
    start = time.perf_counter()
    dates = Dates(Path(root))
    # %x00 starts each commit; %ct is the commit time (when the change entered the history).
    log = _git(root, "log", "--format=%x00%ct", "--name-only", "--relative", "--", *folders)
    if log is None:
        dates.seconds = time.perf_counter() - start
        return dates
    dates.git = True
    for chunk in log.split("\x00")[1:]:
        stamp, _, names = chunk.partition("\n")
        try:
            day = dt.datetime.fromtimestamp(int(stamp.strip()), JST).date()
        except ValueError:
            continue
        for name in names.split("\n"):
            if name and name not in dates.committed:  # newest first: keep the first one seen
                dates.committed[name] = day
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *folders) or ""
    entries = status.split("\x00")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            dates.changed.add(_to_root(root, entry[3:]))
            if entry[0] in "RC":  # a rename is followed by its old name
                i += 1
        i += 1
    top = _git(root, "rev-parse", "--git-dir")
    if top:
        git_dir = Path(top.strip())
        git_dir = git_dir if git_dir.is_absolute() else Path(root) / git_dir
        dates.shallow = (git_dir / "shallow").exists()
    dates.seconds = time.perf_counter() - start
    return dates


def _to_root(root: Path, name: str) -> str:
    """`git status` names files from the top of the repository; make them relative to root."""
    prefix = _prefix(root)
    return name[len(prefix):] if prefix and name.startswith(prefix) else name


_PREFIXES: dict[Path, str] = {}


def _prefix(root: Path) -> str:
    if root not in _PREFIXES:
        _PREFIXES[root] = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    return _PREFIXES[root]


_cache: dict[Path, Dates] = {}


def load(root: Path = ROOT, refresh: bool = False) -> Dates:
    """Dates for the current build; the first language refreshes, the others reuse."""
    root = Path(root)
    if refresh or root not in _cache:
        _cache[root] = collect(root)
    return _cache[root]


# --------------------------------------------------------------------------- benchmark

def _probe(pages: int, commits: int) -> None:
    """A throwaway repository with `pages` pages and `commits` commits: one call vs. one per file."""
    import random
    import tempfile

    rng = random.Random(8)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        env = dict(os.environ, GIT_AUTHOR_NAME="probe", GIT_AUTHOR_EMAIL="probe@example.invalid",
                   GIT_COMMITTER_NAME="probe", GIT_COMMITTER_EMAIL="probe@example.invalid")
        subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
        codes = languages.codes()
        names = [f"docs/{codes[i % len(codes)]}/section-{i % 20}/page-{i}.md" for i in range(pages)]
        for name in names:
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            (repo / name).write_text("# page\n", encoding="utf-8")
        subprocess.run(["git", "-C", str(repo), "add", "."], check=True, env=env)
        subprocess.run(["git", "-C", str(repo), "commit", "-qm", "start"], check=True, env=env)
        for n in range(commits - 1):
            for name in rng.sample(names, 3):
                with open(repo / name, "a", encoding="utf-8") as f:
                    f.write(f"change {n}\n")
            subprocess.run(["git", "-C", str(repo), "commit", "-qam", f"change {n}"], check=True, env=env)
        start = time.perf_counter()
        dates = collect(repo)
        one_call = time.perf_counter() - start
        start = time.perf_counter()
        for name in names:
            _git(repo, "log", "-1", "--format=%ct", "--", name)
        per_file = time.perf_counter() - start
    print(f"probe: {pages} pages, {commits} commits")
    print(f"  one git log + git status (this module): {one_call * 1000:.0f} ms for {len(dates.committed)} files")
    print(f"  one git log per file (plugin style):     {per_file * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m scripts.git_dates", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probe", type=int, metavar="PAGES", help="also time a generated history of PAGES pages")
    parser.add_argument("--commits", type=int, default=300)
    args = parser.parse_args(argv)
    dates = collect(ROOT)
    pages = sum(1 for _ in (ROOT / "docs").rglob("*.md"))
    print(f"this repository: {pages} pages, {len(dates.committed)} files dated from git, "
          f"{len(dates.changed)} uncommitted, in {dates.seconds * 1000:.0f} ms"
          + (" (shallow clone: dates are wrong)" if dates.shallow else ""))
    if args.probe:
        _probe(args.probe, args.commits)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
