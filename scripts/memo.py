"""Results kept between builds, addressed by everything they were made from.

A step whose result is a pure function of its inputs (a page's finishing, a
page's lint rules, a page's search readings) stores it under a key that hashes
those inputs and the version of everything that could change the result:

    inputs_version(project)   the project's code (scripts/**.py), its data (data/**),
                              catalogs (locales/**), settings (mkdocs*.yml), the
                              installed packages' versions and the Python version

so an edited rule, data file, catalog or package never serves a stale result.
Entries live in scripts.CACHE (SITE_CACHE_DIR) under one folder per step, one
JSON file each. An entry that cannot be read (missing, cut short, not JSON, an
unexpected shape) is a miss: the caller makes the result again and stores it.
Writing is best effort: a read-only or full disk only means no cache.

SITE_MEMO=0 turns every store off (each result is made fresh).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from scripts import CACHE, ROOT

FORMAT = "1"  # bump when the layout of an entry changes
_versions: dict[tuple, tuple[tuple, str]] = {}


def enabled() -> bool:
    return os.environ.get("SITE_MEMO", "1") != "0"


def digest(*parts) -> str:
    """sha256 of the parts, each length-prefixed (so ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


_PARTS = (("scripts", "**/*.py"), ("data", "**/*"), ("locales", "**/*.po"), (".", "mkdocs*.yml"))


def _files(folder: Path) -> list[tuple[str, Path]]:
    found = []
    for part, pattern in _PARTS:
        base = folder / part
        if base.is_dir():
            found += sorted((p.relative_to(folder).as_posix(), p) for p in base.glob(pattern)
                            if "__pycache__" not in p.parts and p.is_file())
    return found


def _packages() -> list[str]:
    """Installed distributions with their versions, from the folder names (no metadata read)."""
    names = []
    for entry in sys.path:
        try:
            names += [n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(names)


def inputs_version(project: Path | None = None) -> str:
    """What every stored result depends on besides its own input, for this project (and the
    code's own checkout, when a test builds a copy). The files are hashed again only when one
    of them changes (names, sizes, times), so a long-running preview sees every edit."""
    folders = tuple(dict.fromkeys(Path(p).resolve() for p in (ROOT, project or ROOT)))
    files = [(folder, name, path) for folder in folders for name, path in _files(folder)]
    stamps = []
    for _, name, path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    signature = (tuple(stamps), tuple(_packages()))
    hit = _versions.get(folders)
    if hit is None or hit[0] != signature:
        h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{sys.platform}\0".encode())
        h.update("\0".join(signature[1]).encode("utf-8"))
        for folder, name, path in files:
            # The folder's place in the list, not its path: copies of one project (a test's, a
            # colleague's checkout) share their results; what a result says about a path is in its key.
            h.update(f"\0{folders.index(folder)}\0{name}\0".encode("utf-8", "surrogatepass"))
            try:
                h.update(path.read_bytes())
            except OSError:
                h.update(b"\0unreadable")
        hit = _versions[folders] = (signature, h.hexdigest())
    return hit[1]


class Store:
    """One step's entries: CACHE/memo/<name>/<key[:2]>/<key>.json."""

    def __init__(self, name: str, cache_dir: Path | None = None):
        self.folder = Path(cache_dir or CACHE) / "memo" / name
        self.on = enabled()
        self.hits = self.misses = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str):
        """The stored value, or None (never stored, or unreadable: the caller makes it again)."""
        if not self.on:
            return None
        try:
            with open(self._path(key), encoding="utf-8") as f:
                entry = json.load(f)
            if not isinstance(entry, dict) or entry.get("key") != key or "value" not in entry:
                raise ValueError("not an entry of this store")
        except (OSError, ValueError, UnicodeDecodeError):
            self.misses += 1
            return None
        self.hits += 1
        try:
            os.utime(self._path(key))  # in use: kept by prune()
        except OSError:
            pass
        return entry["value"]

    def put(self, key: str, value) -> None:
        """Store a JSON-able value; written whole (a temporary file renamed) or not at all."""
        if not self.on:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"key": key, "value": value}, f, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, TypeError, ValueError):
            pass  # no cache this time; the result itself is fine


KEEP_DAYS = 30


def prune(cache_dir: Path | None = None, days: float = KEEP_DAYS, now: float | None = None) -> int:
    """Remove entries no build has used for `days` (each use renews an entry's time), at most
    once a day; returns how many were removed. Edited pages and code leave old entries behind."""
    import time

    root = Path(cache_dir or CACHE) / "memo"
    stamp = root / ".pruned"
    now = time.time() if now is None else now
    try:
        if now - stamp.stat().st_mtime < 86400:
            return 0
    except OSError:
        if not root.is_dir():
            return 0
    removed = 0
    for path in root.glob("*/*/*.json"):
        try:
            if now - path.stat().st_mtime > days * 86400:
                path.unlink()
                removed += 1
        except OSError:
            continue
    try:
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        pass
    return removed
