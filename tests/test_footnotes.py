"""Note markers read as notes (〔注1〕 / [1]), not powers, and name their source."""
from __future__ import annotations

import re

from scripts import footnotes

PAGE = ('<p>震度<span class="fact">7</span><sup id="fnref:fact-x"><a class="footnote-ref" href="#fn:fact-x">1</a></sup>'
        'でした。</p><div class="footnote"><hr /><ol><li id="fn:fact-x">'
        '<p>出典：新たな<ruby data-g="8">骨子<rp>(</rp><rt>こっし</rt><rp>)</rp></ruby>（案） 第1章 1.(2)①。'
        '北海道で初めての震度7。&#160;<a class="footnote-backref" href="#fnref:fact-x">&#8617;</a></p></li></ol></div>')


def test_markers_are_bracketed_and_named_after_the_source():
    out = footnotes.name_markers(PAGE, "〔注%(number)s〕")
    link = re.search(r'<a class="footnote-ref"[^>]*>[^<]*</a>', out).group(0)
    assert link.endswith(">〔注1〕</a>")
    assert 'aria-label="〔注1〕 出典：新たな骨子（案） 第1章 1.(2)①"' in link  # no readings, no second sentence
    text = re.sub(r"<[^>]+>", "", out.split('<div class="footnote">')[0])
    assert text == "震度7〔注1〕でした。"  # copied text: not 「震度71」


def test_english_marker_and_first_sentence():
    page = PAGE.replace("出典：新たな", "Source: Draft outline, ").replace("（案） 第1章 1.(2)①。", " Chapter 1, 1.(2)①. ")
    out = footnotes.name_markers(page, "[%(number)s]")
    assert 'aria-label="[1] Source: Draft outline, 骨子 Chapter 1, 1.(2)①">[1]</a>' in out


def test_pages_without_notes_are_unchanged():
    assert footnotes.name_markers("<p>x</p>", "[%(number)s]") == "<p>x</p>"


def test_built_pages_have_no_bare_number_markers(built_site):
    for prefix, shown in (("", "〔注"), ("en/", "[")):
        page = (built_site / prefix / "fields" / "disaster-resilience" / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a class="footnote-ref"([^>]*)>([^<]*)</a>', page)
        assert links, prefix
        for attrs, text in links:
            assert text.startswith(shown) and not text.isdigit(), text
            label = re.search(r'aria-label="([^"]*)"', attrs).group(1)
            assert label.startswith(text) and len(label) > len(text) + 10, label
            assert "(" not in label.split("1.(2)")[0].replace("(Document", ""), label  # no furigana in the name
