"""Social cards: real Japanese glyphs, phrase wrapping with kinsoku, never
outside the margins, shrink then ellipsis; og:/twitter: tags on every page."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from scripts import cards
from scripts import publisher as _publisher
from tests.html_tools import find, parse

TITLE_60 = "災害から命と暮らしを守る「防災・減災が主流となる社会」の実現に向け、国土交通省と地域がこれから技術開発をどう進めるのか？"
DEJAVU = cards.Font("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")  # has no Japanese glyphs


def distinct_glyphs(font: cards.Font, text: str) -> int:
    face = font.at(48)
    return len({bytes(face.getmask(ch)) + bytes(str(face.getmask(ch).size), "ascii") for ch in set(text)})


def test_the_card_font_is_a_japanese_face():
    font = cards.find_font()
    assert re.search(r"BIZUDP?Gothic|NotoSansCJK|NotoSansJP", Path(font.path).name), font


def test_japanese_title_renders_real_glyphs_not_notdef_boxes():
    chars = "".join(dict.fromkeys(ch for ch in TITLE_60 if not ch.isascii()))
    # A font without Japanese draws the same .notdef box for every character...
    assert distinct_glyphs(DEJAVU, chars) < 5
    # ...the card font draws a different glyph for each one.
    assert distinct_glyphs(cards.find_font(), chars) == len(chars)


def ink_box(im: Image.Image, blank: Image.Image):
    return ImageChops.difference(im, blank).getbbox()


def test_sixty_character_title_stays_inside_the_margins():
    assert len(TITLE_60) == 60
    blank = cards.render("", "技術基本計画をやさしく読む", "plain-plan.example.org", "ja")
    card = cards.render(TITLE_60, "技術基本計画をやさしく読む", "plain-plan.example.org", "ja")
    assert card.size == (1200, 630)
    left, top, right, bottom = ink_box(card, blank)
    box = cards.TITLE_BOX
    assert left >= box[0] and top >= box[1] and right <= box[2] and bottom <= box[3], (left, top, right, bottom)
    size, lines = cards.layout_title(TITLE_60, "ja")
    assert "".join(lines) == TITLE_60  # nothing lost, nothing cut
    assert len(lines) <= cards.MAX_LINES


def test_the_margin_check_can_fail():
    """The same check on a card drawn into a too-wide box finds the overflow."""
    blank = cards.render("", "サイト", "example.jp", "ja")
    card = cards.render("", "サイト", "example.jp", "ja")
    face = cards.find_font().at(72)
    from PIL import ImageDraw

    ImageDraw.Draw(card).text((cards.TITLE_BOX[0], 200), TITLE_60, font=face, fill=(0, 0, 0))
    assert ink_box(card, blank)[2] > cards.TITLE_BOX[2]


@pytest.mark.parametrize("title", [
    TITLE_60,
    "「インフラ」とは？　道路・橋・港・ダムなど、暮らしを支える施設のことです。",
    "技術（テクノロジー）、データ、人材――三つの「総力」で、持続可能な社会へ。",
])
def test_lines_break_between_phrases_with_kinsoku(title):
    font = cards.find_font().at(48)
    phrase_ends = set()
    position = 0
    for atom in cards.atoms(title, "ja"):
        position += len(atom)
        phrase_ends.add(position)
    for width in range(260, 1040, 9):
        lines = cards.wrap(title, "ja", font, width)
        assert "".join(lines) == title.replace("\u3000", "") or "\u3000" in title and \
            re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", title)  # a space at a line end is dropped
        for line in lines:
            assert font.getlength(line) <= width, (width, line)
        for before, after in zip(lines, lines[1:]):
            assert after[0] not in cards.NO_START, (width, before, after)
            assert before[-1] not in cards.NO_END, (width, before, after)
        # Where every phrase fits on a line, lines end only at phrase boundaries (BudouX).
        if max(font.getlength(a) for a in cards.atoms(title, "ja")) <= width:
            joined, ends = "", set()
            for line in lines:  # positions in the title, counting dropped spaces
                joined = title[:title.index(line, len(joined)) + len(line)]
                ends.add(len(joined))
            assert ends <= phrase_ends | {p - 1 for p in phrase_ends}, (width, lines)


def test_budoux_phrases_are_used():
    assert cards.atoms("災害から命を守る技術", "ja") == ["災害から", "命を", "守る", "技術"]


def test_long_title_shrinks_then_ellipsises():
    title = TITLE_60 * 3
    size, lines = cards.layout_title(title, "ja")
    assert size == cards.TITLE_SIZES[-1]
    assert lines[-1].endswith("…") and len(lines) <= cards.MAX_LINES
    blank = cards.render("", "サイト", "example.jp", "ja")
    card = cards.render(title, "サイト", "example.jp", "ja")
    left, top, right, bottom = ink_box(card, blank)
    assert left >= cards.TITLE_BOX[0] and right <= cards.TITLE_BOX[2] and bottom <= cards.TITLE_BOX[3]


def test_short_title_is_large():
    assert cards.layout_title("技術が果たしてきた役割", "ja") == (cards.TITLE_SIZES[0], ["技術が果たしてきた役割"])


def test_english_wraps_between_words():
    title = "What technology has done for us: protecting lives and supporting transport and housing"
    size, lines = cards.layout_title(title, "en")
    assert " ".join(lines) == title


def test_card_set_caches_and_writes(tmp_path):
    cs = cards.CardSet(tmp_path / "site", "サイト名", "https://example.jp/", "ja", tmp_path / "cache")
    meta = cs.add("plan/x/", "計画について", "説明")
    assert meta["image"] == "https://example.jp/assets/cards/plan/x.png"
    assert cs.write() == {"cards": 1, "drawn": 1, "cached": 0}
    again = cards.CardSet(tmp_path / "site2", "サイト名", "https://example.jp/", "ja", tmp_path / "cache")
    again.add("plan/x/", "計画について", "説明")
    assert again.write() == {"cards": 1, "drawn": 0, "cached": 1}
    assert Image.open(tmp_path / "site2/assets/cards/plan/x.png").size == (1200, 630)


@pytest.mark.parametrize("lang, prefix, site_name", [
    ("ja", "", _publisher.load().site_names["ja"]),
    ("en", "en/", _publisher.load().site_names["en"]),
])
def test_every_page_has_a_card_and_absolute_og_tags(built_site, lang, prefix, site_name):
    root = _publisher.load().site_url + prefix
    pages = [p for p in (built_site / prefix).rglob("index.html")
             if "search" not in p.parts and (lang == "en" or "en" not in p.relative_to(built_site).parts[:1])]
    assert len(pages) > 20
    for path in pages:
        tags = parse(path)
        meta = {(m.get("property") or m.get("name")): m.get("content") for m in find(tags, "meta")}
        image = meta.get("og:image")
        assert image and image.startswith(root + "assets/cards/") and image.endswith(".png"), path
        assert meta["twitter:card"] == "summary_large_image" and meta["twitter:image"] == image
        assert meta["og:site_name"] == site_name and meta["og:title"]
        assert meta["og:locale"] == {"ja": "ja_JP", "en": "en_US"}[lang]
        card = built_site / image[len(_publisher.load().site_url):]
        with Image.open(card) as im:
            assert im.size == (1200, 630) and im.format == "PNG", card


@pytest.mark.parametrize("lang, home", [("ja", ""), ("en", "")])
def test_the_home_card_says_the_site_name_not_the_nav_label(tmp_path, lang, home):
    """The home page's nav title is 「トップ」/"Home": its card and og:title name the site."""
    name = {"ja": "国土交通省技術基本計画を知る", "en": "Understanding MLIT's Technology Basic Plan"}[lang]
    nav = {"ja": "トップ", "en": "Home"}[lang]
    card_set = cards.CardSet(tmp_path / "site", name, "https://mlit-plan.example.jp/", lang, cache_dir=tmp_path / "c")
    home = card_set.add(home, nav, "")
    other = card_set.add("plan/", "計画について" if lang == "ja" else "About the plan", "")
    assert home["title"] == name and home["image_alt"] == name
    assert other["title"] != name and other["image_alt"].startswith(name + ": ")


def test_the_built_home_pages_name_the_site_in_card_and_title(built_site):
    for prefix in ("", "en/"):
        page = (built_site / prefix / "index.html").read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
        og = re.search(r'<meta property="og:title" content="([^"]*)"', page).group(1)
        site_name = re.search(r'<meta property="og:site_name" content="([^"]*)"', page).group(1)
        assert og == site_name, (prefix, og)
        # The <title> is the site name once, not "name - name".
        assert html.unescape(title) == html.unescape(site_name), title
