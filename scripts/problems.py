"""One shape for every error or warning we show to staff.

Modelled on GitHub Docs' content linter: a rule id, a severity, the file and
line, what is wrong and how to fix it. Messages are written for people who
do not read Python.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scripts import ROOT

# Staff read every message in Japanese, then English (the developers' guide): the tools' own two
# languages, whatever the site's languages are (extra.languages in mkdocs.yml).
STAFF_LANGUAGES = ("ja", "en")
LABELS = {"error": "エラー error", "warning": "注意 warning", "info": "お知らせ info"}
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Problem:
    rule: str  # stable English id registered in scripts/lint (RULES), e.g. "missing-translation"
    severity: str  # "error", "warning" or "info"
    file: str  # path relative to the repository root
    message: str  # what is wrong: "日本語。 / English." (Japanese first)
    fix: str  # how to fix it, Japanese first as well
    line: int | None = None

    def __str__(self) -> str:
        return self.formatted()

    def formatted(self) -> str:
        """What staff read: where, severity, [rule id], what is wrong, how to fix; Japanese first.
        A message still written in English only gets the rule's Japanese description in front."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = self.message
        if not _JAPANESE.search(message) or " / " not in message:
            from scripts.lint import summary

            ja, en = summary(self.rule), summary(self.rule, english=True)
            if not _JAPANESE.search(message) and ja:
                message = f"{ja}。 / {message}"
            elif " / " not in message and en:
                message = f"{message} / {en[:1].upper()}{en[1:]}."
        label = LABELS.get(self.severity, self.severity)
        return f"{where}: {label} [{self.rule}] {message}\n    直し方 / How to fix: {self.fix}"


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
