"""Japanese headings, navigation labels and card titles break only between phrases."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scripts import phrases

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


# ---------------------------------------------------------------- build-time (no browser)

def test_wrap_text_puts_wbr_between_budoux_phrases():
    assert phrases.wrap_text("防災・減災が主流となる社会") == "防災・減災が<wbr>主流と<wbr>なる<wbr>社会"
    assert phrases.wrap_text("A & B") == "A &amp; B"  # no Japanese: unchanged, still escaped


@pytest.mark.parametrize("text", ["重点分野", "方向", "方針", "先生方へ", "今後の方針", "技術政策の方向性"])
def test_no_break_inside_a_compound_or_before_a_one_character_word(text):
    """BudouX alone splits short labels inside words: 重点分|野, 方|向, 方|針 (navigation)."""
    import budoux

    words = [0]
    for m in phrases._words().tokenize(text):
        words.append(words[-1] + len(m.surface()))
    for b in phrases.boundaries(text):
        assert b in words, f"{text[:b]}|{text[b:]} breaks inside a word"
        assert len(text[b:words[words.index(b) + 1]]) > 1, f"{text[:b]}|{text[b:]} starts a line with one character"
    # The control: BudouX by itself does break 重点分野 inside 分野.
    assert budoux.load_default_japanese_parser().parse("重点分野") == ["重点分", "野"]


@pytest.mark.parametrize("text", ["デジタル・トランスフォーメーション", "デジタル・トランスフォーメーション（DX）の推進",
                                  "カーボンニュートラルに向けたイノベーション", "ビッグデータとオープンデータのプラットフォーム"])
def test_no_small_kana_long_vowel_or_closing_mark_starts_a_line(text):
    for b in phrases.boundaries(text):
        assert text[b] not in phrases.NO_START, f"{text[:b]}|{text[b:]}"
        assert text[b - 1] not in phrases.NO_END, f"{text[:b]}|{text[b:]}"


def test_a_word_too_long_for_a_phone_line_gets_one_break_where_kinsoku_allows():
    # トランスフォーメーション (12 characters) is wider than an h1 line at 360 px: without a
    # break of its own the browser's last resort cut it as トランスフォーメーシ|ョン.
    text = "デジタル・トランスフォーメーション"
    inside = [b for b in phrases.boundaries(text) if b > len("デジタル・")]
    assert len(inside) == 1
    assert text[inside[0]] not in phrases.NO_START
    assert phrases.wrap_text(text) == "デジタル・<wbr>トランスフォー<wbr>メーション"
    assert phrases.boundaries("防災") == ()  # a short word is left whole


def test_wrap_page_marks_headings_and_nav_but_not_prose_code_or_permalinks():
    page = ('<html lang="ja"><h2 id="x">持続可能で暮らしやすい地域社会'
            '<a class="headerlink" href="#x" title="この見出しへのリンク">&para;</a></h2>'
            '<p>持続可能で暮らしやすい地域社会</p>'
            '<a class="md-nav__link" href="a/"><span class="md-ellipsis">技術政策を推進する仕組み</span></a>'
            '<h3 id="c"><code>持続可能で暮らしやすい</code></h3>'
            '<h4 id="r"><ruby>防災<rp>(</rp><rt>ぼうさい</rt><rp>)</rp></ruby>と&amp;減災の取り組み</h4>'
            '<div class="grid cards"><ul><li><p><strong>経済の好循環を支える基盤整備</strong></p><p>本文です</p></li></ul></div>'
            '<script>var s = "<h2>持続可能で暮らしやすい</h2>";</script></html>')
    out = phrases.wrap_page(page)
    assert '<h2 data-phrases id="x">持続可能で<wbr>暮らしやすい<wbr>地域社会<a class="headerlink"' in out
    assert 'title="この見出しへのリンク">&para;</a></h2>' in out
    assert "<p>持続可能で暮らしやすい地域社会</p>" in out
    assert '<a data-phrases class="md-nav__link" href="a/"><span class="md-ellipsis">技術政策を<wbr>推進する<wbr>仕組み</span>' in out
    assert "<code>持続可能で暮らしやすい</code>" in out
    assert "<rt>ぼうさい</rt>" in out and "<ruby>防災<rp>" in out and "&amp;" in out
    assert "<strong data-phrases>経済の<wbr>好循環を<wbr>支える<wbr>基盤整備</strong>" in out
    assert 'var s = "<h2>持続可能で暮らしやすい</h2>";' in out
    # Only <wbr> and the marker were added: the text is the same.
    strip = lambda s: re.sub(r"<wbr>| data-phrases", "", s)  # noqa: E731
    assert strip(out) == page


def test_built_japanese_pages_have_phrase_breaks_and_english_pages_do_not(built_site):
    ja = (built_site / "fields" / "livable-communities" / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", ja, re.S).group(1)
    assert "<wbr>" in h1 and "data-phrases" in ja
    en = (built_site / "en" / "fields" / "livable-communities" / "index.html").read_text(encoding="utf-8")
    assert "<wbr>" not in en


# ---------------------------------------------------------------- 360 px in Chromium

# For one element: its text (without readings, permalink marks or code), the
# offsets where the browser started a new line, where the <wbr>s are, the
# element's width and, for each break, the width of the unbreakable piece it
# falls in (between <wbr>s, spaces and punctuation).
LINES_JS = """
el => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.nodeType === 1 && n.matches('rt, rp, .headerlink, code') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  let text = '', breaks = [], wbrs = [], lastBottom = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.nodeType === 1) { if (n.tagName === 'WBR') wbrs.push(text.length); continue; }
    for (let i = 0; i < n.data.length; i++) {
      const ch = n.data[i];
      if (!/\\s/.test(ch)) {
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
        const rect = r.getClientRects()[0];
        if (rect && rect.width > 0) {
          if (lastBottom !== null && rect.top >= lastBottom - 1) breaks.push(text.length);
          lastBottom = rect.bottom;
        }
      }
      text += ch;
    }
  }
  const soft = new Set(wbrs);
  for (let i = 1; i < text.length; i++) if (/[\\s、。・，．！？」』）】]/.test(text[i - 1]) || /\\s/.test(text[i])) soft.add(i);
  const style = getComputedStyle(el);
  const width = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const pieces = {};
  for (const b of breaks) {
    if (soft.has(b)) continue;
    let a = b, z = b;
    while (a > 0 && !soft.has(a)) a--;
    while (z < text.length && !soft.has(z)) z++;
    const span = document.createElement('span');
    span.style.whiteSpace = 'nowrap';
    span.textContent = text.slice(a, z).trim();
    el.appendChild(span);
    pieces[b] = [span.textContent, span.getBoundingClientRect().width];
    span.remove();
  }
  return {text, breaks, wbrs, width, pieces};
}
"""


def bad_breaks(r: dict) -> tuple[list[str], list[str]]:
    """(breaks inside a piece that fits on a line, breaks inside a piece wider than the line)."""
    text, bad, overlong = r["text"], [], []
    for b in r["breaks"]:
        piece = r["pieces"].get(str(b)) or r["pieces"].get(b)
        if not piece or not phrases.JAPANESE.search(text):
            continue  # at a <wbr>, a space or after punctuation
        where = f"{text.strip()!r} breaks at {text[:b].strip()}|{text[b:].strip()}"
        (overlong if piece[1] > r["width"] + 0.5 else bad).append(where)
    return bad, overlong


def kinsoku_problems(r: dict) -> list[str]:
    """Lines (as laid out by Chromium) that start with small kana, ー or a closing mark."""
    text = r["text"]
    return [f"{text.strip()!r} starts a line with {text[b]!r}: {text[:b].strip()}|{text[b:].strip()}"
            for b in r["breaks"] if phrases.JAPANESE.search(text) and text[b] in phrases.NO_START]


def wbr_problems(r: dict) -> list[str]:
    """The <wbr>s the build wrote are BudouX's boundaries (less those next to a space)."""
    text = r["text"]
    expected = {b for b in phrases.boundaries(text) if not text[b - 1].isspace() and not text[b].isspace()}
    return [] if set(r["wbrs"]) == expected else [f"{text.strip()!r}: <wbr> at {r['wbrs']}, BudouX {sorted(expected)}"]


def ja_pages() -> list[str]:
    with open(ROOT / "data" / "site-map.yml", encoding="utf-8") as f:
        paths = [p["path"] for p in yaml.safe_load(f)["pages"]]
    from scripts.search_benchmark import page_url

    return [page_url(p) for p in paths]


@pytest.mark.browser
def test_headings_and_navigation_break_only_between_phrases_at_360px(browser, site_server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=1)
    page = context.new_page()
    problems, overlong, wrapped, checked = [], [], 0, 0
    for url in ja_pages():
        page.goto(site_server + url)
        page.wait_for_load_state("load")
        slug = url.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(ARTIFACTS / f"phrases-360-{slug}.png"), full_page=False)
        # Every phrase-marked element that is laid out: headings, nav labels (in the drawer), card titles.
        results = page.locator("[data-phrases]").evaluate_all(f"els => els.filter(e => e.getClientRects().length)"
                                                             f".map({LINES_JS})")
        for r in results:
            checked += 1
            wrapped += bool(r["breaks"])
            bad, long = bad_breaks(r)
            problems += [f"{url}: {p}" for p in bad + wbr_problems(r) + kinsoku_problems(r)]
            overlong += [f"{url}: {p}" for p in long]
    # Open the navigation drawer on one page for a picture of the labels.
    page.goto(site_server + "fields/livable-communities/")
    # keyboard.js swaps Material's drawer label for a button; without it, the label.
    page.locator('.md-header button[data-toggle-for="__drawer"], '
                 '.md-header label.md-header__button[for="__drawer"]:not([hidden])').first.click()
    page.wait_for_function("() => document.getElementById('__drawer').checked"
                           " && document.getAnimations().every(a => a.playState !== 'running')")
    page.screenshot(path=str(ARTIFACTS / "phrases-360-drawer.png"))
    context.close()
    assert checked > 100 and wrapped >= 10, f"too little wrapped to test ({wrapped} of {checked})"
    assert not problems, "\n".join(problems)
    # A single word wider than the screen must break somewhere; list them for writers.
    print("\nwords wider than a 360 px line:\n" + "\n".join(sorted(set(overlong))))


@pytest.mark.browser
def test_the_check_catches_mid_word_breaks_without_phrases(browser, site_server):
    """Control: the same headings without <wbr>/keep-all do break inside phrases at 360 px."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_server + "fields/livable-communities/")
    results = page.evaluate("""lines => {
        const texts = ['持続可能で暮らしやすい地域社会', '経済の好循環を支える基盤整備', '技術政策を推進する仕組み',
                       '脱炭素化・インフラ空間の多面的な利活用', '災害・事故への迅速で的確な対応'];
        const host = document.querySelector('.md-content .md-typeset');
        const make = lines && eval(lines);
        return texts.map(t => { const h = document.createElement('h1'); h.textContent = t; host.prepend(h);
                                const r = make(h); h.remove(); return r; });
    }""", LINES_JS)
    context.close()
    problems = [(r["text"], b) for r in results for b in r["breaks"]
                if b not in phrases.boundaries(r["text"]) and not re.match(r"[\s、。・]", r["text"][b - 1])]
    assert problems, "plain headings happened to break only between phrases; the check would not notice"


@pytest.mark.browser
def test_the_kinsoku_check_catches_a_small_kana_at_a_line_start(browser, site_server):
    """Control: the h1 without <wbr> inside the long word breaks as トランスフォーメーシ|ョン at 360 px."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_server + "fields/digital-transformation/")
    result = page.evaluate("""lines => {
        const h = document.createElement('h1'); h.setAttribute('data-phrases', '');
        h.innerHTML = 'デジタル・<wbr>トランスフォーメーション';
        document.querySelector('.md-content .md-typeset').prepend(h);
        const r = eval(lines)(h); h.remove(); return r; }""", LINES_JS)
    context.close()
    assert kinsoku_problems(result), f"no line started with small kana: {result}"


@pytest.mark.browser
def test_copying_a_heading_copies_its_text_unchanged(browser, site_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site_server + "fields/disaster-resilience/")
    copied = page.evaluate("""() => {
        const h = document.querySelector('.md-content h1');
        const range = document.createRange(); range.selectNodeContents(h.firstChild.parentNode);
        const sel = getSelection(); sel.removeAllRanges(); sel.addRange(range);
        return {copied: sel.toString(), wbr: h.querySelectorAll('wbr').length};
    }""")
    context.close()
    assert copied["wbr"] > 0
    assert copied["copied"].replace("¶", "").strip() == "防災・減災が主流となる社会"
