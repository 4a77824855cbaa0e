"""Furigana: readings above kanji a child has not learnt, inline fixes, the on/off switch."""
from __future__ import annotations

import re

import pytest

from scripts import furigana
from scripts.problems import ContentError

RUBY = re.compile(r"<rp>.*?</rp>|<rt>.*?</rt>|<[^>]+>")


def base_text(html: str) -> str:
    return RUBY.sub("", html)


def readings(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<ruby[^>]*>([^<]+)<rp>\(</rp><rt>([^<]+)</rt>", html)


# ---------------------------------------------------------------- grade lists

def test_grade_lists_are_the_2020_ones():
    assert len(furigana.known_kanji(6)) == 1026  # 学年別漢字配当表 (2020): 1,026 kanji
    assert len(furigana.known_kanji(1)) == 80
    # 2020 moved prefecture kanji to grade 4: 岡 and 阪 are grade 4, not in grade 3.
    assert "岡" in furigana.known_kanji(4) and "岡" not in furigana.known_kanji(3)
    assert "阪" in furigana.known_kanji(4)
    assert furigana.known_kanji(0) == frozenset()
    assert "震" not in furigana.known_kanji(6) and "震" in furigana.known_kanji(7)  # 常用, junior high


# ---------------------------------------------------------------- ruby_html

def test_readings_only_above_the_grade():
    text = "地震や大雨のときは、学校へにげます。"
    assert readings(furigana.ruby_html(text, 1)) == [("地震", "じしん")]  # 大, 雨, 学, 校: grade 1
    assert readings(furigana.ruby_html(text, 0)) == [("地震", "じしん"), ("大雨", "おおあめ"), ("学校", "がっこう")]
    assert readings(furigana.ruby_html(text, 7)) == []  # 震 is 常用
    assert furigana.ruby_html("学校", 1) == "学校"


def test_okurigana_stay_outside_the_reading():
    html = furigana.ruby_html("取り組みを進めます", 0)
    assert readings(html) == [("取", "と"), ("組", "く"), ("進", "すす")]
    assert base_text(html) == "取り組みを進めます"


@pytest.mark.parametrize("text", [
    "防災・減災が主流となる社会をめざします。",
    "国土交通省の技術基本計画（骨子案）は5年間の計画です。",
    "カーボンニュートラルと予防保全、そして働き方改革。",
    "<script>&\"'は escaped",
])
def test_base_text_is_unchanged(text):
    import html as html_lib

    out = furigana.ruby_html(text, 2)
    assert html_lib.unescape(base_text(out)) == text


def test_annotate_html_skips_code_and_existing_ruby():
    html = ('<p>防災の<code>防災</code>と<ruby class="reading">明日<rp>(</rp><rt>あした</rt><rp>)</rp></ruby>'
            '<a href="x" title="防災">防災</a></p>')
    out = furigana.annotate_html(html, 3)
    assert out.count("<rt>ぼうさい</rt>") == 2  # the paragraph and the link text, not the code
    assert "<code>防災</code>" in out and "<rt>あした</rt>" in out and 'title="防災"' in out


def test_annotate_page_kids_block_gets_grade_class_and_menu():
    html = '<h1>防災</h1><p>防災</p><div class="kids" data-grade="6"><p>防災と地震</p></div>'
    out = furigana.annotate_page(html, None, "ふりがな", lang="ja")
    assert 'class="kids furigana"' in out and 'data-grade="6"' in out
    # A grade menu after the h1 (the whole page) and one in the kids' block, its default its grade.
    assert out.count('<select class="furigana-grade"') == 2
    assert out.index('data-default="off"') > out.index("</h1>")
    assert 'data-default="6"' in out and "hidden" in out
    # Every kanji word above the first year has a reading, marked with its grade.
    marks = re.findall(r'<ruby data-g="(\d)">(.*?)<rp>', out)
    assert ("5", "防災") in marks and ("7", "地震") in marks
    assert readings(out).count(("防災", "ぼうさい")) == 2  # running text and the kids' block, not the h1
    assert out.startswith("<h1>防災</h1>")
    whole = furigana.annotate_page("<p>防災</p>", 4, "ふりがな", lang="ja")
    assert readings(whole) == [("防災", "ぼうさい")] and 'class="furigana" data-grade="4"' in whole
    assert 'data-default="4"' in whole


def test_menu_offers_every_primary_grade_and_none():
    menu = furigana.grade_menu("ふりがな", "3")
    values = re.findall(r'<option value="([^"]+)"', menu)
    assert values == ["off", "1", "2", "3", "4", "5", "6", "7"]
    assert '<option value="3" selected>小学3年</option>' in menu


def test_english_pages_get_no_readings_and_no_menu():
    html = '<h1>Disaster</h1><div class="kids"><p>Kids: 防災</p></div>'
    assert furigana.annotate_page(html, None, "Furigana", lang="en") == html


@pytest.mark.parametrize("char, grade", [("学", 1), ("地", 2), ("防", 5), ("震", 7), ("禰", 8)])
def test_kanji_grade(char, grade):
    assert furigana.kanji_grade(char) == grade


@pytest.mark.parametrize("grade", ["x", "8", "-1"])
def test_bad_grade_is_a_content_error(grade):
    with pytest.raises(ContentError) as e:
        furigana.annotate_page('<div class="kids" data-grade="%s">防災</div>' % grade, None, "ふりがな",
                               "docs/ja/fields/x.md")
    assert "docs/ja/fields/x.md" in str(e.value) and "grade" in str(e.value)


# ---------------------------------------------------------------- inline readings

def test_inline_readings_become_ruby_outside_code():
    md = "今日は{明日|あした}と{漢字|かん|じ}。`{x|y}` {: .note }\n\n```\n{防災|ぼうさい}\n```\n\\{a|b}"
    out = furigana.inline_readings(md, "docs/ja/x.md")
    assert '<ruby class="reading">明日<rp>(</rp><rt>あした</rt><rp>)</rp></ruby>' in out
    assert '<ruby class="reading">漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rp>(</rp><rt>じ</rt><rp>)</rp></ruby>' in out
    assert "`{x|y}`" in out and "{: .note }" in out and "\n{防災|ぼうさい}\n" in out and "\\{a|b}" in out


@pytest.mark.parametrize("bad, words", [
    ("{漢字|}", "empty"),
    ("{|かんじ}", "not written"),
    ("{漢字|kanji}", "not hiragana"),
    ("{防災|ぼ}", "too short"),
    ("{漢字|かん|じ|じ}", "3 readings for 2 characters"),
    ("{取り組み|とくみ}", "do not appear"),
    ("{漢字|かんじ", "not written"),
])
def test_malformed_inline_reading_names_file_and_line(bad, words):
    md = "一行目です。\n\n二つ目の段落に " + bad + " があります。\n"
    with pytest.raises(ContentError) as e:
        furigana.inline_readings(md, "docs/ja/fields/x.md", first_line=5)
    message = str(e.value)
    assert "docs/ja/fields/x.md:7" in message, message
    assert words in message and "How to fix" in message


def test_page_markdown_counts_front_matter_lines(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\ntitle: t\n---\n\n# 見出し\n\n{防災|ぼ}\n", encoding="utf-8")
    body = "# 見出し\n\n{防災|ぼ}\n"
    with pytest.raises(ContentError) as e:
        furigana.page_markdown(body, page)
    assert ":7:" in str(e.value)


# ---------------------------------------------------------------- in the browser

KIDS_PAGE = "fields/disaster-resilience/"


# Readings shown in the running text (outside kids' blocks) and in kids' blocks, by grade mark.
SHOWN = """() => {
    const shown = (rt) => rt.getClientRects().length > 0;
    const out = {text: [], kids: []};
    document.querySelectorAll('.md-content ruby[data-g] > rt').forEach(rt => {
        if (shown(rt)) out[rt.closest('.kids') ? 'kids' : 'text'].push(Number(rt.parentElement.dataset.g));
    });
    return out;
}"""


@pytest.mark.browser
def test_readers_choose_a_grade_and_the_choice_follows_them(browser, site_server):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto(site_server + KIDS_PAGE)
    menu = page.locator(".furigana-page .furigana-grade")
    assert menu.is_visible() and menu.input_value() == "off"
    assert page.locator(".kids .furigana-grade").first.is_visible()
    before = page.evaluate(SHOWN)
    assert not before["text"], "readings show in the running text before any choice"
    kids_grade = int(page.locator(".kids").first.get_attribute("data-grade"))
    assert before["kids"] and min(before["kids"]) > kids_grade
    counts = {}
    for grade in ("1", "3", "6"):
        menu.select_option(grade)
        shown = page.evaluate(SHOWN)
        assert shown["text"] and min(shown["text"] + shown["kids"]) > int(grade), (grade, shown)
        counts[grade] = len(shown["text"])
    assert counts["1"] > counts["3"] > counts["6"] > 0, counts  # a higher grade: fewer readings
    page.locator(".md-content").first.screenshot(path=str(_artifacts() / "furigana-grade-6.png"))
    menu.select_option("off")
    assert page.evaluate(SHOWN) == {"text": [], "kids": []}
    # Another page: still off, and the kids' menus say so too.
    page.goto(site_server + "fields/infrastructure-maintenance/")
    assert page.locator(".kids .furigana-grade").first.input_value() == "off"
    assert page.evaluate(SHOWN) == {"text": [], "kids": []}
    page.locator(".kids .furigana-grade").first.focus()  # the keyboard works too
    page.keyboard.press("ArrowDown")  # off -> 小学1年
    page.goto(site_server + KIDS_PAGE)
    assert page.locator(".furigana-page .furigana-grade").input_value() == "1"
    assert page.evaluate(SHOWN)["text"]
    context.close()


@pytest.mark.browser
def test_english_pages_have_no_furigana_menu(browser, site_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_server + "en/" + KIDS_PAGE)
    assert page.locator(".kids").count() > 0  # the page has a kids' block
    assert page.locator(".furigana-grade, .furigana-toggle, ruby[data-g]").count() == 0
    context.close()


@pytest.mark.browser
def test_without_javascript_kids_readings_show_and_the_menu_is_hidden(browser, site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_server + KIDS_PAGE)
    shown = page.evaluate(SHOWN)
    assert shown["kids"] and not shown["text"]
    assert not page.locator(".furigana-grade").first.is_visible()
    context.close()


@pytest.mark.browser
def test_copying_a_passage_with_furigana_copies_the_base_text(browser, site_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_server + KIDS_PAGE)
    copied = page.evaluate("""() => {
        const p = document.querySelector('.kids p');
        const sel = getSelection(); sel.removeAllRanges();
        const range = document.createRange(); range.selectNodeContents(p); sel.addRange(range);
        const base = Array.from(p.childNodes).map(function walk(n) {
            if (n.nodeType === 3) return n.data;
            if (n.matches('rt, rp')) return '';
            return Array.from(n.childNodes).map(walk).join('');
        }).join('');
        return {copied: sel.toString(), base, readings: p.querySelectorAll('rt').length};
    }""")
    context.close()
    assert copied["readings"] > 0
    assert copied["copied"] == copied["base"]


def _artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parent / "artifacts"
    path.mkdir(exist_ok=True)
    return path


# ---------------------------------------------------------------- build log (plain-language figures)

def test_plain_language_figures_go_to_the_build_log_at_info(project):
    """A page over a limit: a [plain-language] warning of the rule registry, logged at INFO (a WARNING
    would fail the strict build) and counted in the build summary; the build still publishes."""
    from tests.conftest import run_build

    page = project / "docs" / "ja" / "fields" / "livable-communities.md"
    long = "この文はとても長くて、" * 8 + "読みにくいです。"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + long + "\n", encoding="utf-8")
    result = run_build(project, "--site-dir", str(project / "out"))
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [line for line in result.stderr.splitlines() if "[plain-language]" in line]
    ours = [line for line in lines if "docs/ja/fields/livable-communities.md" in line]
    assert ours and ours[0].startswith("INFO") and "a sentence has" in ours[0], lines
    summary = result.stderr[result.stderr.index("Build summary"):]
    assert "warnings / 注意: 0" not in summary and "    docs/ja/fields/livable-communities.md" in summary, summary
