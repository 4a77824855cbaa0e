"""Search benchmark: recall@5, precision@5 and bytes per query, in headless Chromium.

Runs the query set (tests/search_queries.yml) through three engines on the
same build of the site and prints a table:

* site      our worker (assets/javascripts/search-worker.js) + our index
* material  Material's own lunr worker + its index (TinySegmenter for ja)
* pagefind  Pagefind's extended build (if the `pagefind` package is installed)

    .venv/bin/python -m scripts.search_benchmark              # builds into a temp dir
    .venv/bin/python -m scripts.search_benchmark --site DIR   # a site built with SEARCH_KEEP_MATERIAL_INDEX=1
    .venv/bin/python -m scripts.search_benchmark --misses     # also list the queries each engine missed

Figures are given per kind of query (`kind` in the query set): `written`
(the word as written: kanji, kana, Latin), `reading` (the word typed in kana,
じしん for 地震) and `romaji` (jishin). recall@5: the expected page is among
the first five results. precision@5: of the (up to) five results shown, the
share that are relevant, i.e. the expected page or a page that contains every
word of the query (for reading and romaji queries: the word they stand for,
`word`; English words match at the start of a word, so "floods" counts
"flooding"); queries without results are left out of it (recall counts them).
"setup ms" is the worker's time to load the index on a first visit, "cached"
on the next page load (the worker keeps it in IndexedDB).

"Bytes per query" is what a first-time visitor's browser downloads to answer
one query: the index, the worker and any segmenter or index chunks it loads,
as served (uncompressed) and gzip-compressed (what a server sends with
compression on). tests/test_search.py reuses the helpers here.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path


from scripts import datafiles
from scripts import ROOT, languages

QUERIES = ROOT / "tests" / "search_queries.yml"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TOP = 5


@dataclass(frozen=True)
class Query:
    q: str
    page: str  # source path under docs/<lang>/, e.g. fields/disaster-resilience.md
    why: str = ""
    kind: str = "written"  # written | reading | romaji
    word: str = ""  # for reading and romaji queries: the word they stand for (地震)

    @property
    def url(self) -> str:
        return page_url(self.page)


def page_url(src: str) -> str:
    """docs path -> the page's URL below its language root (use_directory_urls)."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/"


def load_queries(path: Path = QUERIES) -> dict[str, list[Query]]:
    with open(path, encoding="utf-8") as f:
        data = datafiles.load(f)
    return {lang: [Query(**{k: str(v) for k, v in item.items()}) for item in items] for lang, items in data.items()}


# Drives a search worker with Material's messages: 0 SETUP, 1 READY, 2 QUERY, 3 RESULT.
WORKER_JS = """
async ({worker, index, queries, docs}) => {
  const w = new Worker(worker);
  const data = docs || await (await fetch(index)).json();
  let pending = null;
  w.onmessage = e => { if (pending && e.data.type === pending.type) { const p = pending; pending = null; p.resolve(e.data); } };
  const ask = (type, message) => new Promise(resolve => { pending = {type, resolve}; w.postMessage(message); });
  const t0 = performance.now();
  await ask(1, {type: 0, data: {config: data.config, docs: data.docs, options: {suggest: false}}});
  const setup = performance.now() - t0;
  // The next page loads: a new worker each, the index already kept by the first (median of 5).
  await new Promise(resolve => setTimeout(resolve, 200));  // let the first worker's write finish
  const cachedTimes = [];
  let ready = {};
  for (let i = 0; i < 5; i++) {
    const again = new Worker(worker);
    const t1 = performance.now();
    ready = await new Promise(resolve => {
      again.onmessage = e => e.data.type === 1 && resolve(e.data);
      again.postMessage({type: 0, data: {config: data.config, docs: data.docs, options: {suggest: false}}});
    });
    cachedTimes.push(performance.now() - t1);
    again.terminate();
  }
  const setupCached = cachedTimes.sort((a, b) => a - b)[2];
  const results = [], times = [];
  for (const q of queries) {
    const t = performance.now();
    const r = await ask(3, {type: 2, data: q});
    times.push(performance.now() - t);
    results.push(r.data.items.map(group => {
      const article = group.find(d => !d.location.includes("#")) || group[0];
      return {location: article.location.split("#")[0], title: article.title, text: group.map(d => (d === article ? "" : d.title + " ") + d.text).join(" ")};
    }));
  }
  w.terminate();
  return {results, times, setup, setupCached, cached: !!ready.cached};
}
"""

PAGEFIND_JS = """
async ({bundle, queries}) => {
  const pf = await import(bundle);
  await pf.init();
  const results = [], times = [];
  for (const q of queries) {
    const t = performance.now();
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, %d).map(x => x.data()));
    times.push(performance.now() - t);
    results.push(data.map(d => ({location: d.url, title: d.meta && d.meta.title, text: d.excerpt})));
  }
  return {results, times, setup: 0};
}
""" % TOP


@dataclass
class Run:
    engine: str
    lang: str
    hits: list[bool]
    misses: list[tuple[Query, list[str]]]
    times: list[float]
    bytes_raw: int = 0
    bytes_gzip: int = 0
    setup: float = 0.0  # ms to load the index in the worker
    setup_cached: float = 0.0  # the same on the next page load
    queries: list[Query] | None = None
    precisions: list[float | None] | None = None  # per query; None: no results

    @property
    def recall(self) -> float:
        return sum(self.hits) / len(self.hits) if self.hits else 0.0

    @property
    def precision(self) -> float:
        values = [p for p in self.precisions or [] if p is not None]
        return sum(values) / len(values) if values else 0.0

    def kinds(self) -> list[str]:
        return list(dict.fromkeys(q.kind for q in self.queries or []))

    def of_kind(self, kind: str) -> "Run":
        keep = [i for i, q in enumerate(self.queries or []) if q.kind == kind]
        return Run(self.engine, self.lang, [self.hits[i] for i in keep],
                   [m for m in self.misses if m[0].kind == kind], [self.times[i] for i in keep],
                   self.bytes_raw, self.bytes_gzip, self.setup, self.setup_cached,
                   [self.queries[i] for i in keep], [self.precisions[i] for i in keep] if self.precisions else None)


def fold(text: str) -> str:
    """NFKC, lower case, katakana -> hiragana (as the worker folds)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def page_texts(site: Path, lang: str) -> dict[str, str]:
    """Each page's folded text (title, headings, text) from our index, by path below the language root."""
    data = json.loads((site / languages.get(lang).path / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts: dict[str, list[str]] = {}
    for doc in data["docs"]:
        texts.setdefault(doc["location"].split("#")[0], []).append(
            " ".join([doc.get("title", ""), doc.get("description", ""), doc.get("text", "")]))
    return {loc: fold(" ".join(parts)) for loc, parts in texts.items()}


def relevant(query: Query, location: str, texts: dict[str, str]) -> bool:
    if location == query.url:
        return True
    text = texts.get(location, "")
    for word in (query.word or query.q).split():
        word = fold(word)
        if re.fullmatch(r"[a-z0-9]+", word):
            prefix = word[:max(4, len(word) - 3)]
            if not re.search(rf"(?<![a-z0-9]){re.escape(prefix)}", text):
                return False
        elif word not in text:
            return False
    return True


def _relative_location(location: str, lang: str) -> str:
    """A result URL as a path below the language root ('' is the home page)."""
    loc = location.split("#")[0].split("?")[0]
    if "://" in loc:
        loc = "/" + loc.split("://", 1)[1].split("/", 1)[-1]
    loc = loc.lstrip("/")
    prefix = languages.get(lang).path
    if prefix and loc.startswith(prefix):
        loc = loc[len(prefix):]
    if loc.endswith("index.html"):
        loc = loc[: -len("index.html")]
    return loc


def score(engine: str, lang: str, queries: list[Query], raw: dict, texts: dict[str, str] | None = None) -> Run:
    hits, misses, precisions = [], [], []
    for query, results in zip(queries, raw["results"]):
        pages = []
        for r in results:
            loc = _relative_location(r["location"], lang)
            if loc not in pages:
                pages.append(loc)
        ok = query.url in pages[:TOP]
        hits.append(ok)
        if not ok:
            misses.append((query, pages[:TOP]))
        shown = pages[:TOP]
        precisions.append(sum(relevant(query, loc, texts or {}) for loc in shown) / len(shown) if shown else None)
    return Run(engine, lang, hits, misses, raw["times"], setup=raw.get("setup", 0.0),
               setup_cached=raw.get("setupCached", 0.0), queries=list(queries), precisions=precisions)


def worker_paths(site: Path, engine: str) -> tuple[str, str]:
    """(worker, index) URLs relative to the site root for an engine."""
    if engine == "site":
        return "assets/javascripts/search-worker.js", "search/search_index.json"
    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    if not workers:
        raise SystemExit(f"{site}: Material's search worker is missing")
    return f"assets/javascripts/workers/{workers[0].name}", "search/material_search_index.json"


def run_engine(browser, server: str, site: Path, engine: str, lang: str, queries: list[Query]) -> Run:
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + languages.get(lang).path)
    base = server + languages.get(lang).path
    if engine == "pagefind":
        raw = page.evaluate(PAGEFIND_JS, {"bundle": server + "pagefind/pagefind.js", "queries": [q.q for q in queries]})
    else:
        worker, index = worker_paths(site, engine)
        raw = page.evaluate(WORKER_JS, {"worker": base + worker, "index": base + index,
                                        "queries": [q.q for q in queries], "docs": None})
    run = score(engine, lang, queries, raw, page_texts(site, lang))
    context.close()
    # First-visit setup: the median of three fresh browser contexts (no cache).
    colds = [run.setup]
    for _ in range(2):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base)
        worker, index = worker_paths(site, engine) if engine != "pagefind" else ("", "")
        if engine != "pagefind":
            colds.append(page.evaluate(WORKER_JS, {"worker": base + worker, "index": base + index, "queries": [],
                                                   "docs": None})["setup"])
        context.close()
    run.setup = statistics.median(colds)
    run.bytes_raw, run.bytes_gzip = first_query_bytes(browser, server, site, engine, lang, queries[0].q)
    return run


def first_query_bytes(browser, server: str, site: Path, engine: str, lang: str, query: str) -> tuple[int, int]:
    """Bytes a new visitor's browser downloads to answer one query (raw, gzip)."""
    context = browser.new_context()
    page = context.new_page()
    bodies: dict[str, bytes] = {}

    def on_response(response):
        with contextlib.suppress(Exception):
            if response.status == 200:
                bodies[response.url] = response.body()

    context.on("response", on_response)
    page.goto(server + languages.get(lang).path)
    page.wait_for_load_state("networkidle")
    base = server + languages.get(lang).path
    if engine == "pagefind":
        page.evaluate(PAGEFIND_JS, {"bundle": server + "pagefind/pagefind.js", "queries": [query]})
        counted = {u: b for u, b in bodies.items() if "/pagefind/" in u}
    else:
        worker, index = worker_paths(site, engine)
        page.evaluate(WORKER_JS, {"worker": base + worker, "index": base + index, "queries": [query], "docs": None})
        # The index, the worker and what the worker imports (lunr's segmenter and languages).
        counted = {u: b for u, b in bodies.items() if "/search/" in u or "/workers/" in u or "/lunr/" in u
                   or u.endswith("search-worker.js") or u.endswith("/vendor/porter2.js")}
    context.close()
    raw = sum(len(b) for b in counted.values())
    packed = sum(len(gzip.compress(b, 6)) for b in counted.values())
    return raw, packed


# ---------------------------------------------------------------- serving

class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(site: Path):
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@contextlib.contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()


def build_for_benchmark(dest: Path) -> Path:
    """Build the site keeping Material's lunr index beside ours."""
    env = dict(os.environ, SEARCH_KEEP_MATERIAL_INDEX="1", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "scripts", "build", "--site-dir", str(dest)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return dest


def add_pagefind(site: Path) -> bool:
    """Index the built site with Pagefind's extended build (per-language bundles by <html lang>)."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)], capture_output=True, text=True)
    if result.returncode:
        print(f"pagefind failed: {result.stderr[-2000:]}", file=sys.stderr)
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.search_benchmark", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site (built with SEARCH_KEEP_MATERIAL_INDEX=1)")
    parser.add_argument("--misses", action="store_true", help="list the queries each engine missed")
    parser.add_argument("--engines", default="site,material,pagefind")
    args = parser.parse_args(argv)
    queries = load_queries()
    tmp = None
    site = args.site
    if site is None:
        tmp = Path(tempfile.mkdtemp(prefix="search-benchmark-"))
        print("Building the site…", file=sys.stderr)
        site = build_for_benchmark(tmp / "site")
    engines = args.engines.split(",")
    if "material" in engines and not (site / "search" / "material_search_index.json").exists():
        print("No Material index in this build (build with SEARCH_KEEP_MATERIAL_INDEX=1); skipping material.",
              file=sys.stderr)
        engines.remove("material")
    if "pagefind" in engines and not (site / "pagefind").exists() and not add_pagefind(site):
        print("Pagefind is not installed (pip install 'pagefind[extended]'); skipping pagefind.", file=sys.stderr)
        engines.remove("pagefind")
    runs = []
    try:
        with serve(site) as server, chromium() as browser:
            for engine in engines:
                for lang, items in queries.items():
                    runs.append(run_engine(browser, server, site, engine, lang, items))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'engine':<10}{'lang':<6}{'kind':<9}{'queries':>8}{'recall@5':>10}{'prec@5':>8}{'bytes/query':>14}"
          f"{'gzip':>10}{'setup ms':>10}{'cached':>8}{'ms/query':>10}")
    for run in runs:
        for kind in run.kinds():
            part = run.of_kind(kind)
            print(f"{run.engine:<10}{run.lang:<6}{kind:<9}{len(part.hits):>8}{part.recall:>10.1%}"
                  f"{part.precision:>8.1%}{run.bytes_raw:>14,}{run.bytes_gzip:>10,}{run.setup:>10.0f}"
                  f"{run.setup_cached:>8.0f}{statistics.median(part.times):>10.1f}")
    if args.misses:
        for run in runs:
            for query, got in run.misses:
                print(f"  {run.engine}/{run.lang} missed {query.q!r} -> {query.url or '(home)'}; top: {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
