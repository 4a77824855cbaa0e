"""How `make test` spreads the tests over pytest-xdist's workers (`--dist loadgroup`): the tests
that read the one scan of the site (tests/gate/fixtures.py `site_scan`) all go to one worker, so
the scan (a few minutes) runs once, and they go first, so the scan overlaps the other worker's builds
instead of ending the run.

pytest-xdist groups `xdist_group`-marked tests by renaming them, which pytest 9.2 no longer takes
(pytest-xdist issue #1386: the marks are silently ignored). So the workers write the ids of the
tests that read the scan to a file, and the controller's scheduler keeps them together.
A plugin of tests/conftest.py (`pytest_plugins`)."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

GROUP = "site-scan"
IDS_ENV = "TESTS_SITE_SCAN_IDS"  # the file, named by the controller; its workers inherit the variable


def reads_scan(item) -> bool:
    return "site_scan" in getattr(item, "fixturenames", ())


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller (or a run without workers)
        handle, name = tempfile.mkstemp(prefix="pytest-site-scan-", suffix=".json")
        os.close(handle)
        os.environ[IDS_ENV] = name
        config.stash[_IDS_KEY] = Path(name)


def pytest_unconfigure(config):
    if _IDS_KEY in config.stash:
        config.stash[_IDS_KEY].unlink(missing_ok=True)


def pytest_collection_modifyitems(config, items):
    scan = [item for item in items if reads_scan(item)]
    chosen = {id(item) for item in scan}
    items[:] = scan + [item for item in items if id(item) not in chosen]
    if hasattr(config, "workerinput") and os.environ.get(IDS_ENV):
        target = Path(os.environ[IDS_ENV])
        partial = target.with_name(f"{target.name}.{os.getpid()}")
        partial.write_text(json.dumps([item.nodeid for item in scan]), encoding="utf-8")
        partial.replace(target)  # every worker collects the same tests: whichever writes last is right


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class SiteScanScheduling(LoadGroupScheduling):
        """xdist's loadgroup, with the tests that read the site scan as one group."""

        scan_ids: set[str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.scan_ids is None:  # first called once every worker has collected
                try:
                    self.scan_ids = set(json.loads(Path(os.environ[IDS_ENV]).read_text(encoding="utf-8")))
                except (KeyError, OSError, ValueError):
                    self.scan_ids = set()
            return GROUP if nodeid in self.scan_ids else super()._split_scope(nodeid)

    return SiteScanScheduling(config, log)


_IDS_KEY = pytest.StashKey[Path]()
