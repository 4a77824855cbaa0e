"""Search: per-language indexes, Japanese matching, the query set in a real browser."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from scripts import search
from scripts.search_benchmark import LANG_PREFIX, WORKER_JS, load_queries, page_url, score

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries()
TARGET = 0.95


def index_of(site: Path, lang: str) -> dict:
    return json.loads((site / LANG_PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the query set

def test_query_set_has_enough_queries_for_real_pages():
    assert len(QUERIES["ja"]) >= 40 and len(QUERIES["en"]) >= 20
    with open(ROOT / "data" / "site-map.yml", encoding="utf-8") as f:
        required = {p["path"] for p in yaml.safe_load(f)["pages"]}
    for lang, queries in QUERIES.items():
        for query in queries:
            assert (ROOT / "docs" / lang / query.page).is_file(), f"{lang}: {query.q!r} names a missing page"
        assert {q.page for q in queries} <= required | {"about/privacy.md", "about/terms.md", "about/accessibility.md"}
        assert len({q.q for q in queries}) == len(queries), f"{lang}: a query is listed twice"


# ---------------------------------------------------------------- extraction (no browser)

def test_extraction_leaves_out_permalinks_readings_and_excluded_parts():
    html = ('<h1 id="t">題<a class="headerlink" href="#t" title="リンク">¶</a></h1><p>前文</p>'
            '<h2 id="s">防災<a class="headerlink" href="#s">¶</a></h2>'
            '<p><ruby>減災<rp>(</rp><rt>げんさい</rt><rp>)</rp></ruby>の話</p>'
            '<p data-search-exclude>隠す</p><span class="term__tip">説明</span>'
            '<p>一つ目</p><p>二つ目<sup id="fnref:1"><a href="#fn:1">1</a></sup></p>'
            '<div class="footnote"><ol><li id="fn:1"><p>注<a class="footnote-backref" href="#fnref:1">↩</a></p></li></ol></div>')
    docs = search.page_docs(html, "p/", "", "説明文")
    assert docs[0] == {"location": "p/", "title": "題", "text": "前文", "description": "説明文"}
    assert docs[1]["location"] == "p/#s" and docs[1]["title"] == "防災"
    assert docs[1]["text"] == "減災の話 一つ目 二つ目 注"


def test_worker_swap_is_exact():
    page = ('<script id="__config" type="application/json">{"search": '
            '"../assets/javascripts/workers/search.a7633da7.min.js"}</script>')
    assert '"../assets/javascripts/search-worker.js"' in search.use_worker(page)
    assert search.use_worker("<p>no config</p>") == "<p>no config</p>"
    with pytest.raises(search.WorkerSwapError):
        search.use_worker('<script id="__config" type="application/json">{"search": "x.js"}</script>')


# ---------------------------------------------------------------- the built site

@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_language_has_its_own_index_of_its_own_pages(built_site, lang):
    data = index_of(built_site, lang)
    assert data["config"]["lang"] == [lang]
    locations = {d["location"].split("#")[0] for d in data["docs"]}
    assert "" in locations and "fields/disaster-resilience/" in locations
    for location in locations:
        page = built_site / LANG_PREFIX[lang] / location / "index.html"
        assert page.is_file(), f"{lang} index names {location!r}, which is not a {lang} page"
        assert re.search(rf'<html[^>]* lang="{lang}"', page.read_text(encoding="utf-8")), location
    if lang == "ja":
        assert not any(loc.startswith("en/") for loc in locations)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_index_has_no_navigation_permalinks_or_readings(built_site, lang):
    data = index_of(built_site, lang)
    text = "\n".join(d["title"] + "\n" + d["text"] for d in data["docs"])
    assert "¶" not in text
    # The navigation's section labels, in order, would show up if the nav were indexed.
    with open(ROOT / ("mkdocs.yml" if lang == "ja" else "mkdocs.en.yml"), encoding="utf-8") as f:
        nav = yaml.load(f, Loader=yaml.BaseLoader)["nav"]
    labels = [next(iter(item)) for item in nav if isinstance(item, dict)]
    assert " ".join(labels[1:4]) not in text
    # Every page's <rt> readings stay out: the base text is indexed without them.
    rubies = 0
    for html_file in (built_site / LANG_PREFIX[lang]).rglob("index.html"):
        page = html_file.read_text(encoding="utf-8")
        for base, reading in re.findall(r"<ruby[^>]*>([^<]+)<rp>\(</rp><rt>([^<]+)</rt>", page):
            rubies += 1
            assert base + reading not in text, f"{html_file}: the reading of {base} is in the index"
    if lang == "ja":
        assert rubies > 0, "no page has furigana to check"


# ---------------------------------------------------------------- in the browser

@pytest.fixture
def page(browser, site_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    context.close()


def run_queries(page, server: str, lang: str, queries: list[str], docs: dict | None = None) -> dict:
    base = server + LANG_PREFIX[lang]
    page.goto(base)
    return page.evaluate(WORKER_JS, {"worker": base + "assets/javascripts/search-worker.js",
                                     "index": base + "search/search_index.json", "queries": queries, "docs": docs})


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_query_set_recall_at_5(page, site_server, lang):
    queries = QUERIES[lang]
    raw = run_queries(page, site_server, lang, [q.q for q in queries])
    run = score("site", lang, queries, raw)
    report = "\n".join(f"  {q.q!r} should find {q.url or '(home)'}; top 5: {got}" for q, got in run.misses)
    print(f"\n{lang}: recall@5 {run.recall:.1%} over {len(queries)} queries")
    assert run.recall >= TARGET, f"{lang}: recall@5 {run.recall:.1%} is below {TARGET:.0%}; missed:\n{report}"
    assert not page.errors, page.errors


@pytest.mark.browser
def test_japanese_matching_rules(page, site_server):
    """Compound parts, kana/width folding, dakuten kept apart: on a tiny index of our own."""
    docs = {"config": {"lang": ["ja"], "separator": "[\\s]+"}, "docs": [
        {"location": "a/", "title": "ガイド", "text": "使い方のガイドです。"},
        {"location": "b/", "title": "カイト", "text": "空にあげるカイトです。"},
        {"location": "c/", "title": "防災・減災", "text": "ＤＸで予防保全を進めます。このサイトについて。"},
    ]}
    queries = ["ガイド", "カイト", "ｶﾞｲﾄﾞ", "がいど", "減災", "防災", "dx", "保全", "このサイト", "橋"]
    raw = run_queries(page, site_server, "ja", queries, docs)
    found = {q: [r["location"] for r in results] for q, results in zip(queries, raw["results"])}
    assert found == {"ガイド": ["a/"], "カイト": ["b/"], "ｶﾞｲﾄﾞ": ["a/"], "がいど": ["a/"], "減災": ["c/"],
                     "防災": ["c/"], "dx": ["c/"], "保全": ["c/"], "このサイト": ["c/"], "橋": []}
    # The match is highlighted in the original text (full-width ＤＸ stays as written).
    assert "<mark>ＤＸ</mark>" in raw["results"][6][0]["text"]


@pytest.mark.browser
@pytest.mark.parametrize("lang, query, expected", [
    ("ja", "減災", "fields/disaster-resilience/"),
    ("ja", "カーボンニュートラル", "fields/decarbonization/"),
    ("en", "earthquakes", "en/fields/disaster-resilience/"),
])
def test_search_box_in_the_header(page, site_server, lang, query, expected):
    page.goto(site_server + LANG_PREFIX[lang] + "about/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    box.press("End")  # Material listens for keyup
    first = page.locator(".md-search-result__item").first
    first.wait_for()
    pages = page.locator(".md-search-result__item > a:first-child").evaluate_all("els => els.map(e => e.href)")
    assert site_server + expected in [h.split("?")[0].split("#")[0] for h in pages[:5]], pages
    assert first.locator("mark").count() > 0, "the match is not highlighted"
    # Every result stays in the reader's language.
    hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    for h in hrefs:
        assert h.startswith(site_server + "en/") == (lang == "en"), h
    assert not page.errors, page.errors
