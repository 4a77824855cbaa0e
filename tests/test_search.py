"""Search: per-language indexes, Japanese matching, the query set in a real browser."""
from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from scripts import search
from scripts.search_benchmark import WORKER_JS, load_queries, page_url, score
from tests.gate.site import LANG_PREFIX

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries()
TARGET = 0.95


def index_of(site: Path, lang: str) -> dict:
    return json.loads((site / LANG_PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the query set

def test_query_set_has_enough_queries_for_real_pages():
    assert len(QUERIES["ja"]) >= 40 and len(QUERIES["en"]) >= 20
    by_sound = [q for q in QUERIES["ja"] if q.kind in ("reading", "romaji")]
    assert len(by_sound) >= 40 and all(q.word for q in by_sound), "reading and romaji queries name their word"
    assert {q.kind for qs in QUERIES.values() for q in qs} <= {"written", "reading", "romaji"}
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
    # The side navigation of a page, as its HTML has it, is not in that page's entry; the same
    # words are in the whole page's text, so an index of whole pages would fail here.
    checked = 0
    for entry in data["docs"]:
        location = entry["location"].split("#")[0]
        html_file = built_site / LANG_PREFIX[lang] / location / "index.html"
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html_file.read_text(encoding="utf-8"), re.S)
        if "#" in entry["location"] or nav is None:
            continue
        html = html_file.read_text(encoding="utf-8")
        labels = " ".join(re.sub(r"<[^>]+>", " ", nav.group(0)).split())
        article = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("<article"):html.index("</article>")]).split())
        # 24 characters of the navigation that the page's own text does not also have (its title is in both)
        window = next((labels[i:i + 24] for i in range(0, max(0, len(labels) - 24), 5)
                       if labels[i:i + 24] not in article), None)
        if window is None:
            continue
        page_text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert window in page_text  # control: the check can fail
        assert window not in " ".join((entry["title"] + " " + entry["text"]).split()), location
        checked += 1
    assert checked >= 20, checked
    # Every page's <rt> readings stay out: the base text is indexed without them.
    rubies = 0
    for html_file in (built_site / LANG_PREFIX[lang]).rglob("index.html"):
        page = html_file.read_text(encoding="utf-8")
        # base, reading and the text after the ruby (果|は|たして): indexed with its reading, the
        # text would hold 果はたして; the base and reading alone (果は) can be ordinary text (成果は).
        pattern = r"<ruby[^>]*>([^<]+)<rp>\(</rp><rt>([^<]+)</rt><rp>\)</rp></ruby>([^<\s]{1,3})"
        for base, reading, after in re.findall(pattern, page):
            rubies += 1
            assert base + reading + after not in text, f"{html_file}: the reading of {base} is in the index"
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
    for kind in run.kinds():  # each kind on its own: readings must not hide a drop for written queries
        part = run.of_kind(kind)
        report = "\n".join(f"  {q.q!r} should find {q.url or '(home)'}; top 5: {got}" for q, got in part.misses)
        print(f"\n{lang} {kind}: recall@5 {part.recall:.1%} over {len(part.hits)} queries")
        assert part.recall >= TARGET, f"{lang} {kind}: recall@5 {part.recall:.1%} is below {TARGET:.0%}; missed:\n{report}"
    assert not page.errors, page.errors


@pytest.mark.browser
@pytest.mark.parametrize("lang, query, expected, marked", [
    ("ja", "じしん", "fields/disaster-resilience/", "地震"),
    ("ja", "jishin", "fields/disaster-resilience/", "地震"),
    ("ja", "つなみ", "fields/disaster-resilience/", "津波"),
    ("ja", "taifuu", "fields/disaster-resilience/", "台風"),
    ("en", "tsunami", "fields/disaster-resilience/", "tsunami"),  # romaji-looking English words stay English
    ("en", "aging", "plan/social-changes/", "ageing"),  # US spelling finds the UK one
])
def test_search_by_sound_and_spelling_in_the_browser(page, site_server, lang, query, expected, marked):
    raw = run_queries(page, site_server, lang, [query])
    results = raw["results"][0][:5]
    hit = [r for r in results if r["location"].split("#")[0] == expected]
    assert hit, f"{query!r} should find {expected}; got {[r['location'] for r in results]}"
    assert re.search(rf"<mark>{marked}</mark>", hit[0]["title"] + hit[0]["text"], re.I), "the word is highlighted"
    assert not page.errors, page.errors


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_next_page_load_uses_the_cached_index(page, site_server, lang):
    """The second worker (a later page load) finds this build's index in IndexedDB and answers the same."""
    queries = [q.q for q in QUERIES[lang][:10]]
    raw = run_queries(page, site_server, lang, queries)
    assert raw["cached"], "the second worker built the index again instead of using the cache"
    again = run_queries(page, site_server, lang, queries)
    assert again["results"] == raw["results"]


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
    ("ja", "じしん", "fields/disaster-resilience/"),
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


# ---------------------------------------------------------------- search by sound (no browser)

def test_readings_are_whole_words_and_compounds():
    found = set(search.word_readings("インフラの老朽化と国土強靱化、健康を見る県の件。川で遊ぶ。品川駅"))
    assert ("老朽化", "ろうきゅうか") in found and ("老朽", "ろうきゅう") in found
    assert ("国土強靱化", "こくどきょうじんか") in found, "a run of nouns and affixes is read as one word"
    assert ("県", "けん") in found and ("件", "けん") in found and ("健康", "けんこう") in found
    readings = {r for _, r in found}
    assert "か" not in readings, "one-kana readings (化) are left out"
    assert not any(s == "健" or s == "見" for s, _ in found), "no single-kanji readings inside words"
    assert ("川", "かわ") in found and ("品川駅", "しながわえき") in found
    assert not any(s == "川" and r != "かわ" for s, r in found)


def test_page_readings_number_pages_as_the_worker_groups_them():
    docs = [{"location": "a/", "title": "防災", "text": ""}, {"location": "b/", "title": "地震", "text": "地震"},
            {"location": "a/#x", "title": "地震", "text": ""}]
    readings = search.page_readings(docs)
    assert readings["ぼうさい"] == [["防災"], [0, 1]]
    assert readings["じしん"] == [["地震"], [0, 1, 1, 2]]


def test_index_names_its_readings_and_a_hash_of_index_and_worker(tmp_path):
    index = search.SearchIndex("ja")
    index.docs = [{"location": "a/", "title": "地震", "text": "台風"}]
    data = index.data()
    assert index.readings()["たいふう"] == [["台風"], [0, 1]]
    index.write(tmp_path)
    assert json.loads((tmp_path / data["config"]["readings_url"]).read_text(encoding="utf-8")) == index.readings()
    other = search.SearchIndex("ja")
    other.docs = [{"location": "a/", "title": "地震", "text": "津波"}]
    assert len(data["config"]["hash"]) == 16 and data["config"]["hash"] != other.data()["config"]["hash"]


def worker(request: dict) -> dict:
    """The worker file run in Node (tests/search_worker_harness.cjs)."""
    result = subprocess.run(["node", str(ROOT / "tests" / "search_worker_harness.cjs")], input=json.dumps(request),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("romaji, kana", [
    ("jishin", "じしん"), ("zisin", "じしん"), ("bousai", "ぼうさい"), ("bōsai", "ぼうさい"), ("boosai", "ぼおさい"),
    ("roukyuuka", "ろうきゅうか"), ("taifuu", "たいふう"), ("tsunami", "つなみ"), ("kon'ya", "こんや"),
    ("konnichiwa", "こんにちわ"), ("shimbun", "しんぶん"), ("gakkou", "がっこう"), ("matcha", "まっちゃ"),
    ("kyouiku", "きょういく"), ("chiiki", "ちいき"), ("fukkou", "ふっこう"), ("jouhou", "じょうほう"),
    ("sensei", "せんせい"), ("disaster", None), ("ai", "あい"), ("x", None),
])
def test_romaji_to_kana(romaji, kana):
    assert worker({"kana": [romaji]})["kana"] == [kana]


SNOWBALL_HARD = ("skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos "
                 "bias andes inning outing canning herring earring proceed exceed succeed generate generous "
                 "communism arsenal series agreed mitigating mitigation consign consigned consigning consignment "
                 "knack knackeries knight knightly kneel kneeling generically hopefully crying cried happily "
                 "abatements abilities emotional emotionally feeds feed universal university universities "
                 "dying dies died says sayings bused busses gas gases rationalization rational relational "
                 "conditional valenci hesitanci digitizer conformabli radicalli differentli vileli analogousli "
                 "vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti "
                 "sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness "
                 "revival allowance inference airliner gyroscopic adjustable defensible irritant replacement "
                 "adjustment dependent adoption homologou communism activate angulariti homologous effective "
                 "bowdlerize probate rate cease controlling rolling generalization").split()


def test_stemmer_is_snowball_english_on_many_words(built_site):
    """The vendored Porter2 against Python's snowballstemmer (generated from
    the Snowball source; 2.2.0, the Porter2 that porter2 1.1.0 implements:
    Snowball 3 changed a few English rules): every word of the English site
    and hard cases."""
    import snowballstemmer

    text = " ".join(d["title"] + " " + d["text"] for d in index_of(built_site, "en")["docs"]).lower()
    words = sorted(set(re.findall(r"[a-z]+", text)) | set(SNOWBALL_HARD))
    assert len(words) > 1500
    reference = snowballstemmer.stemmer("english")
    numbers = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first", "second", "third"}
    # UK spellings become US ones before stemming (tested below): compare the words left alone.
    words = [w for w, s in zip(words, worker({"spelling": words})["spelling"]) if w == s and w not in numbers]
    got = worker({"stem": words})["stem"]
    wrong = [(w, g, reference.stemWord(w)) for w, g in zip(words, got) if g != reference.stemWord(w)]
    assert not wrong, wrong[:20]


@pytest.mark.parametrize("uk, us", [
    ("ageing", "aging"), ("colour", "color"), ("colours", "colors"), ("coloured", "colored"), ("centre", "center"),
    ("centres", "centers"), ("programme", "program"), ("organisation", "organization"), ("organised", "organized"),
    ("prioritise", "prioritize"), ("behaviour", "behavior"), ("labour", "labor"), ("travelled", "traveled"),
    ("modelling", "modeling"), ("defence", "defense"), ("metre", "meter"), ("analyse", "analyze"),
    ("favourite", "favorite"), ("neighbours", "neighbors"), ("catalogue", "catalog"),
])
def test_uk_and_us_spellings_find_each_other(uk, us):
    a, b = worker({"stem": [uk, us]})["stem"]
    assert a == b


def test_old_stemmer_collisions_are_gone():
    stems = worker({"stem": ["news", "new", "series", "promise", "wise", "exercise", "five"]})["stem"]
    assert stems[0] != stems[1] and stems[2] == "seri"
    assert stems[3:6] == ["promis", "wise", "exercis"], "-ise words that are not -ize words stay as they are"
    assert stems[6] == "5"


TINY = {"config": {"lang": ["ja"], "separator": "[\\s]+", "readings": {}}, "docs": [
    {"location": "kana/", "title": "じしんのはなし", "text": "じしんにそなえます。"},
    {"location": "kanji/", "title": "地震の話", "text": "地震に備えます。"},
    {"location": "ken/", "title": "県の話", "text": "県と件の話です。"},
    {"location": "kenkou/", "title": "健康", "text": "健康を見る話。意見。"},
    {"location": "shinagawa/", "title": "品川駅", "text": "品川駅と河川と川崎市と天の川。"},
    {"location": "kawa/", "title": "川", "text": "川で遊ぶ。"},
]}
TINY["config"]["readings"] = search.page_readings(TINY["docs"])


def test_reading_queries_on_a_tiny_index():
    queries = ["じしん", "jishin", "ジシン", "けん", "かわ", "kawa", "地震", "ぼうさい"]
    found = dict(zip(queries, worker({"index": TINY, "queries": queries})["results"]))
    # The kana as typed first, then the word it reads as.
    assert found["じしん"] == ["kana/", "kanji/"] and found["ジシン"] == ["kana/", "kanji/"]
    assert found["jishin"] == ["kana/", "kanji/"]
    # Same reading, other meaning: only words read けん as a whole (県, 件), not 健康 or 見る.
    assert found["けん"] == ["ken/"]
    # 川 as a word, not inside 品川駅, 河川, 川崎市 or 天の川.
    assert found["かわ"] == ["kawa/"] and found["kawa"] == ["kawa/"]
    assert found["地震"] == ["kanji/"], "kanji queries do not change"
    assert found["ぼうさい"] == []


def test_first_query_downloads_under_100_kb_compressed(built_site):
    for lang in ("ja", "en"):
        root = built_site / LANG_PREFIX[lang]
        # The index, the worker, its stemmer, and the readings a kana or romaji query fetches.
        files = [root / "search" / "search_index.json", root / search.READINGS,
                 root / "assets/javascripts/search-worker.js", root / "assets/javascripts/vendor/porter2.js"]
        packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
        assert packed < 100_000, f"{lang}: {packed:,} bytes gzip"
