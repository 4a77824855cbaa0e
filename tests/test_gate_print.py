"""Browser gate, printing (issue 9): explainers and lessons print on A4
through Chromium with the page's text, the addresses of its links, no
navigation, no blank pages and no image cut across a page break. The PDFs
are kept in tests/artifacts/print/."""
from __future__ import annotations

import math
import re
import unicodedata
from urllib.parse import urljoin

import pytest
from pypdf import PdfReader

from tests.gate import site
from tests.gate.results import artifact, record

pytestmark = pytest.mark.browser
A4 = (595.28, 841.89)  # points
# Characters of running text a printed A4 page holds at least, with the print
# stylesheet's 11 pt type; more pages than this allows means something else printed.
MIN_CHARS_PER_PAGE = {"ja": 500, "en": 1000}


def squash(text: str) -> str:
    """Text compared without spaces and line breaks (PDF extraction adds both in Japanese),
    and with ligatures (ﬁ) and full-width forms folded (NFKC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def image_boxes(reader: PdfReader) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page number, box in points) of every raster image drawn in the PDF."""
    boxes = []
    for number, pdf_page in enumerate(reader.pages, 1):
        xobjects = (pdf_page.get("/Resources") or {}).get("/XObject") or {}
        images = {name for name, ref in xobjects.items() if ref.get_object().get("/Subtype") == "/Image"}

        def visit(operator, operands, cm, tm, number=number, images=images):
            if operator == b"Do" and operands and operands[0] in images:
                a, b, c, d, e, f = cm
                xs = [e, a + e, c + e, a + c + e]
                ys = [f, b + f, d + f, b + d + f]
                boxes.append((number, (min(xs), min(ys), max(xs), max(ys))))

        pdf_page.extract_text(visitor_operand_before=visit)
    return boxes


PRINT_CASES = [(name, lang) for name in site.PRINT_TEMPLATES for lang in site.LANGS]


@pytest.mark.parametrize("template, lang", PRINT_CASES)
def test_prints_cleanly_on_a4(browser, built_site, gate_server, template, lang):
    path = site.template(template).page(built_site, lang)
    assert path is not None, f"the site has no {template} page in {lang} yet (tests/gate/site.py TEMPLATES)"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(urljoin(gate_server, path))
        page.wait_for_load_state("networkidle")
        # Lazy images load only when near the screen; a printout needs them all.
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")  # innerText below is then the text that prints
        screen = page.evaluate("""() => ({
            // innerText: readings hidden by the reader's furigana choice do not print.
            title: document.querySelector('.md-content h1').innerText.replace('¶', '').trim(),
            text: document.querySelector('.md-content article').innerText,
            // Plain paragraphs (no glossary buttons, shown furigana or printed addresses) to find in the PDF;
            // readings by grade (ruby[data-g]) are hidden until a reader chooses a grade.
            paragraphs: Array.from(document.querySelectorAll('.md-content article p'))
                .filter(p => !p.querySelector('a, button, .term__word, ruby:not([data-g]), sup') && p.innerText.trim().length > 30)
                .slice(0, 3).map(p => p.innerText),
            links: Array.from(document.querySelectorAll('.md-content a[data-print-href]'))
                        .map(a => a.getAttribute('data-print-href')),
            nav: Array.from(document.querySelectorAll('.md-sidebar--primary .md-nav__link'))
                      .map(a => a.textContent.trim()).filter(t => t.length > 3),
            images: document.querySelectorAll('.md-content article img').length})""")
        pdf_file = artifact("print", f"{template.replace(' ', '-')}-{lang}.pdf")
        page.pdf(path=str(pdf_file), format="A4", print_background=True)
    finally:
        context.close()

    reader = PdfReader(pdf_file)
    pages = [p.extract_text() or "" for p in reader.pages]
    text = squash("".join(pages))
    problems = []
    for number, pdf_page in enumerate(reader.pages, 1):
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        if abs(width - A4[0]) > 2 or abs(height - A4[1]) > 2:
            problems.append(f"page {number} is {width:.0f}×{height:.0f} pt, not A4")
        if not squash(pages[number - 1]):
            problems.append(f"page {number} is blank")
    if squash(screen["title"]) not in text:
        problems.append(f"the title {screen['title']!r} is not in the PDF")
    body = squash(screen["text"])
    lost = [p[:40] for p in screen["paragraphs"] if squash(p) not in text]
    if not screen["paragraphs"] or lost:
        problems.append(f"the page's paragraphs are not in the PDF: {lost or 'none found on the page'}")
    # Navigation stays off paper: no menu entry that the article itself does not mention.
    printed_nav = [n for n in screen["nav"] if squash(n) not in body and squash(n) in text]
    if printed_nav:
        problems.append(f"navigation printed: {printed_nav[:5]}")
    # Link addresses are written out.
    # (A Japanese line from elsewhere can land inside an address in the extracted text: look past it.)
    ascii_text = re.sub(r"[^\x21-\x7e]", "", text)
    # A line that ends inside an address may be followed, in the PDF's text order, by text that
    # sits beside it (a box floated next to the link list): the address then shows as two pieces.
    def printed(href: str) -> bool:
        whole = squash(href)
        if whole in text or whole in ascii_text:
            return True
        return any(whole[:k] in text and whole[k:] in text[text.index(whole[:k]) + k:]
                   for k in range(12, len(whole) - 4))
    missing_links = [href for href in screen["links"] if not printed(href)]
    if missing_links:
        problems.append(f"link addresses not printed: {missing_links[:5]}")
    # The status notice prints (issue 15): a printout says it explains a draft and whether it is official.
    status = {"ja": "骨子（案）の解説", "en": "Explains a draft"}[lang]
    if squash(status) not in text:
        problems.append(f"the status notice ({status}) is not printed")
    # A sensible number of pages for the amount of text.
    printed = len(body) + sum(len(href) + 3 for href in screen["links"])
    most = math.ceil(printed / MIN_CHARS_PER_PAGE[lang]) + 1 + screen["images"]
    if len(reader.pages) > most:
        problems.append(f"{len(reader.pages)} pages for {printed} characters (at most {most} expected)")
    # No image runs past the edge of its page (Chromium cuts an image across a page break that way).
    for number, (x0, y0, x1, y1) in image_boxes(reader):
        if x0 < -1 or y0 < -1 or x1 > A4[0] + 1 or y1 > A4[1] + 1:
            problems.append(f"an image on page {number} is cut by the page edge ({x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f})")
    print(f"\n{template} ({lang}) /{path}: {len(reader.pages)} A4 pages, {len(body)} characters, "
          f"{screen['images']} images, {len(screen['links'])} link addresses; PDF: {pdf_file}")
    record("print", f"{template}-{lang}", not problems, template=template, lang=lang, pages=len(reader.pages),
           problems=problems)
    assert not problems, "\n".join(problems)
