"""What a move to Zensical would cost: build a staged copy with Zensical and
report, page by page, what differs from the MkDocs output.

    .venv/bin/python benchmarks/zensical_report.py [--venv /tmp/zs-venv] [--mkdocs-site site] [--keep DIR]

Not run by CI, changes nothing in the repository. Steps:

1. a separate venv (never .venv) with Zensical (ZENSICAL below; 0.1.x needs
   zensical-ui, which the package registry reachable here does not have);
2. the reference: the site built by our pipeline (`python -m scripts build`),
   or --mkdocs-site for a build you already have;
3. a staged copy of the project: its settings and templates, and as docs the
   prepare stage's staged pages (`python -m scripts stage`: markers expanded,
   images beside them), built with `zensical build`, one config per language
   (mkdocs.yml, then mkdocs.en.yml …). When Zensical stops on a template, the report records the
   error and retries without that override (Material's own template is used
   instead), or with `extra.alternate` as a list when Material's alternate
   partial stops on our `alternate: true`: each step is a "blocker" a migration
   must fix;
4. every HTML page of the reference compared with Zensical's: missing pages,
   raw [[fact:…]] / [[chart:…]] / [[glossary]] / [[lesson…]] markers, and the
   features our hooks add (hreflang links, "last updated", <wbr> phrase
   breaks, glossary tooltips, furigana, responsive <picture>, fact footnotes),
   then a summary table. The figures are in README.md ("Engines").
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ZENSICAL = "zensical==0.0.73"
STAGED = ["mkdocs.yml", "mkdocs.en.yml", "overrides", "locales", "scripts", "data"]  # docs: the staged pages
INNERMOST = re.compile(r"\(in ([\w./-]+\.(?:html|xml|js)):(\d+)\)")
MARKERS = re.compile(r"\[\[(fact:|chart:|glossary\]\]|lesson|accessibility-results)")
# Features our hooks put in the HTML: (name, what to look for). A page that has
# it in the MkDocs output but not in Zensical's counts as "lost".
FEATURES = [
    ("hreflang links", re.compile(r'hreflang="')),
    ("last updated date", re.compile(r'class="[^"]*page-updated')),
    ("<wbr> phrase breaks", re.compile(r"<wbr>")),
    ("glossary tooltips", re.compile(r'class="term__word"')),
    ("furigana <ruby>", re.compile(r"<ruby>")),
    ("responsive <picture>", re.compile(r"<picture>")),
    ("fact footnotes", re.compile(r'class="footnote')),
    ("translation notice", re.compile(r'class="[^"]*translation-notice')),
]


def venv(path: Path) -> Path:
    if path.resolve() == (ROOT / ".venv").resolve():
        sys.exit("use a separate venv, never the shared .venv")
    tool = path / "bin" / "zensical"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(path / "bin/python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        ZENSICAL], check=True)
    return tool


def reference(site: Path | None, out: Path) -> tuple[Path, float]:
    if site:
        return site, float("nan")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "scripts", "build", "--site-dir", str(out / "mkdocs" / "site")],
                            cwd=ROOT, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"the MkDocs build failed:\n{result.stderr[-3000:]}")
    return out / "mkdocs" / "site", time.perf_counter() - start


def stage(out: Path) -> tuple[Path, float]:
    """The project's settings and templates, with the prepare stage's staged docs as docs/."""
    staged = out / "staged"
    staged.mkdir(parents=True)
    for part in STAGED:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, staged / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, staged / part)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "scripts", "stage", "--out", str(staged / "docs")], cwd=ROOT,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"python -m scripts stage failed:\n{result.stderr[-3000:]}")
    return staged, time.perf_counter() - start


def build_with_zensical(tool: Path, staged: Path, config_file: str = "mkdocs.yml",
                        tries: int = 25) -> tuple[list[str], bool, float, str]:
    """Build one language's config, working around each template error; returns (blockers, built,
    seconds of the last try, log)."""
    blockers: list[str] = []
    seconds, last = 0.0, ""
    for _ in range(tries):
        start = time.perf_counter()
        result = subprocess.run([str(tool), "build", "-f", config_file], cwd=staged, capture_output=True, text=True,
                                timeout=600)
        seconds = time.perf_counter() - start
        last = (result.stdout + result.stderr).strip()
        if result.returncode == 0:
            return blockers, True, seconds, last
        error = next((line for line in reversed(last.splitlines()) if "Error" in line), last[-300:]).strip()
        error = error.removeprefix("RuntimeError: ")
        where = INNERMOST.findall(error)
        if "not iterable" in error and "alternate" in error:
            settings = yaml.load((staged / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            if settings.get("extra", {}).get("alternate") != "true":
                break
            text = (staged / "mkdocs.yml").read_text(encoding="utf-8")
            (staged / "mkdocs.yml").write_text(re.sub(r"(?m)^(\s+)alternate: true", r"\1alternate: []", text),
                                               encoding="utf-8")
            reason = re.sub(r"\s*\(in [^)]*\)", "", error.rsplit(": ", 1)[-1])
            blockers.append(f"mkdocs.yml extra.alternate: true: Material's partials/alternate.html: {reason} "
                            "-> set to [] (no language links)")
            continue
        if "claimed by multiple blog instances" in error and config_file != "mkdocs.yml":
            # Zensical merges the `plugins` lists of INHERIT (MkDocs replaces them): two blogs.
            flatten(staged, config_file)
            blockers.append(f"{config_file}: INHERIT: {error.strip()} -> written out without INHERIT "
                            "(its own keys replacing mkdocs.yml's, as MkDocs does)")
            continue
        if where and (staged / "overrides" / where[-1][0]).exists():
            name, line = where[-1]
            (staged / "overrides" / name).unlink()
            reason = re.sub(r"\s*\(in [^)]*\)", "", error.rsplit(": ", 1)[-1])
            blockers.append(f"overrides/{name}:{line}: {reason} -> override removed (Material's own used)")
            continue
        break
    blockers.append(f"stopped: {last.splitlines()[-1] if last else 'no output'}")
    return blockers, False, seconds, last


def flatten(staged: Path, config_file: str) -> None:
    """A config with INHERIT, written out whole: its top-level keys replace the parent's (MkDocs merges
    dicts key by key and replaces lists; one level is enough for ours)."""
    def read(name):  # unsafe: mkdocs.yml names a Python function (toc slugify), written back as it was
        return yaml.unsafe_load((staged / name).read_text(encoding="utf-8")) or {}

    child = read(config_file)
    parent = read(child.pop("INHERIT"))
    for key, value in child.items():
        parent[key] = {**parent[key], **value} if isinstance(value, dict) and isinstance(parent.get(key), dict) else value
    (staged / config_file).write_text(yaml.dump(parent, allow_unicode=True, sort_keys=False), encoding="utf-8")


def pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")} if site.exists() else {}


def compare(mkdocs_site: Path, zensical_site: Path, languages: list[str]) -> tuple[list[dict], Counter]:
    ours, theirs = pages(mkdocs_site), pages(zensical_site)
    rows, totals = [], Counter()
    for name, path in sorted(ours.items()):
        lang = next((code for code in languages[1:] if name.startswith(f"{code}/")), languages[0])
        row = {"page": name, "lang": lang, "problems": []}
        if name not in theirs:
            row["problems"].append("missing page")
        else:
            mine, other = path.read_text(encoding="utf-8"), theirs[name].read_text(encoding="utf-8")
            raw = sorted(set(MARKERS.findall(other)))
            if raw:
                row["problems"].append("raw markers " + ", ".join(f"[[{m}" for m in raw))
            for feature, pattern in FEATURES:
                if pattern.search(mine) and not pattern.search(other):
                    row["problems"].append(f"no {feature}")
        for problem in row["problems"]:
            totals[problem.split(" [[")[0] if problem.startswith("raw markers") else problem] += 1
        rows.append(row)
    return rows, totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", type=Path, default=Path(tempfile.gettempdir()) / "zs-venv")
    parser.add_argument("--mkdocs-site", type=Path, help="a site/ already built by `python -m scripts build`")
    parser.add_argument("--keep", type=Path, help="keep the staged copy and both sites here")
    parser.add_argument("--pages", action="store_true", help="print every page, not only the summary")
    args = parser.parse_args(argv)
    tool = venv(args.venv)
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True).stdout.strip()
    out = args.keep or Path(tempfile.mkdtemp(prefix="zensical-report-"))
    out.mkdir(parents=True, exist_ok=True)
    mkdocs_site, mkdocs_seconds = reference(args.mkdocs_site, out)
    staged, stage_seconds = stage(out)
    extra = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]
    languages = [entry["code"] for entry in extra["languages"]]
    blockers, built, seconds, log = [], True, 0.0, ""
    for entry in extra["languages"]:  # the source language first: its build would remove the others' folders
        found, ok, took, text = build_with_zensical(tool, staged, entry["config"])
        blockers += [f"{entry['config']}: {b}" for b in found]  # a removed override stays removed for the next
        built, seconds, log = built and ok, seconds + took, log + text
    rows, totals = compare(mkdocs_site, staged / "site", languages)
    if args.pages:
        for row in rows:
            print(f"{row['page']:<60} {'; '.join(row['problems']) or 'same features'}")
        print()
    ours, theirs = pages(mkdocs_site), pages(staged / "site")
    print(f"Zensical ({version or ZENSICAL}) against MkDocs 1.6.1 + our hooks, page by page")
    by_lang = ", ".join(f"{c}: {sum(1 for r in rows if r['lang'] == c)}" for c in languages)
    print(f"  MkDocs build: {mkdocs_seconds:.1f} s, {len(ours)} HTML pages ({by_lang})")
    print(f"  staged docs (python -m scripts stage): {stage_seconds:.1f} s")
    print(f"  Zensical build: {'built' if built else 'did NOT build'} in {seconds:.2f} s (last tries), "
          f"{len(theirs)} HTML pages, {sum(1 for b in blockers if 'stopped:' not in b)} workarounds")
    print("\n  Blockers (each stopped the Zensical build until worked around):")
    for blocker in blockers:
        print(f"    - {blocker}")
    print(f"\n  {'what differs':<34} {'pages':>6}  of {len(rows)}")
    print(f"  {'-' * 34} {'-' * 6}")
    for problem, count in totals.most_common():
        print(f"  {problem:<34} {count:>6}")
    per_lang = {code: sum(1 for r in rows if r["lang"] == code and "missing page" in r["problems"]) for code in languages}
    print("\n  missing pages by language: " + ", ".join(f"{c}: {n}" for c, n in per_lang.items()))
    same = sum(1 for r in rows if not r["problems"])
    print(f"  pages with every feature: {same} of {len(rows)}")
    hooks = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader).get("hooks", [])
    said = "mentions them" if "hook" in log.lower() else "ignored them without a word"
    print(f"  hooks: mkdocs.yml lists {len(hooks)} hook file(s) ({', '.join(hooks)}); Zensical {said}")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
