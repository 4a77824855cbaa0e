"""Shared fixtures: a real build of the site, a copy of the project to break,
and a real headless Chromium serving the built site over 127.0.0.1."""
from __future__ import annotations

import functools
import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What a project copy needs to build; everything else (site/, .venv/) stays out.
PROJECT_PARTS = ["mkdocs.yml", "mkdocs.en.yml", "babel.cfg", "docs", "overrides", "locales", "scripts", "data"]
SOURCE_DIRS = ["docs", "locales", "overrides", "data"]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The browser gate's fixtures (gate_server, site_scan, open_page), one of each for the whole run;
# how `make test` spreads the tests over its workers.
pytest_plugins = ["tests.gate.fixtures", "tests.scheduling"]


def tree_hashes(root: Path, parts=SOURCE_DIRS) -> dict[str, str]:
    result = {}
    for part in parts:
        for path in sorted((root / part).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                result[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def _sources_key() -> str:
    """What the real site is built from: every file a build reads, and the git commit (page dates)."""
    digest = hashlib.sha256()
    for name, value in sorted(tree_hashes(ROOT, PROJECT_PARTS).items()):
        digest.update(f"{name}\0{value}\n".encode())
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    digest.update(head.stdout.encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The real site, built by the same command as `make site`, once for the whole `make test`:
    the parallel workers (pytest-xdist) and the Lighthouse run that follows share one build of
    the same sources (a file lock; the folder is named after the sources, so an edit rebuilds).
    It uses the cache the project copies share (run_build), so a fresh clone encodes images once."""
    import fcntl

    key = _sources_key()
    home = Path(os.environ.get("TEST_SITE_DIR") or ROOT / ".cache" / "test-site")
    home.mkdir(parents=True, exist_ok=True)
    site, done = home / key / "site", home / key / "complete"
    with open(home / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds, the others wait and reuse it
        if not done.exists():
            for old in home.iterdir():  # builds of other sources are stale
                if old.is_dir() and old.name != key:
                    shutil.rmtree(old, ignore_errors=True)
            before = tree_hashes(ROOT)
            shutil.rmtree(home / key, ignore_errors=True)
            result = run_build(ROOT, "--site-dir", str(site))
            assert result.returncode == 0, (f"`python -m scripts build` failed (exit {result.returncode}):\n"
                                            f"{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
            assert tree_hashes(ROOT) == before, "the build changed a source file"
            done.touch()
    return site


# Project copies share one content-addressed cache (images, cards, charts), so
# each broken-input build does not re-encode everything from cold.
SHARED_CACHE = Path(os.environ.get("TEST_SHARED_CACHE") or ROOT / ".cache" / "test-shared")


def run_build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    # A test that sets SITE_CACHE_DIR (monkeypatch.setenv) gets its own cache; the others share one.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1",
               SITE_CACHE_DIR=os.environ.get("SITE_CACHE_DIR") or str(SHARED_CACHE))
    return subprocess.run([sys.executable, "-m", "scripts", "build", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path) -> Path:
    """A private copy of the project's sources, for tests that break things."""
    dest = tmp_path / "project"
    dest.mkdir()
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture(scope="session")
def site_server(built_site):
    """Serve the built site on 127.0.0.1 (a free port) for the browser."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright. A missing browser fails; it never skips."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `bash scripts/system-deps.sh` "
                    "(Debian: apt-get install chromium), or set CHROMIUM to its path")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()
