"""Browser gate, Lighthouse (issue 9): one page of each template in both
languages, mobile emulation, served compressed from 127.0.0.1: accessibility,
best practices and SEO 100, performance at least 95 (when the first run is
below, the median of five). Reports are written to tests/artifacts/lighthouse/."""
from __future__ import annotations

import statistics
from urllib.parse import urljoin

import pytest

from scripts import publisher
from tests.gate import site
from tests.gate.lighthouse import (DESKTOP_BENCHMARK, calibrated_multiplier, failing_audits, lighthouse_version, read_report,
                                   run_batch, run_lighthouse, score_without, scores)
from tests.gate.results import artifact, record

# Run on its own by `make test` (pytest -m lighthouse): performance is not measured beside other work.
pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]
MINIMUM = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}


def slug_of(template: str) -> str:
    return template.replace("'", "").replace(" ", "-")


@pytest.fixture(scope="module")
def first_runs(built_site, gate_server):
    """The first audit of every template's page, run one after another in one Node process
    (tests/gate/lighthouse.py run_batch): {(template, lang): (url, report, batch)}."""
    jobs = {}
    for t in site.TEMPLATES:
        for lang in site.LANGS:
            if (path := t.page(built_site, lang)) is not None:
                jobs[(t.name, lang)] = (urljoin(gate_server, path), artifact("lighthouse", f"{slug_of(t.name)}-{lang}.json"))
    batch = run_batch([(url, report, None) for url, report in jobs.values()])
    return {key: (url, report, batch) for key, (url, report) in jobs.items()}


@pytest.mark.parametrize("lang", site.LANGS)
@pytest.mark.parametrize("template", [t.name for t in site.TEMPLATES])
def test_lighthouse_scores(browser, built_site, first_runs, template, lang):
    # `browser` fails the run when Chromium is missing; Lighthouse starts its own.
    path = site.template(template).page(built_site, lang)
    assert path is not None, f"the site has no {template} page in {lang} yet (tests/gate/site.py TEMPLATES)"
    slug = slug_of(template)
    url, report, batch = first_runs[(template, lang)]
    if report.is_file() or batch.returncode == 0:
        result = read_report(url, report, batch)
    else:  # an earlier page stopped the batch: this page on its own
        result = run_lighthouse(url, report)
    got, multiplier = scores(result), 4.0
    runs = [got["performance"]]
    if got["performance"] < MINIMUM["performance"]:
        # Performance varies from run to run (Lighthouse docs: docs/variability.md): take the
        # median of five, as that page advises. On a host slower than the 4x CPU slowdown assumes (benchmarkIndex
        # below a high-end desktop's), calibrate the slowdown as docs/throttling.md says.
        benchmark = result["environment"]["benchmarkIndex"]
        if benchmark < DESKTOP_BENCHMARK:
            multiplier = calibrated_multiplier(benchmark)
            runs = []  # all five at the calibrated slowdown
        again = [(url, artifact("lighthouse", f"{slug}-{lang}.run{n}.json"), multiplier if multiplier != 4.0 else None)
                 for n in range(len(runs) + 1, 6)]
        rerun = run_batch(again)
        for job in again:
            result = read_report(job[0], job[1], rerun)
            runs.append(scores(result)["performance"])
        report.write_bytes(again[-1][1].read_bytes())  # the report kept is the last run's, as before
        got["performance"] = statistics.median_low(runs)
        print(f"performance runs {runs} (benchmarkIndex {benchmark:.0f}, CPU slowdown {multiplier}x): "
              f"median {got['performance']}")
    print(f"Lighthouse {lighthouse_version()} {template} ({lang}) /{path}: {got} "
          f"(benchmarkIndex {result['environment']['benchmarkIndex']:.0f}, CPU slowdown {multiplier}x)")
    if publisher.load().preview:
        # A build with placeholder publisher settings is a preview and says noindex on purpose
        # (scripts/publisher.py): is-crawlable is judged by that, the rest of SEO as usual.
        assert '<meta name="robots" content="noindex">' in (built_site / path / "index.html").read_text(encoding="utf-8")
        got["seo"] = score_without(result, "seo", {"is-crawlable"})
    low = {key: got[key] for key, least in MINIMUM.items() if got[key] < least}
    record("lighthouse", f"{slug}-{lang}", not low, template=template, lang=lang, path=path,
           tool=f"Lighthouse {lighthouse_version()}", scores=got, cpu_slowdown=multiplier, performance_runs=runs,
           benchmark_index=round(result["environment"]["benchmarkIndex"]))
    assert not low, f"below {MINIMUM} on /{path}: {low}\n" + "\n".join(
        f"{key}: " + " | ".join(failing_audits(result, key)) for key in low)
