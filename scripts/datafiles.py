"""Reading YAML fast: libyaml when PyYAML has it, and each data file parsed once.

Every build reads data/*.yml and the front matter of every page, some of it
for each page; the pure-Python parser made that a large share of a warm
build. The C parser gives the same data and the same line marks (for errors
that name a file's line).
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_files: dict[str, tuple[tuple[int, int], object]] = {}


def load(text: str):
    """Like yaml.safe_load."""
    return yaml.load(text, Loader=Loader)


def compose(text: str):
    """Like yaml.compose (nodes carry start_mark.line), with the safe loader."""
    return yaml.compose(text, Loader=Loader)


def load_file(path: Path | str):
    """yaml.safe_load of a file, parsed again only when the file changes.

    The result is shared between callers: treat it as read-only.
    """
    key = os.fspath(path)
    stat = os.stat(key)
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = _files.get(key)
    if hit is None or hit[0] != stamp:
        with open(key, encoding="utf-8") as f:
            hit = _files[key] = (stamp, load(f.read()))
    return hit[1]
