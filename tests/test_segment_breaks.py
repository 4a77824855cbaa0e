from scripts.segment_breaks import join_cjk_lines


def test_newlines_between_japanese_sentences_are_removed():
    assert join_cjk_lines("日本は地震が多い国です。\n津波も心配です。\n") == "日本は地震が多い国です。津波も心配です。\n"


def test_lists_headings_latin_text_and_code_are_kept():
    text = "見出し\n\n- 一つ目です。\n- 二つ目です。\n\nSociety 5.0 です。\nAI\n\n```\n日本\n語\n```\n"
    assert join_cjk_lines(text) == text
