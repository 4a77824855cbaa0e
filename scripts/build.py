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

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

from scripts import ROOT, timings

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
    staging = target.parent / f".site-building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    start = time.monotonic()
    timings.reset()
    try:
        config = load(config_file, site_dir=str(staging))
        mkdocs_build(config)
    except BuildFailed:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except (Abort, MkDocsException) as e:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"The build stopped: {getattr(e, 'message', e)}\n"
                          "    The messages above name the file to fix. site/ was left as it was.") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, target)
    elapsed = time.monotonic() - start
    log.info(f"Site written to {target} in {elapsed:.1f} s")
    if os.environ.get("SITE_TIMINGS_FILE"):  # for benchmarks/build.py
        Path(os.environ["SITE_TIMINGS_FILE"]).write_text(
            json.dumps({"total": elapsed, **timings.snapshot()}), encoding="utf-8")
    return target


def _swap(new: Path, target: Path) -> None:
    """Replace target with new using renames, so readers never see a mix."""
    old = target.parent / f".site-old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
