"""The bad-input corpus (tests/bad_inputs/*/case.yml): every case either builds
correctly or stops with a message naming the file and the fix, no traceback,
with the previous site/ and every source file left as they were."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import run_build, tree_hashes

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASES = sorted(p.parent.name for p in CASES_DIR.glob("*/case.yml"))


def shift_jis_page() -> bytes:
    return "---\ntitle: 追加\n---\n\n# 追加のページ\n\n日本語の文章です。\n".encode("shift_jis")


# Binary inputs are made here rather than stored, so the corpus stays readable.
GENERATORS = {"shift_jis_page": shift_jis_page}


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
    for rel, (old, new) in (case.get("replace") or {}).items():
        original = (project / rel).read_text(encoding="utf-8")
        assert old in original, f"case is stale: {old!r} not in {rel}"
        (project / rel).write_text(original.replace(old, new, 1), encoding="utf-8")
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
    result = run_build(project)
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
