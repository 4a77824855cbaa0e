"""Benchmark of lesson-pack rendering (scripts/lessons): cold, warm, per kind.

    .venv/bin/python benchmarks/lessons.py            # one lesson, one poster field: quick
    .venv/bin/python benchmarks/lessons.py --all      # every lesson and poster (a cold build's work)

Prints the time to render each kind of file once (worksheet, teacher guide,
slides, infographic, A4 and A3 poster) in this process, then a cold
`downloads.prepare` into an empty cache with the usual worker processes, and
a warm one (no change: nothing rendered). Uses a temporary cache; the
project's cache is not touched.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from scripts import ROOT  # noqa: E402
from scripts.lessons import documents, downloads, model, render  # noqa: E402


def site() -> dict:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=downloads._AnyTagLoader)
    return downloads.site_info(dict(config["extra"], site_root_url=config["site_url"]))


def timed(label: str, func) -> None:
    start = time.perf_counter()
    pages = func()
    print(f"  {label:34} {time.perf_counter() - start:6.2f} s  ({pages} page{'s' if pages != 1 else ''})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all", action="store_true", help="every lesson and poster, not just one of each")
    args = parser.parse_args()
    info = site()
    lessons, posters = model.load_lessons(), model.load_posters()
    lesson = next(l for l in lessons if l.id == "disaster-resilience")
    poster = next(p for p in posters if p.field == lesson.field)

    print("One file of each kind, in this process (PDF, plus PNG where published):")
    render.pdf_bytes("<html lang=ja><body style=\"font-family: 'BIZ UDPGothic'\">準備</body></html>")  # warm-up
    slide = {"scale": downloads.SLIDE_SCALE}

    def run(html, png=None):
        pdf, _ = render.pdf_bytes(html)
        if png:
            return len(render.png_pages(pdf, png["scale"], png.get("dpi")))
        import pypdfium2

        return len(pypdfium2.PdfDocument(pdf))

    timed("worksheet (ja, furigana)", lambda: run(documents.worksheet(lesson, "ja", info)))
    timed("teacher guide (ja)", lambda: run(documents.guide(lesson, "ja", info, [])))
    timed("slides (ja, PDF + PNG)", lambda: run(documents.slides(lesson, "ja", info)[0], slide))
    timed("infographic (en, PNG)", lambda: run(documents.infographic(lesson.infographics[0], "en", info), slide))
    for paper in ("A4", "A3"):
        timed(f"poster {paper} bilingual (PDF + 300 dpi PNG)",
              lambda: run(documents.poster(poster, "ja-en", paper, info), {"scale": 300 / 72, "dpi": 300}))

    chosen_lessons, chosen_posters = (lessons, posters) if args.all else ([lesson], [poster])
    with tempfile.TemporaryDirectory() as cache:
        os.environ["LESSON_CACHE_DIR"] = cache
        start = time.perf_counter()
        cold = downloads.prepare(chosen_lessons, chosen_posters, info, ["ja", "en"])
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        warm = downloads.prepare(chosen_lessons, chosen_posters, info, ["ja", "en"])
        warm_s = time.perf_counter() - start
        files = [d for items in list(cold.lessons.values()) + list(cold.posters.values()) for d in items]
        size = sum(d.size for d in {d.path: d for d in files}.values())
    workers = os.environ.get("LESSON_WORKERS") or min(2, os.cpu_count() or 1)
    print(f"\n{len(chosen_lessons)} lesson(s) and {len(chosen_posters)} poster field(s), ja and en, {workers} workers:")
    print(f"  cold (empty cache)   {cold_s:6.1f} s, {cold.made} renders, {len(files)} published files, "
          f"{size / 1e6:.1f} MB")
    print(f"  warm (no change)     {warm_s:6.1f} s, {warm.made} renders")
    return 0


if __name__ == "__main__":
    sys.exit(main())
