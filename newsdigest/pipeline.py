"""The whole build, step by step: load -> split -> enrich -> index -> render -> write."""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import config as config_module
from . import enrich, images, index, load, render, split, write
from .model import Article, Diagnostic, Draft, Source, shown_path

CHINA = dt.timezone(dt.timedelta(hours=8))


def today() -> dt.date:
    """Today in China (UTC+8): the default `--now`, which decides what counts as the future."""
    return dt.datetime.now(CHINA).date()


@dataclass
class Options:
    content: Path = Path("content")
    output: Path = Path("site")
    config: Path = Path("site.yaml")
    theme: Path = Path("theme")
    base_url: str | None = None
    strict: bool = False  # fail on warnings that matter for publishing (the size budget)
    force: bool = False  # write into an output folder that holds files the generator did not write
    drafts: bool = False  # include digests with `draft: true`
    future: bool = False  # include digests dated after `now`
    now: dt.date | None = None  # default: today()
    files: tuple[Path, ...] = ()  # only these content files (for `check`); () means all
    progress: Callable[[str, int, int], None] | None = None  # (step, done, total), for a progress bar


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    digests: int = 0
    articles: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    left_out: int = 0  # drafts and future digests not built
    changed: int = 0  # files whose bytes differ from the previous site's
    written: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.level == "error" for d in self.diagnostics)


class BuildFailed(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def read_sources(options: Options, cfg) -> tuple[list[Source], list[Diagnostic]]:
    """Load every digest file (or the ones asked for); all problems at once."""
    diagnostics: list[Diagnostic] = []
    sources = []
    if not options.content.is_dir():
        raise BuildFailed([Diagnostic(shown_path(options.content), 0, "the content folder does not exist",
                                      "create it, or pass --content DIR")])
    paths = list(options.files) or load.find_files(options.content)
    for n, path in enumerate(paths):
        if options.progress:
            options.progress("reading", n, len(paths))
        try:
            rel = path.resolve().relative_to(options.content.resolve()).as_posix()
        except (ValueError, RuntimeError):
            rel = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:  # a symlink loop, a dangling link, no permission
            diagnostics.append(Diagnostic(shown_path(path), 0, f"cannot read this file: {exc.strerror}",
                                          "fix or remove it (is it a broken or looping symlink?)"))
            continue
        source, problems = load.parse(data, rel, shown_path(path), cfg.publication)
        diagnostics += problems
        if source:
            sources.append(source)
    return sources, diagnostics


@dataclass
class Analysis:
    """Everything known about the content before rendering: what `check` reports and `build` renders."""

    config: config_module.Config
    sources: list[Source]
    pages: list[tuple[Source, list[Draft]]]
    articles: list[Article]
    edition_slugs: dict[str, str]


def analyse(options: Options, result: Result) -> Analysis:
    """Config, load, split and enrich; problems go to result.diagnostics. Raises BuildFailed only
    when nothing can be read (bad config, no content folder)."""
    try:
        cfg, notes = config_module.load(options.config, {"base_url": options.base_url})
    except config_module.ConfigError as exc:
        raise BuildFailed(exc.diagnostics)
    result.diagnostics += notes
    sources, problems = read_sources(options, cfg)
    result.diagnostics += problems
    now = options.now or today()
    kept = [s for s in sources if (options.drafts or not s.draft) and (options.future or s.date <= now)]
    result.left_out = len(sources) - len(kept)
    pages = []
    for n, source in enumerate(kept):
        if options.progress:
            options.progress("splitting", n, len(kept))
        drafts, problems = split.split(source)
        result.diagnostics += problems
        pages.append((source, drafts))
    articles, edition_slugs, problems = enrich.enrich(pages, cfg)
    result.diagnostics += problems
    result.digests, result.articles = len(kept), len(articles)
    return Analysis(cfg, kept, pages, articles, edition_slugs)


def build_files(options: Options) -> tuple[dict[str, bytes], Result]:
    """Everything but writing: the site's files, in memory. Raises BuildFailed."""
    result = Result()
    analysis = analyse(options, result)
    if not result.ok:
        raise BuildFailed(result.diagnostics)
    cfg = analysis.config
    photos, media, problems = images.process(analysis.articles, options.content, cfg.image_max_mb,
                                             cfg.root / ".cache" / "newsdigest" / "images")
    result.diagnostics += problems
    if not result.ok:
        raise BuildFailed(result.diagnostics)
    site = index.build(analysis.articles, analysis.edition_slugs, analysis.sources, cfg, photos)
    try:
        theme = render.Theme(options.theme, cfg.language)
        files = render.render(site, index.pages(site), theme, options.progress)
    except render.ThemeError as exc:
        raise BuildFailed(result.diagnostics + [exc.diagnostic])
    files.update(media)
    result.files = len(files)
    result.bytes = sum(len(data) for data in files.values())
    budget = cfg.size_budget_mb * 1024 * 1024
    if result.bytes > budget:
        result.diagnostics.append(Diagnostic(
            shown_path(options.config), 0, f"the site is {result.bytes / 1024 / 1024:.1f} MB, over its budget of "
            f"{cfg.size_budget_mb:g} MB (size_budget_mb)", "GitHub Pages publishes at most 1 GB; "
            "move old years to an archive site, or raise size_budget_mb", level="error" if options.strict else "warning"))
        if options.strict:
            raise BuildFailed(result.diagnostics)
    return files, result


def build(options: Options) -> Result:
    started = time.perf_counter()
    write.check_output(options.output, [options.content, options.theme, options.config.parent, Path.cwd()],
                       options.force)
    files, result = build_files(options)
    result.written = write.write(files, options.output)
    result.changed = len(result.written)
    result.seconds = time.perf_counter() - started
    return result
