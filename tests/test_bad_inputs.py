"""The bad-input corpus (tests/bad_inputs/*/case.yml): every case either builds
correctly or stops with a message naming the file, the rule id and the fix, no
traceback, with the previous site/ and every source file left as they were, and
no staging folder behind. `make check` agrees with the build case by case: it
runs in the same project copy first, so no case is built twice."""
from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import copy_project, run_build, run_check, site_hashes, tree_hashes, tree_state
from tests.html_tools import without_readings

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


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def gif_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    frames = [Image.new("P", (64, 64), i) for i in (1, 2)]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
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
    "jpeg_48mp": lambda: _jpeg((8000, 6000)),
    "pdf_bytes": pdf_bytes,
    "gif_bytes": gif_bytes,
}


def written_paths(case: dict, case_dir: Path) -> list[str]:
    """Every path of the project a case writes, links or removes."""
    files = case_dir / "files"
    paths = [p.relative_to(files).as_posix() for p in files.rglob("*")] if files.is_dir() else []
    for key in ("write", "write_bytes", "append", "replace", "remove", "symlink"):
        paths += list(case.get(key) or [])
    return paths


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
    for rel, target in (case.get("symlink") or {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, project / rel)


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 60, f"only {len(CASES)} cases"


def test_every_failing_case_names_a_registered_rule():
    from scripts import lint

    lint._load()
    for name in CASES:
        case = yaml.safe_load((CASES_DIR / name / "case.yml").read_text(encoding="utf-8"))
        if case["expect"] == "fail":
            assert case.get("rule") in lint.RULES, f"{name}: rule {case.get('rule')!r} is not registered"


@pytest.fixture
def case_project(tmp_path_factory, tmp_path, compiled_scripts):
    """A fresh copy of the project, at the same path for every case a worker runs. What a build
    and `make check` keep of a page (scripts/memo.py) is addressed by the project's path and
    contents, so the pages a case leaves alone are found again, as when staff rebuild their own
    copy after an edit; the page a case breaks is always new. Moved to the case's tmp_path after,
    to look into when it fails."""
    home = tmp_path_factory.getbasetemp() / "case-project"
    shutil.rmtree(home, ignore_errors=True)
    project = copy_project(home / "project", compiled_scripts)
    yield project
    project.rename(tmp_path / "project")


@pytest.mark.parametrize("name", CASES)
def test_case(name, case_project, built_site):
    project = case_project
    case_dir = CASES_DIR / name
    case = yaml.safe_load((case_dir / "case.yml").read_text(encoding="utf-8"))
    assert case.get("about") and case.get("expect") in ("pass", "fail"), f"{name}: bad case.yml"
    # The previously published site, as hard links to the session's build: a build writes a new
    # site beside it and swaps by renames, so it never writes into these files (it would change
    # their times, which the check below compares). A case must not write into them either.
    assert not [p for p in written_paths(case, case_dir) if p.split("/")[0] == "site"], f"{name} writes into site/"
    shutil.copytree(built_site, project / "site", copy_function=os.link)
    apply_case(case, case_dir, project)
    sources_before = tree_hashes(project)
    site_before, site_content = tree_state(project / "site"), site_hashes(built_site)  # hashed once a run
    check = run_check(project, *(case.get('args') or []))  # make check, in the copy the build uses next
    check_output = check.stdout + check.stderr
    assert "Traceback" not in check_output, check_output
    result = run_build(project, *(case.get("args") or []))  # e.g. ["--production"]
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert tree_hashes(project) == sources_before, "the check or the build changed a source file"
    assert not list(project.glob(".site-*")), "a staging folder was left behind"
    # make check and the build agree: one fails if and only if the other does.
    assert (check.returncode != 0) == (result.returncode != 0), (
        f"{name}: check exit {check.returncode}, build exit {result.returncode}\n--- check:\n{check_output}"
        f"\n--- build:\n{output}")
    if case.get("rule"):
        assert f"[{case['rule']}]" in output, f"{name}: [{case['rule']}] not in the build output:\n{output}"
        assert f"[{case['rule']}]" in check_output, f"{name}: [{case['rule']}] not in make check:\n{check_output}"
    if case["expect"] == "fail":
        assert result.returncode != 0, f"{name}: the build should have failed\n{output}"
        for needle in case.get("messages") or []:
            assert needle in output, f"{name}: {needle!r} missing from:\n{output}"
        assert case.get("rule"), f"{name}: a failing case names the rule id it expects (rule:)"
        assert tree_state(project / "site") == site_before, "a failed build changed site/"
        assert tree_hashes(project / "site", ["."]) == site_content, "a failed build changed site/"
    else:
        assert result.returncode == 0, f"{name}: the build should have passed\n{output}"
        for rel, needles in (case.get("site_contains") or {}).items():
            text = without_readings((project / "site" / rel).read_text(encoding="utf-8"))
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
