"""Glossary step benchmark: the time `glossary.annotate` takes for every page of a built site.

    .venv/bin/python -m scripts.glossary_benchmark SITE_DIR [--module path/to/other/glossary.py]

Takes each page's article from the built site, removes the tooltips the build
added, and times annotating all pages of both languages again (median of
three runs). `--module` times another version of scripts/glossary.py (e.g.
one taken from git history) on the same pages, for before/after figures.
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import sys
import time
from pathlib import Path

import yaml

from scripts import ROOT, glossary, languages

ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
TIP = re.compile(r'<span class="term"><button[^>]*>(.*?)</button><span class="term__tip"[^>]*>.*?</span></span>', re.S)


def pages(site: Path) -> list[tuple[str, str]]:
    """(language code, article HTML without tooltips) for each page of the site."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        configured = languages.load_languages(yaml.load(f, Loader=yaml.BaseLoader).get("extra", {}))
    found = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        lang = next((l.code for l in configured if l.path and rel.startswith(l.path)), configured[0].code)
        if "/glossary/" in "/" + rel:
            continue
        match = ARTICLE.search(path.read_text(encoding="utf-8"))
        if match:
            found.append((lang, TIP.sub(r"\1", match.group(1))))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.glossary_benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--module", type=Path, help="another glossary.py to time instead")
    args = parser.parse_args(argv)
    module = glossary
    if args.module:
        spec = importlib.util.spec_from_file_location("glossary_other", args.module)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    terms = module.load_glossary()
    work = pages(args.site)
    module.annotate("<p>川</p>", terms, work[0][0], "../glossary/")  # load SudachiPy's dictionary outside the timing
    times, marked = [], 0
    for _ in range(5):
        start = time.perf_counter()
        marked = sum(module.annotate(html, terms, lang, "../glossary/").count("term__word") for lang, html in work)
        times.append(time.perf_counter() - start)
    print(f"{len(work)} pages, {marked} terms marked, glossary step {statistics.median(times) * 1000:.0f} ms "
          f"(median of 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
