"""Build tools for the MLIT Technology Basic Plan explainer site.

Each module does one job (languages, catalogs, formats, ...). MkDocs reaches
them only through the thin `hooks.py`, so they can be tested and reused
without MkDocs.
"""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Caches (compiled catalogs, encoded images, cards, PDFs). SITE_CACHE_DIR lets the
# benchmark measure a cold build without touching the working cache.
CACHE = Path(os.environ.get("SITE_CACHE_DIR") or ROOT / ".cache")
