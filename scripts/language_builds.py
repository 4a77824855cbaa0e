"""The other languages' builds, run beside the source language's build.

The source-language build (mkdocs.yml) also builds every other language
below its site_dir, so `mkdocs build`, `mkdocs serve` and
`python -m scripts build` always give the whole site:

* `start()` (in the source build's on_files, once the translation report
  and the lesson downloads are ready) starts each other language in a new
  (spawned) Python process, on another core. It inherits nothing: what it
  needs from the source build is handed over explicitly and pickled
  (`Handoff`: the translation report, the languages already linted, the
  lesson downloads, the git dates, whether this is the preview, how to log).
  Spawn, not fork: MkDocs' preview server has threads, and a forked copy
  would share the plugins' state by accident. The source build then lints
  every language; if the lint fails, the others are stopped (`cancel()`).
* `finish()` (the source build's on_post_build) waits for them, adds their
  pages, warnings and timings to the build summary, and stops the build if
  one failed. Their own messages (file, line, fix) were already printed.
* `cancel()` (on_build_error) stops them if the source build fails first.

A language build that gives no answer within SITE_LANGUAGE_TIMEOUT seconds of
its start (default 1200; a cold build here takes under a minute) is stopped,
and the build fails naming it, instead of waiting for ever.

With SITE_PARALLEL=0, `finish()` builds the other languages one after
another in this process instead.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import Abort, MkDocsException

from scripts import ROOT, progress, timings

log = logging.getLogger("mkdocs.hooks.site")


@dataclass
class _Build:
    name: str
    process: multiprocessing.Process
    results: object  # the receiving end of a Pipe
    started: float = 0.0  # time.monotonic()


def timeout() -> float:
    try:
        return float(os.environ.get("SITE_LANGUAGE_TIMEOUT", 1200))
    except ValueError:
        return 1200.0


_running: list[_Build] = []


def parallel() -> bool:
    return os.environ.get("SITE_PARALLEL", "1") != "0"


@dataclass
class Handoff:
    """Everything a language build takes from the source build; it must pickle."""
    translations: dict = field(default_factory=dict)  # language code -> translations.Report
    linted: set = field(default_factory=set)  # languages the source build lints (scripts/lint)
    lessons: dict = field(default_factory=dict)  # scripts/lessons/site._state: the prepared downloads
    dates: object = None  # scripts/git_dates.Dates: one git log for the whole build
    serving: bool = False  # the preview shows posts dated in the future (scripts/news.py)
    log_level: int = logging.INFO
    log_format: str | None = None


received = Handoff()  # in a language build: what the source build handed over


def _handoff(translations: dict) -> Handoff:
    from scripts import git_dates, lint, news
    from scripts.lessons import site as lesson_site

    handler = next(iter(logging.getLogger("mkdocs").handlers), None)
    formatter = getattr(handler, "formatter", None)
    return Handoff(translations=dict(translations), linted=set(lint._linted), lessons=dict(lesson_site._state),
                   dates=git_dates._cache.get(ROOT), serving=news.serving,
                   log_level=logging.getLogger("mkdocs").getEffectiveLevel(),
                   log_format=getattr(formatter, "_fmt", None))


def _receive(handoff: Handoff) -> None:
    """In the new process: take over the source build's results, and log as it does."""
    global received
    from scripts import git_dates, lint, news
    from scripts.lessons import site as lesson_site

    received = handoff
    lint.mark_linted(handoff.linted)
    lesson_site._state.update(handoff.lessons)
    if handoff.dates is not None:
        git_dates._cache[ROOT] = handoff.dates
    news.serving = handoff.serving
    logger = logging.getLogger("mkdocs")
    if handoff.log_format and not logger.handlers:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(logging.Formatter(handoff.log_format))
        logger.handlers[:] = [stream]
        logger.propagate = False
    logger.setLevel(handoff.log_level)


def build_one(config_file: str, site_dir: str, strict: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(config_file=str(ROOT / config_file), site_dir=site_dir, strict=strict))


def start(others, site_dir: str, strict: bool, translations: dict | None = None) -> None:
    """Start each other language's build in a spawned process (if parallel())."""
    _running.clear()
    if not parallel():
        return
    context = multiprocessing.get_context("spawn")
    # Through a file, not the process arguments: Python writes those into a pipe that the
    # parent itself holds open, so a child stuck before reading them would block start() for ever.
    global _handoff_file
    _remove_handoff()
    handle, _handoff_file = tempfile.mkstemp(prefix="site-handoff-", suffix=".pickle")
    with os.fdopen(handle, "wb") as f:
        pickle.dump(_handoff(translations or {}), f, protocol=pickle.HIGHEST_PROTOCOL)
    for lang in others:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, name=f"build-{lang.code}",
                                  args=(lang.config, str(Path(site_dir) / lang.path), strict, _handoff_file, send))
        log.info(f"Building the {lang.name} site into {lang.path} (in parallel)")
        process.start()
        send.close()
        _running.append(_Build(lang.name, process, receive, time.monotonic()))


_handoff_file: str | None = None


def _remove_handoff() -> None:
    global _handoff_file
    if _handoff_file:
        Path(_handoff_file).unlink(missing_ok=True)
        _handoff_file = None


def _child(config_file: str, site_dir: str, strict: bool, handoff_file: str, send) -> None:
    # Ctrl+C reaches every process of the terminal: the source build stops this one (cancel()).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with open(handoff_file, "rb") as f:
        _receive(pickle.load(f))
    progress.plain_only()  # two processes must not redraw one terminal line
    progress.SUMMARY.reset()
    timings.reset()
    result = {"ok": True, "message": ""}
    try:
        build_one(config_file, site_dir, strict)
    except Abort as e:  # MkDocs has logged why (a BuildError, or warnings in strict mode)
        result = {"ok": False, "message": e.message}
    except MkDocsException as e:
        log.error(str(e))
        result = {"ok": False, "message": str(e)}
    except BaseException as e:  # a bug: say what it was, in one line
        log.exception("The build stopped on an unexpected error")
        result = {"ok": False, "message": f"{type(e).__name__}: {e}"}
    result["summary"] = progress.SUMMARY.export()
    result["timings"] = timings.snapshot()
    send.send(result)
    send.close()


def finish(others, site_dir: str, strict: bool) -> None:
    """Wait for the other languages (or build them here, one after another)."""
    if not _running:
        for lang in others:
            log.info(f"Building the {lang.name} site into {lang.path}")
            build_one(lang.config, str(Path(site_dir) / lang.path), strict)
        return
    failed = []
    for build in list(_running):
        result = _wait(build)
        progress.SUMMARY.merge(result.get("summary") or {})
        for name, seconds in (result.get("timings") or {}).items():
            timings.totals[name] += seconds
        if not result["ok"]:
            failed.append((f"{build.name}: {result.get('ja') or '上のメッセージを見てください'}",
                           f"{build.name}: {result['message']}"))
    _running.clear()
    _remove_handoff()
    if failed:
        raise Abort("ほかの言語のビルドが失敗しました（" + "、".join(ja for ja, _ in failed) + "） / "
                    "The other language did not build (" + "; ".join(en for _, en in failed) + ")")


def _wait(build: _Build) -> dict:
    """The child's result; a child that dies or gives no answer in time is stopped and reported."""
    limit = timeout()
    deadline = build.started + limit
    died = {"ok": False, "message": "its build process ended unexpectedly (exit code {code})",
            "ja": "ビルドのプロセスが途中で終わりました（終了コード {code}）"}
    while True:
        try:
            if build.results.poll(max(0.0, min(1.0, deadline - time.monotonic()))):
                result = build.results.recv()
                break
            if not build.process.is_alive():  # it may have answered just before it ended
                result = build.results.recv() if build.results.poll(0) else None
                if result is None:
                    build.process.join(1)
                    result = {**died, "message": died["message"].format(code=build.process.exitcode),
                              "ja": died["ja"].format(code=build.process.exitcode)}
                break
        except EOFError:  # the pipe closed without an answer (killed, out of memory)
            build.process.join(1)
            result = {**died, "message": died["message"].format(code=build.process.exitcode),
                      "ja": died["ja"].format(code=build.process.exitcode)}
            break
        if time.monotonic() >= deadline:
            result = {"ok": False, "message": f"no answer after {limit:.0f} s, so it was stopped (SITE_LANGUAGE_TIMEOUT)",
                      "ja": f"{limit:.0f} 秒たっても終わらないので止めました（SITE_LANGUAGE_TIMEOUT）"}
            break
    _stop(build, grace=30 if result.get("ok") else 0)
    return result


def _stop(build: _Build, grace: float) -> None:
    """Join the child; one that does not end is terminated, then killed (a stopped process ignores SIGTERM)."""
    build.process.join(grace)
    if build.process.is_alive():
        build.process.terminate()
        build.process.join(5)
    if build.process.is_alive():
        build.process.kill()
        build.process.join(5)


def cancel() -> None:
    """The source build failed: stop the others, so nothing writes to its folder."""
    for build in _running:
        _stop(build, grace=0)
    _running.clear()
    _remove_handoff()
