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
import time
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from scripts import ROOT, engine, languages, prepare, progress, timings
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




def load(config_file: Path, **overrides):
    try:
        return load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as e:
        raise BuildFailed(f"{config_file.name}: the settings file cannot be read: {e}\n"
                          "    How to fix: check the indentation and the line named above.") from None
    except Abort as e:
        raise BuildFailed(f"{config_file.name}: {e.message}\n"
                          f"    How to fix: check the setting named above in {config_file.name} "
                          "(a misspelt name is the usual cause).") from None


def build_site(site_dir: Path | None = None, config_file: Path | None = None) -> Path:
    """Build every language into site_dir (default: site/), atomically."""
    config_file = config_file or ROOT / "mkdocs.yml"
    target = Path(site_dir or ROOT / "site").resolve()
    staging = target.parent / f".site-building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    start = time.monotonic()
    timings.reset()
    state = target.parent / f".site-state-{os.getpid()}"
    try:
        config = load(config_file, site_dir=str(staging))
        _prepare_and_render(config, staging, state)
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
        raise BuildFailed(f"The build stopped: {getattr(e, 'message', e)}\n"
                          "    The messages above name the file to fix. site/ was left as it was.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(state, ignore_errors=True)
    _swap(staging, target)
    elapsed = time.monotonic() - start
    log.info(f"Site written to {target} in {elapsed:.1f} s")
    if os.environ.get("SITE_TIMINGS_FILE"):  # for benchmarks/build.py
        Path(os.environ["SITE_TIMINGS_FILE"]).write_text(
            json.dumps({"total": elapsed, **timings.snapshot()}), encoding="utf-8")
    return target


def _prepare_and_render(config, staging: Path, state: Path) -> None:
    """Prepare (every language, once), then the engine (one process per language)."""
    langs = languages.load_languages(config.extra)
    progress.start_build()
    prepared = prepare.run(config, langs)
    prepare.save(prepared, state)
    engine.build_all(langs, staging, state, config.strict)
    log.info(progress.end_build(staging, timings.snapshot()))


def _swap(new: Path, target: Path) -> None:
    """Replace target with new using renames, so readers never see a mix."""
    old = target.parent / f".site-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
