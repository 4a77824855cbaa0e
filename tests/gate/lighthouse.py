"""Run Lighthouse (npm, pinned in package.json) on one URL with Debian's Chromium."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Mobile emulation and simulated slow 4G are Lighthouse's defaults.
CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def lighthouse_version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


# Lighthouse's default 4x CPU slowdown turns a high-end desktop (benchmarkIndex
# 1500-2000) into a mid-tier phone. On a slower or busy host it emulates a far
# slower phone, so Lighthouse's docs (docs/throttling.md, "Calibrating the CPU
# slowdown") say to lower the multiplier: BENCHMARK_PER_4X / 4 is the phone aimed at.
DESKTOP_BENCHMARK = 1500
MID_TIER_PHONE_BENCHMARK = 440


def calibrated_multiplier(benchmark_index: float) -> float:
    """The CPU slowdown that turns this host into Lighthouse's mid-tier phone (between 1x and 4x)."""
    return round(max(1.0, min(4.0, benchmark_index / MID_TIER_PHONE_BENCHMARK)), 1)


# One Node process runs several audits in turn, each as the CLI would (tests/gate/lighthouse_batch.mjs).
BATCH = Path(__file__).with_name("lighthouse_batch.mjs")


def command(url: str, report: Path, cpu_multiplier: float | None = None) -> list[str]:
    """The arguments of `lighthouse` for one audit of url, its JSON report written to report."""
    args = [url, "--quiet", "--output=json", f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
            "--disable-full-page-screenshot"]
    if cpu_multiplier:
        args.append(f"--throttling.cpuSlowdownMultiplier={cpu_multiplier}")
    return args


def run_batch(jobs: list[tuple[str, Path, float | None]]) -> subprocess.CompletedProcess:
    """Audit each (url, report, CPU slowdown or None) in turn, in one Node process, each with a fresh
    Chrome as the CLI starts. Reports of earlier runs are removed first: read_report finds only new ones."""
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `npm ci` (or `make test`, which runs it).")
    for _, report, _ in jobs:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.unlink(missing_ok=True)
    listing = jobs[0][1].parent / f".jobs-{os.getpid()}.json"
    listing.write_text(json.dumps([command(*job) for job in jobs]), encoding="utf-8")
    try:
        return subprocess.run(["node", str(BATCH), str(listing)], env=dict(os.environ, CHROME_PATH=CHROMIUM),
                              capture_output=True, text=True, timeout=240 * len(jobs))
    finally:
        listing.unlink(missing_ok=True)


def read_report(url: str, report: Path, batch: subprocess.CompletedProcess) -> dict:
    """The result of one audit of a batch; fails with Lighthouse's message when there is none."""
    if not report.is_file():
        raise RuntimeError(f"Lighthouse failed on {url} (exit {batch.returncode}):\n{batch.stderr[-3000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not load {url}: {result['runtimeError']}")
    return result


def run_lighthouse(url: str, report: Path, cpu_multiplier: float | None = None) -> dict:
    """Audit url; the JSON report is written to report and returned."""
    return read_report(url, report, run_batch([(url, report, cpu_multiplier)]))


def scores(result: dict) -> dict[str, int]:
    return {key: round((result["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}


def score_without(result: dict, category: str, left_out: set[str]) -> int:
    """A category's score computed as Lighthouse does (weighted mean of its audits), some audits left out."""
    total = weights = 0.0
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        weight = ref.get("weight", 0)
        if ref["id"] in left_out or not weight or audit.get("score") is None:
            continue
        total += weight * audit["score"]
        weights += weight
    return round(100 * total / weights) if weights else 0


def failing_audits(result: dict, category: str) -> list[str]:
    """The audits that cost points in a category, with what they found."""
    out = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
            items = (audit.get("details") or {}).get("items") or []
            where = "; ".join(str((i.get("node") or {}).get("selector") or i.get("url") or "") for i in items[:3])
            shown = audit.get("displayValue", "")
            out.append(f"{ref['id']} ({audit['score']:.2f}{', ' + shown if shown else ''}){': ' + where if where else ''}")
    return out
