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
