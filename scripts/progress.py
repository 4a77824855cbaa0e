"""The build talks to people: progress of long steps, and a summary at the end.

    with progress.task("Images", total=len(plans)) as bar:
        for plan in plans:
            ...
            bar.advance()

In a terminal, a task redraws one line ("Images: 12/40, 3.1 s"); in CI (the
CI variable is set, or output is not a terminal) it prints a plain line at most
every few seconds and one when done, so logs stay short and readable.

`SUMMARY` collects what the end-of-build summary shows: pages per language,
images encoded vs. taken from the cache, files offered for download, warnings
with their files. Modules report through `SUMMARY.count(name, n)` (any name;
"images_encoded", "images_cached" and "downloads" have labels) or
`SUMMARY.add_images(stats)` with the dict scripts/images.py returns.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

log = logging.getLogger("mkdocs.site.progress")
PLAIN_INTERVAL = 5.0  # seconds between plain progress lines
TTY_INTERVAL = 0.1
_active: "Task | None" = None
_plain_only = False


def setup_logging(verbose: bool = False) -> None:
    """Messages to stderr as MkDocs prints them ("ERROR   -  …"), for the command line
    and for each language's engine process (scripts/engine.py)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def plain_only() -> None:
    """No redrawn lines from this process (a parallel language build shares the terminal)."""
    global _plain_only
    _plain_only = True


def interactive(stream=None) -> bool:
    stream = stream or sys.stderr
    if _plain_only or os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


class Task:
    """One long step with a known number of items."""

    def __init__(self, label: str, total: int, stream=None, tty: bool | None = None,
                 clock=time.monotonic):
        self.label, self.total, self.done = label, max(0, int(total)), 0
        self.stream = stream or sys.stderr
        self.tty = interactive(self.stream) if tty is None else tty
        self.clock = clock
        self.start = clock()
        self._last = self.start
        self.finished = False

    def line(self) -> str:
        return f"{self.label}: {self.done}/{self.total}, {self.clock() - self.start:.1f} s"

    def advance(self, n: int = 1) -> None:
        global _active
        self.done = min(self.total, self.done + n) if self.total else self.done + n
        now = self.clock()
        if self.tty:
            _active = self
            if now - self._last >= TTY_INTERVAL or self.done == self.total:
                self.stream.write("\r\033[K" + self.line())
                self.stream.flush()
                self._last = now
        elif now - self._last >= PLAIN_INTERVAL and self.done < self.total:
            log.info(self.line())
            self._last = now
        if self.total and self.done >= self.total:
            self.finish()

    def finish(self) -> None:
        global _active
        if self.finished:
            return
        self.finished = True
        if self.tty:
            self.stream.write("\r\033[K")
            self.stream.flush()
            if _active is self:
                _active = None
        log.info(self.line() + " (done)")

    def __enter__(self) -> "Task":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.finish()


def task(label: str, total: int, **kwargs) -> Task:
    return Task(label, total, **kwargs)


class _ClearLine(logging.Filter):
    """Before a log line is written, clear a progress line drawn in the terminal."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _active is not None and _active.tty and not _active.finished:
            _active.stream.write("\r\033[K")
        return True


_FILE = re.compile(r"((?:docs|data|locales|overrides)/[^\s'\":,)]+)|'([^']+\.md)'")


class Summary:
    """What the end-of-build summary reports."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.pages: Counter = Counter()
        self.counters: Counter = Counter()
        self.warnings: list[tuple[str, str]] = []  # (file or "", first line of the message)
        self.notes: list[str] = []
        self.started = time.monotonic()

    def export(self) -> dict:
        """What a parallel language build hands back to the summary of the whole build."""
        return {"pages": dict(self.pages), "counters": dict(self.counters),
                "warnings": [list(w) for w in self.warnings], "notes": list(self.notes)}

    def merge(self, other: dict) -> None:
        self.pages.update(other.get("pages") or {})
        self.counters.update(other.get("counters") or {})
        self.warnings += [tuple(w) for w in other.get("warnings") or []]
        self.notes += other.get("notes") or []

    def page(self, lang: str) -> None:
        self.pages[lang] += 1

    def count(self, name: str, n: int = 1) -> None:
        self.counters[name] += n

    def add_images(self, stats: dict | None) -> None:
        if isinstance(stats, dict):
            self.count("images_encoded", int(stats.get("encoded", 0)))
            self.count("images_cached", int(stats.get("cached", 0)))

    def warning(self, message: str, file: str = "") -> None:
        first = message.strip().splitlines()[0] if message.strip() else message
        if not file:
            match = _FILE.search(message)
            file = (match.group(1) or match.group(2)) if match else ""
        self.warnings.append((file, first))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def count_downloads(self, site_dir: Path | str) -> None:
        """Files offered for download (lesson PDFs, ZIPs, slide images under downloads/)."""
        site = Path(site_dir)
        if not site.is_dir():
            return
        for path in site.rglob("*"):
            if path.suffix.lower() in (".pdf", ".zip"):
                self.count("downloads")
                self.count(f"downloads_{path.suffix.lower()[1:]}")

    def text(self, timings: dict[str, float] | None = None) -> str:
        elapsed = time.monotonic() - self.started
        pages = ", ".join(f"{lang} {n}" for lang, n in self.pages.items()) or "none"
        lines = ["Build summary / まとめ:", f"  pages / ページ: {pages}"]
        c = self.counters
        if c["images_encoded"] or c["images_cached"]:
            lines.append(f"  images / 画像: {c['images_encoded']} encoded (新しく変換), "
                         f"{c['images_cached']} from cache (前回の結果を利用)")
        else:
            lines.append("  images / 画像: none reported")
        kinds = ", ".join(f"{k.split('_', 1)[1]} {v}" for k, v in sorted(c.items()) if k.startswith("downloads_"))
        lines.append(f"  downloads / ダウンロード用ファイル: {c['downloads']}" + (f" ({kinds})" if kinds else ""))
        for text in self.notes:
            lines.append(f"  {text}")
        if timings:
            steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sorted(timings.items(), key=lambda kv: -kv[1]))
            lines.append(f"  time / 時間: {elapsed:.1f} s ({steps})")
        else:
            lines.append(f"  time / 時間: {elapsed:.1f} s")
        lines.append(f"  warnings / 注意: {len(self.warnings)}")
        for file, message in self.warnings[:20]:
            lines.append(f"    {file + ': ' if file and file not in message else ''}{message}")
        if len(self.warnings) > 20:
            lines.append(f"    … and {len(self.warnings) - 20} more (see the log above)")
        return "\n".join(lines)


class _WarningCollector(logging.Handler):
    def __init__(self, summary: Summary) -> None:
        super().__init__(logging.WARNING)
        self.summary = summary

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.summary.warning(record.getMessage())
        except Exception:  # a summary must never break the build
            pass


SUMMARY = Summary()
_collector = _WarningCollector(SUMMARY)


def start_build(logger_name: str = "mkdocs") -> None:
    """Reset the summary and listen for warnings (called once per whole build)."""
    SUMMARY.reset()
    logger = logging.getLogger(logger_name)
    if _collector not in logger.handlers:
        logger.addHandler(_collector)
    for handler in logger.handlers:
        if handler is not _collector and not any(isinstance(f, _ClearLine) for f in handler.filters):
            handler.addFilter(_ClearLine())


def end_build(site_dir: Path | str | None = None, timings: dict[str, float] | None = None,
              logger_name: str = "mkdocs") -> str:
    """The summary text; stops listening for warnings."""
    if site_dir is not None:
        SUMMARY.count_downloads(site_dir)
    logging.getLogger(logger_name).removeHandler(_collector)
    return SUMMARY.text(timings)


# --------------------------------------------------------------------------- pages of a build

_page_tasks: dict[tuple[str, str], Task] = {}


def pages_started(lang: str, total: int) -> None:
    """Two steps per language: Markdown rendered, then HTML pages written."""
    for step in ("Markdown", "HTML"):
        _page_tasks[(lang, step)] = Task(f"{step} ({lang})", total)


def page_rendered(lang: str) -> None:
    task = _page_tasks.get((lang, "Markdown"))
    if task:
        task.advance()


def page_written(lang: str) -> None:
    SUMMARY.page(lang)
    task = _page_tasks.get((lang, "HTML"))
    if task:
        task.advance()
