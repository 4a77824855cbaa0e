"""One shape for every error or warning we show to staff.

Modelled on GitHub Docs' content linter: a rule id, a severity, the file and
line, what is wrong and how to fix it. Messages are written for people who
do not read Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts import ROOT


@dataclass(frozen=True)
class Problem:
    rule: str  # stable English id, e.g. "missing-translation"
    severity: str  # "error" or "warning"
    file: str  # path relative to the repository root
    message: str  # what is wrong
    fix: str  # how to fix it
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity} [{self.rule}] {self.message}\n    How to fix: {self.fix}"


def relative(path: str | Path) -> str:
    """Show paths relative to the repository, as staff see them in git."""
    p = Path(path).resolve()
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()


class ContentError(Exception):
    """Raised with one or more problems; the build stops and prints them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
