"""ProperDocs (a maintained fork of MkDocs 1.x) against MkDocs 1.6.1, on this site.

    .venv/bin/python benchmarks/properdocs_compare.py [--venv /tmp/pd-venv] [--runs 2] [--tests tests/test_site.py ...]

Not run by CI. In a separate venv (never .venv) it installs ProperDocs in place
of mkdocs, with every other package at the version .venv has (`pip freeze`,
installed with --no-deps, since Material still declares `mkdocs` as a
dependency). ProperDocs answers `import mkdocs` only once `properdocs.replacement`
is imported (its own `properdocs` command does that); our code imports mkdocs,
so the venv gets a one-line .pth file that imports it at start-up (spawned
workers included). Then it builds the site with both, alternately, and
compares every file of site/, ignoring only the build-time outputs
(scripts/build.py TIMESTAMPED_OUTPUTS) and the <meta name="generator"> line,
which names the engine. With --tests, it also runs those tests with ProperDocs.
The result and the decision are in README.md ("Engines").
"""
from __future__ import annotations

import argparse
import fnmatch
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.build import TIMESTAMPED_OUTPUTS  # noqa: E402

PROPERDOCS = "properdocs==1.6.7"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
SHIM = "zz-properdocs-as-mkdocs.pth"


def venv(path: Path) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    frozen = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "pip", "freeze"], capture_output=True,
                            text=True, check=True).stdout.splitlines()
    keep = [line for line in frozen if line and not re.match(r"(?i)mkdocs(-get-deps)?==", line) and "@" not in line]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(keep) + "\n")
    subprocess.run([*pip, PROPERDOCS], check=True)
    subprocess.run([*pip, "--no-deps", "-r", f.name], check=True)
    site_packages = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   capture_output=True, text=True, check=True).stdout.strip()
    (Path(site_packages) / SHIM).write_text("import properdocs.replacement\n", encoding="utf-8")
    return python


def build(python: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    start = time.perf_counter()
    result = subprocess.run([str(python), "-m", "scripts", "build", "--site-dir", str(site)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"{python}: the build failed:\n{result.stderr[-4000:]}")
    return seconds


def compare(a: Path, b: Path) -> dict:
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    raw, real = [], []
    for name in sorted(files_a & files_b):
        x, y = (a / name).read_bytes(), (b / name).read_bytes()
        if x == y:
            continue
        raw.append(name)
        if any(fnmatch.fnmatch(name, pattern) for pattern in TIMESTAMPED_OUTPUTS):
            continue
        if GENERATOR.sub(b"", x) != GENERATOR.sub(b"", y):
            real.append(name)
    return {"files": len(files_a), "only_mkdocs": sorted(files_a - files_b), "only_properdocs": sorted(files_b - files_a),
            "differ_raw": raw, "differ": real}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "pd-venv")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--tests", nargs="*", default=[])
    args = parser.parse_args(argv)
    if args.venv.resolve() == (ROOT / ".venv").resolve():
        sys.exit("use a separate venv, never the shared .venv")
    properdocs = venv(args.venv)
    mkdocs = ROOT / ".venv/bin/python"
    out = Path(tempfile.mkdtemp(prefix="properdocs-compare-"))
    times = {"mkdocs": [], "properdocs": []}
    for run in range(args.runs):  # alternated, so a busy moment of the machine hits both
        times["mkdocs"].append(build(mkdocs, out / f"mkdocs-{run}" / "site"))
        times["properdocs"].append(build(properdocs, out / f"properdocs-{run}" / "site"))
    result = compare(out / "mkdocs-0" / "site", out / "properdocs-0" / "site")
    version = subprocess.run([str(properdocs), "-c", "import properdocs; print(properdocs.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    print(f"ProperDocs {version} vs MkDocs 1.6.1 (warm builds, median of {args.runs}, both languages)")
    for engine, values in times.items():
        print(f"  {engine:<11} {statistics.median(values):6.1f} s   runs: {', '.join(f'{v:.1f}' for v in values)}")
    print(f"  files in site/: {result['files']}; only in MkDocs' build: {len(result['only_mkdocs'])}; "
          f"only in ProperDocs': {len(result['only_properdocs'])}")
    print(f"  files that differ: {len(result['differ_raw'])} byte for byte; {len(result['differ'])} once the "
          "build-time outputs and the generator line are set aside")
    for name in result["differ"][:20] + result["only_mkdocs"][:10] + result["only_properdocs"][:10]:
        print(f"    {name}")
    status = 0 if not (result["differ"] or result["only_mkdocs"] or result["only_properdocs"]) else 1
    if args.tests:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
        start = time.perf_counter()
        tests = subprocess.run([str(properdocs), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.tests],
                               cwd=ROOT, env=env, capture_output=True, text=True)
        summary = (tests.stdout.strip().splitlines() or ["(no output)"])[-1]
        print(f"  tests with ProperDocs ({' '.join(args.tests)}): {summary} [{time.perf_counter() - start:.0f} s]")
        status = status or tests.returncode
    print("  drop-in: " + ("yes" if status == 0 else "no"))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
