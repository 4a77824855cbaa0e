"""The other languages' builds, run beside the source language's build.

The source-language build (mkdocs.yml) also builds every other language
below its site_dir, so `mkdocs build`, `mkdocs serve` and
`python -m scripts build` always give the whole site:

* `start()` (in the source build's on_files, once the translation report
  and the lesson downloads are ready) starts each other language in a forked
  copy of this process, on another core. The copy inherits the imported
  modules, the report and the downloads. The source build then lints every
  language; if the lint fails, the copies are stopped (`cancel()`).
* `finish()` (the source build's on_post_build) waits for them, adds their
  pages, warnings and timings to the build summary, and stops the build if
  one failed. Their own messages (file, line, fix) were already printed.
* `cancel()` (on_build_error) stops them if the source build fails first.

Where processes cannot be forked (Windows, macOS's default), or with
SITE_PARALLEL=0, `finish()` builds the other languages one after another in
this process instead.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import Abort, MkDocsException

from scripts import ROOT, progress, timings

log = logging.getLogger("mkdocs.hooks.site")


@dataclass
class _Build:
    name: str
    process: multiprocessing.Process
    results: object  # the receiving end of a Pipe


_running: list[_Build] = []


def parallel() -> bool:
    return os.environ.get("SITE_PARALLEL", "1") != "0" and "fork" in multiprocessing.get_all_start_methods()


def build_one(config_file: str, site_dir: str, strict: bool, forked: bool = False) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from mkdocs.exceptions import ConfigurationError

    try:
        config = load_config(config_file=str(ROOT / config_file), site_dir=site_dir, strict=strict)
    except (ConfigurationError, Abort) as e:  # [config]: the rule id make check reports too
        raise Abort(f"{Path(config_file).name}: エラー error [config] 設定ファイルが使えません。 / "
                    f"{getattr(e, 'message', e)} 直し方 / How to fix: 上に書かれた設定名を確かめてください。 / "
                    "Check the setting named above (a misspelt name is the usual cause).") from None
    if not forked:
        build(config)
        return
    # MkDocs keeps one instance of each plugin per process, so a forked build
    # holds a copy of the source build's: the blog plugin's scratch folder
    # (where it writes archive pages) would be shared. Give each its own.
    scratch = []
    for plugin in config.plugins.values():
        if isinstance(getattr(plugin, "temp_dir", None), str):
            plugin.temp_dir = tempfile.mkdtemp()
            scratch.append(plugin.temp_dir)
    try:
        build(config)
    finally:
        for folder in scratch:
            shutil.rmtree(folder, ignore_errors=True)


def start(others, site_dir: str, strict: bool) -> None:
    """Start each other language's build in a forked process (if parallel())."""
    _running.clear()
    if not parallel():
        return
    context = multiprocessing.get_context("fork")
    for lang in others:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, name=f"build-{lang.code}",
                                  args=(lang.config, str(Path(site_dir) / lang.path), strict, send))
        log.info(f"Building the {lang.name} site into {lang.path} (in parallel)")
        process.start()
        send.close()
        _running.append(_Build(lang.name, process, receive))


def _child(config_file: str, site_dir: str, strict: bool, send) -> None:
    _running.clear()  # a sibling's build is not this process's to stop
    progress.plain_only()  # two processes must not redraw one terminal line
    progress.SUMMARY.reset()
    timings.reset()
    result = {"ok": True, "message": ""}
    try:
        build_one(config_file, site_dir, strict, forked=True)
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
        try:
            result = build.results.recv()
        except EOFError:  # the process died without a word (killed, out of memory)
            result = {"ok": False, "message": "its build process ended unexpectedly"}
        build.process.join()
        progress.SUMMARY.merge(result.get("summary") or {})
        for name, seconds in (result.get("timings") or {}).items():
            timings.totals[name] += seconds
        if not result["ok"]:
            failed.append(f"{build.name}: {result['message']}")
    _running.clear()
    if failed:
        raise Abort("The other language did not build (" + "; ".join(failed) + ")")


def cancel() -> None:
    """The source build failed: stop the others, so nothing writes to its folder."""
    for build in _running:
        if build.process.is_alive():
            build.process.terminate()
        build.process.join(10)
    _running.clear()
