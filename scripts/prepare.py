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
import logging
import os
import pickle
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts import CACHE, ROOT, git_dates, languages, lint, memo, progress, sanitize, sources, stage, timings, translations
from scripts.lessons import site as lesson_site
from scripts.problems import ContentError

log = logging.getLogger("mkdocs.site")
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
    dates = git_dates.load(ROOT, refresh=True)  # one `git log` for every page's last-updated date
    progress.SUMMARY.note(f"last updated / 最終更新: {len(dates.committed)} files dated by git, "
                          f"{len(dates.changed)} uncommitted (file time), {dates.seconds * 1000:.0f} ms")
    if dates.shallow:
        log.info("Last updated: this is a shallow git clone, so page dates may be wrong (fetch-depth: 0).")
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


# --- kept between builds -------------------------------------------------------------------------
# A build of exactly the sources the last one prepared reuses that preparation: its state, its staged
# docs and what it reported (every warning again). "Exactly": the key below covers every file the
# stage reads (by name, size and time, as make does), the code, data, catalogs, settings and
# packages (memo.inputs_version), git's commit and index (page dates, translation status), the day
# in Japan (scheduled news), the settings in the environment (SITE_*, LESSON_*) and the lesson files'
# renderer (its libraries and font). The staged pages carry the secret that fences
# our own HTML; it is reused only with byte-identical sources, so no page can carry it forged.

KEPT_FORMAT = "1"
_WORK_LOG = "mkdocs.hooks.lessons"  # its INFO lines count the files a run made
KEPT_ENTRIES = 8  # the most recently used preparations kept (a preview, a few project copies)
_KEY_ENV = ("SITE_", "LESSON_", "XDG_CACHE_HOME")  # the settings and caches a build reads
_IGNORED_ENV = {STATE_ENV, "SITE_TIMINGS_FILE"}


def sources_key(config_file: Path) -> str:
    """What the prepare stage's result depends on, for this settings file (see above)."""
    import datetime as dt

    config_file = Path(config_file).resolve()
    project = config_file.parent
    settings = languages.settings(config_file)
    stamps = []
    folders = [project / str(settings.get("docs_dir") or "docs")]
    theme = settings.get("theme") if isinstance(settings.get("theme"), dict) else {}
    if theme.get("custom_dir"):
        folders.append(project / str(theme["custom_dir"]))
    for folder in [languages.docs_root(folders[0]), *folders[1:]]:
        for path in sorted(folder.rglob("*")):
            try:
                stat = path.lstat()
            except OSError:
                continue
            stamps.append(f"{path.relative_to(project)}\0{stat.st_mode}\0{stat.st_size}\0{stat.st_mtime_ns}")
    git = git_dates._git(project, "rev-parse", "HEAD", "--git-path", "index") or ""
    index = git.splitlines()[-1] if git else ""
    try:
        index_stat = (project / index).stat() if index else None
        git += f"\0{index_stat.st_size}\0{index_stat.st_mtime_ns}" if index_stat else ""
    except OSError:
        pass
    today = dt.datetime.now(git_dates.JST).date().isoformat()
    env = sorted((k, v) for k, v in os.environ.items()
                 if k.startswith(_KEY_ENV) and k not in _IGNORED_ENV)
    # The lesson files' renderer: its libraries and the font it embeds (a system package).
    renderer = lesson_site.downloads.renderer_version()
    return memo.digest(KEPT_FORMAT, str(config_file), memo.inputs_version(project), "\n".join(stamps), git,
                       today, env, renderer)


def reuse(config_file: Path, state: Path) -> bool:
    """Save the kept preparation of these very sources as this build's state; False if there is none."""
    if not memo.enabled():
        return False
    kept = CACHE / "prepared" / sources_key(config_file)
    try:
        entry = pickle.loads((kept / STATE_FILE).read_bytes())
        prepared, records, summary = entry["prepared"], entry["records"], entry["summary"]
        result = prepared.lessons.get("result")
        downloads = [d for code in prepared.languages for d in result.for_language(code)] if result else []
        if any(d.source.stat().st_size != d.size for d in downloads):  # the lesson cache was changed
            return False
        shutil.copytree(kept / "docs", state / "docs", copy_function=os.link)
        os.utime(kept)  # in use: kept by _prune
    except (OSError, EOFError, KeyError, AttributeError, pickle.UnpicklingError):
        shutil.rmtree(state / "docs", ignore_errors=True)
        return False
    prepared.stage = stage.Stage(state / "docs", prepared.stage.docs_root)
    save(prepared, state)
    with timings.phase("checks (kept)"):
        log.info("Prepare: no source changed since the last build, so its checks and staged pages are "
                 "reused / 前回のビルドから変わったファイルがないので、確認結果と準備したページを使います")
        for name, level, message in records:  # every warning and note again, as the checks gave them
            logging.getLogger(name).log(level, message)
        progress.SUMMARY.merge(summary)
    return True


def run_and_keep(config, config_file: Path, langs: list[languages.Language], state: Path) -> Prepared:
    """run() and save() into state, then keep the result for the next build of the same sources."""
    key = sources_key(config_file) if memo.enabled() else ""
    records: list[tuple[str, int, str]] = []
    recorder = _Recorder(records)
    logging.getLogger("mkdocs").addHandler(recorder)
    before = progress.SUMMARY.export()
    try:
        prepared = run(config, langs, state / "docs")
    finally:
        logging.getLogger("mkdocs").removeHandler(recorder)
    save(prepared, state)
    if key and key == sources_key(config_file):  # no file changed while it ran
        _keep(key, prepared, records, _added(before, progress.SUMMARY.export()), state / "docs")
    return prepared


class _Recorder(logging.Handler):
    def __init__(self, records: list):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == _WORK_LOG and record.levelno < logging.WARNING:
            return  # what this run made ("Lesson packs: 98 files made"): not true of a build that reuses it
        self.records.append((record.name, record.levelno, record.getMessage()))


def _added(before: dict, after: dict) -> dict:
    """What the preparation added to the build summary."""
    return {"pages": {}, "counters": {k: v - before["counters"].get(k, 0) for k, v in after["counters"].items()},
            "warnings": after["warnings"][len(before["warnings"]):], "notes": after["notes"][len(before["notes"]):]}


def _keep(key: str, prepared: Prepared, records: list, summary: dict, docs: Path) -> None:
    """Best effort: a cache that cannot be written only means the next build prepares again."""
    folder = CACHE / "prepared"
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    try:
        shutil.copytree(docs, tmp / "docs", copy_function=os.link)
        (tmp / STATE_FILE).write_bytes(pickle.dumps({"prepared": prepared, "records": records, "summary": summary}))
        shutil.rmtree(folder / key, ignore_errors=True)
        tmp.rename(folder / key)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.iterdir():
        if path.name.startswith("."):  # another build's entry, being written
            continue
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:  # removed by another build meanwhile
            continue
    for _, old in sorted(entries, reverse=True)[KEPT_ENTRIES:]:
        shutil.rmtree(old, ignore_errors=True)


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


def in_engine() -> bool:
    """Whether this process is one of scripts/engine.py's (its state folder is set)."""
    return bool(os.environ.get(STATE_ENV))


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
