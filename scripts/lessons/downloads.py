"""Make every lesson download and poster, cached by content.

Each PDF or PNG is rendered from one self-contained HTML document; the
SHA-256 of that HTML (plus the renderer's own version) names its cache
folder, so a rebuild with no change renders nothing, and a change renders
only what it touches. Work that is left runs in worker processes (two on the
two-core machines we build on; LESSON_WORKERS changes it).

The cache is content-addressed, so it is safe to share between checkouts:
it lives in ~/.cache/mlit-plan-site/lessons (or $XDG_CACHE_HOME/…, or
$LESSON_CACHE_DIR), not in the project's .cache/, so the tests' copies of the
project reuse it instead of rendering every file again. SITE_CACHE_DIR does
not move it (tests set that to isolate other caches); set LESSON_CACHE_DIR
to an empty folder to time a cold build. Delete it any time: the next build
fills it again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import logging
import multiprocessing
import os
import shutil
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts import ROOT, languages
from scripts.lessons import documents, render
from scripts.lessons import text as T
from scripts.lessons.model import Lesson, Poster
from scripts.problems import ContentError, Problem

log = logging.getLogger("mkdocs.hooks.lessons")
DOWNLOADS = "teachers/downloads"
SLIDE_SCALE = 1920 / 1440  # a 1920px page is 1440pt wide: PNGs come out 1920 × 1080
POSTER_DPI = 300
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time ZIP can store: only when git cannot say


def _zip_time(lesson: Lesson) -> tuple[int, int, int, int, int, int]:
    """The time of the last commit that changed what the pack is made from (the lesson, facts,
    charts, the code table, the templates), in UTC: a teacher unzipping it sees when the
    content last changed, not 1980, and the same commit gives the same bytes."""
    times = _commit_times()
    shared = [times.get(p) for p in _SHARED_SOURCES]
    found = [t for t in [times.get(_rel(lesson.path)), *shared] if t is not None]
    if not found:
        return ZIP_TIME
    stamp = dt.datetime.fromtimestamp(max(found), tz=dt.timezone.utc)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)


_SHARED_SOURCES = ("data/facts.yml", "data/charts.yml", "data/curriculum-codes.yml", "scripts/lessons/templates")
_times: dict[str, dict[str, int]] = {}


def _rel(path) -> str:
    return Path(path).resolve().relative_to(ROOT).as_posix() if Path(path).resolve().is_relative_to(ROOT) else str(path)


def _commit_times() -> dict[str, int]:
    """Last commit time of each lesson file and shared source, from one `git log` per build (not one
    per lesson). Keyed by path relative to the repository; a folder gets its newest file's time."""
    from scripts import git_dates

    head = git_dates._git(ROOT, "rev-parse", "HEAD") or ""
    if head not in _times:
        out = git_dates._git(ROOT, "log", "--format=%x00%ct", "--name-only", "--",
                             "data/lessons", *_SHARED_SOURCES) or ""
        times: dict[str, int] = {}
        for block in out.split("\x00")[1:]:
            stamp, *names = block.strip().splitlines()
            for name in filter(None, names):
                for key in {name, *(s for s in _SHARED_SOURCES if name.startswith(s + "/"))}:
                    times.setdefault(key, int(stamp))  # newest first: the first time seen is the last change
        _times.clear()
        _times[head] = times
    return _times[head]


MEDIA = {".pdf": "application/pdf", ".png": "image/png", ".zip": "application/zip"}


def cache_root() -> Path:
    if os.environ.get("LESSON_CACHE_DIR"):
        return Path(os.environ["LESSON_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "mlit-plan-site" / "lessons"


@dataclass(frozen=True)
class Download:
    kind: str  # zip | worksheet | guide | slides-pdf | slide | infographic | poster
    lang: str  # the site (language) it is published in
    path: str  # docs-relative path on the site: teachers/downloads/…
    source: Path  # the file in the cache
    size: int
    url: str  # absolute URL
    pages: int = 1
    title: str = ""  # infographics: the chart title
    variant: str = ""  # posters: a language code (ja, en) or a bilingual pair (ja-en)
    paper: str = ""  # posters: A4 | A3
    format: str = ""  # posters: PDF | PNG

    @property
    def filename(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def media_type(self) -> str:
        return MEDIA[Path(self.path).suffix]


@dataclass
class Result:
    lessons: dict = field(default_factory=dict)  # (lesson id, lang) -> [Download]
    posters: dict = field(default_factory=dict)  # (field, lang) -> [Download]
    made: int = 0
    cached: int = 0
    seconds: float = 0.0

    def for_language(self, lang: str) -> list[Download]:
        out = [d for (_, code), items in self.lessons.items() if code == lang for d in items]
        out += [d for (_, code), items in self.posters.items() if code == lang for d in items]
        return out


# --- site information -----------------------------------------------------------------

class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !!python tags we do not need here."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_info(extra: dict) -> dict:
    """Names, URLs and publisher for every language, from mkdocs.yml and friends
    (the publisher settings through scripts/publisher.py, the framing dates from data/facts.yml)."""
    from scripts import facts, publisher as publisher_settings

    pub = publisher_settings.load()
    configured = extra["languages"]
    # The public address from the settings file: `mkdocs serve` replaces site_url with
    # the preview's, and printed files must carry the real one (and stay in the cache).
    info = {"root_url": pub.site_url, "paths": {}, "name": {}, "publisher": {}, "official": pub.official,
            "publisher_ld": {}, "framing": {}, "preview": pub.preview, "contact": pub.email or pub.contact_url,
            "repository": pub.repository}
    for lang in configured:
        code = lang["code"]
        info["paths"][code] = lang["path"] if not lang["path"] or lang["path"].endswith("/") else lang["path"] + "/"
        info["name"][code] = pub.site_names.get(code, "")
        info["publisher"][code] = pub.name(code)
        info["publisher_ld"][code] = pub.json_ld(code)
        info["framing"][code] = facts.framing(code)
    return info


# --- the cache ----------------------------------------------------------------------------

def renderer_version() -> str:
    """Anything outside the HTML that changes the bytes: our renderer, the libraries, the font."""
    from importlib.metadata import version

    parts = [Path(render.__file__).read_bytes()]
    parts += [f"{name}={version(name)}".encode() for name in ("weasyprint", "pydyf", "fonttools", "pypdfium2", "pillow")]
    for font in sorted(Path("/usr/share/fonts").glob("**/BIZUDPGothic*.ttf")):
        parts.append(f"{font.name}:{font.stat().st_size}".encode())
    return hashlib.sha256(b"\0".join(parts)).hexdigest()


@dataclass
class Job:
    html: str
    png: dict | None
    key: str = ""
    label: str = ""  # what it is, for error messages
    pages: int | None = None  # pages it must have (a slide or poster that overflows makes one more)
    source: str = ""  # the data file to shorten when it overflows
    sheet: bool = False  # one fixed sheet (a poster): too much content overlaps instead of adding a page

    def folder(self, root: Path) -> Path:
        return root / self.key[:2] / self.key


def _job(html: str, png: dict | None, version: str, label: str, pages: int | None = None, source: str = "",
         sheet: bool = False) -> Job:
    digest = hashlib.sha256(json.dumps([version, png, sheet], sort_keys=True).encode() + b"\0" + html.encode()).hexdigest()
    return Job(html, png, digest, label, pages, source, sheet)


def _run(jobs: list[Job], root: Path) -> int:
    """Render the jobs not in the cache yet; returns how many were rendered."""
    todo, seen = [], set()
    for job in jobs:
        if job.key not in seen and not _complete(job, root):
            seen.add(job.key)
            todo.append(job)
            shutil.rmtree(job.folder(root), ignore_errors=True)  # part of it (a cleaned cache): made again
    if not todo:
        return 0
    _check_font()
    # Biggest first (posters), so both workers stay busy to the end.
    todo.sort(key=lambda j: -(j.png or {}).get("dpi", 0))
    payloads = []
    for n, job in enumerate(todo):
        tmp = root / "tmp" / f"{job.key}-{os.getpid()}-{n}"
        shutil.rmtree(tmp, ignore_errors=True)
        payloads.append({"key": job.key, "html": job.html, "png": job.png, "dir": str(tmp), "label": job.label,
                         "expect": job.pages, "source": job.source, "sheet": job.sheet})
    workers = int(os.environ.get("LESSON_WORKERS") or min(2, os.cpu_count() or 1))
    workers = max(1, min(workers, len(payloads)))
    try:
        if workers == 1:
            results = [render.run_job(p) for p in payloads]
        else:
            context = multiprocessing.get_context("spawn")  # no fork: MkDocs' serve has threads
            with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                     initializer=render.watch_parent, initargs=(os.getpid(),)) as pool:
                results = list(pool.map(render.run_job, payloads))
    except render.RenderError as e:
        raise ContentError([Problem("lesson-render", "error", "scripts/lessons/templates", str(e),
                                    "install the missing system package, then build again.")]) from None
    problems = []
    for payload, result in zip(payloads, results):
        crowded = result.get("crowded") or []
        if result["warnings"] or crowded or (payload["expect"] and len(result["pages"]) != payload["expect"]):
            shutil.rmtree(payload["dir"], ignore_errors=True)  # never cached: the build reports it below
        if result["warnings"]:
            problems.append(Problem("lesson-render", "error", "scripts/lessons/templates",
                                    f"WeasyPrint warned while making the {payload['label']}: "
                                    + "; ".join(result["warnings"][:3]),
                                    "fix the template or CSS it names (a warning means something would print wrong)."))
            continue
        if payload["expect"] and len(result["pages"]) != payload["expect"]:
            problems.append(Problem("lesson-overflow", "error", payload["source"] or "scripts/lessons/templates",
                                    f"{payload['label']}: {payload['expect']} ページのはずが {len(result['pages'])} "
                                    "ページになりました（文字が入りきりません）。 / "
                                    f"{len(result['pages'])} pages instead of {payload['expect']}: some text does not fit "
                                    "on its slide or sheet.",
                                    "いちばん長い文を短くしてください（またはレイアウトの調整を開発者に頼んでください）。 / "
                                    "Shorten the longest text it shows (or ask a developer to adjust the layout)."))
            continue
        if crowded:
            problems.append(Problem("lesson-overflow", "error", payload["source"] or "scripts/lessons/templates",
                                    f"{payload['label']}: 内容が多すぎて、印刷すると文字が重なります。 / too full to "
                                    "print cleanly: " + "; ".join(crowded[:3]) + ".",
                                    "いちばん長い文を短くしてください（またはレイアウトの調整を開発者に頼んでください）。 / "
                                    "Shorten the longest text it shows (or ask a developer to adjust the layout)."))
            continue
        tmp, final = Path(payload["dir"]), root / payload["key"][:2] / payload["key"]
        (tmp / "done").write_text("\n".join(["doc.pdf", *result["pages"]]) + "\n", encoding="utf-8")
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            tmp.rename(final)
        except OSError:  # another build finished it first: same bytes
            shutil.rmtree(tmp, ignore_errors=True)
    if problems:
        raise ContentError(problems)
    return len(payloads)


# About eight full sets of downloads; LESSON_CACHE_MB changes it.
CACHE_LIMIT = int(os.environ.get("LESSON_CACHE_MB") or 300) * 1000 * 1000
OLD = 2 * 24 * 3600  # ZIPs and saved results not used for two days go when the cache is tidied


def _prune(root: Path, keep: set[Path], limit: int = CACHE_LIMIT) -> int:
    """Delete the least recently used renders and ZIPs until the cache is under
    `limit` bytes; what this build uses is never deleted. Returns bytes freed."""
    entries = []
    for done in root.glob("??/*/done"):
        folder = done.parent
        entries.append((done.stat().st_mtime, folder, sum(f.stat().st_size for f in folder.iterdir())))
    for path in root.glob("zip/*.zip"):
        entries.append((path.stat().st_mtime, path, path.stat().st_size))
    total, freed = sum(size for _, _, size in entries), 0
    for _, path, size in sorted(entries, key=lambda e: e[0]):
        if total - freed <= limit:
            break
        if path not in keep:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            freed += size
    # Leftovers of builds that were stopped mid-way, and results of long ago.
    now = time.time()
    for path in root.glob("tmp/*"):
        if path.stat().st_mtime < now - 3600:
            shutil.rmtree(path, ignore_errors=True)
    for path in root.glob("results/*.json"):
        if path.stat().st_mtime < now - OLD:
            path.unlink(missing_ok=True)
    return freed


def _check_font() -> None:
    if not list(Path("/usr/share/fonts").glob("**/BIZUDPGothic-Regular.ttf")):
        import subprocess

        found = subprocess.run(["fc-list", ":family=BIZ UDPGothic"], capture_output=True, text=True).stdout
        if not found.strip():
            raise ContentError([Problem(
                "lesson-font", "error", "scripts/system-deps.sh",
                "the font BIZ UDPGothic is not installed, so lesson PDFs cannot embed a Japanese font.",
                "run `bash scripts/system-deps.sh` (Debian: apt-get install fonts-morisawa-bizud-gothic).")])


def _complete(job: Job, root: Path) -> bool:
    """In the cache whole: its marker and every file the marker names."""
    try:
        pdf, pngs = _outputs(job, root)
    except OSError:
        return False
    return pdf.is_file() and all(png.is_file() for png in pngs)


def _outputs(job: Job, root: Path) -> tuple[Path, list[Path]]:
    folder = job.folder(root)
    names = (folder / "done").read_text(encoding="utf-8").split()
    return folder / "doc.pdf", [folder / n for n in names if n.endswith(".png")]


# --- what to make ---------------------------------------------------------------------------

# Everything the documents are made from. When none of it changed, the last
# result is reused without even writing the HTML again (a no-change rebuild
# then costs a few milliseconds instead of seconds).
INPUTS = ("data/lessons", "data/facts.yml", "data/charts.yml", "locales", "scripts/lessons", "scripts/furigana.py",
          "scripts/phrases.py", "scripts/facts.py", "scripts/formats.py", "scripts/catalogs.py", "scripts/htmltext.py",
          "scripts/languages.py")
# Explainer pages feed the lessons' background (scripts/lessons/text.py): only what
# is taken from them counts, so editing the rest of such a page remakes nothing.
EXPLAINERS = ("fields", "trust", "plan")
INPUT_SUFFIXES = (".yml", ".md", ".po", ".py", ".html", ".css")
PACKAGES = ("babel", "budoux", "sudachipy", "sudachidict-core", "kanji-lists", "jinja2")


def _fingerprint(lessons: list[Lesson], posters: list[Poster], site: dict, langs: list[str], version: str) -> str:
    from importlib.metadata import PackageNotFoundError, version as package_version

    digest = hashlib.sha256()
    # The ZIPs carry the time of the last commit of their sources: a commit of the same content
    # must still give ZIPs with its time (a fresh cache would).
    # The languages' settings too: their writing systems (extra.languages `script`) shape the text.
    chosen = [[l.id for l in lessons], [p.field for p in posters], list(langs), site, version,
              [_zip_time(l) for l in lessons], [dataclasses.astuple(l) for l in languages.configured()]]
    for name in PACKAGES:
        try:
            chosen.append(f"{name}={package_version(name)}")
        except PackageNotFoundError:
            chosen.append(name)
    digest.update(json.dumps(chosen, sort_keys=True, ensure_ascii=False).encode())
    paths = set()
    for pattern in INPUTS:
        for base in ROOT.glob(pattern):
            paths.update(p for p in ([base] if base.is_file() else base.rglob("*"))
                         if p.is_file() and p.suffix in INPUT_SUFFIXES and "__pycache__" not in p.parts)
    for path in sorted(paths):
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for lang in langs:
        for folder in EXPLAINERS:
            for path in sorted((ROOT / "docs" / lang / folder).glob("*.md")):
                page = path.relative_to(ROOT / "docs" / lang).as_posix()
                used = T.explainer(page, lang)
                digest.update(json.dumps([lang, page, used], ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()


def _load_result(path: Path, root: Path) -> Result | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    result = Result(made=0)
    for group in ("lessons", "posters"):
        for key, items in data[group]:
            downloads = [Download(**dict(item, source=root / item["source"])) for item in items]
            if not all(d.source.is_file() for d in downloads):
                return None  # someone emptied part of the cache: make it again
            getattr(result, group)[tuple(key)] = downloads
    result.cached = data["files"]
    return result


def _save_result(path: Path, root: Path, result: Result) -> None:
    from dataclasses import asdict

    def items(group):
        return [[list(key), [dict(asdict(d), source=d.source.relative_to(root).as_posix()) for d in value]]
                for key, value in getattr(result, group).items()]

    data = {"lessons": items("lessons"), "posters": items("posters"), "files": result.made + result.cached}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def prepare(lessons: list[Lesson], posters: list[Poster], site: dict, langs: list[str]) -> Result:
    """Make (or find in the cache) every download for every language."""
    start = time.monotonic()
    root = cache_root()
    version = renderer_version()
    saved = root / "results" / f"{_fingerprint(lessons, posters, site, langs, version)}.json"
    reused = _load_result(saved, root) if saved.is_file() else None
    if reused is not None:
        os.utime(saved)
        reused.seconds = time.monotonic() - start
        return reused
    slide = {"scale": SLIDE_SCALE}
    plans, jobs = [], []
    for lesson in lessons:
        for lang in langs:
            plan = _plan_lesson(lesson, lang, site, version, slide)
            plans.append(plan)
            jobs += [job for _, job in plan["jobs"]]
    poster_plans = []
    for poster in posters:
        for variant in documents.poster_variants(langs):
            for paper in documents.POSTER_PAPERS:
                html = documents.poster(poster, variant, paper, site)
                job = _job(html, {"scale": POSTER_DPI / 72, "dpi": POSTER_DPI}, version,
                           f"{paper} poster for {poster.field} ({variant})", 1, "data/lessons/posters.yml",
                           sheet=True)
                poster_plans.append((poster, variant, paper, job))
                jobs.append(job)
    made = _run(jobs, root)
    keys = {j.key for j in jobs}
    for key in keys:  # mark as recently used, for _prune
        os.utime(root / key[:2] / key / "done")
    result = Result(made=made, cached=len(keys) - made)

    # Posters: each language's site gets its own variant and the bilingual one.
    for poster, variant, paper, job in poster_plans:
        pdf, pngs = _outputs(job, root)
        for lang in langs:
            if lang not in variant.split("-"):
                continue
            for fmt, source in (("PDF", pdf), ("PNG", pngs[0])):
                path = f"{DOWNLOADS}/posters/{poster.field}-poster-{paper.lower()}-{variant}.{fmt.lower()}"
                result.posters.setdefault((poster.field, lang), []).append(Download(
                    "poster", lang, path, source, source.stat().st_size, _url(site, lang, path),
                    variant=variant, paper=paper, format=fmt))

    for plan in plans:
        lesson, lang = plan["lesson"], plan["lang"]
        items = []
        for name, job in plan["jobs"]:
            pdf, pngs = _outputs(job, root)
            base = f"{DOWNLOADS}/{lesson.id}/{lesson.id}"
            if name in ("worksheet", "guide"):
                items.append(Download(name, lang, f"{base}-{name if name == 'worksheet' else 'teacher-guide'}-{lang}.pdf",
                                      pdf, pdf.stat().st_size, "", pages=_page_count(pdf)))
            elif name == "slides":
                items.append(Download("slides-pdf", lang, f"{base}-slides-{lang}.pdf", pdf, pdf.stat().st_size, "",
                                      pages=len(pngs)))
                items += [Download("slide", lang, f"{base}-slide-{n:02d}-{lang}.png", png, png.stat().st_size, "")
                          for n, png in enumerate(pngs, 1)]
            else:  # infographic:<chart id>
                chart_id = name.split(":", 1)[1]
                items.append(Download("infographic", lang, f"{base}-infographic-{chart_id}-{lang}.png", pngs[0],
                                      pngs[0].stat().st_size, "", title=plan["chart_titles"][chart_id]))
        poster_items = [d for d in result.posters.get((lesson.field, lang), [])
                        if d.variant == lang and d.paper == "A4" and d.format == "PDF"]
        items = [_with_url(d, site) for d in items]
        zip_download = _zip(lesson, lang, site, items + poster_items, root)
        result.lessons[(lesson.id, lang)] = [zip_download] + items
    _save_result(saved, root, result)
    if made:  # the cache grew: tidy it
        used = {root / key[:2] / key for key in keys}
        used |= {items[0].source for items in result.lessons.values()}  # the ZIPs
        _prune(root, used)
    result.seconds = time.monotonic() - start
    return result


def _url(site: dict, lang: str, path: str) -> str:
    return site["root_url"] + site["paths"][lang] + path


def _with_url(d: Download, site: dict) -> Download:
    from dataclasses import replace

    return replace(d, url=_url(site, d.lang, d.path))


def _page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def _plan_lesson(lesson: Lesson, lang: str, site: dict, version: str, slide: dict) -> dict:
    _ = T.gettext(lang)
    grade = T.furigana_grade(lesson)
    label = f"for lesson {lesson.id} ({lang})"
    source = f"data/lessons/{lesson.path.name}"
    deck, count = documents.slides(lesson, lang, site)
    jobs = [("worksheet", _job(documents.worksheet(lesson, lang, site), None, version, f"worksheet {label}")),
            ("slides", _job(deck, slide, version, f"slides {label}", count, source))]
    titles = {}
    for chart_id in lesson.infographics:
        jobs.append((f"infographic:{chart_id}", _job(documents.infographic(chart_id, lang, site, grade), slide, version,
                                                    f"infographic {chart_id} {label}", 1, "data/charts.yml")))
        titles[chart_id] = documents.charts_config()[chart_id]["title"][lang]
    slides_folder = _("slides/ (one PNG image per slide, 1920 × 1080)")
    files = [f"{lesson.id}-worksheet-{lang}.pdf", f"{lesson.id}-teacher-guide-{lang}.pdf",
             f"{lesson.id}-slides-{lang}.pdf", slides_folder, _("infographics/ (PNG, 1920 × 1080)")]
    if lesson.field != "trust":
        files.append(_("poster/ (A4 PDF; A3 and PNG versions are on the website)"))
    files += [documents.README_NAME, "LICENSE.txt", "manifest.json"]
    jobs.insert(1, ("guide", _job(documents.guide(lesson, lang, site, files), None, version, f"teacher guide {label}")))
    return {"lesson": lesson, "lang": lang, "jobs": jobs, "chart_titles": titles}


def _zip(lesson: Lesson, lang: str, site: dict, items: list[Download], root: Path) -> Download:
    """One ZIP per lesson and language: files, LICENSE.txt and manifest.json (SHA-256)."""
    folder = f"{lesson.id}-{lang}"
    members = []
    for d in items:
        sub = {"slide": "slides/", "infographic": "infographics/", "poster": "poster/"}.get(d.kind, "")
        members.append((f"{folder}/{sub}{d.filename}", d.source.read_bytes()))
    members.append((f"{folder}/LICENSE.txt", documents.license_text(lesson, lang, site).encode("utf-8")))
    members.append((f"{folder}/{documents.README_NAME}", documents.readme_text(lesson, lang, site).encode("utf-8")))
    manifest = {
        "lesson": lesson.id, "language": lang, "title": lesson.title[lang],
        "url": _url(site, lang, f"teachers/{lesson.id}/"),
        "license": "PDL1.0 (Public Data License 1.0, compatible with CC BY 4.0)",
        "license_url": T.pdl_url(lang),
        "files": [{"path": name.split("/", 1)[1], "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                  for name, data in sorted(members)],
    }
    members.append((f"{folder}/manifest.json",
                    (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")))
    when = _zip_time(lesson)
    key = hashlib.sha256(repr(when).encode() + b"".join(n.encode() + hashlib.sha256(d).digest()
                                                       for n, d in members)).hexdigest()
    target = root / "zip" / f"{key}.zip"
    if target.is_file():
        os.utime(target)  # recently used (_prune)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=when)
                info.create_system = 3  # Unix, so the permissions below mean the same everywhere
                info.external_attr = 0o100644 << 16
                packed = name.endswith((".txt", ".json"))  # PDFs and PNGs are compressed already
                info.compress_type = zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
                archive.writestr(info, data, compresslevel=9 if packed else None)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(target)
    path = f"{DOWNLOADS}/{lesson.id}/{lesson.id}-{lang}.zip"
    return Download("zip", lang, path, target, target.stat().st_size, _url(site, lang, path))
