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

`Beside` does the same for a build the engine started by itself (`mkdocs build`,
`make serve`): the source language renders in that process (its hooks prepare,
as scripts/prepare.py's `in_process`), and the other languages render beside
it in spawned processes, which start with it and end up below its site.
"""
from __future__ import annotations

import atexit
import json
import logging
import multiprocessing
import os
import shutil
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


class Processes:
    """The languages' engine runs, each in its own spawned process: at most one per core at a time,
    each with a timeout, each into state_dir/parts/<code>. They read the prepare stage's state from
    state_dir (scripts/prepare.py), waiting for it if they start before it is written.

    site_url: the site's root address when it is not the settings' (the preview's own);
    serving: a preview (it shows news posts dated in the future)."""

    def __init__(self, langs, state_dir: Path, strict: bool | None, site_url: str | None = None,
                 serving: bool = False):
        self.state_dir, self.strict, self.site_url, self.serving = state_dir, strict, site_url, serving
        self.parts = state_dir / "parts"
        self.parts.mkdir(parents=True, exist_ok=True)
        self.waiting, self.running, self.failed, self.processes = list(langs), [], [], []
        self.limit, self.started = workers(len(langs)), {}
        self.verbose = logging.getLogger("mkdocs").level <= logging.DEBUG
        self.go_time: float | None = None

    def start(self) -> None:
        """Start languages while there is a free core (from the main thread: see _start)."""
        context = multiprocessing.get_context("spawn")
        if str(ROOT) not in sys.path:  # a spawned process gets this sys.path; MkDocs loads hooks.py
            sys.path.append(str(ROOT))  # by file path and gives sys.path back as it was
        before = os.environ.get(prepare.STATE_ENV)
        os.environ[prepare.STATE_ENV] = str(self.state_dir)  # spawned processes inherit the environment
        try:
            while self.waiting and len(self.running) < self.limit:
                lang = self.waiting.pop(0)
                result = self.state_dir / f"result-{lang.code}.json"
                process = context.Process(target=_child, name=f"build-{lang.code}",
                                          args=(lang.config, str(self.parts / lang.code), self.strict, str(result),
                                                self.verbose, os.getpid(), self.site_url, self.serving))
                _start(process)
                self.processes.append(process)
                self.started[lang.code] = time.monotonic()
                self.running.append((lang, process, result))
        finally:
            if before is None:
                os.environ.pop(prepare.STATE_ENV, None)
            else:
                os.environ[prepare.STATE_ENV] = before

    def prepared(self) -> None:
        """The state is written: the processes' time starts now (until here they waited for it)."""
        self.go_time = time.monotonic()
        for code in self.started:
            self.started[code] = self.go_time

    def wait(self) -> None:
        """Wait for every language (starting the ones still waiting for a core); EngineFailed names
        the languages that failed. The processes are stopped if this ends any other way."""
        try:
            while self.running:
                lang, process, result = self.running.pop(0)
                process.join(max(0.0, timeout() - (time.monotonic() - self.started[lang.code])))
                if process.is_alive():
                    _stop(process)
                    self.failed.append(f"{lang.name}: {timeout():.0f} 秒たっても終わらないので止めました / the build "
                                       f"took longer than {timeout():.0f} s and was stopped (setting: {TIMEOUT_ENV})")
                else:
                    outcome = _read(result, process.exitcode)
                    progress.SUMMARY.merge(outcome.get("summary") or {})
                    for name, seconds in (outcome.get("timings") or {}).items():
                        timings.totals[name] += seconds
                    if not outcome["ok"]:
                        self.failed.append(f"{lang.name}: {outcome['message']}")
                self.start()
        finally:
            self.stop()
        if self.failed:
            raise EngineFailed("; ".join(self.failed))

    def stop(self) -> None:
        """Ctrl+C, or an error: no build goes on writing."""
        for process in self.processes:
            if process.is_alive():
                _stop(process)

    def move(self, lang, target: Path) -> None:
        """A language's finished site to its place."""
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.parts / lang.code).rename(target)


def build_all(langs, staging: Path, state_dir: Path, strict: bool | None, prepare_first=None) -> None:
    """Every language in its own spawned process; staging gets the whole site.

    prepare_first: the prepare stage, run here while the processes start (a fresh interpreter
    takes a while to import MkDocs, Material and our modules); they wait for it before they read
    anything it makes, and are stopped if it fails."""
    run = Processes(langs, state_dir, strict)
    try:
        run.start()
        if prepare_first is not None:
            prepare_first()  # an error here stops the processes (finally, below)
        run.prepared()
        run.wait()
    finally:
        run.stop()
    # Assemble: the source language at the root, the others at their paths below it.
    run.move(langs[0], staging)
    for lang in langs[1:]:
        run.move(lang, staging / lang.path)


class Beside:
    """A build MkDocs started itself (`make serve`, `mkdocs build`) renders the source language in
    its own process; the other languages render beside it, each in a spawned process that starts
    with the source language's build, reads the preparation it makes, and ends up below its site."""

    def __init__(self, langs, strict: bool, root_url: str, serving: bool):
        import tempfile

        self.langs = langs
        self.state_dir = Path(tempfile.mkdtemp(prefix="site-beside-"))
        self.run = Processes(langs, self.state_dir, strict, root_url, serving)
        self.run.start()

    def prepared(self, prepared) -> None:
        prepare.save(prepared, self.state_dir)
        self.run.prepared()

    def finish(self, site_dir: str) -> None:
        """Wait for the other languages and put each below site_dir; EngineFailed if one failed."""
        try:
            if self.run.go_time is None:
                raise EngineFailed("the preparation never came")  # a bug: on_files always hands it over
            self.run.wait()
            for lang in self.langs:
                target = Path(site_dir) / lang.path
                if target.exists():
                    shutil.rmtree(target)
                self.run.move(lang, target)
        finally:
            self.cancel()

    def cancel(self) -> None:
        self.run.stop()
        shutil.rmtree(self.state_dir, ignore_errors=True)


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
           parent: int | None = None, site_url: str | None = None, serving: bool = False) -> None:
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
    from scripts import finish, news
    from scripts.build import BuildFailed

    news.serving = serving  # a preview shows news posts dated in the future
    from scripts.problems import ContentError

    try:
        config = build_one(config_file, site_dir, strict, site_url)
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


# --- the build MkDocs started itself (hooks.py) ------------------------------------------------------
_beside: dict[str, Beside] = {}
_beside_exit: list[bool] = []


def beside_start(langs, strict: bool, root_url: str, serving: bool) -> None:
    """When the source language's build starts: the other languages' processes start importing."""
    beside_cancel()  # a build that stopped without saying so (there is no event for every way)
    if langs:
        _beside["run"] = Beside(langs, strict, root_url, serving)
        if not _beside_exit:  # after multiprocessing's own exit handler, so this one runs first:
            atexit.register(beside_cancel)  # Ctrl+C in the preview stops them, not waits for them
            _beside_exit.append(True)


def beside_prepared(prepared) -> None:
    if "run" in _beside:
        _beside["run"].prepared(prepared)


def beside_finish(site_dir: str) -> None:
    run = _beside.pop("run", None)
    if run is not None:
        run.finish(site_dir)


def beside_cancel() -> None:
    run = _beside.pop("run", None)
    if run is not None:
        run.cancel()
