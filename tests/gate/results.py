"""What each gate test measured, written where `python -m scripts accessibility-results`
reads it (tests/artifacts/gate/). One JSON file per check and page; each
carries the id of the test run, so the command uses only the latest run."""
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
RESULTS = ARTIFACTS / "gate"
# One id per test run: `make test` sets GATE_RUN_ID for both of its pytest runs (Lighthouse runs
# alone, after the rest); pytest-xdist gives all its workers one id; a plain run makes its own.
RUN_ID = os.environ.get("GATE_RUN_ID") or os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def record(check: str, key: str, passed: bool, **data) -> None:
    """Keep one result (check "axe", key "ja", passed, figures…) for the results table."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in key) or "home"
    entry = {"check": check, "key": key, "passed": bool(passed), "run": RUN_ID,
             "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **data}
    target = RESULTS / f"{check}--{safe}.json"
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(entry, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)


def artifact(*parts: str) -> Path:
    """A path under tests/artifacts/ (git-ignored), its folder created."""
    path = ARTIFACTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def recording(check: str, key: str, **data):
    """Record a check as passed when the block ends normally, as failed (with why) when it raises."""
    try:
        yield data
    except BaseException as e:
        record(check, key, False, error=f"{type(e).__name__}: {e}"[:1000], **data)
        raise
    record(check, key, True, **data)
