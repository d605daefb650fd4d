"""The command line: `python build.py [build] [options]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import pipeline, write


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="build.py", description="Build a news site from newspaper pages in markdown.")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build content/ into site/ (the default command)",
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    build.add_argument("--content", type=Path, default=Path("content"), help="folder of digest files")
    build.add_argument("--output", type=Path, default=Path("site"), help="folder the site is written to")
    build.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration file")
    build.add_argument("--theme", type=Path, default=Path("theme"), help="theme folder")
    build.add_argument("--base-url", default=None,
                       help="URL the site is published at, e.g. https://org.github.io/repo/ (default: site.yaml's)")
    build.add_argument("--strict", action="store_true", help="fail when the site is over its size budget")
    build.add_argument("--force", action="store_true",
                       help="replace the output folder even when it holds files newsdigest did not write")
    build.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return top


MAX_WARNINGS = 50  # errors are always all shown; past this many warnings, a count


def report(diagnostics) -> None:
    warnings = 0
    for diagnostic in diagnostics:
        if diagnostic.level == "warning":
            warnings += 1
            if warnings > MAX_WARNINGS:
                continue
        print(diagnostic.format(), file=sys.stderr)
    if warnings > MAX_WARNINGS:
        print(f"… and {warnings - MAX_WARNINGS} more warning(s)", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)  # exits 2 on bad usage
    options = pipeline.Options(args.content, args.output, args.config, args.theme, args.base_url, args.strict,
                               args.force)
    try:
        result = pipeline.build(options)
    except pipeline.BuildFailed as exc:
        report(exc.diagnostics)
        errors = sum(d.level == "error" for d in exc.diagnostics)
        print(f"build failed: {errors} error(s); {args.output} was not changed", file=sys.stderr)
        return 1
    except write.OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("  hint: pass --output with a folder of the site's own, e.g. --output site", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: said plainly, the traceback only on request
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  hint: run again with --debug for the traceback, and report it", file=sys.stderr)
        return 1
    report(result.diagnostics)
    print(f"built {result.digests} digest(s) → {result.articles} article(s) → {result.files} file(s), "
          f"{result.bytes / 1024 / 1024:.2f} MB in {args.output}/ in {result.seconds:.2f} s")
    return 0
