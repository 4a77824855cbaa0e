"""Footnote and fact markers that read as notes, not as powers, and name their source.

Python-Markdown writes a note marker as a superscript number: next to a
figure it reads as a power (「震度7²」, "the 6³ fields") and copies as
「震度72」; a screen reader says only "1". Each marker becomes 〔注1〕 / [1]
(from the UI catalog, so copied text keeps the brackets), and its link is
named after the note's source sentence, e.g. 「〔注1〕 出典：…骨子（案）…第1章
1.(2)①」 (ux review M5, issue 15 §3 and 18 §3). site.css puts the marker on
the baseline.

    footnotes.name_markers(html, "〔注%(number)s〕")
"""
from __future__ import annotations

import html as htmllib
import re

from scripts.catalogs import N_

# How a marker reads, per language (locales/*/messages.po): [1] / 〔注1〕.
MARKER = N_("[%(number)s]")
REF = re.compile(r'<a class="footnote-ref" href="#(fn:[^"]+)">(\d+)</a>')
NOTE = re.compile(r'<li id="(fn:[^"]+)">\s*<p>(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")
READINGS = re.compile(r"<(rt|rp)\b[^>]*>.*?</\1>", re.S)  # furigana: not part of the words
# The first sentence of a note is its source: up to 「。」, or ". " in English.
SENTENCE_END = re.compile(r"[。．]|\.(?=\s)")


def _source(note_html: str) -> str:
    text = htmllib.unescape(TAG.sub("", READINGS.sub("", note_html))).replace("\u21a9", "").strip()
    end = SENTENCE_END.search(text)
    return re.sub(r"\s+", " ", text[:end.start()] if end else text).strip(" 。．.")


def name_markers(page_html: str, marker: str) -> str:
    """Markers as `marker` (with %(number)s) and named after their note's source."""
    if "footnote-ref" not in page_html:
        return page_html
    sources = {m.group(1): _source(m.group(2)) for m in NOTE.finditer(page_html)}

    def replace(m: re.Match) -> str:
        note, number = m.group(1), m.group(2)
        shown = marker % {"number": number}
        label = f"{shown} {sources[note]}" if sources.get(note) else shown
        return (f'<a class="footnote-ref" href="#{note}" aria-label="{htmllib.escape(label)}">'
                f'{htmllib.escape(shown, quote=False)}</a>')

    return REF.sub(replace, page_html)
