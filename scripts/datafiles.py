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

from scripts.problems import ContentError, Problem, relative

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_files: dict[str, tuple[tuple[int, int], object]] = {}


def load(text: str):
    """Like yaml.safe_load."""
    return yaml.load(text, Loader=Loader)


def compose(text: str):
    """Like yaml.compose (nodes carry start_mark.line), with the safe loader."""
    return yaml.compose(text, Loader=Loader)


def syntax_error(error: yaml.YAMLError, path: Path | str, rule: str,
                 fix: str = "check the indentation and quotes on that line.") -> ContentError:
    """A YAML syntax error as a problem naming the file and its line."""
    mark = getattr(error, "problem_mark", None)
    return ContentError([Problem(rule, "error", relative(Path(path)),
                                 f"the file is not valid YAML: {getattr(error, 'problem', error)}",
                                 fix, mark.line + 1 if mark else None)])


def parse(text: str, path: Path | str, rule: str, fix: str = "check the indentation and quotes on that line."):
    """(data, root node) of a data file; its node marks give each key's line.
    A syntax error stops with a ContentError (see syntax_error)."""
    try:
        return load(text) or {}, compose(text)
    except yaml.YAMLError as e:
        raise syntax_error(e, path, rule, fix) from None


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
