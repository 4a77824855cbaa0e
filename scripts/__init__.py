"""Build tools for the MLIT Technology Basic Plan explainer site.

Each module does one job; MkDocs reaches them only through `hooks.py`, which
is wiring, so they can be tested and reused without MkDocs. By stage:

    build.py          the command: prepare ▸ engine ▸ finish, then the atomic swap into site/
    prepare.py        once per build: sources.py, translations.py, lint/ (every rule), lessons/,
                      then stage.py: the staged docs, every page with its markers expanded by
                      page_markdown.py (facts.py, charts.py, publisher.py …) and the values
                      that follow from the files (page_data.py) in its front matter
    engine.py         MkDocs + Material per language in spawned processes, rendering the
                      staged docs; hooks.py wires in page_data.py (the values that need the engine)
    finish/           one pass per page over the engine's HTML: sanitize.py, images.py,
                      glossary.py, furigana.py, footnotes.py, printing.py, phrases.py, csp.py,
                      then search.py, cards.py, charts.py, feeds.py per language
    memo.py           results kept between builds, keyed by their inputs and the code's version
    languages.py      the configured languages and their scripts (what a new language needs)
    catalogs.py       interface strings (Babel/gettext, locales/)
"""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Caches (compiled catalogs, encoded images, cards, PDFs). SITE_CACHE_DIR lets the
# benchmark measure a cold build without touching the working cache.
CACHE = Path(os.environ.get("SITE_CACHE_DIR") or ROOT / ".cache")
