"""Benchmark of the image pipeline (scripts/images.py) on generated photos.

    .venv/bin/python benchmarks/images.py                 # 8 photos of 4000×3000: quick
    .venv/bin/python benchmarks/images.py --count 40      # the set the issue measured
    .venv/bin/python benchmarks/images.py --export DIR    # also keep the photos (e.g. for sharp)

Prints, for the full pipeline (AVIF + WebP + JPEG, widths 480/960/1600) and
for WebP + JPEG only: cold time (empty cache), images per second, bytes per
format, and warm time (everything from the cache, as on a rebuild). It also
measures decode + resize with and without Image.draft(). Photos are made
with Pillow (gradients, shapes and noise, saved as JPEG quality 90 with
GPS EXIF), so nothing is downloaded. Uses every core unless --workers.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFilter, features  # noqa: E402

from scripts import images  # noqa: E402


def make_photo(path: Path, size: tuple[int, int], seed: int) -> None:
    rnd = random.Random(seed)
    w, h = size
    small = (w // 8, h // 8)  # draw small and scale up: smooth areas like a real photo
    base = Image.new("RGB", small)
    d = ImageDraw.Draw(base)
    top, bottom = [rnd.randrange(256) for _ in range(3)], [rnd.randrange(256) for _ in range(3)]
    for y in range(small[1]):
        t = y / small[1]
        d.line((0, y, small[0], y), fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    for _ in range(120):
        x, y, r = rnd.randrange(small[0]), rnd.randrange(small[1]), rnd.randrange(4, small[0] // 6)
        d.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    base = base.filter(ImageFilter.GaussianBlur(2)).resize(size, Image.Resampling.BICUBIC)
    detail = Image.effect_noise(size, 24).convert("RGB")  # sensor-like grain and texture
    im = Image.blend(base, detail, 0.12)
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (35.0, 41.0, 22.0), 3: "E", 4: (139.0, 41.0, 30.0)})
    im.save(path, "JPEG", quality=90, exif=exif)


def cpu_seconds() -> float:
    """CPU time of this process and its finished workers: unlike wall time,
    it does not grow when other programs share the machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run(plans, cache: Path, workers: int, formats=None) -> tuple[float, dict]:
    start = time.perf_counter()
    manifests, failures, encoded = images.encode_all(plans, cache, workers=workers, formats=formats, label=None)
    elapsed = time.perf_counter() - start
    if failures:
        raise SystemExit(f"failed: {failures}")
    return elapsed, manifests


def bytes_per_format(manifests: dict) -> dict[str, int]:
    totals: dict[str, int] = {}
    for manifest in manifests.values():
        for name, size in manifest["files"].items():
            fmt = name.rsplit(".", 1)[1]
            totals[fmt] = totals.get(fmt, 0) + size
    return totals


def decode_resize(paths: list[Path], draft: bool) -> float:
    start = time.perf_counter()
    for path in paths:
        with Image.open(path) as im:
            if draft:
                im.draft(im.mode, (1600, 1200))
            im.load()
            for width in (1600, 960, 480):
                im.resize((width, round(im.height * width / im.width)), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=8, help="number of photos (default 8; the issue used 40)")
    parser.add_argument("--size", default="4000x3000", help="photo size, WIDTHxHEIGHT")
    parser.add_argument("--workers", type=int, default=images.worker_count(), help="processes (default: all cores)")
    parser.add_argument("--export", help="copy the generated photos to this folder (for a sharp comparison)")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))

    work = Path(tempfile.mkdtemp(prefix="bench-images-"))
    try:
        photos = work / "photos"
        photos.mkdir()
        print(f"Generating {args.count} photos of {size[0]}×{size[1]} …", flush=True)
        paths = []
        for n in range(args.count):
            paths.append(photos / f"photo-{n:03}.jpg")
            make_photo(paths[-1], size, n)
        if args.export:
            Path(args.export).mkdir(parents=True, exist_ok=True)
            for path in paths:
                shutil.copy(path, args.export)
        source_bytes = sum(p.stat().st_size for p in paths)
        load = os.getloadavg()[0]
        if load > (os.cpu_count() or 1):
            print(f"Note: load average {load:.1f} on {os.cpu_count()} CPUs: other programs are running, so wall "
                  "times are longer than on a quiet machine; CPU times are not affected.")
        print(f"Pillow {Image.__version__}, AVIF {'yes' if features.check('avif') else 'NO'}, "
              f"{args.workers} worker processes, {os.cpu_count()} CPUs; sources {source_bytes / 1e6:.1f} MB\n")

        n = len(paths)
        draft_off = decode_resize(paths[: min(n, 4)], draft=False)
        draft_on = decode_resize(paths[: min(n, 4)], draft=True)
        print(f"decode+resize, {min(n, 4)} photos, one process: {draft_off:.2f} s without draft(), "
              f"{draft_on:.2f} s with draft() ({draft_off / draft_on:.1f}× faster)\n")

        for label, formats in (("AVIF + WebP + JPEG", None), ("WebP + JPEG", ("webp", "jpeg"))):
            cache = work / f"cache-{'-'.join(formats or ('all',))}"
            start, cpu = time.perf_counter(), cpu_seconds()
            plans = [images.plan(p) for p in paths]  # reads and hashes every source
            hashing = time.perf_counter() - start
            cold, manifests = run(plans, cache, args.workers, formats)
            cpu = cpu_seconds() - cpu
            start = time.perf_counter()
            plans = [images.plan(p) for p in paths]
            warm, _ = run(plans, cache, args.workers, formats)
            warm += time.perf_counter() - start
            totals = bytes_per_format(manifests)
            print(f"{label} (3 widths: 480/960/1600):")
            print(f"  cold: {cold + hashing:.2f} s  ({n / (cold + hashing):.2f} images/s); "
                  f"CPU {cpu:.2f} s ({cpu / n:.2f} s per photo)")
            print(f"  warm: {warm:.3f} s  (nothing encoded: every image from the cache)")
            for fmt, total in sorted(totals.items()):
                print(f"  {fmt:5} {total / 1e6:7.2f} MB in total, {total / n / 1e3:7.1f} kB per photo (3 widths)")
            print()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
