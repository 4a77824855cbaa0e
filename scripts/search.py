"""Site search: one index per language, read by our own search worker.

Material's search box, result list and on-page highlighting stay; only the
engine behind them changes (overrides/assets/javascripts/search-worker.js).
This module

* extracts each page's text, section by section, from the rendered content,
  leaving out what is not content: permalink marks (¶), footnote back links,
  ruby readings (<rt>), glossary tooltips and anything marked
  `data-search-exclude`;
* writes it as `search/search_index.json` in each language's site (ja at
  site/, en at site/en/), in the shape Material's bundle fetches and hands to
  the worker; the worker builds the index in the browser with the same code
  that reads the query (scripts/search_benchmark.py has the measurements);
* points Material's page configuration at our worker;
* writes the readings of the Japanese words on each page (SudachiPy, whole
  words and compounds, not single kanji), so that じしん or jishin finds 地震,
  as `search/readings.json` (reading -> [surfaces, [page, count, …]]); the
  worker fetches it only for a query in kana or romaji (`config.readings_url`),
  so a page load downloads no more than before;
* adds a hash of the index (`config.hash`): the worker keeps what it builds
  from the index in IndexedDB under that hash, so a page load after the first
  does not build it again.

Pages are left out with front matter `search: {exclude: true}` (Material's
own switch). Set SEARCH_KEEP_MATERIAL_INDEX=1 when building to keep
Material's lunr index beside ours as search/material_search_index.json (the
benchmark compares the two engines on one build).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from scripts import ROOT, languages, memo
from scripts.material_bundle import BundlePatchError

WORKER = "assets/javascripts/search-worker.js"
READINGS = "search/readings.json"  # below the language's root, like search/search_index.json
WORKER_SOURCES = (ROOT / "overrides" / WORKER, ROOT / "overrides" / "assets" / "javascripts" / "vendor" / "porter2.js")
MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js")
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
# Material's separators, used by its on-page highlighter (?h=…) to split terms.
# Keyed by the script's punctuation: full-width (、。・ and the ideographic space) or not.
SEPARATORS = {
    True: r"[\s\-\u3000\u3001\u3002\uff0c\uff0e\u30fb]+",
    False: r"[\s\-]+",
}

# Elements whose text is never indexed.
SKIP_TAGS = {"script", "style", "svg", "rt", "rp", "template", "nav", "noscript"}
SKIP_CLASSES = {"headerlink", "footnote-backref", "md-source-file", "furigana-toggle", "term__tip"}
# A break between these so words from two blocks never run together.
BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "br", "hr", "blockquote",
          "figure", "figcaption", "section", "article", "details", "summary", "pre", "h1", "h2", "h3", "h4",
          "h5", "h6", "aside", "header", "footer", "caption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class WorkerSwapError(BundlePatchError):
    """Material's page configuration no longer looks as expected."""


@dataclass
class Section:
    anchor: str | None  # None: the text before the first heading with an id
    title: str
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return clean("".join(self.parts))


def clean(text: str) -> str:
    """NFC (the worker maps offsets on NFC text) and collapsed white space."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", text).strip()


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections = [Section(None, "")]
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.skip_depth = 0
        self.heading: tuple[str, str] | None = None  # (tag, id) while inside a heading with an id
        self.heading_text: list[str] = []

    def _skipped(self, tag: str, attrs: dict[str, str | None]) -> bool:
        classes = set((attrs.get("class") or "").split())
        return (tag in SKIP_TAGS or "data-search-exclude" in attrs or bool(classes & SKIP_CLASSES)
                or (tag == "sup" and (attrs.get("id") or "").startswith("fnref")))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCKS:
            self._text(" ")
        if tag in VOID:
            return
        skipped = self._skipped(tag, attributes)
        self.stack.append((tag, skipped))
        if skipped:
            self.skip_depth += 1
        elif tag in HEADINGS and attributes.get("id") and self.heading is None and not self.skip_depth:
            self.heading = (tag, attributes["id"])
            self.heading_text = []

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self._text(" ")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Pop to the matching element; stray end tags are ignored.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _, skipped in self.stack[i:]:
                    if skipped:
                        self.skip_depth -= 1
                del self.stack[i:]
                break
        else:
            return
        if self.heading and tag == self.heading[0]:
            _, anchor = self.heading
            title = clean("".join(self.heading_text))
            self.heading = None
            if tag == "h1":  # the page title: its text belongs to the page, not a section
                self.sections[0].title = title
            else:
                self.sections.append(Section(anchor, title))
        if tag in BLOCKS:
            self._text(" ")

    def handle_data(self, data):
        self._text(data)

    def _text(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.heading:
            self.heading_text.append(data)
        else:
            self.sections[-1].parts.append(data)


def extract_sections(content_html: str) -> list[Section]:
    """The page's sections in order; the first is the text before any heading."""
    parser = _Extractor()
    parser.feed(content_html)
    parser.close()
    return parser.sections


def page_docs(content_html: str, url: str, title: str, description: str = "") -> list[dict]:
    """Search documents for one page: the page itself, then one per section."""
    sections = extract_sections(content_html)
    first = sections[0]
    docs = [{"location": url, "title": clean(title or first.title), "text": first.text}]
    if description:
        docs[0]["description"] = clean(description)
    for section in sections[1:]:
        if section.title or section.text:
            docs.append({"location": f"{url}#{section.anchor}", "title": section.title, "text": section.text})
    return docs


class SearchIndex:
    """Collects one language's pages during a build and writes the index."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.docs: list[dict] = []

    def data(self) -> dict:
        config = {"lang": [self.lang], "separator": SEPARATORS[languages.get(self.lang).full_width],
                  "pipeline": [], "fields": {"title": {"boost": 4}, "text": {"boost": 1}},
                  "readings_url": READINGS}
        # The worker's cache key: this index and the code that builds it in the browser.
        digest = hashlib.sha256(json.dumps([config, self.docs], ensure_ascii=False, sort_keys=True).encode("utf-8"))
        for script in WORKER_SOURCES:
            digest.update(script.read_bytes())
        config["hash"] = digest.hexdigest()[:16]
        return {"config": config, "docs": self.docs}

    def readings(self) -> dict[str, list]:
        return page_readings(self.docs)

    def write(self, site_dir: str | Path) -> Path:
        path = Path(site_dir, "search", "search_index.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        if os.environ.get("SEARCH_KEEP_MATERIAL_INDEX") and path.exists():
            path.replace(path.with_name("material_search_index.json"))
        # Compact JSON, real characters: Japanese as UTF-8 is a third smaller than \\u escapes.
        path.write_text(json.dumps(self.data(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        Path(site_dir, READINGS).write_text(json.dumps(self.readings(), ensure_ascii=False, separators=(",", ":")),
                                            encoding="utf-8")
        return path


def use_worker(page_html: str) -> str:
    """Point Material's page configuration (`__config`) at our worker."""
    match = CONFIG_SCRIPT.search(page_html)
    if not match:
        return page_html  # a page without Material's scripts (e.g. a redirect)
    config_json, count = MATERIAL_WORKER.subn(WORKER, match.group(2))
    if count != 1:
        raise WorkerSwapError(
            "Material's page configuration no longer names its search worker as expected "
            f"(found {count} matches). Review scripts/search.py against the new Material release.")
    return page_html[:match.start(2)] + config_json + page_html[match.end(2):]


# ---------------------------------------------------------------- readings

KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]")
KANA = re.compile(r"^[\u3041-\u3096\u30fc]+$")
HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}  # katakana -> hiragana, for str.translate
# Parts of speech whose runs make one compound word (国土|強靱|化 -> こくどきょうじんか).
COMPOUND_POS = {"名詞", "接尾辞", "接頭辞"}
MAX_COMPOUND = 4
# SudachiPy refuses very long input; pages are cut at sentence ends below this.
CHUNK = 4000


def _chunks(text: str):
    while len(text) > CHUNK:
        cut = max(text.rfind(mark, 0, CHUNK) for mark in "。．.！？!? ")
        cut = cut + 1 if cut > 0 else CHUNK
        yield text[:cut]
        text = text[cut:]
    if text:
        yield text


def word_readings(text: str) -> list[tuple[str, str]]:
    """(surface, reading in hiragana) of the words of `text` that contain kanji.

    Whole words only, at every granularity SudachiPy offers (老朽|化 in short
    units, 老朽化 in middle units), plus runs of up to four nouns and affixes
    read together (国土強靱化 -> こくどきょうじんか). A reading of one kana
    (化 -> か) is left out: whole readings keep unrelated words apart, e.g.
    けん finds 県 and 件 (words read けん) but not 健康 or 見る."""
    found = []
    for chunk in _chunks(text):
        spans = set()
        for tokenizer in _tokenizers():
            run = []
            for m in tokenizer.tokenize(chunk):
                surface = m.surface()
                reading = m.reading_form().translate(HIRAGANA) if KANJI.search(surface) else ""
                if not KANA.match(reading):
                    run = []
                    continue
                word = (m.begin(), m.end(), surface, reading)
                spans.add(word)
                if m.part_of_speech()[0] not in COMPOUND_POS:
                    run = []
                    continue
                run.append(word)
                for size in range(2, min(len(run), MAX_COMPOUND) + 1):
                    parts = run[-size:]
                    spans.add((parts[0][0], parts[-1][1], "".join(p[2] for p in parts), "".join(p[3] for p in parts)))
        found.extend((surface, reading) for _, _, surface, reading in sorted(spans) if len(reading) >= 2)
    return found


@functools.lru_cache(maxsize=1)
def _tokenizers() -> tuple:
    """SudachiPy at its three granularities (short, middle, long units), made once."""
    from sudachipy import SplitMode

    from scripts.furigana import sudachi_dictionary

    return tuple(sudachi_dictionary().tokenizer(mode=mode) for mode in (SplitMode.A, SplitMode.B, SplitMode.C))


def page_readings(docs: list[dict]) -> dict[str, list]:
    """reading -> [[surfaces], [page, count, page, count, …]]; pages are numbered
    in the order the worker groups documents (by location without #anchor)."""
    order: dict[str, int] = {}
    texts: dict[int, list[str]] = {}
    for doc in docs:
        page = order.setdefault(doc["location"].split("#")[0], len(order))
        texts.setdefault(page, []).extend([doc.get("title", ""), doc.get("description", ""), doc.get("text", "")])
    counts: dict[str, dict[int, int]] = {}
    surfaces: dict[str, set[str]] = {}
    store = memo.Store("readings")  # a page's readings, kept while its text and the code stay the same
    version = memo.inputs_version()
    for page, parts in texts.items():
        text = "\n".join(p for p in parts if p)
        if not KANJI.search(text):
            continue
        for surface, reading in _stored_readings(store, version, text):
            counts.setdefault(reading, {}).setdefault(page, 0)
            counts[reading][page] += 1
            surfaces.setdefault(reading, set()).add(unicodedata.normalize("NFKC", surface))
    return {reading: [sorted(surfaces[reading]), [x for page, n in sorted(pages.items()) for x in (page, n)]]
            for reading, pages in sorted(counts.items())}


def _stored_readings(store, version: str, text: str) -> list:
    """word_readings(text) from the cache (scripts/memo.py), or made and stored: SudachiPy is
    loaded only when a page's text has changed."""
    key = memo.digest(version, text)
    found = store.get(key)
    if isinstance(found, list) and all(isinstance(pair, list) and len(pair) == 2 for pair in found):
        return found
    found = word_readings(text)
    store.put(key, found)
    return found


class _NoIndex:
    """Stands in for Material's lunr index, which ours replaces: building it
    parsed every page a second time for a file that is then overwritten."""

    def add_entry_from_context(self, page) -> None:
        pass

    def generate_search_index(self, prev) -> str:
        return "{}"


def skip_material_index(plugins) -> None:
    """Keep Material's search plugin (its search box) but not its indexing."""
    plugin = plugins.get("material/search") or plugins.get("search")
    if plugin is not None and hasattr(plugin, "search_index") and not os.environ.get("SEARCH_KEEP_MATERIAL_INDEX"):
        plugin.search_index = _NoIndex()
