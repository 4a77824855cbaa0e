"""Atomic build of the whole bilingual site.

The site is written to a temporary folder beside site/ and replaces site/
only when every language built without errors or warnings, so a failed
build never leaves a half-written site behind. Sources are only read.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import time
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from scripts import ROOT, engine, languages, prepare, progress, stage, timings
from scripts.languages import LanguageConfigError
from scripts.problems import ContentError

log = logging.getLogger("mkdocs.site")


# Outputs that must carry the time of the build; every other file is identical
# between two builds of the same commit (tests/test_reliability.py).
TIMESTAMPED_OUTPUTS = [
    "sitemap.xml", "sitemap.xml.gz", "en/sitemap.xml", "en/sitemap.xml.gz",
    "*feed*.xml", "*feed*.json",
]


class BuildFailed(Exception):
    pass


class Interrupted(BaseException):
    """Ctrl+C (SIGINT) or SIGTERM: like KeyboardInterrupt, so nothing catches it by accident."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_MAIN_PID: int | None = None


def _on_signal(signum, frame):
    if os.getpid() != _MAIN_PID:
        # A worker forked by the build (another language, an image pool): the
        # main process stops it and removes the half-written folder; a worker
        # that printed its own traceback would only hide the one-line message.
        os._exit(128 + signum)
    raise Interrupted(signum)


def stop_on_signals() -> None:
    """Turn SIGINT and SIGTERM into Interrupted in this process (the command line's build)."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)


def interrupted_message(signum: int) -> str:
    how = "Ctrl+C" if signum == signal.SIGINT else signal.Signals(signum).name
    return (f"ビルドを中断しました（{how}）。site/ は前のままです。 / "
            f"The build was interrupted ({how}); site/ was left as it was.")


def load(config_file: Path, **overrides):
    try:
        return load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as e:  # [config]: the rule id make check reports too (scripts/lint/registry.py)
        raise BuildFailed(f"{config_file.name}: エラー error [config] 設定ファイルが読めません。 / "
                          f"The settings file cannot be read: {e}\n"
                          "    直し方 / How to fix: 上に書かれた行の字下げを確かめてください。 / "
                          "Check the indentation and the line named above.") from None
    except Abort as e:
        raise BuildFailed(f"{config_file.name}: エラー error [config] 設定ファイルに使えない設定があります。 / "
                          f"{e.message}\n"
                          f"    直し方 / How to fix: 上に書かれた設定名を確かめてください（つづりのまちがいが多い）。 / "
                          f"Check the setting named above in {config_file.name} "
                          "(a misspelt name is the usual cause).") from None


def build_site(site_dir: Path | None = None, config_file: Path | None = None) -> Path:
    """Build every language into site_dir (default: site/), atomically."""
    config_file = config_file or ROOT / "mkdocs.yml"
    target = Path(site_dir or ROOT / "site").resolve()
    check_target(target)
    remove_leftovers(target.parent)
    staging = target.parent / f".site-building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    start = time.monotonic()
    timings.reset()
    state = target.parent / f".site-state-{os.getpid()}"
    try:
        _prepare_and_render(config_file, staging, state)
    except BuildFailed:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except (ContentError, LanguageConfigError) as e:
        shutil.rmtree(staging, ignore_errors=True)
        log.error(str(e))
        raise BuildFailed("The build stopped before any page was made.\n"
                          "    The messages above name the file to fix. site/ was left as it was.") from None
    except (Abort, MkDocsException, engine.EngineFailed) as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"ビルドが止まりました / The build stopped: {getattr(e, 'message', e)}\n"
                          "    直すファイルは上のメッセージにあります。site/ は前のままです。 / "
                          "The messages above name the file to fix. site/ was left as it was.") from None
    except BaseException:
        # Ctrl+C, SIGTERM or a bug: scripts/engine.py has stopped the language builds,
        # so nothing writes into the staging folder while it is removed.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(state, ignore_errors=True)
    try:
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    elapsed = time.monotonic() - start
    log.info(f"Site written to {target} in {elapsed:.1f} s")
    if os.environ.get("SITE_TIMINGS_FILE"):  # for benchmarks/build.py
        Path(os.environ["SITE_TIMINGS_FILE"]).write_text(
            json.dumps({"total": elapsed, **timings.snapshot()}), encoding="utf-8")
    return target


def _prepare_and_render(config_file: Path, staging: Path, state: Path) -> None:
    """Prepare (every language, once), then the engine (one process per language). The engine's
    processes start first, from the languages the settings name, and import while this process
    loads the settings and prepares; a settings file they cannot read is loaded first instead, so
    its error is the usual one."""
    try:
        langs = languages.configured(config_file)
    except LanguageConfigError:
        langs = languages.load_languages(load(config_file, site_dir=str(staging)).extra)
    progress.start_build()

    def prepare_stage():  # the last build's preparation when no source changed since
        if not prepare.reuse(config_file, state):
            prepare.run_and_keep(load(config_file, site_dir=str(staging)), config_file, langs, state)

    # strict=None: each language's build takes `strict` from its own settings file.
    engine.build_all(langs, staging, state, None, prepare_first=prepare_stage)
    log.info(progress.end_build(staging, timings.snapshot()))


def stage_only(out: Path, config_file: Path | None = None) -> Path:
    """The prepare stage alone, for another engine (`python -m scripts stage --out DIR`): the staged
    docs in out/<code>/, with the other files (images, downloads) beside the pages and each
    untranslated page as the source language's, so that out/<code> is a complete docs folder."""
    out = Path(out).resolve()
    if out.exists() and any(out.iterdir()):
        raise BuildFailed(f"{_shown(out)} は空ではありません。空のフォルダーか、まだないフォルダーを選んでください。 / "
                          f"{_shown(out)} is not empty; choose an empty or new folder.")
    config = load(config_file or ROOT / "mkdocs.yml")
    langs = languages.load_languages(config.extra)
    progress.start_build()
    try:
        prepared = prepare.run(config, langs, out)
    except (ContentError, LanguageConfigError) as e:
        shutil.rmtree(out, ignore_errors=True)
        log.error(str(e))
        raise BuildFailed("The staged docs were not written: the messages above name the file to fix.") from None
    stage.link_other_files(prepared.stage, langs)
    return out


def check_target(target: Path) -> None:
    """Fail in a second, before a long build, if site/ could not be replaced at the end."""
    shown = _shown(target)
    if target.exists() and not target.is_dir() or target.is_symlink():
        raise BuildFailed(f"{shown} がフォルダーではありません（ファイルかリンクです）。消すか名前を変えてから、もう一度ビルドしてください。 / "
                          f"{shown} is not a folder (it is a file or a link); remove or rename it, then build again.")
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BuildFailed(f"{_shown(parent)} というフォルダーを作れません（{e.strerror}）。--site-dir で別の場所を選んでください。 / "
                          f"Cannot create the folder {_shown(parent)} ({e.strerror}); choose another place with --site-dir.") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise BuildFailed(f"{_shown(parent)} に書き込めないので {shown} を置きかえられません。書き込めるようにするか、"
                          f"--site-dir で別の場所を選んでください。 / Cannot replace {shown}: the folder "
                          f"{_shown(parent)} is read-only; make it writable or choose another place with --site-dir.")


def _shown(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix() + ("/" if path.name == "site" else "")
    except ValueError:
        return str(path)


def remove_leftovers(folder: Path) -> None:
    """Folders left by a build that was killed outright (SIGKILL, power cut): its process is gone."""
    for path in [*folder.glob(".site-building-*"), *folder.glob(".site-old-*"), *folder.glob(".site-state-*")]:
        pid = path.name.rpartition("-")[2]
        if not pid.isdigit():
            continue
        if int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap(new: Path, target: Path) -> None:
    """Replace target with new using renames, so readers never see a mix.
    If a rename fails, the previous site/ is put back and the error names the folder."""
    old = target.parent / f".site-old-{os.getpid()}"
    moved = False
    try:
        if target.exists():
            target.rename(old)
            moved = True
        new.rename(target)
    except OSError as e:
        if moved and not target.exists():
            old.rename(target)
        raise BuildFailed(f"{_shown(target)} を置きかえられませんでした（{e.strerror}）。site/ は前のままです。 / "
                          f"Could not replace {_shown(target)} ({e.strerror}); the previous site was kept.") from None
    shutil.rmtree(old, ignore_errors=True)
