"""Reliability: the preview survives a broken edit, and builds are deterministic."""
from __future__ import annotations

import fnmatch
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.build import TIMESTAMPED_OUTPUTS
from tests.conftest import ROOT, SHARED_CACHE, run_build, tree_hashes
from tests.html_tools import without_readings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 3) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    return None


def test_preview_shows_the_error_and_recovers_on_the_next_save(project, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    page = project / "docs/ja/plan/index.md"
    original = page.read_text(encoding="utf-8")
    # A post dated in the future: the preview shows it, in every language (the build does not).
    (project / "docs/ja/news/posts/future-plan.md").write_text(
        "---\ntitle: 未来のお知らせ\ndescription: 未来の日付のお知らせです。プレビューには出ます。\ndate: 2099-01-01\n"
        "slug: future-plan\nauthors: [editorial-team]\ncategories: [お知らせ]\n---\n\n# 未来のお知らせ\n\nまだ公開されません。\n",
        encoding="utf-8")
    (project / "docs/en/news/posts/future-plan.md").write_text(
        "---\ntitle: A future notice\ndescription: A notice dated in the future, shown in the preview.\n"
        "date: 2099-01-01\nslug: future-plan\nauthors: [editorial-team]\ncategories: [Announcements]\n---\n\n"
        "# A future notice\n\nNot published yet.\n", encoding="utf-8")
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "scripts", "serve", "--addr", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                  env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_CACHE_DIR=str(SHARED_CACHE)))
    try:
        url = f"http://127.0.0.1:{port}/plan/"
        assert wait_for(lambda: fetch(url), 240), log.read_text()  # the first build, on a busy machine
        english = fetch(f"http://127.0.0.1:{port}/en/plan/")
        # Every language is previewed below the preview's own address, from one preparation.
        assert f'hreflang="ja" href="http://127.0.0.1:{port}/plan/"' in english
        assert log.read_text().count("Lesson packs:") == 1, log.read_text()
        assert "未来のお知らせ" in (fetch(f"http://127.0.0.1:{port}/news/2099/01/01/future-plan/") or "")
        assert "A future notice" in (fetch(f"http://127.0.0.1:{port}/en/news/2099/01/01/future-plan/") or "")
        page.write_text(original + "\n[[fact:no-such-fact]]\n", encoding="utf-8")
        assert wait_for(lambda: "no-such-fact" in log.read_text(), 180), log.read_text()
        assert "docs/ja/plan/index.md:" in log.read_text() and "Traceback" not in log.read_text()
        assert server.poll() is None, "the preview server stopped"
        page.write_text(original + "\nなおりました。\n", encoding="utf-8")
        assert wait_for(lambda: "なおりました" in (fetch(url) or ""), 180), log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_engine_alone_gives_the_same_files(built_site, tmp_path):
    # `python -m scripts build` prepares once, then renders each language in its own
    # spawned process (scripts/prepare.py, scripts/engine.py). `mkdocs build`, as the
    # preview runs it, does everything through the hooks in one process. Same files.
    again = tmp_path / "again"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_CACHE_DIR=str(SHARED_CACHE))
    env.pop("SITE_BUILD_STATE", None)
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(again)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    first, second = tree_hashes(built_site, ["."]), tree_hashes(again, ["."])
    assert first.keys() == second.keys(), sorted(first.keys() ^ second.keys())[:20]
    differ = {path for path in first if first[path] != second[path]}
    allowed = {path for path in differ
               if any(fnmatch.fnmatch(path.removeprefix("./"), pattern) for pattern in TIMESTAMPED_OUTPUTS)}
    assert differ == allowed, f"files that differ between builds: {sorted(differ - allowed)}"


# --------------------------------------------------------------------------- interruptions (issue 16 §3)

def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".site-building-", ".site-old-", ".site-state-")))


def previous_site(project):
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site", encoding="utf-8")
    return site


def start_build(project, log):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SITE_CACHE_DIR=str(SHARED_CACHE))
    # A session of its own, so the test can send Ctrl+C to the whole group as a terminal does.
    return subprocess.Popen([sys.executable, "-m", "scripts", "build"], cwd=project, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def one_line_error(text: str) -> str:
    errors = [line for line in text.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, text[-3000:]
    return errors[0]


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_an_interrupted_build_keeps_the_previous_site_and_leaves_no_folders(project, tmp_path, how):
    site = previous_site(project)
    log_path = tmp_path / "build.log"
    with log_path.open("w") as log:
        build = start_build(project, log)
    try:
        # Interrupt in the middle: the languages are being rendered, each in its own process.
        assert wait_for(lambda: any(project.glob(".site-state-*/parts/*")) and language_children(build.pid), 240), \
            log_path.read_text()[-3000:]
        if how == "ctrl-c":
            os.killpg(build.pid, signal.SIGINT)  # what a terminal sends on Ctrl+C: every process of the group
        else:
            os.kill(build.pid, signal.SIGTERM)  # what `kill` or a CI runner sends: the main process only
        code = build.wait(timeout=120)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    text = log_path.read_text()
    expected = signal.SIGINT if how == "ctrl-c" else signal.SIGTERM
    assert code == 128 + expected, text[-3000:]
    assert "Traceback" not in text, text[-3000:]
    line = one_line_error(text)
    assert "中断" in line and "interrupted" in line and line.index("中断") < line.index("interrupted")
    assert leftovers(project) == []
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site"
    time.sleep(1)  # a language build that outlived the main process would write now
    assert leftovers(project) == [] and sorted(p.name for p in site.iterdir()) == ["index.html"]


def test_a_file_named_site_stops_the_build_in_one_line(project):
    (project / "site").write_text("not a folder", encoding="utf-8")
    result = run_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = one_line_error(result.stderr)
    assert "フォルダーではありません" in line and "is not a folder" in line
    assert (project / "site").read_text(encoding="utf-8") == "not a folder"
    assert leftovers(project) == []


def test_a_site_dir_below_a_file_or_in_a_read_only_folder_stops_the_build_in_one_line(project):
    (project / "a-file").write_text("not a folder", encoding="utf-8")
    result = run_build(project, "--site-dir", str(project / "a-file" / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "a-file" in one_line_error(result.stderr) and leftovers(project) == []
    if os.geteuid() != 0:  # root may write anywhere: the read-only case needs an ordinary user
        parent = project / "read-only"
        site = previous_site(parent.mkdir() or parent)
        parent.chmod(0o555)
        try:
            result = run_build(project, "--site-dir", str(site))
        finally:
            parent.chmod(0o755)
        assert result.returncode == 1 and "read-only" in one_line_error(result.stderr)
        assert (site / "index.html").read_text(encoding="utf-8") == "previous site" and leftovers(parent) == []


def test_a_failed_swap_puts_the_previous_site_back(tmp_path):
    from scripts.build import BuildFailed, _swap

    site = previous_site(tmp_path)
    # The new site vanished (a disk error, a cleaner): the second rename fails after site/ moved away.
    with pytest.raises(BuildFailed) as failed:
        _swap(tmp_path / ".site-building-1", site)
    assert "置きかえられませんでした" in str(failed.value) and "\n" not in str(failed.value)
    assert (site / "index.html").read_text(encoding="utf-8") == "previous site" and leftovers(tmp_path) == []


def test_folders_of_a_killed_build_are_removed_by_the_next(tmp_path):
    from scripts.build import remove_leftovers

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    for name in (f".site-building-{dead.pid}", f".site-old-{dead.pid}", f".site-building-{os.getpid()}",
                 f".site-old-{os.getppid()}"):
        (tmp_path / name).mkdir()
    remove_leftovers(tmp_path)
    # A running build's folders (this process, its parent) are not touched.
    assert leftovers(tmp_path) == sorted([f".site-building-{os.getpid()}", f".site-old-{os.getppid()}"])


def test_a_port_in_use_gives_one_line_before_any_build(project):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_CACHE_DIR=str(SHARED_CACHE))
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "scripts", "serve", "--addr", f"127.0.0.1:{port}"],
                                cwd=project, env=env, capture_output=True, text=True, timeout=120)
        seconds = time.monotonic() - started
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    line = one_line_error(result.stderr)
    assert f"127.0.0.1:{port}" in line and f"PORT={port + 1}" in line and "ほかのプログラム" in line
    assert "Building" not in result.stderr and seconds < 60, "the message must come before the build"


# --------------------------------------------------------------------------- the preview's watch list

def test_the_preview_watches_every_folder_the_build_reads():
    import yaml

    from scripts import ROOT
    from tests.conftest import PROJECT_PARTS

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    # MkDocs itself watches docs_dir and mkdocs.yml; babel.cfg is read by `make i18n-extract` only.
    watched = {config.get("docs_dir", "docs"), "mkdocs.yml", *config["watch"]}
    for part in set(PROJECT_PARTS) - {"babel.cfg"}:
        covered = part in watched or (part == "docs" and {f"docs/{d.name}" for d in (ROOT / "docs").iterdir()} <= watched)
        assert covered, f"make serve does not rebuild when {part} changes: add it to watch: in mkdocs.yml"


def test_the_preview_rebuilds_when_data_changes(project, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    facts = project / "data/facts.yml"
    text = facts.read_text(encoding="utf-8")
    assert "    ja: この計画の期間\n" in text
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "scripts", "serve", "--addr", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                  env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_CACHE_DIR=str(SHARED_CACHE)))
    try:
        url = f"http://127.0.0.1:{port}/plan/"
        assert wait_for(lambda: "この計画の期間" in without_readings(fetch(url) or ""), 240), log.read_text()[-3000:]
        facts.write_text(text.replace("    ja: この計画の期間\n", "    ja: この計画の期間（見直しました）\n"),
                         encoding="utf-8")
        assert wait_for(lambda: "見直しました" in without_readings(fetch(url) or ""), 180), log.read_text()[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=10)


def language_children(pid: int) -> list[int]:
    """The build's language processes (spawned: `spawn_main` in their command line)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(int(child))
            except OSError:
                pass
    return found


def test_a_stuck_language_build_fails_the_build_instead_of_hanging(project, tmp_path):
    """Real stuck language builds: the engine's processes are stopped (SIGSTOP) while they run."""
    site = previous_site(project)
    log_path = tmp_path / "build.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1", SITE_CACHE_DIR=str(SHARED_CACHE),
               SITE_ENGINE_TIMEOUT="8")  # they are stopped within a second or so; the rest is this wait
    with log_path.open("w") as log:
        build = subprocess.Popen([sys.executable, "-m", "scripts", "build"], cwd=project, env=env,
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Once prepared (its state file written), the engine's processes start.
        assert wait_for(lambda: any(project.glob(".site-state-*/prepared.pickle")) and language_children(build.pid),
                        240), \
            log_path.read_text()[-3000:]
        for child in language_children(build.pid):
            os.kill(child, signal.SIGSTOP)
        code = build.wait(timeout=180)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    text = log_path.read_text()
    assert code == 1 and "Traceback" not in text, text[-3000:]
    assert "SITE_ENGINE_TIMEOUT" in text and "longer than 8 s" in text, text[-3000:]
    assert leftovers(project) == [] and (site / "index.html").read_text(encoding="utf-8") == "previous site"
