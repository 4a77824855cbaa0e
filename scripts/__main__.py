"""Command line for staff and CI: `python -m scripts <command>` (see README).

    build [--production]  build the whole bilingual site into site/ (atomic);
              --production refuses placeholder publisher settings (deploy)
    stage --out DIR   the prepare stage alone: every page with its markers expanded, in
              DIR/<code>/, a docs folder another engine can build (benchmarks/zensical_report.py)
    catalogs  compile the UI string catalogs and list strings to translate
    plain-language [FILES]  plain-language figures per page
    serve   preview at http://127.0.0.1:8000/ and rebuild on every save
    check [--rules] [--strict]   every content check without a build (make check)
    new post|page ...   start a news post or a page in ja and en (make new-post)
    translations status [--json]   every English page: current, stale, missing or orphaned
    translations mark-reviewed FILE... | --all   record that a translation matches its source
    accessibility-results   copy the latest browser-gate test results into data/accessibility-results.yml
"""
from __future__ import annotations

import argparse
import os
import sys

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # we pin mkdocs<2 on purpose


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the whole site into site/")
    b.add_argument("--site-dir", help="write somewhere other than site/")
    b.add_argument("-v", "--verbose", action="store_true")
    b.add_argument("--production", action="store_true",
                   help="for publishing: refuse placeholder publisher settings (scripts/publisher.py)")
    st = sub.add_parser("stage", help="write the staged docs (markers expanded) for another engine")
    st.add_argument("--out", required=True, help="an empty or new folder")
    sub.add_parser("catalogs", help="compile UI string catalogs and list untranslated strings")
    pl = sub.add_parser("plain-language", help="print plain-language figures per page (ja and en)")
    pl.add_argument("files", nargs="*", help="Markdown files (default: every page under docs/)")
    tr = sub.add_parser("translations", help="translation status; mark translations reviewed")
    from scripts import translations

    translations.add_arguments(tr)
    ck = sub.add_parser("check", help="every content check, without building (make check)")
    ck.add_argument("--rules", action="store_true", help="list the lint rules")
    ck.add_argument("--strict", action="store_true", help="fail on warnings too")
    ck.add_argument("--docs", help=argparse.SUPPRESS)  # another docs folder (tests)
    ck.add_argument("--production", action="store_true", help="refuse placeholder publisher settings, as the deploy does")
    from scripts import scaffold

    scaffold.add_arguments(sub.add_parser("new", help="start a news post or page in ja and en"))
    sub.add_parser("accessibility-results", help="refresh data/accessibility-results.yml from the latest test run")
    s = sub.add_parser("serve", help="preview the site and rebuild on save")
    s.add_argument("--addr", default="127.0.0.1:8000")
    s.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    from scripts.progress import setup_logging

    setup_logging(getattr(args, "verbose", False))

    if args.command == "build":
        from scripts.build import BuildFailed, Interrupted, build_site, interrupted_message, stop_on_signals

        stop_on_signals()
        if args.production:  # read by every language's build, some in other processes
            from scripts import publisher

            os.environ[publisher.PRODUCTION_ENV] = "1"
        try:
            build_site(args.site_dir)
        except BuildFailed as e:
            print(f"ERROR   -  {e}", file=sys.stderr)
            return 1
        except Interrupted as e:
            print(f"ERROR   -  {interrupted_message(e.signum)}", file=sys.stderr)
            return 128 + e.signum
        return 0

    if args.command == "stage":
        from pathlib import Path

        from scripts.build import BuildFailed, stage_only

        try:
            out = stage_only(Path(args.out))
        except BuildFailed as e:
            print(f"ERROR   -  {e}", file=sys.stderr)
            return 1
        print(f"staged docs: {out}")
        return 0

    if args.command == "catalogs":
        from scripts import CACHE, ROOT, catalogs
        from scripts.languages import load_languages
        from scripts.problems import ContentError

        import yaml

        with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
            extra = yaml.load(f, Loader=yaml.BaseLoader).get("extra", {})
        status = 0
        for lang in load_languages(extra):
            try:
                target, catalog, problems = catalogs.compile_catalog(lang.code, ROOT / ".cache" / "i18n")
            except ContentError as e:
                print(e, file=sys.stderr)
                status = 1
                continue
            count = sum(1 for m in catalog if m.id)
            print(f"{lang.code}: {count} strings, {len(problems)} to fix -> {target}")
            for problem in problems:
                print(problem, file=sys.stderr)
            status = status or (1 if problems else 0)
        return status

    if args.command == "plain-language":
        from pathlib import Path

        from scripts import ROOT, plain_language

        files = [Path(f) for f in args.files] or sorted(
            p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*.md"))
        rows = [plain_language.measure_file(f) for f in files]
        print(plain_language.table(rows))
        return 1 if any(r.problems() for r in rows) else 0

    if args.command == "translations":
        return translations.cli(args)

    if args.command == "check":
        from scripts import lint

        if args.production:
            from scripts import publisher

            os.environ[publisher.PRODUCTION_ENV] = "1"
        return lint.command(args.docs, strict=args.strict, show_rules=args.rules)

    if args.command == "new":
        return scaffold.command(args)

    if args.command == "accessibility-results":
        from scripts import accessibility

        try:
            data = accessibility.refresh()
        except accessibility.NoResults as e:
            print(f"ERROR   -  {e}", file=sys.stderr)
            return 1
        failed = [c["check"] for c in data["checks"] if c["passed"] < c["runs"]]
        print(f"data/accessibility-results.yml: results of {data['tested']}, {len(data['checks'])} checks, "
              f"{len(data['lighthouse'])} Lighthouse pages" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
        return 0

    if args.command == "serve":
        from mkdocs.commands.serve import serve

        from scripts import ROOT

        from scripts import preview

        problem = preview.address_problem(args.addr)
        if problem:
            print(f"ERROR   -  {problem}", file=sys.stderr)
            return 1
        print(f"Preview: http://{args.addr}/ (Japanese) and http://{args.addr}/en/ (English). "
              "Press Ctrl+C to stop.", file=sys.stderr)
        try:
            serve(config_file=str(ROOT / "mkdocs.yml"), dev_addr=args.addr, livereload=True)
        except OSError as e:  # the port was taken between the check and the server's start
            print(f"ERROR   -  {preview.port_message(args.addr, e)}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            pass
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
