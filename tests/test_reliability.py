"""Reliability: the preview survives a broken edit, and builds are deterministic."""
from __future__ import annotations

import fnmatch
import os
import socket
import subprocess
import sys
import time
import urllib.request

from scripts.build import build_site, TIMESTAMPED_OUTPUTS
from tests.conftest import SHARED_CACHE, tree_hashes


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
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "scripts", "serve", "--addr", f"127.0.0.1:{port}"],
                                  cwd=project, stdout=out, stderr=subprocess.STDOUT,
                                  env=dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_CACHE_DIR=str(SHARED_CACHE)))
    try:
        url = f"http://127.0.0.1:{port}/plan/"
        assert wait_for(lambda: fetch(url)), log.read_text()
        assert fetch(f"http://127.0.0.1:{port}/en/plan/")
        page.write_text(original + "\n[[fact:no-such-fact]]\n", encoding="utf-8")
        assert wait_for(lambda: "no-such-fact" in log.read_text()), log.read_text()
        assert "docs/ja/plan/index.md:" in log.read_text() and "Traceback" not in log.read_text()
        assert server.poll() is None, "the preview server stopped"
        page.write_text(original + "\nなおりました。\n", encoding="utf-8")
        assert wait_for(lambda: "なおりました" in (fetch(url) or ""), 40), log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_two_builds_give_identical_files(built_site, tmp_path, monkeypatch):
    # The second builds the languages one after another (scripts/language_builds.py):
    # the parallel build must give the very same files.
    monkeypatch.setenv("SITE_PARALLEL", "0")
    again = build_site(tmp_path / "again")
    first, second = tree_hashes(built_site, ["."]), tree_hashes(again, ["."])
    assert first.keys() == second.keys()
    differ = {path for path in first if first[path] != second[path]}
    allowed = {path for path in differ
               if any(fnmatch.fnmatch(path.removeprefix("./"), pattern) for pattern in TIMESTAMPED_OUTPUTS)}
    assert differ == allowed, f"files that differ between builds: {sorted(differ - allowed)}"
