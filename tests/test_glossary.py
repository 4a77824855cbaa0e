"""Glossary: definitions on first use of a term, on hover, focus or tap."""
import pytest

from scripts import glossary
from scripts.problems import ContentError

TERMS = glossary.load_glossary()


def test_glossary_has_pairs_in_both_languages():
    for term in TERMS:
        assert term.entries["ja"].term and term.entries["en"].term
        assert term.entries["ja"].definition and term.entries["en"].definition


def test_first_use_is_marked_with_its_definition():
    html = "<p>国土強靱化の話です。国土強靱化はまた出てきます。</p>"
    out = glossary.annotate(html, TERMS, "ja", "../glossary/")
    assert out.count('class="term__word"') == 1
    assert 'aria-describedby="glossary-tip-1"' in out and 'id="glossary-tip-1"' in out
    assert "命と暮らしを守り" in out


def test_english_terms_match_whole_words_only():
    html = "<p>Preventive maintenance matters. Not preventive maintenances.</p>"
    out = glossary.annotate(html, TERMS, "en", "../glossary/")
    assert out.count("term__word") == 1 and ">Preventive maintenance</button>" in out


@pytest.mark.parametrize("html", [
    '<h2 id="x">国土強靱化</h2>',
    '<p><a href="x">国土強靱化</a></p>',
    "<pre><code>国土強靱化</code></pre>",
    '<div class="footnote"><p>国土強靱化</p></div>',
])
def test_headings_links_code_and_footnotes_are_left_alone(html):
    assert glossary.annotate(html, TERMS, "ja", "../glossary/") == html


def test_duplicate_ids_and_missing_translations_are_errors(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("terms:\n  - id: a\n    ja: {term: あ, definition: い}\n    en: {term: a, definition: b}\n"
                    "  - id: a\n    ja: {term: か, definition: き}\n    en: {term: k, definition: l}\n"
                    "  - id: b\n    ja: {term: さ, definition: し}\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        glossary.load_glossary(path)
    messages = [(p.line, p.message) for p in err.value.problems]
    assert messages[0][0] == 5 and "used twice" in messages[0][1]
    assert messages[1][0] == 8 and "en term" in messages[1][1]


def test_glossary_page_lists_every_term(built_site):
    for prefix in ("", "en/"):
        text = (built_site / prefix / "glossary/index.html").read_text(encoding="utf-8")
        for term in TERMS:
            assert f'id="{term.id}"' in text


def test_terms_with_ampersands_and_latin_words_inside_japanese():
    terms = [glossary.Term("om", {"ja": glossary.Entry("O&M", "運営と維持管理です。"), "en": glossary.Entry("O&M", "x")}),
             glossary.Term("ai", {"ja": glossary.Entry("AI", "人工知能です。"), "en": glossary.Entry("AI", "y")})]
    out = glossary.annotate("<p>email と chain の話。O&amp;M と AI です。</p>", terms, "ja", "../glossary/")
    assert ">O&amp;M</button>" in out and ">AI</button>" in out
    assert "email と chain" in out


RIVER = [glossary.Term("river", {"ja": glossary.Entry("川", "水が流れるところです。"),
                                 "en": glossary.Entry("river", "Water flowing in a channel.")})]


@pytest.mark.parametrize("text", ["品川駅で降ります。", "河川の整備です。", "川崎市の話です。", "天の川が見えます。"])
def test_japanese_terms_do_not_fire_inside_longer_words(text):
    assert "term__word" not in glossary.annotate(f"<p>{text}</p>", RIVER, "ja", "../glossary/")


@pytest.mark.parametrize("text", ["川で遊びます。", "大きな川があります。", "品川駅の近くの川です。"])
def test_japanese_terms_fire_where_they_are_words(text):
    out = glossary.annotate(f"<p>{text}</p>", RIVER, "ja", "../glossary/")
    assert out.count("term__word") == 1 and ">川</button>" in out
    assert out.replace(out[out.index('<span class="term">'):out.index("</span></span>") + 14], "川") == f"<p>{text}</p>"


@pytest.mark.parametrize("text, fires", [
    ("The river is wide.", True), ("Rivers flood.", False), ("A riverside walk.", False), ("Down the river-bank.", False),
    ("By the River.", True),
])
def test_english_terms_fire_on_whole_words_only(text, fires):
    out = glossary.annotate(f"<p>{text}</p>", RIVER, "en", "../glossary/")
    assert ("term__word" in out) == fires


def test_word_boundaries_come_from_sudachi():
    assert glossary.word_boundaries("品川駅と川") == {0, 2, 3, 4, 5}


# ---------------------------------------------------------------- the glossary page

def test_every_japanese_term_has_a_hiragana_reading():
    for term in TERMS:
        assert glossary.HIRAGANA.match(term.entries["ja"].reading), term.id


@pytest.mark.parametrize("reading, problem", [("kokudo", "not hiragana"), ("コクド", "not hiragana"), (None, "no ja reading")])
def test_readings_are_checked(tmp_path, reading, problem):
    path = tmp_path / "glossary.yml"
    second = f"    ja: {{term: 防災, reading: {reading}, definition: い}}\n" if reading else "    ja: {term: 防災, definition: い}\n"
    path.write_text("terms:\n  - id: a\n    ja: {term: 減災, reading: げんさい, definition: い}\n    en: {term: a, definition: b}\n"
                    "  - id: b\n" + second + "    en: {term: b, definition: c}\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        glossary.load_glossary(path)
    assert [p.line for p in err.value.problems] == [5] and problem in err.value.problems[0].message


def test_reading_order_is_gojuon():
    readings = ["がす", "かさ", "きょう", "きよう", "かーど", "かあど", "ぱり", "はし", "ばす", "あい", "わ", "んー"]
    ordered = sorted(readings, key=glossary.reading_key)
    # Small kana before full-size ones at a tie, as JIS X 4061 orders them (きょう, きよう).
    assert ordered == ["あい", "かあど", "かーど", "かさ", "がす", "きょう", "きよう", "はし", "ばす", "ぱり", "わ", "んー"]


def _page(built_site, prefix):
    return (built_site / prefix / "glossary/index.html").read_text(encoding="utf-8")


def test_japanese_glossary_in_gojuon_order_with_readings_and_an_index(built_site):
    import re
    import unicodedata

    text = _page(built_site, "")
    order = re.findall(r'<dt id="([a-z0-9-]+)"', text)
    assert sorted(order) == sorted(t.id for t in TERMS)
    by_id = {t.id: t for t in TERMS}

    def plain(reading):  # dakuten and handakuten off: か and が sort together
        return "".join(c for c in unicodedata.normalize("NFD", reading) if c not in "\u3099\u309a")

    readings = [plain(by_id[i].entries["ja"].reading) for i in order]
    assert [r[0] for r in readings] == sorted(r[0] for r in readings), "terms are not in 五十音順 by their first kana"
    assert order.index("ict") < order.index("ai") < order.index("national-resilience") < order.index("compact-city")
    assert "（こくどきょうじんか）" in text, "kanji terms show their reading"
    nav = re.search(r'<nav class="glossary-index" aria-label="([^"]+)"><p>(.*?)</p></nav>', text)
    assert nav and nav.group(1)
    assert re.findall(r">(\w)</(?:a|span)>", nav.group(2)) == list("あかさたなはまやらわ")
    for target in re.findall(r'href="#([^"]+)"', nav.group(2)):
        assert f'id="{target}"' in text, f"the index links to #{target}, which is missing"


def test_english_glossary_alphabetical_with_an_a_to_z_index(built_site):
    import re

    text = _page(built_site, "en/")
    terms = re.findall(r'<dt id="[^"]+">([^<]+)', text)
    letters = [t.strip() for t in terms if t.strip()[0].isalpha()]
    assert letters == sorted(letters, key=str.casefold)
    nav = re.search(r'<nav class="glossary-index" aria-label="[^"]+"><p>(.*?)</p></nav>', text).group(1)
    assert "".join(re.findall(r">([A-Z])</(?:a|span)>", nav)) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for target in re.findall(r'href="#([^"]+)"', nav):
        assert f'id="{target}"' in text


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_no_term_pair_repeats_itself(built_site, prefix):
    import re

    for term, pair in re.findall(r'<dt id="[^"]+">([^<]+?) (?:<span class="term-reading">[^<]*</span> )?'
                                 r'<span class="term-pair"[^>]*>([^<]+)</span>', _page(built_site, prefix)):
        assert term.strip().casefold() != pair.strip().casefold(), f"「{term} {pair}」"
    for term_id in ("five-g", "ai", "sdgs", "ict"):  # the review's 「5G 5G」, 「AI AI」 …
        dt = re.search(rf'<dt id="{term_id}">(.*?)</dt>', _page(built_site, prefix)).group(1)
        assert "term-pair" not in dt, dt


@pytest.mark.parametrize("term_id", ["innovation", "accelerating", "world-order", "threat", "needs", "know-how"])
def test_words_the_content_audit_found_unexplained_are_defined(term_id):
    term = next(t for t in TERMS if t.id == term_id)
    assert term.entries["ja"].definition and term.entries["en"].definition


def test_measured_scales_and_rules_are_not_called_rough_guides():
    for term_id in ("seismic-intensity", "technical-standards"):
        term = next(t for t in TERMS if t.id == term_id)
        assert "目安" not in term.entries["ja"].definition and "benchmark" not in term.entries["en"].definition
