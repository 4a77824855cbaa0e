"""Reliability: the preview survives a broken edit, and builds are deterministic."""
from __future__ import annotations

import fnmatch
import os
import socket
import subprocess
import sys
import time
import urllib.request

from scripts.build import TIMESTAMPED_OUTPUTS
from tests.conftest import ROOT, SHARED_CACHE, tree_hashes


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


def test_a_stuck_language_build_is_stopped(project, tmp_path):
    # A language whose build does not end within SITE_ENGINE_TIMEOUT fails the build with
    # a message (no hang); the previous site/ stays. A hook that sleeps stands in for a stuck engine.
    hook = project / "scripts" / "stuck_hook.py"
    hook.write_text("import time\n\ndef on_post_build(config):\n    if config.theme['language'] != 'ja':\n"
                    "        time.sleep(600)\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("hooks:\n  - scripts/hooks.py",
                                                                "hooks:\n  - scripts/hooks.py\n  - scripts/stuck_hook.py"),
                      encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_CACHE_DIR=str(SHARED_CACHE), SITE_ENGINE_TIMEOUT="45")
    start = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "scripts", "build"], cwd=project, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and time.monotonic() - start < 200
    assert "longer than 45 s" in run.stderr and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert not list(project.glob(".site-*")), "a temporary folder was left behind"
    assert not (project / "site").exists()
