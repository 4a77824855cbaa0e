"""Browser gate, readers first (issue 18 §1 and §3), in real Chromium at 360 px
(touch) and 1280 px, both languages: the header title on one line and the
back-to-top button reachable on every page, glossary terms that open on the
first tap and wrap with the sentence, search that takes input on the first
tap and from text without key events, page titles at least as strong as
section headings, a 404 page in its language, a language switch with a text
label that keeps the address's query, note markers that name their source,
and a decorative logo."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from tests.gate import site
from tests.gate.axe import describe, run_axe
from tests.gate.results import record, recording

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 800}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
QUERY = {"ja": "防災", "en": "disaster"}
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}  # mkdocs.yml extra.languages


def page_of(template: str, lang: str, built_site) -> str:
    path = site.template(template).page(built_site, lang)
    assert path is not None, f"the site has no {template} page in {lang}"
    return path


# ---------------------------------------------------------------- every page at 360 px (site scan)

@pytest.mark.parametrize("lang", site.LANGS)
def test_header_title_is_one_line_with_an_ellipsis_on_every_page(site_scan, lang):
    found = {p: s for p, s in site_scan.items() if site.language_of(p) == lang}
    wrong = {}
    for path, s in found.items():
        assert s.header, f"/{path}: no header title measured"
        for topic in s.header:
            if topic["lines"] > 1 or topic["height"] > topic["headerHeight"] or topic["ellipsis"] != "ellipsis" \
                    or not topic["nowrap"]:
                wrong.setdefault(f"/{path}", []).append(topic)
    record("header-title", lang, not wrong, pages=len(found), width=360, problems=list(wrong)[:20])
    assert not wrong, f"header titles on more than one line or without an ellipsis at 360 px: {wrong}"


@pytest.mark.parametrize("lang", site.LANGS)
def test_back_to_top_can_be_tapped_on_every_page(site_scan, lang):
    found = {p: s for p, s in site_scan.items() if site.language_of(p) == lang}
    shown = {p: s.back_to_top for p, s in found.items() if s.back_to_top.get("shown")}
    blocked = {p: b["hit"] for p, b in shown.items() if not b["reachable"]}
    record("back-to-top", lang, not blocked and len(shown) >= 10, pages=len(shown), width=360, problems=len(blocked))
    assert len(shown) >= 10, f"the back-to-top button showed on only {len(shown)} long pages"
    assert not blocked, f"a tap at the back-to-top button's centre hits something else: {blocked}"


# ---------------------------------------------------------------- glossary terms

@pytest.mark.parametrize("lang", site.LANGS)
def test_glossary_term_opens_on_the_first_tap(open_page, built_site, lang):
    with recording("glossary-tap", lang, lang=lang, width=360):
        page = open_page(page_of("explainer", lang, built_site), **PHONE)
        term = page.locator(".term__word").first
        term.scroll_into_view_if_needed()
        tip = page.locator(f"[id='{term.get_attribute('aria-describedby')}']")
        assert not tip.is_visible()
        term.tap()
        assert tip.is_visible(), "the first tap does not show the definition"
        term.tap()
        assert not tip.is_visible(), "a second tap does not hide it"
        term.tap()
        assert tip.is_visible()
        page.locator(".md-content h1").first.tap()
        assert not tip.is_visible(), "tapping elsewhere does not hide it"
        term.tap()
        assert tip.is_visible()
        page.keyboard.press("Escape")
        assert not tip.is_visible(), "Escape does not hide it"
        # The keyboard: Enter toggles it on the focused term.
        term.focus()
        page.keyboard.press("Escape")
        page.keyboard.press("Enter")
        assert tip.is_visible(), "Enter does not show it"
        assert not page.errors, page.errors


@pytest.mark.parametrize("lang", site.LANGS)
def test_glossary_terms_wrap_with_the_sentence(open_page, built_site, lang):
    page = open_page(page_of("explainer", lang, built_site), **PHONE)
    terms = page.locator(".term__word").evaluate_all("""els => els.map(e => {
        const cs = getComputedStyle(e);
        return {text: e.textContent, tag: e.tagName, display: cs.display, role: e.getAttribute('role'),
                tabindex: e.getAttribute('tabindex'), lines: e.getClientRects().length};
    })""")
    assert terms
    blocks = [t for t in terms if t["display"] != "inline" or t["role"] != "button" or t["tabindex"] != "0"]
    assert not blocks, f"terms laid out as blocks, or not buttons for assistive technology: {blocks[:5]}"
    violations = run_axe(page)
    assert not violations, describe(violations)


# ---------------------------------------------------------------- search

@pytest.mark.parametrize("lang", site.LANGS)
def test_search_takes_input_on_the_first_tap_and_without_key_events(open_page, built_site, lang):
    with recording("search-tap", lang, lang=lang, width=360):
        page = open_page("en/" if lang == "en" else "", **PHONE)
        page.locator(".md-header button[data-toggle-for='__search']").tap()
        assert page.evaluate("() => document.activeElement.matches('.md-search__input')"), \
            "the first tap does not put the cursor in the search box"
        # An IME's commit, a paste or dictation: text arrives with no key event.
        page.keyboard.insert_text(QUERY[lang])
        page.wait_for_selector(".md-search-result__item a, .md-search-result__link", timeout=15_000)
        assert not page.errors, page.errors


# ---------------------------------------------------------------- headings

CONTRAST = """() => {
    const lum = (c) => { const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number);
        const mix = [r, g, b].map(v => (v * a + 255 * (1 - a)) / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * mix[0] + 0.7152 * mix[1] + 0.0722 * mix[2]; };
    const of = (sel) => { const el = document.querySelector(sel); const cs = getComputedStyle(el);
        return {weight: Number(cs.fontWeight), contrast: (1.05) / (lum(cs.color) + 0.05), size: parseFloat(cs.fontSize)}; };
    return {h1: of('.md-content h1'), h2: of('.md-content h2')};
}"""


@pytest.mark.parametrize("lang", site.LANGS)
def test_page_title_is_at_least_as_strong_as_section_headings(open_page, built_site, lang):
    page = open_page(page_of("explainer", lang, built_site))
    h = page.evaluate(CONTRAST)
    assert h["h1"]["weight"] >= h["h2"]["weight"] and h["h1"]["weight"] >= 600, h
    assert h["h1"]["contrast"] >= h["h2"]["contrast"] - 0.01 and h["h1"]["contrast"] >= 7, h
    assert h["h1"]["size"] > h["h2"]["size"], h


# ---------------------------------------------------------------- 404

@pytest.mark.parametrize("lang", site.LANGS)
def test_not_found_page_is_in_its_language_with_search_and_links(open_page, built_site, gate_server, lang):
    path = site.LANG_PREFIX[lang] + "404.html"
    page = open_page(path)
    assert page.get_attribute("html", "lang") == lang
    h1 = page.locator(".md-content h1").inner_text()
    text = page.locator(".md-content").inner_text()
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    if lang == "ja":
        assert japanese.search(h1) and "Not found" not in h1, h1
        assert "検索" in text
    else:
        assert not japanese.search(text) and "not found" in h1.lower(), h1
        assert "search" in text.lower()
    links = page.locator(".md-content a").evaluate_all("els => els.map(a => a.href)")
    home = urljoin(gate_server, site.LANG_PREFIX[lang])
    assert home in links, links
    for href in links:  # every link leads to a page of the site, from any address
        rel = urlparse(href).path.lstrip("/")
        assert (built_site / rel / "index.html").is_file() or (built_site / rel).is_file(), href


# ---------------------------------------------------------------- language switch

@pytest.mark.parametrize("width", ["360", "1280"])
@pytest.mark.parametrize("lang", site.LANGS)
def test_language_switch_has_a_text_label_and_keeps_the_query(open_page, built_site, gate_server, lang, width):
    with recording("language-label", f"{lang}-{width}", lang=lang, width=int(width)):
        finder = page_of("teachers' finder", lang, built_site)
        options = PHONE if width == "360" else DESKTOP
        page = open_page(finder + "?grade=%E5%B0%8F5&subject=social-studies#lesson-finder", **options)
        button = page.locator(".md-select .md-header__button")
        label = button.locator(".md-select__label")
        assert label.is_visible() and label.inner_text().strip() == LANGUAGE_NAMES[lang]
        assert LANGUAGE_NAMES[lang] in (button.get_attribute("aria-label") or ""), "the name does not include the label"
        current = page.locator(f".md-select__link[hreflang='{lang}']")
        assert current.get_attribute("aria-current") == "page"
        other = next(code for code in site.LANGS if code != lang)
        if width == "360":
            button.tap()
        else:
            button.hover()
        link = page.locator(f".md-select__link[hreflang='{other}']")
        link.wait_for(state="visible")
        assert page.evaluate("""() => { const a = document.querySelector('.md-select__link[aria-current]');
            return getComputedStyle(a).fontWeight; }""") in ("700", "bold")
        with page.expect_navigation():
            link.click()
        url = urlparse(page.url)
        assert url.path == "/" + site.counterpart(finder, other), page.url
        assert url.query == "grade=%E5%B0%8F5&subject=social-studies" and url.fragment == "lesson-finder", page.url
        assert not page.errors, page.errors


# ---------------------------------------------------------------- note markers, logo

@pytest.mark.parametrize("lang", site.LANGS)
def test_note_markers_name_their_source_and_are_not_powers(open_page, built_site, lang):
    page = open_page(page_of("explainer", lang, built_site))
    markers = page.locator(".md-content .footnote-ref")
    assert markers.count() > 0
    source = {"ja": "出典", "en": "Source"}[lang]
    named = page.get_by_role("link", name=re.compile(source))
    assert named.count() >= markers.count(), "note markers whose link does not name the source"
    first = markers.first
    text = first.inner_text()
    assert not text.isdigit() and re.search(r"\d", text), text
    assert first.evaluate("a => getComputedStyle(a.parentElement).verticalAlign") == "baseline"
    # Copying the sentence keeps the figure and the marker apart (not 「震度72」).
    copied = first.evaluate("""a => { const p = a.closest('p'); const range = document.createRange();
        range.selectNodeContents(p); const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
        return sel.toString(); }""")
    assert text in copied and text[0] in "[〔", copied  # the marker's bracket keeps it apart from a figure


@pytest.mark.parametrize("lang", site.LANGS)
def test_logo_is_decorative_and_the_link_is_named(open_page, lang):
    page = open_page(site.LANG_PREFIX[lang])
    logo = page.locator(".md-header .md-logo svg")
    assert logo.get_attribute("aria-hidden") == "true"  # decorative: nothing read out
    assert page.locator(".md-header .md-logo").get_attribute("aria-label")
    # Drawn in the header's text colour, not black on the indigo bar (an <img> SVG ignores currentColor).
    colours = page.evaluate("""() => [getComputedStyle(document.querySelector('.md-header .md-logo svg')).color,
                                      getComputedStyle(document.querySelector('.md-header')).color]""")
    assert colours[0] == colours[1] and colours[0] != "rgb(0, 0, 0)", colours


# ---------------------------------------------------------------- lesson PDFs (for the statement)

def inspect_pdf(path) -> dict:
    """What a PDF offers assistive technology: tags, language, title, headings, figures and their alt text."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    found = {"tagged": "/StructTreeRoot" in root and bool((root.get("/MarkInfo") or {}).get("/Marked")),
             "lang": str(root.get("/Lang", "")), "title": str((reader.metadata or {}).get("/Title") or ""),
             "headings": 0, "figures": 0, "figures_alt": 0, "images": 0}
    for page in reader.pages:
        objects = ((page.get("/Resources") or {}).get("/XObject") or {}).values()
        found["images"] += sum(1 for x in objects if x.get_object().get("/Subtype") == "/Image")
    seen = set()

    def walk(node, depth=0):
        if depth > 300 or (isinstance(node, IndirectObject) and node.idnum in seen):
            return
        if isinstance(node, IndirectObject):
            seen.add(node.idnum)
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, depth + 1)
        elif isinstance(node, DictionaryObject):
            role = str(node.get("/S", ""))
            found["headings"] += bool(re.fullmatch(r"/H\d?", role))
            if role == "/Figure":
                found["figures"] += 1
                found["figures_alt"] += bool(str(node.get("/Alt", "")).strip())
            if "/K" in node:
                walk(node["/K"], depth + 1)

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"].get_object().get("/K"))
    return found


def test_lesson_pdfs_are_tagged_with_language_title_and_headings(built_site):
    pdfs = sorted(built_site.rglob("downloads/**/*.pdf"))
    assert len(pdfs) > 10, f"only {len(pdfs)} PDFs in the built site"
    found = {p.relative_to(built_site).as_posix(): inspect_pdf(p) for p in pdfs}
    lacking = {p: f for p, f in found.items() if not (f["tagged"] and f["lang"] and f["title"] and f["headings"])}
    untitled_figures = {p: f for p, f in found.items() if f["figures"] > f["figures_alt"]}
    record("pdf", "all", not lacking and not untitled_figures, pages=len(found),
           tagged=sum(f["tagged"] for f in found.values()), lang=sum(bool(f["lang"]) for f in found.values()),
           titled=sum(bool(f["title"]) for f in found.values()), headings=sum(bool(f["headings"]) for f in found.values()),
           figures=sum(f["figures"] for f in found.values()), figures_alt=sum(f["figures_alt"] for f in found.values()),
           images=sum(f["images"] for f in found.values()), problems=len(lacking) + len(untitled_figures))
    assert not lacking, f"PDFs without tags, language, title or headings: {list(lacking)[:10]}"
    assert not untitled_figures, f"PDF figures without alternative text: {list(untitled_figures)[:10]}"
