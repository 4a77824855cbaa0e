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
_versions: dict[str, str] = {}


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


def _tree(h, folder: Path, patterns: tuple[str, ...]) -> None:
    if not folder.is_dir():
        return
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
                h.update(path.read_bytes())
                h.update(b"\0")


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
    code's own checkout, when a test builds a copy). Computed once per process."""
    folders = tuple(dict.fromkeys(str(p) for p in (ROOT, project or ROOT)))
    if folders not in _versions:
        h = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{sys.platform}\0".encode())
        h.update("\0".join(_packages()).encode("utf-8"))
        for folder in map(Path, folders):
            h.update(b"\0folder\0" + str(folder).encode("utf-8", "surrogatepass"))
            _tree(h, folder / "scripts", ("**/*.py",))
            _tree(h, folder / "data", ("**/*",))
            _tree(h, folder / "locales", ("**/*.po",))
            _tree(h, folder, ("mkdocs*.yml",))
        _versions[folders] = h.hexdigest()
    return _versions[folders]


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
