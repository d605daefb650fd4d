"""The command line: `python build.py [build|serve|check|new|init] [options]`."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from pathlib import Path

from . import pipeline, write

MAX_WARNINGS = 50  # errors are always all shown; past this many warnings, a count


class HELP(argparse.HelpFormatter):
    """Each option's default said once: by its help text when that names it, else by its value; none
    for an on/off flag (its name says what it does) or an option with no default."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "(default" in text or action.default in (None, argparse.SUPPRESS) or isinstance(action.default, bool):
            return text
        return f"{text} (default: %(default)s)"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write YYYY-MM-DD") from None


def _project_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"), help="folder of digest files")
    command.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration file")
    command.add_argument(
        "--theme", type=Path, default=None, help="theme folder (default: theme, else the theme newsdigest ships)"
    )
    command.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def _build_options(command: argparse.ArgumentParser) -> None:
    _project_options(command)
    command.add_argument(
        "--base-url",
        default=None,
        help="URL the site is published at, e.g. https://org.github.io/repo/ (default: site.yaml's)",
    )
    command.add_argument("--drafts", action="store_true", help="include digests marked `draft: true`")
    command.add_argument("--future", action="store_true", help="include digests dated after --now")
    command.add_argument(
        "--now", type=_date, default=None, help="the date that decides what is future (default: today in China, UTC+8)"
    )
    command.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="leave out the search index, page and box (quicker previews)",
    )
    loud = command.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    loud.add_argument("-v", "--verbose", action="store_true", help="list every file written")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="build.py",
        formatter_class=HELP,
        description="Build a news site from newspaper pages written as markdown. With no command, `build`.",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", help="build content/ into site/ (the default command)", formatter_class=HELP)
    _build_options(build)
    build.add_argument("--output", type=Path, default=Path("site"), help="folder the site is written to")
    build.add_argument("--strict", action="store_true", help="fail when the site is over its size budget")
    build.add_argument(
        "--force",
        action="store_true",
        help="replace the output folder even when it holds files newsdigest did not write",
    )
    build.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="processes sharing the work: splitting, related articles, fingerprints, rendering (default: one per core)",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore what earlier builds left in the cache folder and render every page",
    )
    build.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="the cache folder (default: .cache/newsdigest/ beside the config file)",
    )

    serve = commands.add_parser(
        "serve", help="build, serve, rebuild on every change and reload open pages", formatter_class=HELP
    )
    _build_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to serve on")
    serve.add_argument("--host", default="127.0.0.1", help="address to serve on")

    check = commands.add_parser(
        "check", help="lint the content: how each page splits, and every doubt", formatter_class=HELP
    )
    _project_options(check)
    check.add_argument("files", nargs="*", type=Path, help="content files to check (default: all)")
    check.add_argument("--strict", action="store_true", help="exit 1 when there is any doubt")
    check.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    new = commands.add_parser("new", help="write a new digest file with front matter", formatter_class=HELP)
    new.add_argument("--content", type=Path, default=Path("content"), help="folder of digest files")
    new.add_argument("--date", type=_date, default=None, help="the page's date (default: today in China)")
    new.add_argument("--page", default="A1", help="the page label (版次), e.g. A3")
    new.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    _init_options(commands)
    return top


def _init_options(commands) -> None:
    init = commands.add_parser(
        "init", help="make a new site in an empty folder: site.yaml, an example page, theme", formatter_class=HELP
    )
    init.add_argument("dir", type=Path, metavar="DIR", help="the new site's folder (missing or empty)")
    init.add_argument("--title", default="新闻摘要", help="the site's name")
    init.add_argument("--publication", default="", help="the newspaper's name (default: the title)")
    init.add_argument("--base-url", default="/", help="where the site will be published")
    init.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def report(diagnostics, quiet: bool = False) -> None:
    warnings = 0
    for diagnostic in diagnostics:
        if diagnostic.level == "warning":
            warnings += 1
            if quiet or warnings > MAX_WARNINGS:
                continue
        print(diagnostic.format(), file=sys.stderr)
    if warnings > MAX_WARNINGS and not quiet:
        print(f"… and {warnings - MAX_WARNINGS} more warning(s)", file=sys.stderr)


class Progress:
    """A one-line progress bar on a terminal, for builds that take over a second; silent elsewhere."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.perf_counter()
        self.shown = False

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled or time.perf_counter() - self.started < 1.0 or not total:
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r{step:<10} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}\033[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


def theme_folder(given: Path | None) -> Path:
    """--theme when given; else `theme` in the current folder, and when there is none the theme
    newsdigest ships (as Hugo falls back to a theme module): a site needs no theme/ of its own."""
    if given is not None:
        return given
    if Path("theme").is_dir():
        return Path("theme")
    from .scaffold import THEME

    return THEME


def options_from(args) -> pipeline.Options:
    return pipeline.Options(
        content=args.content,
        output=getattr(args, "output", Path("site")),
        config=args.config,
        theme=theme_folder(args.theme),
        base_url=getattr(args, "base_url", None),
        strict=getattr(args, "strict", False),
        force=getattr(args, "force", False),
        drafts=getattr(args, "drafts", False),
        future=getattr(args, "future", False),
        now=getattr(args, "now", None),
        search=getattr(args, "search", True),
        jobs=getattr(args, "jobs", 0),
        cache=not getattr(args, "no_cache", False),
        cache_dir=getattr(args, "cache_dir", None),
    )


def run_build(args) -> int:
    options = options_from(args)
    progress = None if args.quiet else Progress()
    options.progress = progress
    options.notify = None if args.quiet else lambda text: print(text, file=sys.stderr, flush=True)
    try:
        result = pipeline.build(options)
    except pipeline.BuildFailed as exc:
        if progress:
            progress.clear()
        report(exc.diagnostics, args.quiet)
        errors = sum(d.level == "error" for d in exc.diagnostics)
        print(f"build failed: {errors} error(s); {args.output} was not changed", file=sys.stderr)
        return 1
    except write.OutputError as exc:  # the folder refused, the disk full, another build still writing…
        if progress:
            progress.clear()
        print(f"error: {exc}", file=sys.stderr)
        print(f"  hint: {exc.hint}", file=sys.stderr)
        return 1
    if progress:
        progress.clear()
    report(result.diagnostics, args.quiet)
    if args.verbose:
        for name in result.written:
            print(f"wrote {args.output}/{name}")
    if not args.quiet:
        left_out = f" ({result.left_out} draft or future page(s) left out)" if result.left_out else ""
        print(
            f"built {result.sources} digest(s){left_out} → {result.articles} article(s) → {result.files} file(s) "
            f"({result.changed} changed, {result.files - result.changed} unchanged), "
            f"{result.bytes / 1024 / 1024:.2f} MB in {args.output}/ in {result.seconds:.2f} s"
        )
    return 0


def run_new(args) -> int:
    import json

    from . import yamlfile
    from .slug import slugify

    day = args.date or pipeline.today()
    path = args.content / f"{day:%Y}" / f"{day:%m}" / f"{day.isoformat()}-{slugify(args.page, 'page')}.md"
    if path.exists():
        print(f"error: {path} already exists; not overwritten", file=sys.stderr)
        print("  hint: edit it, or pass another --page", file=sys.stderr)
        return 1
    page = args.page.strip()
    try:  # a label YAML would not read back as this text (`page: 01` is the number 1) is quoted
        plain = yamlfile.parse(f"page: {page}", "--page") == {"page": page}
    except yamlfile.YamlError:
        plain = False
    page = page if plain else json.dumps(page, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ndate: {day.isoformat()}\npage: {page}\ntitle: \n---\n\n# 标题\n\n正文。\n", encoding="utf-8"
        )
    except OSError as exc:  # a full disk, a read-only folder, a file where the folder should be
        print(f"error: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        print("  hint: free some space, or check that content/ is a folder you can write to", file=sys.stderr)
        return 1
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser().parse_args(argv)  # exits 2 on bad usage
    # A build makes millions of small objects and almost no reference cycles: the cycle collector's
    # default thresholds would walk them over and over (a fifth of a rebuild's time). Rarely is enough
    # for `serve`, which builds again and again in one process; a build, one a process, goes without:
    # each of its passes walked some 200,000 objects for nothing (a build of 10,000 articles left 200
    # to collect in all), a tenth of a rebuild's time.
    if args.command == "build":
        gc.disable()
    else:
        gc.set_threshold(200_000, 50, 100)
    try:
        if args.command == "build":
            return run_build(args)
        if args.command == "check":
            from . import check as check_module

            return check_module.run(options_from(args), args.files, args.strict, args.format)
        if args.command == "new":
            return run_new(args)
        if args.command == "init":
            from . import scaffold

            return scaffold.run(args.dir, args.title, args.publication, args.base_url, pipeline.today())
        from . import serve

        return serve.run(options_from(args), args.host, args.port, args.quiet)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: said plainly, the traceback only on request
        if args.debug:
            raise
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  hint: run again with --debug for the traceback, and report it", file=sys.stderr)
        return 1
