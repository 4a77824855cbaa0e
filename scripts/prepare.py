"""Prepare: the work done once per build, for every language, before the engine runs.

    source checks (file names, encodings, front matter) ▸ translation report
    ▸ every rule of the registry over every page (scripts/lint) ▸ lesson downloads (cached PDFs, ZIPs)
    ▸ the staged docs: every page with its markers expanded (scripts/stage.py), which the engine renders

An error stops the build here, before any engine starts. What the engines need
from this stage is kept in a state folder (`SITE_BUILD_STATE`), which each
language's engine process reads (scripts/engine.py, scripts/hooks.py): no
module globals cross a process boundary.

A build that the engine starts by itself (`mkdocs build`, `make serve`) has no
state folder: the source language's build runs the same `run()` in its process
(`in_process`), and the languages it builds after itself reuse the result.
"""
from __future__ import annotations

import atexit
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts import languages, lint, sanitize, sources, stage, timings, translations
from scripts.lessons import site as lesson_site
from scripts.problems import ContentError

STATE_ENV = "SITE_BUILD_STATE"
STATE_FILE = "prepared.pickle"


@dataclass
class Prepared:
    report: translations.Report  # every language's translation status
    lessons: dict = field(default_factory=dict)  # the lesson downloads made (scripts/lessons/site.py)
    languages: list[str] = field(default_factory=list)  # linted here, so the engines lint nothing
    stage: stage.Stage | None = None  # the staged docs the engines render (scripts/stage.py)
    # The secret that fences our own HTML in the staged pages (sanitize.Generated): the finish
    # stage, in the engines' processes, must know the one the pages were staged with.
    generated_secret: str = ""


def run(config, langs: list[languages.Language], folder: Path) -> Prepared:
    """Everything before the engine, for every language of the site (config: the source language's);
    the staged docs go to folder."""
    root = languages.docs_root(config.docs_dir)
    codes = [lang.code for lang in langs]
    config.extra.setdefault("site_root_url", config.site_url.rstrip("/") + "/")
    with timings.phase("checks"):
        problems = [p for code in codes for p in sources.check_sources(root / code)]
        if problems:
            raise ContentError(problems)
        report = translations.check_build(root, codes[0], codes[1:])
        # Every rule of the registry, every language (scripts/lint: what `make check` runs);
        # errors stop the build here, before the slow steps; warnings go to the summary.
        lint.for_build(root, codes, codes[0], report)
    with timings.phase("lesson PDFs"):
        lesson_site.prepare_downloads(config)
    with timings.phase("staged docs"):  # after the lessons: [[lesson]] shows their downloads
        staged = stage.write(folder, root, langs, config.extra["site_root_url"], dict(config.extra), report)
    return Prepared(report, lesson_site.state(), codes, staged, sanitize.GENERATED.secret)


def save(prepared: Prepared, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STATE_FILE
    tmp = path.with_name(f".{STATE_FILE}.tmp")
    tmp.write_bytes(pickle.dumps(prepared))
    tmp.replace(path)  # whole or not at all: engine processes may be waiting for it (load)
    return path


_loaded: dict[str, Prepared] = {}
_here: dict = {}
_ready: dict = {}


def wait_for(parent: int | None) -> None:
    """In an engine process started before the prepare stage ended: load() waits for the state
    file, and ends this process if the build that started it is gone."""
    _ready["parent"] = parent


def _wait(path: Path) -> None:
    # A file that appears whole (save() renames it into place), not a lock shared with the
    # parent: a process stopped while holding a lock would stop the parent too.
    while "parent" in _ready and not path.exists():
        if os.getppid() != _ready["parent"]:
            os._exit(1)
        time.sleep(0.02)


def load() -> Prepared | None:
    """The prepared state when scripts/engine.py started this process, else None."""
    folder = os.environ.get(STATE_ENV)
    if not folder:
        return None
    if folder not in _loaded:
        _wait(Path(folder) / STATE_FILE)
        _loaded[folder] = pickle.loads((Path(folder) / STATE_FILE).read_bytes())
        lesson_site.restore(_loaded[folder].lessons)
        sanitize.GENERATED.secret = _loaded[folder].generated_secret
    return _loaded[folder]


def in_process(config, langs: list[languages.Language], lang: languages.Language, start: bool = False) -> Prepared:
    """`mkdocs build`, `make serve`: the source language prepares when its build starts (start=True:
    again on every rebuild); later events and the languages built after it in this process reuse
    that, and a lone build of another language (or of another copy of the project) prepares its own."""
    key = (str(languages.docs_root(config.docs_dir)), config.extra.get("site_root_url"))
    if (start and lang is langs[0]) or _here.get("key") != key:
        _here.clear()
        _here.update(key=key, prepared=run(config, langs, _stage_folder()))
    return _here["prepared"]


def _stage_folder() -> Path:
    """This process's staged docs (a preview rewrites only the pages that changed); removed at exit."""
    if "stage" not in _folders:
        _folders["stage"] = Path(tempfile.mkdtemp(prefix="site-stage-"))
        atexit.register(shutil.rmtree, _folders["stage"], True)
    return _folders["stage"]


_folders: dict[str, Path] = {}


def forget() -> None:
    """After a failed build: the next one checks everything again."""
    _here.clear()


def current(config, langs: list[languages.Language], lang: languages.Language, start: bool = False) -> Prepared:
    """This build's prepared state: from scripts/engine.py's state folder, or made here
    (start=True: the event that begins a language's build)."""
    return load() or in_process(config, langs, lang, start)
