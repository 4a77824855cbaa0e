"""A page's Markdown with the site's markers expanded, before any engine renders it.

    {漢字|かんじ} readings ▸ alt text check ▸ [[lesson…]] ▸ [[fact:ID]], [[chart:ID]]
    ▸ [[publisher:…]] ▸ Japanese line joins ▸ [[glossary]] ▸ [[accessibility-…]]

Plain text in, plain text out: no engine objects, so the same function serves
MkDocs' hook today and a staged copy of the docs for another engine tomorrow.
Errors are ContentErrors naming the page's file and line.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from scripts import ROOT, accessibility, charts, datafiles, facts, furigana, glossary, images, publisher, sanitize
from scripts import languages, segment_breaks
from scripts.lessons import pages as lesson_pages


def expand(markdown: str, source: Path, language: languages.Language, page_url: str, ui: Callable[[str], str], extra: dict,
           lessons: Callable[[str], str] = lambda markdown: markdown) -> str:
    """source: the page's file (errors name its lines); lang: the language the page is written in;
    page_url: its address below the language's root (charts link relative to it);
    lessons: fills [[lesson]] and the finder (scripts/lessons/site.py), before facts."""
    lang = language.code
    markdown = furigana.page_markdown(markdown, source)  # {漢字|かんじ} first: its errors name the file's line
    images.check_alt_file(source, lang)  # alt text in the page's language, with the line
    markdown = sanitize.GENERATED.fence(markdown, lesson_pages.FINDER)  # our finder's form is not page content
    markdown = lessons(markdown)
    chart_ids = set((datafiles.load_file(ROOT / "data" / "charts.yml") or {}).keys())
    markdown = facts.render(markdown, lang, source, facts.load_registry(),
                            lambda chart_id: charts.figure_html(chart_id, lang, page_url), chart_ids)
    markdown = publisher.render(markdown, lang, source)  # [[publisher:name]] etc. (About)
    if not language.spaced:  # a line break in the source joins without a space
        markdown = segment_breaks.join_cjk_lines(markdown)
    if "[[glossary]]" in markdown:
        markdown = markdown.replace("[[glossary]]", glossary.glossary_markdown(glossary.load_glossary(), lang))
    # The accessibility statement's results table (data/accessibility-results.yml).
    return accessibility.replace_placeholder(markdown, lang, ui, extra, page_url)
