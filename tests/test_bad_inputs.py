"""The bad-input corpus (tests/bad_inputs/*/case.yml): every case either builds
correctly or stops with a message naming the file and the fix, no traceback,
with the previous site/ and every source file left as they were."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_build, tree_hashes

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.parent.name for p in CASES_DIR.glob("*/case.yml"))


def shift_jis_page() -> bytes:
    return "---\ntitle: 追加\n---\n\n# 追加のページ\n\n日本語の文章です。\n".encode("shift_jis")


def _jpeg(size=(800, 600), exif=None) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", size, (90, 140, 200))
    image.save(buffer, "JPEG", quality=80, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def gps_jpeg() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (35.0, 40.0, 0.0), 3: "E", 4: (139.0, 45.0, 0.0)})
    return _jpeg(exif=exif.tobytes())


def png_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 60)).save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # 81 Mpx of zeros: a few KB on disk
    return buffer.getvalue()


# Binary inputs are made here rather than stored, so the corpus stays readable.
GENERATORS = {
    "shift_jis_page": shift_jis_page,
    "random_bytes": lambda: bytes(random.Random(1).randrange(256) for _ in range(4096)),
    "truncated_jpeg": lambda: _jpeg((1200, 900))[:6000],
    "empty": lambda: b"",
    "bomb_png": bomb_png,
    "gps_jpeg": gps_jpeg,
    "png_bytes": png_bytes,
    "large_jpeg": lambda: _jpeg((7000, 6000)),
}


def apply_case(case: dict, case_dir: Path, project: Path) -> None:
    if (case_dir / "files").is_dir():
        shutil.copytree(case_dir / "files", project, dirs_exist_ok=True)
    for rel, text in (case.get("write") or {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(text.encode("utf-8"))
    for rel, generator in (case.get("write_bytes") or {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_bytes(GENERATORS[generator]())
    for rel, text in (case.get("append") or {}).items():
        with (project / rel).open("a", encoding="utf-8") as f:
            f.write(text)
    for rel, spec in (case.get("replace") or {}).items():
        original = (project / rel).read_text(encoding="utf-8")
        for old, new in (spec if isinstance(spec[0], list) else [spec]):  # one [old, new] or a list of them
            assert old in original, f"case is stale: {old!r} not in {rel}"
            original = original.replace(old, new, 1)
        (project / rel).write_text(original, encoding="utf-8")
    for rel in case.get("remove") or []:
        (project / rel).unlink()


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 25, f"only {len(CASES)} cases"


@pytest.mark.parametrize("name", CASES)
def test_case(name, project, built_site):
    case_dir = CASES_DIR / name
    case = yaml.safe_load((case_dir / "case.yml").read_text(encoding="utf-8"))
    assert case.get("about") and case.get("expect") in ("pass", "fail"), f"{name}: bad case.yml"
    shutil.copytree(built_site, project / "site")  # the previously published site
    apply_case(case, case_dir, project)
    sources_before = tree_hashes(project)
    site_before = tree_hashes(project, ["site"])
    result = run_build(project, *(case.get("args") or []))  # e.g. ["--production"]
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert tree_hashes(project) == sources_before, "the build changed a source file"
    if case["expect"] == "fail":
        assert result.returncode != 0, f"{name}: the build should have failed\n{output}"
        for needle in case.get("messages") or []:
            assert needle in output, f"{name}: {needle!r} missing from:\n{output}"
        assert tree_hashes(project, ["site"]) == site_before, "a failed build changed site/"
        assert not list(project.glob(".site-*")), "a staging folder was left behind"
    else:
        assert result.returncode == 0, f"{name}: the build should have passed\n{output}"
        for rel, needles in (case.get("site_contains") or {}).items():
            text = (project / "site" / rel).read_text(encoding="utf-8")
            for needle in needles:
                assert needle in text, f"{name}: {needle!r} not in site/{rel}"
        for needle in case.get("output_contains") or []:
            assert needle in output, f"{name}: {needle!r} not in the build log"
        for rel in case.get("site_missing") or []:
            assert not (project / "site" / rel).exists(), f"{name}: site/{rel} should not be published"
        for pattern in case.get("site_without_metadata") or []:
            outputs = list((project / "site").glob(pattern))
            assert outputs, f"{name}: nothing published matches {pattern}"
            for path in outputs:
                data = path.read_bytes()
                # No EXIF block (JPEG APP1 "Exif\0\0", WebP/AVIF "EXIF" chunk) and no XMP packet.
                for marker in (b"Exif\x00\x00", b"EXIF", b"<x:xmpmeta", b"http://ns.adobe.com/xap"):
                    assert marker not in data, f"{name}: {marker!r} found in {path}"
