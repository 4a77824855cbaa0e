"""Wall-clock time spent per build phase (pages, images, cards, PDFs, search index).

Modules wrap their work in `with timings.phase("images"):`; the build summary
and the benchmark (benchmarks/build.py) read the totals. Nested phases are
counted once, in the outermost phase.
"""
from __future__ import annotations

import contextlib
import time
from collections import defaultdict

totals: dict[str, float] = defaultdict(float)
_depth = 0


@contextlib.contextmanager
def phase(name: str):
    global _depth
    _depth += 1
    start = time.perf_counter()
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            totals[name] += time.perf_counter() - start


def reset() -> None:
    totals.clear()


def snapshot() -> dict[str, float]:
    return dict(totals)
