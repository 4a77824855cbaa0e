"""Content images: checked, stripped of hidden data, and published in sizes
and formats that suit every screen.

For each image under docs/ the build writes widths 480, 960 and 1600 px
(never wider than the source) in AVIF and WebP, with a JPEG (photos) or PNG
(drawings, transparency) fallback (charts we draw ourselves: lossless WebP
and PNG, see FLAT), and the page gets a <picture> element
with srcset/sizes, width/height, and lazy loading for all but the first
image. Sources are only read, never modified.

Safety (every output):
  * EXIF, XMP, GPS and IPTC are never written: orientation is applied first
    (ImageOps.exif_transpose), then `info` is emptied because Pillow carries
    it from image to image and some savers (AVIF, PNG) write what they find.
  * Colours are converted to sRGB from the embedded ICC profile (ImageCms).
  * Rejected, naming the file and the pages that use it: non-images,
    truncated files, decompression bombs (more than MAX_PIXELS pixels, and
    Pillow's own DecompressionBombWarning is turned into an error), animated
    or unsupported types, and SVG with scripts, event handlers, or references
    to anything outside the file.
  * Oversized sources (more than WARN_BYTES bytes or WARN_PIXELS pixels) get
    a warning with their size. The build is strict, so this warning stops it:
    the site never shows more than 1600 px, and a big file only weighs down
    the repository for everyone who clones it. Resize to at most 3200 px on
    the long side (any photo app can) and commit that instead.

Speed: JPEGs are decoded at reduced scale with Image.draft() (libjpeg's DCT
scaling) before the resize, and each image is one job in a process pool over
all cores; AVIF runs with one thread per process so the pool is not
oversubscribed. Results are cached in .cache/images/ under a hash of the
source bytes and the settings, so a rebuild encodes only what changed.

Alt text (check_alt): every image in a page's Markdown needs alt text in the
page's language. An image that carries no information is marked decorative
explicitly, `![](border.png){ .decorative }` (or `<img alt="" class="decorative">`),
and is published with alt="".

This module knows nothing about MkDocs; scripts/hooks.py wires it in.
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import html
import io
import json
import logging
import multiprocessing
import os
import posixpath
import re
import shutil
import tempfile
import urllib.parse
import warnings
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import PIL
from PIL import Image, ImageCms, ImageOps

from scripts import CACHE
from scripts.problems import ContentError, Problem, relative

log = logging.getLogger("mkdocs.site.images")

CACHE_DIR = CACHE / "images"
RASTER = {".jpg", ".jpeg", ".png", ".webp"}
VECTOR = {".svg"}
# Image types a browser could show but we do not publish: say what to use instead.
UNSUPPORTED = {".gif", ".bmp", ".tif", ".tiff", ".heic", ".heif", ".avif", ".jxl", ".ico"}
MAX_PIXELS = 64_000_000  # larger is treated as a decompression bomb (8000×8000)
WARN_BYTES = 10_000_000  # 10 MB
WARN_PIXELS = 40_000_000  # e.g. 7746×5164
# The content column is at most about 720 CSS px wide (Material's grid with both sidebars).
SIZES = "(min-width: 76.25em) 720px, 100vw"
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXT = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}


@dataclass(frozen=True)
class Settings:
    """Everything that changes the output bytes; part of the cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)
    avif_quality: int = 52  # photos; AVIF dominates encode time, speed 6 is the sweet spot
    avif_speed: int = 6
    avif_graphic_quality: int = 70  # drawings and charts keep full colour detail (4:4:4)
    webp_quality: int = 78
    jpeg_quality: int = 80
    png_compress_level: int = 9
    version: int = 1  # bump when the code changes what it writes

    def fingerprint(self) -> bytes:
        return json.dumps({**asdict(self), "pillow": PIL.__version__}, sort_keys=True).encode()


SETTINGS = Settings()


class ImageFault(Exception):
    """Why one image cannot be published (picklable: raised in worker processes)."""

    def __init__(self, message: str, fix: str, severity: str = "error"):
        super().__init__(message, fix, severity)
        self.message, self.fix, self.severity = message, fix, severity


@dataclass(frozen=True)
class Plan:
    """What the build will publish for one source image."""

    source: str  # absolute path
    key: str  # content address: hash of the bytes and the settings
    profile: str  # "photo" (JPEG fallback), "graphic" (PNG fallback, alpha, 4:4:4) or "flat" (see FLAT)
    width: int  # as displayed, after EXIF orientation
    height: int
    widths: tuple[int, ...]
    source_format: str  # "jpeg", "png", "webp"

    @property
    def formats(self) -> tuple[str, ...]:
        if self.profile == "flat":
            return ("webp", "png")
        return ("avif", "webp", "jpeg" if self.profile == "photo" else "png")

    @property
    def fallback(self) -> str:
        return self.formats[-1]

    def height_for(self, width: int) -> int:
        return max(1, round(self.height * width / self.width))

    def cache_name(self, fmt: str, width: int) -> str:
        return f"{width}w.{EXT[fmt]}"

    def site_name(self, stem: str, fmt: str, width: int) -> str:
        # The key in the name makes every version a new URL, so browsers may cache forever.
        return f"{stem}-{self.key[:10]}-{width}w.{EXT[fmt]}"


def output_widths(width: int, settings: Settings = SETTINGS) -> tuple[int, ...]:
    """480/960/1600, never upscaled: a 700 px image gives (480, 700)."""
    widths = [w for w in settings.widths if w < width]
    widths.append(min(width, max(settings.widths)))
    return tuple(sorted(set(widths)))


# ---------------------------------------------------------------- checking


def _open(path: Path, data: bytes | None = None) -> Image.Image:
    """Open and check the header; Pillow's bomb warning becomes an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data) if data is not None else path)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            raise _bomb(str(e)) from None
        except Image.UnidentifiedImageError:
            raise ImageFault("画像ではないファイルか、読めないほど壊れています。 / The file is not an image (or is damaged beyond reading).",
                             "写真は JPEG、図は PNG で書き出し直して、ファイルを置きかえてください。 / "
                             "Export it again as JPEG (photos) or PNG (drawings) and replace the file.") from None
        except OSError as e:
            raise ImageFault(f"画像が読めません（{e}）。 / The image cannot be read: {e}.",
                             "書き出し直して、ファイルを置きかえてください。 / Export it again and replace the file.") from None
    if im.width * im.height > MAX_PIXELS:
        raise _bomb(f"{im.width}×{im.height} pixels")
    return im


def _bomb(detail: str) -> ImageFault:
    return ImageFault(f"画像が大きすぎて安全に開けません（{detail}、{MAX_PIXELS // 1_000_000} 百万画素まで）。 / "
                      f"The image is too large to decode safely ({detail}); "
                      f"the limit is {MAX_PIXELS // 1_000_000} million pixels (a possible decompression bomb).",
                      "長い辺を 3200 px 以下に縮めて保存し直してください。 / Resize it to at most 3200 px on the long side and save it again.")


def _profile(im: Image.Image) -> str:
    if im.format == "JPEG":
        return "photo"
    alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    if im.format == "PNG" or alpha:
        return "graphic"
    return "photo"


# Drawings we make ourselves (charts): flat colour and text, where lossless WebP
# is as small as AVIF (about 12 KB for a chart) at a fifteenth of the encode time.
FLAT = "flat"


def plan(path: Path | str, settings: Settings = SETTINGS, profile: str | None = None) -> Plan:
    """Check a raster image's header and decide what to publish; no pixels are decoded."""
    path = Path(path)
    if path.suffix.lower() in UNSUPPORTED:
        raise ImageFault(f"{path.suffix} の画像は公開できません。 / '{path.suffix}' images are not published.",
                         "写真は JPEG、図や画面の写しは PNG で保存して、そのファイルにリンクしてください。 / "
                         "Save it as JPEG (photos) or PNG (drawings, screenshots) and link that file.")
    data = path.read_bytes()
    im = _open(path, data)
    with im:
        if im.format not in ("JPEG", "PNG", "WEBP", "MPO"):
            raise ImageFault(f"ファイルの中身は {im.format} の画像で、公開できません。 / The file is a {im.format} image, which is not published.",
                             "写真は JPEG、図は PNG で保存し直してください。 / Save it as JPEG (photos) or PNG (drawings, screenshots).")
        if getattr(im, "n_frames", 1) > 1 and im.format != "MPO":
            raise ImageFault("動く画像（アニメーション）です。 / The image is animated.",
                             "止まった画像を使ってください。 / Use a still image; a video needs its own page element.")
        width, height = im.size
        # A PNG's EXIF may follow its pixels, so reading it decodes the whole
        # image: look only when the file has an eXIf chunk at all.
        exif = im.getexif() if im.format != "PNG" or b"eXIf" in data else {}
        if exif.get(0x0112, 1) in (5, 6, 7, 8):  # rotated a quarter turn
            width, height = height, width
        profile = profile or _profile(im)
        source_format = "jpeg" if im.format in ("JPEG", "MPO") else im.format.lower()
    key = hashlib.sha256(data + b"\0" + settings.fingerprint() + profile.encode()).hexdigest()
    return Plan(str(path), key, profile, width, height, output_widths(width, settings), source_format)


def oversize_warning(path: Path, p: Plan) -> str | None:
    size = path.stat().st_size
    if size <= WARN_BYTES and p.width * p.height <= WARN_PIXELS:
        return None
    return (f"the image is {size / 1_000_000:.1f} MB, {p.width}×{p.height} px "
            f"(more than {WARN_BYTES // 1_000_000} MB or {WARN_PIXELS // 1_000_000} million pixels).")


# SVG: only self-contained drawings. References inside the file ("#id") are fine.
_SVG_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)[^)]*\)|@import", re.I)


def check_svg(path: Path | str) -> tuple[int, int] | None:
    """Reject SVG that could run code or fetch anything; return its size if it states one."""
    path = Path(path)
    text = path.read_bytes()
    if re.search(rb"<!DOCTYPE|<!ENTITY", text, re.I):
        raise ImageFault("the SVG declares a DOCTYPE or entities (which can pull in other files).",
                         "export the drawing again as plain SVG, or remove the <!DOCTYPE …> line.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise ImageFault(f"the SVG is not valid XML ({e}).", "export the drawing again.") from None
    if _local(root.tag) != "svg":
        raise ImageFault("the file is not an SVG image.", "export the drawing again as SVG.")
    for el in root.iter():
        name = _local(el.tag)
        if name in ("script", "foreignObject", "iframe", "embed", "object"):
            raise ImageFault(f"the SVG contains a <{name}> element, which can run code or load other content.",
                             "remove it, or export the drawing again as a plain picture.")
        for attr, value in el.attrib.items():
            attr_name = _local(attr).lower()
            if attr_name.startswith("on"):
                raise ImageFault(f"the SVG has an event handler ({attr_name}) on <{name}>, which runs a script.",
                                 "remove the attribute.")
            if attr_name == "href" and not value.strip().startswith("#"):
                raise ImageFault(f"the SVG refers to something outside the file: <{name} href=\"{value}\">.",
                                 "embed the drawing's parts in the SVG itself; pages may not load other files or sites.")
            if _SVG_URL.search(value):
                raise ImageFault(f"the SVG refers to something outside the file in {attr_name}=\"{value}\".",
                                 "remove the reference; only url(#id) inside the file is allowed.")
        if name == "style" and el.text and _SVG_URL.search(el.text):
            raise ImageFault("the SVG's <style> loads something outside the file (url(…) or @import).",
                             "remove the reference; only url(#id) inside the file is allowed.")
    return _svg_size(root)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _svg_size(root) -> tuple[int, int] | None:
    def number(value):
        match = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value or "")
        return float(match.group(1)) if match else None

    width, height = number(root.get("width")), number(root.get("height"))
    if not (width and height):
        box = (root.get("viewBox") or "").replace(",", " ").split()
        if len(box) == 4:
            try:
                width, height = float(box[2]), float(box[3])
            except ValueError:
                return None
    return (round(width), round(height)) if width and height else None


# ---------------------------------------------------------------- encoding (worker side)

_SRGB = None


def _srgb():
    global _SRGB
    if _SRGB is None:
        _SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return _SRGB


def decode(p: Plan) -> Image.Image:
    """Pixels ready to resize: reduced-scale decode, upright, sRGB, no metadata."""
    im = _open(Path(p.source))
    target = max(p.widths)
    try:
        if im.format in ("JPEG", "MPO"):
            # libjpeg scales by 1/2, 1/4 or 1/8 while decoding, to no less than asked.
            orientation = im.getexif().get(0x0112, 1)
            w, h = target, p.height_for(target)
            im.draft(im.mode, (h, w) if orientation in (5, 6, 7, 8) else (w, h))
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im.load()
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageFault(f"画像が壊れているか、途中で切れています（{e}）。 / The image is damaged or cut short ({e}).",
                         "もとの画像から書き出し直して、置きかえてください。 / Export it again from the original and replace the file.") from None
    ImageOps.exif_transpose(im, in_place=True)
    icc = im.info.get("icc_profile")
    alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    if im.mode == "P" or im.mode == "PA":
        im = im.convert("RGBA" if alpha else "RGB")
    elif im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")  # 16-bit grey to 8-bit
    out_mode = "RGBA" if alpha else "RGB"
    if icc:
        try:
            source_profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if im.mode == "LA":
                im = im.convert("RGBA")
            im = ImageCms.profileToProfile(im, source_profile, _srgb(), outputMode=out_mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            im = im.convert(out_mode)  # a broken profile: treat the pixels as sRGB
    if im.mode != out_mode:
        im = im.convert(out_mode)
    im.info = {}  # no EXIF, XMP, ICC or comments travel to the outputs
    return im


def _save(im: Image.Image, fmt: str, profile: str, settings: Settings) -> bytes:
    buf = io.BytesIO()
    if fmt == "avif":
        graphic = profile != "photo"
        im.save(buf, "AVIF", quality=settings.avif_graphic_quality if graphic else settings.avif_quality,
                speed=settings.avif_speed, max_threads=1, subsampling="4:4:4" if graphic else "4:2:0")
    elif fmt == "webp":
        if profile != "photo":
            im.save(buf, "WEBP", lossless=True, quality=80, method=4)
        else:
            im.save(buf, "WEBP", quality=settings.webp_quality, method=4)
    elif fmt == "jpeg":
        im.save(buf, "JPEG", quality=settings.jpeg_quality, optimize=True, progressive=True, subsampling=2)
    else:
        im.save(buf, "PNG", compress_level=settings.png_compress_level)
    return buf.getvalue()


@dataclass(frozen=True)
class Job:
    plan: Plan
    cache_dir: str
    settings: Settings = SETTINGS
    formats: tuple[str, ...] | None = None  # benchmarks may ask for fewer


def cache_entry(cache_dir: Path | str, key: str) -> Path:
    return Path(cache_dir) / key[:2] / key


def cached(cache_dir: Path | str, p: Plan) -> dict | None:
    manifest = cache_entry(cache_dir, p.key) / "manifest.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def encode(job: Job) -> dict:
    """Worker: write every width and format of one image into its cache entry.

    Another build may be encoding the same image (the languages build in
    parallel and share photos): one waits for the other and takes its result.
    """
    entry = cache_entry(job.cache_dir, job.plan.key)
    entry.parent.mkdir(parents=True, exist_ok=True)
    with _entry_lock(entry):
        found = cached(job.cache_dir, job.plan)
        return dict(found, made_elsewhere=True) if found is not None else _encode(job, entry)


@contextlib.contextmanager
def _entry_lock(entry: Path):
    try:
        import fcntl
    except ImportError:  # no file locks (Windows): at worst both encode, and one result is kept
        yield
        return
    with open(entry.with_name(f".{entry.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _encode(job: Job, entry: Path) -> dict:
    p = job.plan
    im = decode(p)
    tmp = Path(tempfile.mkdtemp(prefix=f".{p.key[:8]}-", dir=entry.parent))
    manifest = {"width": p.width, "height": p.height, "files": {}}
    try:
        scaled = im
        for width in sorted(p.widths, reverse=True):
            # Each width from the one above it (at most about 2× smaller): a third
            # less resize time than three resizes of the large image, same sharpness.
            size = (width, p.height_for(width))
            if scaled.size != size:
                scaled = scaled.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            scaled.info = {}
            for fmt in job.formats or p.formats:
                data = _save(scaled, fmt, p.profile, job.settings)
                name = p.cache_name(fmt, width)
                (tmp / name).write_bytes(data)
                manifest["files"][name] = len(data)
        (tmp / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        try:
            tmp.rename(entry)  # atomic: an entry is complete or absent
        except OSError:  # another process finished it first
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def worker_count() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return max(1, int(os.environ.get("SITE_IMAGE_WORKERS", cores)))


def run_pool(func, items: list, workers: int | None = None, label: str | None = None) -> list:
    """Run func over items on all cores; returns results or exceptions, in order.
    With a label, progress is shown while it runs (scripts/progress.py)."""
    if not items:
        return []
    from scripts import progress

    workers = min(len(items), workers or worker_count())
    bar = progress.task(label, len(items)) if label else None
    results = []
    if workers == 1:
        for item in items:
            try:
                results.append(func(item))
            except Exception as e:  # noqa: BLE001 - reported by the caller with the file's name
                results.append(e)
            if bar:
                bar.advance()
    else:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            for future in [pool.submit(func, item) for item in items]:
                try:
                    results.append(future.result())
                except Exception as e:  # noqa: BLE001
                    results.append(e)
                if bar:
                    bar.advance()
    if bar:
        bar.finish()
    return results


def encode_all(plans: list[Plan], cache_dir: Path | str = CACHE_DIR, settings: Settings = SETTINGS,
               workers: int | None = None, formats: tuple[str, ...] | None = None,
               label: str | None = "Images") -> tuple[dict, dict, int]:
    """Encode what the cache lacks. Returns ({key: manifest}, {key: exception}, number encoded)."""
    manifests, missing = {}, {}
    for p in plans:
        found = cached(cache_dir, p)
        if found is not None:
            manifests[p.key] = found
        else:
            missing.setdefault(p.key, p)
    # Biggest first, so one large image does not finish alone at the end.
    todo = sorted(missing.values(), key=lambda p: -p.width * p.height)
    jobs = [Job(p, str(cache_dir), settings, formats) for p in todo]
    failures, encoded = {}, 0
    for p, result in zip(todo, run_pool(encode, jobs, workers, label)):
        if isinstance(result, Exception):
            failures[p.key] = result
        else:
            encoded += not result.pop("made_elsewhere", False)
            manifests[p.key] = result
    return manifests, failures, encoded


def publish(p: Plan, cache_dir: Path | str, site_dir: Path | str, stem_url: str) -> list[Path]:
    """Copy one image's outputs from the cache into the site next to stem_url.

    Copies, not hard links: MkDocs overwrites copied files in place on
    `serve`, which would write through a link into the cache.
    """
    entry = cache_entry(cache_dir, p.key)
    folder, stem = posixpath.split(stem_url)
    target = Path(site_dir, folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in p.formats:
        for width in p.widths:
            dest = target / p.site_name(stem, fmt, width)
            if not dest.exists():
                shutil.copyfile(entry / p.cache_name(fmt, width), dest)
            written.append(dest)
    return written


# ---------------------------------------------------------------- HTML


def _srcset(p: Plan, stem_url: str, fmt: str) -> str:
    return ", ".join(f"{urllib.parse.quote(p.site_name(stem_url, fmt, w))} {w}w" for w in p.widths)


def sources_html(p: Plan, stem_url: str, sizes: str = SIZES, media: str | None = None,
                 formats: tuple[str, ...] | None = None) -> str:
    """<source> per format. With media (art direction) they carry width/height,
    so the browser reserves the right space for whichever version it picks."""
    extra = f' media="{media}" width="{p.widths[-1]}" height="{p.height_for(p.widths[-1])}"' if media else ""
    return "".join(f'<source type="{MIME[fmt]}"{extra} srcset="{_srcset(p, stem_url, fmt)}" sizes="{sizes}">'
                   for fmt in (formats if formats is not None else p.formats[:-1]))


def picture_html(p: Plan, stem_url: str, attrs: dict[str, str | None], lazy: bool = True,
                 sizes: str = SIZES, before: str = "") -> str:
    """<picture> with AVIF and WebP sources and the fallback <img>.

    stem_url is where the outputs go, relative to the page: "../assets/photo".
    before: other <source> elements that take precedence (sources_html with media).
    """
    middle = next((w for w in p.widths if w >= 960), p.widths[-1])
    img = {k: v for k, v in attrs.items() if k not in ("src", "srcset", "sizes", "width", "height", "loading", "decoding")}
    img = {"src": urllib.parse.quote(p.site_name(stem_url, p.fallback, middle)), "srcset": _srcset(p, stem_url, p.fallback),
           "sizes": sizes, **img, "width": str(p.widths[-1]), "height": str(p.height_for(p.widths[-1]))}
    if lazy:
        img.update(loading="lazy", decoding="async")
    return f"<picture>{before}{sources_html(p, stem_url, sizes)}<img{_attrs(img)}></picture>"


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(f' {k}="{html.escape(v, quote=True)}"' if v is not None else f" {k}" for k, v in attrs.items())


class _TagAttrs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        self.attrs = dict(attrs)

    handle_startendtag = handle_starttag


def tag_attrs(tag: str) -> dict[str, str | None]:
    parser = _TagAttrs()
    parser.feed(tag)
    parser.close()
    return parser.attrs


_IMG_OR_PICTURE = re.compile(r"<picture\b.*?</picture>|<img\b[^>]*>", re.S | re.I)
_LAZY = re.compile(r'\s(?:loading="lazy"|decoding="async")', re.I)


# ---------------------------------------------------------------- one language's images


@dataclass
class Source:
    path: Path
    url: str  # where MkDocs copies the original, relative to the site root
    pages: list[str] = field(default_factory=list)
    plan: Plan | None = None
    svg_size: tuple[int, int] | None = None
    checked: bool = False


class ImageSet:
    """The content images of one language's build: checked when a page uses
    them, encoded (or taken from the cache) and copied into the site at the end."""

    def __init__(self, site_dir: Path | str, docs_dir: Path | str, cache_dir: Path | str = CACHE_DIR,
                 settings: Settings = SETTINGS):
        self.site_dir, self.docs_dir = Path(site_dir), Path(docs_dir).resolve()
        self.cache_dir, self.settings = Path(cache_dir), settings
        self.sources: dict[str, Source] = {}

    def add(self, path: Path | str, url: str) -> None:
        """Register a file the site publishes; only images under docs/ are kept."""
        path = Path(path).resolve()
        suffix = path.suffix.lower()
        if suffix in RASTER | VECTOR | UNSUPPORTED and path.is_relative_to(self.docs_dir):
            self.sources[url] = Source(path, url)

    def _fail(self, source: Source, fault: ImageFault) -> ContentError:
        return ContentError([self._problem(source, fault)])

    def _problem(self, source: Source, fault: ImageFault) -> Problem:
        used = (", ".join(source.pages) if source.pages else "no page yet")
        return Problem(rule="bad-image" if fault.severity == "error" else "large-image", severity=fault.severity,
                       file=relative(source.path), message=f"{fault.message} (used on: {used})", fix=fault.fix)

    def _check(self, source: Source) -> None:
        if source.checked:
            return
        source.checked = True
        try:
            if source.path.suffix.lower() in VECTOR:
                source.svg_size = check_svg(source.path)
                return
            source.plan = plan(source.path, self.settings)
        except ImageFault as fault:
            raise self._fail(source, fault) from None
        warning = oversize_warning(source.path, source.plan)
        if warning:
            log.warning(str(self._problem(source, ImageFault(
                warning, "the site shows at most 1600 px: resize it to 3200 px or less on the long side and "
                         "save it again (photo apps call this 'export' or 'resize').", "warning"))))

    def rewrite(self, page_html: str, page_url: str, page_file: str) -> str:
        """Turn each content <img> into a responsive <picture>; the first image loads eagerly."""
        first = True
        base = "/" + page_url if page_url.endswith("/") or not page_url else posixpath.dirname("/" + page_url)
        problems = []

        def replace(match: re.Match) -> str:
            nonlocal first
            tag = match.group(0)
            eager, first = first, False
            if tag[:8].lower() == "<picture":  # already responsive (charts)
                return _LAZY.sub("", tag) if eager else tag
            attrs = tag_attrs(tag)
            src = attrs.get("src") or ""
            classes = (attrs.get("class") or "").split()
            if "alt" not in attrs or (not (attrs.get("alt") or "").strip() and "decorative" not in classes):
                problems.append(Problem(
                    rule="missing-alt", severity="error", file=page_file,
                    message=f"画像「{src}」に代わりの文章（alt）がありません。 / The image {src} has no alt text.",
                    fix="ページの言語で画像を説明してください：![画像が示すこと](ファイル名)。飾りなら { .decorative } と"
                        "書きます。 / Describe the image in the page's language: ![what it shows](file), "
                        "or mark it { .decorative } if it carries no information."))
                return tag
            if "decorative" in classes:
                attrs["alt"] = ""
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", src, re.I):
                problems.append(Problem(
                    rule="external-image", severity="error", file=page_file,
                    message=f"画像「{src}」を、ほかのサイトから読み込もうとしています。 / The image {src} is loaded "
                            "from another site.",
                    fix="画像を docs/ の中に保存して、ファイル名でリンクしてください（ページはほかのサイトに接続できません）。"
                        " / Save the image in the docs folder next to the page and link it by its path "
                        "(pages may not contact other sites)."))
                return tag
            path = urllib.parse.unquote(urllib.parse.urlsplit(src).path)
            url = posixpath.normpath(posixpath.join(base, path)).lstrip("/")
            source = self.sources.get(url)
            if source is None:  # not a content image (MkDocs already reports missing files)
                return tag
            if page_file not in source.pages:
                source.pages.append(page_file)
            self._check(source)
            if source.plan is None:  # SVG: shown as it is, with its size and lazy loading
                extra = {}
                if source.svg_size and "width" not in attrs:
                    extra = {"width": str(source.svg_size[0]), "height": str(source.svg_size[1])}
                lazy = {} if eager else {"loading": "lazy", "decoding": "async"}
                return f"<img{_attrs({**attrs, **extra, **lazy})}>"
            stem = posixpath.splitext(src.split("?")[0].split("#")[0])[0]
            return picture_html(source.plan, urllib.parse.unquote(stem), attrs, lazy=not eager)

        out = _IMG_OR_PICTURE.sub(replace, page_html)
        if problems:
            raise ContentError(problems)
        return out

    def write(self) -> dict:
        """Check the rest, encode what the cache lacks, copy everything into the site."""
        for source in self.sources.values():
            self._check(source)
        rasters = [s for s in self.sources.values() if s.plan]
        _, failures, encoded = encode_all([s.plan for s in rasters], self.cache_dir, self.settings)
        problems = []
        for source in rasters:
            fault = failures.get(source.plan.key)
            if fault is not None:
                if not isinstance(fault, ImageFault):
                    fault = ImageFault(f"the image could not be converted ({type(fault).__name__}: {fault}).",
                                       "export it again as JPEG or PNG and replace the file.")
                problems.append(self._problem(source, fault))
        if problems:
            raise ContentError(problems)
        written = 0
        for source in rasters:
            stem = posixpath.splitext(source.url)[0]
            written += len(publish(source.plan, self.cache_dir, self.site_dir, stem))
            # MkDocs copied the original too; replace it with the largest clean
            # version in its own format so no EXIF/GPS is ever published.
            original = self.site_dir / source.url
            fmt = {"jpeg": "jpeg", "png": "png", "webp": "webp"}[source.plan.source_format]
            if fmt not in source.plan.formats:
                fmt = source.plan.fallback
            clean = cache_entry(self.cache_dir, source.plan.key) / source.plan.cache_name(fmt, source.plan.widths[-1])
            if original.exists():
                original.unlink()
            original.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(clean, original)
        stats = {"images": len(rasters), "encoded": encoded, "cached": len(rasters) - encoded, "files": written}
        log.info(f"Images: {stats['encoded']} encoded, {stats['cached']} from cache, "
                 f"{stats['files']} files written ({len(self.sources) - len(rasters)} SVG as they are)")
        return stats


# ---------------------------------------------------------------- alt text in Markdown

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_MD_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]"
                       r"(?:\((?P<src>[^)\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)|\[(?P<ref>[^\]]*)\])"
                       r"(?P<attrs>\{[^}]*\})?")
_HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
_LATIN = re.compile(r"[A-Za-z]")
_FILENAME = re.compile(r"^\S+\.(?:jpe?g|png|webp|svg|gif)$", re.I)


def check_alt(text: str, file: str, lang: str) -> list[Problem]:
    """Every image in a page's Markdown has alt text in the page's language,
    or is marked decorative ({ .decorative } / class="decorative")."""
    problems = []
    lines = text.split("\n")
    start, fence = 0, None
    if lines and lines[0].strip() == "---":  # front matter: keep line numbers, skip its text
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                start = i + 1
                break
    for number, line in enumerate(lines[start:], start=start + 1):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        line = _CODE_SPAN.sub("", line)
        found = [(m.group("alt"), m.group("src") or m.group("ref") or "", "decorative" in (m.group("attrs") or ""))
                 for m in _MD_IMAGE.finditer(line)]
        for tag in _HTML_IMG.findall(line):
            attrs = tag_attrs(tag)
            found.append((attrs.get("alt"), attrs.get("src") or "", "decorative" in (attrs.get("class") or "").split()))
        for alt, src, decorative in found:
            problem = _alt_problem((alt or "").strip() if alt is not None else None, src, decorative, lang)
            if problem:
                message, fix = problem
                problems.append(Problem(rule="image-alt", severity="error", file=file, line=number,
                                        message=message, fix=fix))
    return problems


def _alt_problem(alt: str | None, src: str, decorative: bool, lang: str) -> tuple[str, str] | None:
    from scripts import catalogs, languages

    script = languages.get(lang).script if lang in languages.codes() else ""
    _ = catalogs.gettext(lang) if script else str  # the example in the page's language
    example = "![" + _("A river levee on a rainy day") + "](assets/levee.jpg)"
    if decorative:
        if alt:
            return (f"画像「{src}」は飾り（.decorative）なのに alt があります。 / The image {src} is marked decorative "
                    "but has alt text.",
                    "内容のある画像なら .decorative を消し、飾りなら [ ] の中を空にしてください。 / Remove .decorative "
                    "if the image carries information, or empty the alt text if it does not.")
        return None
    if not alt:
        return (f"画像「{src}」に代わりの文章（alt）がありません。目の見えない人に内容が伝わりません。 / The image {src} "
                "has no alt text.",
                f"[ ] の中に、画像が示すことを書いてください。例：{example}　飾りだけの画像なら ![](ファイル名){{ .decorative }}"
                f" と書きます。 / Describe what it shows, e.g. {example}; if it carries no information, mark it: "
                "![](file){ .decorative }.")
    if _FILENAME.match(alt):
        return (f"画像「{src}」の alt がファイル名（{alt}）になっています。 / The alt text of {src} is a file name ('{alt}').",
                f"画像が示すことを言葉で書いてください。例：{example} / Describe what the image shows, e.g. {example}.")
    if script == "Jpan" and not _JAPANESE.search(alt):
        return (f"画像「{src}」の alt が日本語ではありません（{alt}）。 / The alt text of {src} is not in Japanese ('{alt}').",
                f"日本語のページでは、alt を日本語で書いてください。例：{example} / Write it in Japanese, e.g. {example}.")
    if script == "Latn" and (not _LATIN.search(alt) or len(_JAPANESE.findall(alt)) > len(_LATIN.findall(alt))):
        return (f"画像「{src}」の alt が英語ではありません（{alt}）。 / The alt text of {src} is not in English ('{alt}').",
                f"英語のページでは、alt を英語で書いてください。例：{example} / Write it in English, e.g. {example}.")
    return None


def check_alt_file(path: Path | str, lang: str) -> None:
    path = Path(path)
    if not path.is_file():  # a page generated by a plugin (blog archive, tags)
        return
    problems = check_alt(path.read_text(encoding="utf-8"), relative(path), lang)
    if problems:
        raise ContentError(problems)
