"""Engine: MkDocs + Material renders each language, one language per process.

`build_all()` starts one process per language with `spawn` (a fresh
interpreter: nothing inherited but the environment), at most one per core at a
time, each into its own folder, and waits for each with a timeout, so a stuck
build fails with a message instead of hanging. The processes read what the
prepare stage made from its state folder (scripts/prepare.py) and hand back
their summary and timings in a result file. When all succeeded, the other
languages' folders are moved below the source language's (en/ …).

Each process then runs the finish stage over its language's pages
(scripts/finish), outside the engine.

`build_here()` builds languages one after another in this process: for a build
the engine started by itself (`mkdocs build`, `make serve`), where the source
language's hooks build the others when they finish (and finish each one).
"""
from __future__ import annotations

import json
import logging
import multiprocessing
import os
import sys
import time
from pathlib import Path

from scripts import ROOT, prepare, progress, timings

log = logging.getLogger("mkdocs.site")
TIMEOUT_ENV = "SITE_ENGINE_TIMEOUT"
DEFAULT_TIMEOUT = 900.0  # seconds per language; a cold build with every image takes about a minute


class EngineFailed(Exception):
    pass


def timeout() -> float:
    try:
        return float(os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
    except ValueError:
        return DEFAULT_TIMEOUT


def workers(count: int) -> int:
    limit = os.environ.get("SITE_PARALLEL")
    if limit == "0":
        return 1
    return max(1, min(count, int(limit) if (limit or "").isdigit() else (os.cpu_count() or 1)))


def build_one(config_file: str, site_dir: str, strict: bool | None, site_url: str | None = None):
    """One language with MkDocs, in this process; returns the configuration it used.
    site_url: the site's root address, when it is not the settings' (the preview's)."""
    from mkdocs.commands.build import build

    from scripts.build import load  # its settings errors name the file and the [config] rule

    config = load(ROOT / config_file, site_dir=site_dir, strict=strict, **({"site_url": site_url} if site_url else {}))
    build(config)
    return config


def keep_compiled_templates(theme, folder: Path) -> None:
    """Keep the compiled templates between builds: compiling Material's templates anew was a large
    share of a warm build. Material's blog and search plugins make Jinja environments of their own
    (`theme.get_env()`), so every environment the theme makes gets the cache, not only MkDocs' one."""
    import jinja2

    folder.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(folder))
    make = theme.get_env

    def get_env():
        env = make()
        env.bytecode_cache = cache
        return env

    theme.get_env = get_env


def build_here(langs, site_dir: str, strict: bool, root_url: str) -> None:
    """root_url: the source language's root address; the preview serves every language below its
    own (http://127.0.0.1:8000/en/), and the same address reuses the source language's preparation."""
    for lang in langs:
        log.info(f"Building the {lang.name} site into {lang.path}")
        build_one(lang.config, str(Path(site_dir) / lang.path), strict, root_url)


def build_all(langs, staging: Path, state_dir: Path, strict: bool | None, prepare_first=None) -> None:
    """Every language in its own spawned process; staging gets the whole site.

    prepare_first: the prepare stage, run here while the first processes start (a fresh
    interpreter takes a while to import MkDocs, Material and our modules); they wait for it
    before they read anything it makes, and are stopped if it fails."""
    context = multiprocessing.get_context("spawn")
    parts = state_dir / "parts"
    parts.mkdir(parents=True, exist_ok=True)
    env_before = os.environ.get(prepare.STATE_ENV)
    os.environ[prepare.STATE_ENV] = str(state_dir)  # spawned processes inherit the environment
    waiting, running, failed, processes = list(langs), [], [], []
    limit, started = workers(len(langs)), {}
    verbose = logging.getLogger("mkdocs").level <= logging.DEBUG
    prepared = prepare_first is None
    try:
        while waiting or running:
            while waiting and len(running) < limit:
                lang = waiting.pop(0)
                result = state_dir / f"result-{lang.code}.json"
                process = context.Process(target=_child, name=f"build-{lang.code}",
                                          args=(lang.config, str(parts / lang.code), strict, str(result), verbose,
                                                os.getpid()))
                _start(process)
                processes.append(process)
                started[lang.code] = time.monotonic()
                running.append((lang, process, result))
            if not prepared:
                prepare_first()  # an error here stops the processes (finally, below)
                prepared = True
                for code in started:  # their time starts now: until here they waited for this
                    started[code] = time.monotonic()
            lang, process, result = running.pop(0)
            process.join(max(0.0, timeout() - (time.monotonic() - started[lang.code])))
            if process.is_alive():
                _stop(process)
                failed.append(f"{lang.name}: {timeout():.0f} 秒たっても終わらないので止めました / the build took longer "
                              f"than {timeout():.0f} s and was stopped (setting: {TIMEOUT_ENV})")
                continue
            outcome = _read(result, process.exitcode)
            progress.SUMMARY.merge(outcome.get("summary") or {})
            for name, seconds in (outcome.get("timings") or {}).items():
                timings.totals[name] += seconds
            if not outcome["ok"]:
                failed.append(f"{lang.name}: {outcome['message']}")
    finally:
        for process in processes:  # Ctrl+C, or an error here: no build goes on writing
            if process.is_alive():
                _stop(process)
        if env_before is None:
            os.environ.pop(prepare.STATE_ENV, None)
        else:
            os.environ[prepare.STATE_ENV] = env_before
    if failed:
        raise EngineFailed("; ".join(failed))
    # Assemble: the source language at the root, the others at their paths below it.
    (parts / langs[0].code).rename(staging)
    for lang in langs[1:]:
        target = staging / lang.path
        target.parent.mkdir(parents=True, exist_ok=True)
        (parts / lang.code).rename(target)


def _start(process) -> None:
    """Start it with Ctrl+C ignored from its first instruction: Ctrl+C reaches every process of the
    terminal's group, and the parent alone handles it and stops this one (a process interrupted
    while it imports would print a traceback). Python keeps a SIGINT ignored at start-up."""
    import signal

    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, before)


def _stop(process) -> None:
    """Ask it to end; a process that cannot (stopped, stuck in a system call) is killed."""
    process.terminate()
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join(5)


def _read(result: Path, exitcode: int | None) -> dict:
    try:
        return json.loads(result.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # the process died without a word (killed, out of memory)
        return {"ok": False, "message": f"its build process ended unexpectedly (exit code {exitcode})"}


def _child(config_file: str, site_dir: str, strict: bool, result_file: str, verbose: bool,
           parent: int | None = None) -> None:
    """One language's engine run, in a spawned process, maybe started before the prepare stage
    has written its state (scripts/prepare.py waits for the file; parent: the build's process)."""
    import signal

    from mkdocs.exceptions import Abort, MkDocsException

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ignored since its start (_start), and stays so
    prepare.wait_for(parent)

    progress.setup_logging(verbose)
    progress.plain_only()  # processes must not redraw one terminal line
    progress.start_build()
    timings.reset()
    result = {"ok": True, "message": ""}
    from scripts import finish
    from scripts.build import BuildFailed
    from scripts.problems import ContentError

    try:
        config = build_one(config_file, site_dir, strict)
        # Finish: one pass over the pages the engine wrote (scripts/finish), in this process,
        # so the languages are finished side by side too.
        finish.run(finish.from_mkdocs(config), config.strict)
    except (ContentError, finish.FinishFailed) as e:  # the message names the file, the line and the fix
        log.error(str(e))
        result = {"ok": False, "message": str(e).splitlines()[0]}
    except BuildFailed as e:  # its settings file: the message names the file, the rule and the fix
        log.error(str(e))
        result = {"ok": False, "message": str(e).splitlines()[0]}
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
    Path(result_file).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    # Everything this process made is written and its result handed back: end it now. Tearing
    # down the interpreter (every module and page object) took a tenth of a second of the build.
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(0)
