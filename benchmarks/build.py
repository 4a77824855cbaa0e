"""Build and page-speed benchmark, against plain Material in the same run.

    .venv/bin/python benchmarks/build.py            # full run (about half an hour on 2 cores)
    .venv/bin/python benchmarks/build.py --quick    # small sizes, one run: checks it works

Prints the machine (CPUs, model, memory) and, each figure the median of
--runs runs (ours and plain Material alternated):

* the real site: a cold build (empty caches, lesson cache included) and a
  warm build (no changes), both languages, wall and CPU time, with the time
  per step (pages, images, charts, social cards, lesson PDFs, search index,
  checks, reading aids); plain Material on the same Markdown; whether a
  no-change rebuild encoded any image or made any lesson file;
* a generated site: the real pages plus N pages per language (headings,
  tables, glossary terms, facts) and photos of 4000×3000 in the navigation,
  built by the full pipeline (images cached) and by plain Material (same
  theme features, no hooks or extra plugins, images copied as they are), at
  N and N/2: the ratio of their build times and the scaling factor;
* the preview server's rebuild after a one-page edit (save to served);
* the first-load bytes of each page template and the search index bytes;
* the targets of issue 11, met or not.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PARTS = ["mkdocs.yml", "mkdocs.en.yml", "babel.cfg", "overrides", "locales", "scripts", "data"]
# Builds compile our modules once and keep the bytecode, as on any machine where Python may write
# it; plain Material's modules were compiled when pip installed them. (Some environments set
# PYTHONDONTWRITEBYTECODE, which made every process of ours compile scripts/ again: 0.2-0.3 s.)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"NO_MKDOCS_2_WARNING": "1"}
# The preview watches scripts/: compiled-module files written there would look like edits.
PREVIEW_ENV = dict(ENV, PYTHONDONTWRITEBYTECODE="1")
TEMPLATES = {  # one page per template, as served URLs below each language root
    "home": "", "explainer": "fields/disaster-resilience/", "glossary": "glossary/",
    "teachers": "teachers/", "news": "news/",
}


@dataclass
class Run:
    wall: float  # seconds, start to end
    cpu: float  # user + system seconds of every process it started (both languages, image workers)
    log: str = ""
    phases: dict = field(default_factory=dict)  # step -> seconds, summed over the language builds


def run(cmd, cwd, env=None, timeout=3600) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"command failed in {cwd}: {' '.join(map(str, cmd))}\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, result.stderr)


def build_full(project: Path, site: Path, cache: Path) -> Run:
    """The project's own build command, with its caches in `cache` (empty = a cold build)."""
    timings_file = Path(tempfile.mktemp(suffix=".json"))
    env = dict(ENV, SITE_CACHE_DIR=str(cache), LESSON_CACHE_DIR=str(cache / "lessons"),
               SITE_TIMINGS_FILE=str(timings_file))
    result = run([sys.executable, "-m", "scripts", "build", "--site-dir", str(site)], project, env)
    figures = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    timings_file.unlink(missing_ok=True)
    figures.pop("total", None)
    # The rest: starting Python, Markdown, templates, link checks, writing files, and
    # the CPU of worker processes (image encoders, PDF renderers) beyond the steps' own time.
    figures["the rest"] = max(0.0, result.cpu - sum(figures.values()))
    result.phases = figures
    return result


WORK_DONE = {  # what a build made rather than took from its caches, from its log
    "images encoded": r"Images: (\d+) encoded",
    "charts drawn": r"Charts: (\d+) images encoded",
    "social cards drawn": r"Social cards: (\d+) drawn",
    "lesson files made (PDFs, slides, ZIPs)": r"Lesson packs: (\d+) files made",
    "pages finished (not from the cache)": r"Pages: \d+ from the cache, (\d+) finished",
}


def work_done(log: str) -> dict[str, int]:
    return {name: sum(int(n) for n in re.findall(pattern, log)) for name, pattern in WORK_DONE.items()}


def plain_configs(project: Path) -> list[Path]:
    """Plain Material on the same Markdown: no hooks, no custom templates, search only."""
    configs = []
    for name, lang, docs, site in (("plain.yml", "ja", "docs/ja", "plain-site"),
                                   ("plain.en.yml", "en", "docs/en", "plain-site/en")):
        base = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        config = {
            "site_name": base["site_name"], "site_url": base["site_url"], "docs_dir": docs, "site_dir": site,
            "use_directory_urls": True,
            # The same theme features (navigation, search): they shape every page's HTML.
            "theme": {"name": "material", "language": lang, "font": False,
                      "features": base.get("theme", {}).get("features", [])},
            "markdown_extensions": ["toc", "attr_list", "md_in_html", "admonition", "def_list",
                                    "footnotes", "tables", "pymdownx.details", "pymdownx.superfences"],
            "plugins": [{"search": {"lang": lang}}],
        }
        if "nav" in base and lang == "ja":
            config["nav"] = base["nav"]
        if lang == "en":
            en = yaml.load((project / "mkdocs.en.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            if "nav" in en:
                config["nav"] = en["nav"]
        path = project / name
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        configs.append(path)
    return configs


def build_plain(project: Path) -> Run:
    """Plain Material, one language after the other (as two `mkdocs build` commands)."""
    total = Run(0.0, 0.0)
    for config in plain_configs(project):
        one = run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], project)
        total.wall += one.wall
        total.cpu += one.cpu
    return total


def copy_project(dest: Path, with_docs: bool = True) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS + (["docs"] if with_docs else []):
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, dest / part)
    return dest


# --- the generated site -------------------------------------------------------

JA_SENTENCES = [
    "この計画は、まちの安全を守るための技術をまとめています。", "橋や道路は、点検して早めに直すと長く使えます。",
    "予防保全は、壊れる前に手入れをする考え方です。", "国土強靱化は、災害に強い国をつくる取組です。",
    "カーボンニュートラルを目指して、インフラの使い方も変わります。", "サプライチェーンを強くすることも大切です。",
]
EN_SENTENCES = [
    "The plan brings together technology that keeps towns safe.", "Bridges and roads last longer when they are checked and fixed early.",
    "Preventive maintenance means looking after things before they break.", "National resilience means a country that stands up to disasters.",
    "The way we use infrastructure changes as we aim for carbon neutrality.", "Strong supply chains matter too.",
]
FACTS = ["population-2050", "working-age-change", "large-earthquakes-share", "preventive-saving-share"]


def make_photo(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    image = Image.new("RGB", (4000, 3000), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rnd.randrange(4000), rnd.randrange(3000)
        draw.ellipse((x, y, x + rnd.randrange(100, 900), y + rnd.randrange(100, 900)),
                     fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    image.save(path, "JPEG", quality=88)


def generate_site(dest: Path, pages: int, photos: int, photo_pool: Path) -> Path:
    """The real site plus `pages` generated pages per language, listed in the navigation.

    The real pages stay so that the whole pipeline (lessons, site map, news)
    runs as it does for staff; the generated ones sit in a section of their own.
    """
    project = copy_project(dest)
    for lang, sentences in (("ja", JA_SENTENCES), ("en", EN_SENTENCES)):
        docs = project / "docs" / lang / "generated"
        (docs / "images").mkdir(parents=True)
        for i in range(photos):
            shutil.copy2(photo_pool / f"photo-{i:03d}.jpg", docs / "images" / f"photo-{i:03d}.jpg")
        (docs / "index.md").write_text(
            f"# {'生成したページ' if lang == 'ja' else 'Generated pages'}\n\n{sentences[0]}\n", encoding="utf-8")
        for i in range(pages):
            section = docs / f"section-{i // 50:02d}"
            section.mkdir(exist_ok=True)
            rnd = random.Random(i)
            heading = ["概要", "なぜ大切？", "何をするの？"] if lang == "ja" else ["Overview", "Why it matters", "What it does"]
            title = f"ページ {i}" if lang == "ja" else f"Page {i}"
            body = [f"---\ndescription: {title}\n---\n\n# {title}\n"]
            for h in heading:
                body.append(f"## {h}\n")
                body.append(" ".join(rnd.choice(sentences) for _ in range(4)) + "\n")
                body.append(("人口は" if lang == "ja" else "It may be ") + f"[[fact:{rnd.choice(FACTS)}]]" + ("です。" if lang == "ja" else ".") + "\n")
            body.append("| A | B | C |\n|---|---|---|\n" + "".join(f"| {j} | {j * 2} | {j * 3} |\n" for j in range(5)))
            if i < photos:
                alt = f"写真 {i}" if lang == "ja" else f"Photo {i}"
                body.append(f"\n![{alt}](../images/photo-{i:03d}.jpg)\n")
            (section / f"page-{i:04d}.md").write_text("\n".join(body), encoding="utf-8")
    # The generated pages join the navigation (nav is the last key of both configs).
    for config, label in (("mkdocs.yml", "生成したページ"), ("mkdocs.en.yml", "Generated pages")):
        nav = [f"  - {label}:", "      - generated/index.md"]
        for s in range(0, pages, 50):
            nav.append(f"      - section-{s // 50:02d}:")
            nav += [f"          - generated/section-{s // 50:02d}/page-{i:04d}.md" for i in range(s, min(s + 50, pages))]
        with (project / config).open("a", encoding="utf-8") as f:
            f.write("\n".join(nav) + "\n")
    return project


# --- the preview --------------------------------------------------------------

def preview_rebuild(project: Path, runs: int, cache: Path) -> float:
    """Seconds from saving a page to the preview serving it changed (median)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(PREVIEW_ENV, SITE_CACHE_DIR=str(cache), LESSON_CACHE_DIR=str(cache / "lessons"))
    server = subprocess.Popen([sys.executable, "-m", "scripts", "serve", "--addr", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/plan/"
    page = project / "docs/ja/plan/index.md"
    original = page.read_text(encoding="utf-8")
    times = []
    try:
        wait_until(lambda: fetch(url) is not None, 60)
        for n in range(runs):
            marker = f"preview-edit-{n}"  # no kanji: the page's text gets furigana (ruby) around kanji
            start = time.perf_counter()
            page.write_text(original + f"\n{marker}\n", encoding="utf-8")
            wait_until(lambda: marker in (fetch(url) or ""), 60)
            times.append(time.perf_counter() - start)
            time.sleep(1)
    finally:
        page.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(10)
    return statistics.median(times)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except OSError:
        return None


def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError("preview did not update")


# --- bytes --------------------------------------------------------------------

def first_load_bytes(site: Path, lang_prefix: str, url: str) -> int | None:
    """HTML plus the CSS and JS it links, gzip-compressed (what a first visit transfers)."""
    import re

    html_path = site / lang_prefix / url / "index.html"
    if not html_path.exists():
        return None
    html = html_path.read_text(encoding="utf-8")
    total = len(gzip.compress(html.encode("utf-8"), 9))
    for ref in re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html):
        asset = (html_path.parent / ref.split("?")[0]).resolve()
        if asset.exists():
            total += len(gzip.compress(asset.read_bytes(), 9))
    return total


def search_index_bytes(site: Path, prefix: str) -> int:
    folder = site / prefix / "search"
    return sum(len(gzip.compress(p.read_bytes(), 9)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


# --- main ---------------------------------------------------------------------

def median(values):
    return statistics.median(values) if values else float("nan")


def machine() -> str:
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "")
    mem = Path("/proc/meminfo").read_text().split()[1] if Path("/proc/meminfo").exists() else "0"
    return (f"{os.cpu_count()} CPUs ({model or platform.processor() or 'unknown model'}), "
            f"{int(mem) / 1024 / 1024:.1f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def phases_text(r: Run) -> str:
    return ", ".join(f"{k} {v:.2f}" for k, v in sorted(r.phases.items(), key=lambda kv: -kv[1]) if v >= 0.005)


def med(runs: list[Run]) -> Run:
    """The run with the median wall time (its CPU time and steps go with it)."""
    ordered = sorted(runs, key=lambda r: r.wall)
    return ordered[(len(ordered) - 1) // 2]


class Targets:
    def __init__(self):
        self.rows: list[tuple[str, str, bool]] = []

    def check(self, name: str, figure: str, met: bool) -> str:
        self.rows.append((name, figure, met))
        return "met" if met else "NOT MET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000, help="generated pages per language (default 1000)")
    parser.add_argument("--photos", type=int, default=100, help="generated 4000×3000 photos (default 100)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the median is printed")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: checks the benchmark works")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.photos, args.runs = 20, 2, 1

    print(f"Machine: {machine()}")
    print(f"Generated site: {args.pages} pages per language, {args.photos} photos; median of {args.runs} runs.")
    print("Times are wall-clock seconds; CPU is user + system seconds of every process a build started.")
    targets = Targets()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        # 1. The real site.
        real = copy_project(work / "real")
        cache = work / "real-cache"
        cold = build_full(real, work / "real-site", cache)
        warm_runs, plain_runs = [], []
        for _ in range(args.runs):  # alternated, so a busy moment on the machine hits both alike
            warm_runs.append(build_full(real, work / "real-site", cache))
            plain_runs.append(build_plain(real))
        warm, plain = med(warm_runs), med(plain_runs)
        redone = {k: max(work_done(r.log)[k] for r in warm_runs) for k in WORK_DONE}
        ratio = warm.wall / plain.wall
        print("\nReal site (both languages)")
        print(f"  cold build (empty caches): {cold.wall:.2f} s, CPU {cold.cpu:.2f} s")
        print(f"    steps (s, both languages): {phases_text(cold)}")
        print(f"  warm build (no changes):   {warm.wall:.2f} s, CPU {warm.cpu:.2f} s")
        print(f"    steps (s, both languages): {phases_text(warm)}")
        print(f"  plain Material, same content: {plain.wall:.2f} s, CPU {plain.cpu:.2f} s")
        print(f"  warm build / plain Material: {ratio:.2f}x wall (target ≤ 1.25x: "
              f"{targets.check('real site, warm build vs plain Material', f'{ratio:.2f}x', ratio <= 1.25)}), "
              f"{warm.cpu / plain.cpu:.2f}x CPU")
        done = ", ".join(f"{v} {k}" for k, v in redone.items())
        print(f"  a rebuild with no changes made: {done} (target all 0: "
              f"{targets.check('no-change rebuild makes nothing', done, not any(redone.values()))})")

        # 2. Generated site at N and N/2.
        pool = work / "photos"
        pool.mkdir()
        for i in range(args.photos):
            make_photo(pool / f"photo-{i:03d}.jpg", i)
        results = {}
        for n in (args.pages, max(args.pages // 2, 1)):
            photos = args.photos if n == args.pages else args.photos // 2
            project = generate_site(work / f"gen-{n}", n, photos, pool)
            gen_cache = work / f"gen-cache-{n}"
            cold_gen = build_full(project, work / f"gen-site-{n}", gen_cache)
            warm_runs, plain_runs = [], []
            for _ in range(args.runs):
                warm_runs.append(build_full(project, work / f"gen-site-{n}", gen_cache))
                plain_runs.append(build_plain(project))
            warm_gen, plain_gen = med(warm_runs), med(plain_runs)
            results[n] = (warm_gen, plain_gen)
            ratio = warm_gen.wall / plain_gen.wall
            print(f"\nGenerated site: {n} pages per language (plus the real pages), {photos} photos")
            print(f"  full pipeline, cold: {cold_gen.wall:.2f} s, CPU {cold_gen.cpu:.2f} s")
            print(f"    steps (s, both languages): {phases_text(cold_gen)}")
            print(f"  full pipeline, images cached: {warm_gen.wall:.2f} s, CPU {warm_gen.cpu:.2f} s")
            print(f"    steps (s, both languages): {phases_text(warm_gen)}")
            print(f"  plain Material: {plain_gen.wall:.2f} s, CPU {plain_gen.cpu:.2f} s")
            verdict = targets.check(f"generated site ({n}/language), page building vs plain Material",
                                    f"{ratio:.2f}x", ratio <= 1.5)
            print(f"  page building / plain Material: {ratio:.2f}x wall (target ≤ 1.5x: {verdict}), "
                  f"{warm_gen.cpu / plain_gen.cpu:.2f}x CPU")
        big, half = results[args.pages], results[max(args.pages // 2, 1)]
        factor = big[0].wall / half[0].wall
        print(f"\nScaling (time at N / time at N/2): full pipeline {factor:.2f} (target ≤ 2.2: "
              f"{targets.check('scaling factor', f'{factor:.2f}', factor <= 2.2)}), "
              f"plain Material {big[1].wall / half[1].wall:.2f}")

        # 3. Preview rebuild after a one-page edit (real site, warm caches).
        seconds = preview_rebuild(copy_project(work / "preview"), max(args.runs, 3), cache)
        print(f"\nPreview rebuild after a one-page edit: {seconds:.2f} s (target < 2 s: "
              f"{targets.check('preview rebuild after a one-page edit', f'{seconds:.2f} s', seconds < 2)})")

        # 4. Bytes.
        site = work / "real-site"
        print("\nFirst-load transfer (gzip: HTML + CSS + JS), bytes")
        for name, url in TEMPLATES.items():
            row = [first_load_bytes(site, prefix, url) for prefix in ("", "en")]
            print(f"  {name:10} ja {row[0] if row[0] is not None else '-':>8}   en {row[1] if row[1] is not None else '-':>8}")
        print(f"Search index (gzip): ja {search_index_bytes(site, '')} bytes, en {search_index_bytes(site, 'en')} bytes")

        print("\nTargets")
        for name, figure, met in targets.rows:
            print(f"  {'met    ' if met else 'NOT MET'}  {name}: {figure}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
