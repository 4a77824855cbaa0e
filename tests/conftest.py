"""Shared fixtures: a real build of the site, a copy of the project to break,
and a real headless Chromium serving the built site over 127.0.0.1."""
from __future__ import annotations

import compileall
import functools
import hashlib
import http.server
import os
import py_compile
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


def tree_state(root: Path) -> dict[str, tuple]:
    """Every path below root with what any write changes: its kind, and for a file its inode,
    size and modification time (ns), for a link its target. Only stat calls, so it is cheap to
    take twice; with the path set it shows a file written in place, replaced, added or removed."""
    result = {}
    for path in root.rglob("*"):
        info = path.lstat()
        if path.is_symlink():
            state = ("link", os.readlink(path))
        elif path.is_dir():
            state = ("dir",)
        else:
            state = ("file", info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
        result[path.relative_to(root).as_posix()] = state
    return result


@functools.cache
def site_hashes(site: Path) -> dict[str, str]:
    """The content hashes of a built site (built_site's: it does not change during a run)."""
    return tree_hashes(site, ["."])


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


# `make check` in a project copy keeps its results (scripts/memo.py) here: warm for the pages
# no test changed, and apart from the builds' cache, so a check never replays a build's result.
CHECK_CACHE = Path(os.environ.get("TEST_CHECK_CACHE") or ROOT / ".cache" / "test-check")


def run_build(project: Path, *extra: str) -> subprocess.CompletedProcess:
    # A test that sets SITE_CACHE_DIR (monkeypatch.setenv) gets its own cache; the others share one.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1",
               SITE_CACHE_DIR=os.environ.get("SITE_CACHE_DIR") or str(SHARED_CACHE))
    return subprocess.run([sys.executable, "-m", "scripts", "build", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def run_check(project: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", SITE_CACHE_DIR=str(CHECK_CACHE))
    return subprocess.run([sys.executable, "-m", "scripts", "check", *extra], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def compiled_scripts(tmp_path_factory) -> Path:
    """scripts/ with its bytecode, compiled once per worker. Each project copy takes it, so the
    processes run in a copy (a build starts three) do not all compile scripts/ again
    (PYTHONDONTWRITEBYTECODE: none of them writes it). The bytecode is checked against the
    source's hash, so a file a test edits is compiled afresh; tracebacks name the copy's file."""
    dest = tmp_path_factory.mktemp("compiled") / "scripts"
    shutil.copytree(ROOT / "scripts", dest, ignore=shutil.ignore_patterns("__pycache__"))
    assert compileall.compile_dir(dest, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
    return dest


def copy_project(dest: Path, scripts: Path | None = None) -> Path:
    """Copy what a build reads into dest (scripts/ from `scripts`, with its bytecode, if given)."""
    dest.mkdir(parents=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if part == "scripts" and scripts is not None:
            shutil.copytree(scripts, dest / part)
        elif src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


@pytest.fixture
def project(tmp_path, compiled_scripts) -> Path:
    """A private copy of the project's sources, for tests that break things."""
    return copy_project(tmp_path / "project", compiled_scripts)


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
