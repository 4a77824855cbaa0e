"""Build tools for the MLIT Technology Basic Plan explainer site.

Each module does one job (languages, catalogs, formats, ...). MkDocs reaches
them only through the thin `hooks.py`, so they can be tested and reused
without MkDocs.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
