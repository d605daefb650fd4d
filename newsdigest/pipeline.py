"""The whole build, step by step: load -> split -> enrich -> index -> render -> write."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import cache, enrich, fingerprint, images, index, load, parallel, render, split, write
from . import config as config_module
from . import pages as page_records
from .feeds import FeedWriter
from .hashes import digest
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
    search: bool = True  # False: no search index, whatever site.yaml says (--no-search)
    jobs: int = 0  # processes sharing the work (splitting, related articles, fingerprints, rendering); 0: one per core
    cache: bool = True  # reuse what earlier builds left in the cache folder
    cache_dir: Path | None = None  # default: .cache/newsdigest/ beside the config file


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


def read_sources(options: Options, cfg, memo: dict) -> tuple[list[Source], list[Diagnostic], dict]:
    """Load every digest file (or the ones asked for); all problems at once.

    `memo` (from the cache) maps a file to what an earlier build parsed from it: a file whose stamp
    or bytes are unchanged is not parsed again. Returns (sources, problems, the memo of this build)."""
    diagnostics: list[Diagnostic] = []
    sources = []
    seen: dict = {}
    if not options.content.is_dir():
        raise BuildFailed(
            [
                Diagnostic(
                    shown_path(options.content),
                    0,
                    "the content folder does not exist",
                    "create it, or pass --content DIR",
                )
            ]
        )
    paths = list(options.files) or load.find_files(options.content)
    content = options.content.resolve()
    for n, path in enumerate(paths):
        if options.progress:
            options.progress("reading", n, len(paths))
        try:
            rel = path.resolve().relative_to(content).as_posix()
        except (ValueError, RuntimeError):
            rel = path.name
        shown = shown_path(path)
        key = (rel, shown, cfg.publication)
        entry = memo.get(key)
        stamp = write.stamp(path, settled=True)
        if not (entry and stamp and entry.stamp == stamp):
            try:
                data = path.read_bytes()
            except OSError as exc:  # a symlink loop, a dangling link, no permission
                diagnostics.append(
                    Diagnostic(
                        shown,
                        0,
                        f"cannot read this file: {exc.strerror}",
                        "fix or remove it (is it a broken or looping symlink?)",
                    )
                )
                continue
            sha = digest(data)
            if entry and entry.digest == sha:
                entry = entry._replace(stamp=stamp)
            else:
                entry = cache.Parsed(stamp, sha, *load.parse(data, rel, shown, cfg.publication))
        seen[key] = entry
        diagnostics += entry.problems
        if entry.source:
            sources.append(entry.source)
    return sources, diagnostics, seen


@dataclass
class Analysis:
    """Everything known about the content before rendering: what `check` reports and `build` renders."""

    config: config_module.Config
    sources: list[Source]
    pages: list[tuple[Source, list[Draft]]]
    articles: list[Article]
    edition_slugs: dict[str, str]
    digests: dict[str, str] = field(default_factory=dict)  # Source.path -> digest of the file's bytes
    shelf: cache.Store | None = None  # where the cache is kept, when it is used


def load_config(options: Options, result: Result) -> config_module.Config:
    try:
        cfg, notes = config_module.load(
            options.config, {"base_url": options.base_url, "search": None if options.search else False}
        )
    except config_module.ConfigError as exc:
        raise BuildFailed(exc.diagnostics)
    result.diagnostics += notes
    return cfg


def cache_folder(options: Options, cfg: config_module.Config) -> Path:
    return options.cache_dir or cfg.root / ".cache" / "newsdigest"


def store(options: Options, cfg: config_module.Config) -> cache.Store:
    return cache.Store(cache_folder(options, cfg), cache.code_salt())


def analyse(
    options: Options,
    result: Result,
    cfg: config_module.Config | None = None,
    shelf: cache.Store | None = None,
    lines: bool = False,
) -> Analysis:
    """Config, load, split and enrich; problems go to result.diagnostics. Raises BuildFailed only
    when nothing can be read (bad config, no content folder). With `shelf`, what an earlier build
    parsed, split and found in an unchanged file is taken from the cache. The Sources keep their
    lines (the file's text) only when `lines`: once split, a build reads only its articles."""
    cfg = cfg or load_config(options, result)
    earlier = cache.ShardedDict(shelf, SOURCES).load() if shelf else {}
    sources, problems, parsed = read_sources(options, cfg, earlier)
    result.diagnostics += problems
    now = options.now or today()
    kept = [s for s in sources if (options.drafts or not s.draft) and (options.future or s.date <= now)]
    result.left_out = len(sources) - len(kept)
    key_of = {entry.source.path: key for key, entry in parsed.items() if entry.source}
    settings = digest(repr((cfg.topics, cfg.regions)).encode())  # what enrich.find() reads besides drafts
    slugs = (shelf.load(SLUGS) if shelf else None) or {}
    known = len(slugs)
    fresh = [source for source in kept if not _current(parsed[key_of[source.path]], settings)]
    taxonomy: list = []  # enrich.Taxonomy, made once per process when a page needs it
    parent = os.getpid()

    def work(chunk: list[Source]) -> list:
        """Split (unless cached) and find (enrich's per-page part) for each page; with new slugs.
        A worker process sends back what it found, not the drafts: splitting them again here is
        quicker than pickling them."""
        if not taxonomy:
            taxonomy.append(enrich.Taxonomy(cfg))
        out = []
        for source in chunk:
            entry, memo = parsed[key_of[source.path]], collections.ChainMap({}, slugs)
            split_now = split.split(source) if entry.split is None else None
            found = enrich.find(source, (split_now or entry.split)[0], taxonomy[0], memo)
            out.append((split_now if os.getpid() == parent else None, found, memo.maps[0]))
        return out

    progress = options.progress and (lambda n: options.progress("splitting", n, len(fresh)))
    done = parallel.batched_map(work, fresh, jobs(options), SPLIT_BATCH, progress)
    # once split, the cache and the rest of a build keep each Source without its lines (cache.Parsed)
    bare = {s.path: dataclasses.replace(s, lines=()) for s in kept if s.lines} if shelf or not lines else {}
    for source, (split_now, found, memo) in zip(fresh, done):
        key = key_of[source.path]
        split_now = split_now or parsed[key].split or split.split(source)
        parsed[key] = parsed[key]._replace(
            source=bare.get(source.path, source), split=split_now, found=(settings, found)
        )
        slugs.update(memo)
    if not lines:
        kept = [bare.get(source.path, source) for source in kept]
    pages = []
    for source in kept:
        drafts, problems = parsed[key_of[source.path]].split
        result.diagnostics += problems
        pages.append((source, drafts))
    found = {source.path: parsed[key_of[source.path]].found[1] for source in kept}
    articles, edition_slugs, problems = enrich.enrich(pages, cfg, found, slugs)
    if shelf and len(slugs) != known:
        shelf.save(SLUGS, slugs)
    result.diagnostics += problems
    if shelf:
        cache.ShardedDict(shelf, SOURCES).save({**earlier, **parsed} if options.files else parsed, earlier)
    result.digests, result.articles = len(kept), len(articles)
    digests = {entry.source.path: entry.digest for entry in parsed.values() if entry.source}
    return Analysis(cfg, kept, pages, articles, edition_slugs, digests, shelf)


def jobs(options: Options) -> int:
    """How many processes share the work: --jobs, else one per core."""
    return options.jobs or os.cpu_count() or 1


def _current(entry: cache.Parsed, settings: str) -> bool:
    """Whether a file's cached parse is split, and enriched (find) under these topic and region settings."""
    return entry.split is not None and bool(entry.found) and entry.found[0] == settings


SPLIT_BATCH = 50  # digest files a worker process splits at a time
SOURCES = "sources"  # cache.ShardedDict of cache.Parsed
SLUGS = "slugs.pickle"  # pinyin slugs of titles and names (enrich's memo)
RELATED = "related.pickle"  # the related articles of the last build (index.build's memo)


def build_files(options: Options) -> tuple[dict[str, bytes], Result]:
    """Everything but writing: the site's files, in memory (for `serve`). Raises BuildFailed."""
    result = Result()
    cfg = load_config(options, result)
    analysis = analyse(options, result, cfg, store(options, cfg))
    site, media = _index(options, analysis, result)
    try:
        theme = render.Theme(options.theme, cfg.language)
        files = render.render(site, theme, options.progress)
    except render.ThemeError as exc:
        raise BuildFailed(result.diagnostics + [exc.diagnostic])
    files.update(media)
    result.files = len(files)
    result.bytes = sum(len(data) for data in files.values())
    _check_budget(options, cfg, result)
    return files, result


def _index(options: Options, analysis: Analysis, result: Result):
    """Photos and the site's structure; raises BuildFailed on errors so far."""
    if not result.ok:
        raise BuildFailed(result.diagnostics)
    cfg = analysis.config
    photos, media, problems = images.process(
        analysis.articles, options.content, cfg.image_max_mb, cache_folder(options, cfg) / "images"
    )
    result.diagnostics += problems
    if not result.ok:
        raise BuildFailed(result.diagnostics)
    shelf = analysis.shelf
    related = (shelf.load(RELATED) if shelf else None) or {}
    known = related.get("setup"), related.get("reads")
    site = index.build(
        analysis.articles,
        analysis.edition_slugs,
        analysis.sources,
        cfg,
        photos,
        related if shelf else None,
        jobs(options),
    )
    if shelf and (related.get("setup"), related.get("reads")) != known:
        shelf.save(RELATED, related)
    return site, media


def _check_budget(options: Options, cfg, result: Result) -> None:
    budget = cfg.size_budget_mb * 1024 * 1024
    if result.bytes > budget:
        result.diagnostics.append(
            Diagnostic(
                shown_path(options.config),
                0,
                f"the site is {result.bytes / 1024 / 1024:.1f} MB, over its budget of "
                f"{cfg.size_budget_mb:g} MB (size_budget_mb)",
                "GitHub Pages publishes at most 1 GB; move old years to an archive site, or raise size_budget_mb",
                level="error" if options.strict else "warning",
            )
        )
        if options.strict:
            raise BuildFailed(result.diagnostics)


def _inputs(options: Options, cfg) -> tuple | None:
    """Everything a build reads, cheaply identified: when it equals the last build's and the output
    folder is as that build left it, there is nothing to do."""
    files = []
    for folder in (options.content, options.theme):
        for path in sorted(folder.rglob("*")):
            stamp = write.stamp(path, settled=True)
            if stamp is None:  # just saved: its stamp proves nothing, the next build must look
                return None
            files.append((path.as_posix(), stamp))
    return (
        repr(cfg),
        options.base_url,
        options.strict,
        options.drafts,
        options.future,
        (options.now or today()).isoformat(),
        options.search,
        tuple(files),
    )


def _theme_digests(theme: render.Theme) -> dict[str, str]:
    """Every file of the theme (relative path) -> the digest of its bytes."""
    return {
        p.relative_to(theme.folder).as_posix(): digest(p.read_bytes())
        for p in sorted(theme.folder.rglob("*"))
        if p.is_file()
    }


def _constants(theme_digests: dict[str, str], cfg) -> str:
    """What every page depends on besides its data: theme and config (the code is in the cache's salt)."""
    return digest(repr((repr(cfg), sorted(theme_digests.items()))).encode())


def _trusted(output: Path, record: dict) -> tuple[dict, list[str]]:
    """The last build's {file: (digest, stamp)} if every file is still as it left them, else {};
    with the files that build did not write, added to the folder since (to be deleted)."""
    files = record.get("files") or {}
    folder = str(output.absolute())
    if not files or not all(write.stamp(f"{folder}/{rel}") == stamp for rel, (_, stamp) in files.items()):
        return {}, []
    return files, write.strays(output, files, record.get("folders", {"": None}))


class _Put:
    """The writer's `put` for rendered files, remembering their sizes; records sent back by worker
    processes (see render.render_pages) are replayed through `record`."""

    def __init__(self, writer: write.Writer):
        self.writer = writer
        self.sizes: dict[str, int] = {}

    def __call__(self, name: str, data: bytes) -> tuple:
        sha, changed = self.writer.put(name, data)
        self.sizes[name] = len(data)
        return sha, changed, len(data)

    def record(self, name: str, record: tuple) -> None:
        sha, changed, self.sizes[name] = record
        self.writer.record(name, sha, changed)


def _search_files(
    site,
    theme,
    theme_digests: dict,
    prints,
    prints_then: dict,
    prints_now: dict,
    old: dict,
    writer: write.Writer,
    put: _Put,
) -> None:
    """The search index and scripts: kept as they are when what they are made from (the articles,
    the topics and regions, the theme's search scripts) is unchanged, else made again whole."""
    from . import search  # here, not at the top: numpy, which it needs, is loaded only for a search index

    scripts = sorted((name, sha) for name, sha in theme_digests.items() if name.startswith("search/"))
    now = digest(repr((prints.articles(site.articles), search.terms_of(site.config), scripts)).encode())
    then = prints_then.get(SEARCH)
    if then and then[0] == now and all(name in old for name in then[1]):
        for name in then[1]:
            writer.keep(name, old[name][0])
        prints_now[SEARCH] = then
        return
    names = []

    def out(name: str, data: bytes) -> None:
        names.append(name)
        put(name, data)

    search.search_files(site, theme, out)
    prints_now[SEARCH] = (now, tuple(sorted(names)))


SEARCH = " search index"  # its key among the fingerprints (no file has this name)
# An in-place commit is used when at most this share of the pages is re-rendered: it costs what
# changed, where a swap also links every unchanged file and deletes the old folder (a new day at
# 100,000 articles re-renders about a sixth of the pages)
IN_PLACE_SHARE = 0.5


def build(options: Options) -> Result:
    """Build the site into options.output, redoing only what changed since the last build there."""
    started = time.perf_counter()
    write.check_output(
        options.output, [options.content, options.theme, options.config.parent, Path.cwd()], options.force
    )
    unfinished = write.recover(options.output)
    result = Result()
    warning = None  # said by this build only, not by the report that a build with nothing to do repeats
    if unfinished:
        warning = Diagnostic(
            shown_path(options.output),
            0,
            f"the last build's update of this folder could not be finished: {unfinished}",
            "this build makes the whole folder again and swaps it in: nothing to do",
            level="warning",
        )
        result.diagnostics.append(warning)
    cfg = load_config(options, result)
    shelf = store(options, cfg)
    record_name = cache.output_record_name(options.output)
    # after an unfinished update no record describes the folder: a whole build, not another in-place one
    record = (shelf.load(record_name) if options.cache and not unfinished else None) or {}
    old, strays = _trusted(options.output, record)
    inputs = _inputs(options, cfg)
    if (
        old and not strays and inputs and record.get("inputs") == inputs
    ):  # nothing changed: the last build's report again
        result = record["result"]
        result.written, result.changed, result.seconds = [], 0, time.perf_counter() - started
        return result
    analysis = analyse(options, result, cfg, shelf if options.cache else None)
    site, media = _index(options, analysis, result)
    try:
        theme = render.Theme(options.theme, cfg.language)
    except render.ThemeError as exc:
        raise BuildFailed(result.diagnostics + [exc.diagnostic])
    pages, feeds = page_records.records(site)
    renderer = render.Renderer(cfg, theme)
    theme_digests = _theme_digests(theme)
    constants = _constants(theme_digests, cfg)
    prints = fingerprint.Fingerprints(constants)
    prints_then = record.get("prints", {}) if old else {}
    prints_now, todo, kept = {}, [], []  # fingerprints by file; pages to render; pages kept as they are

    def unchanged(name: str, now: str) -> bool:
        """Record a file's fingerprint; whether the last build wrote it from the same one."""
        prints_now[name] = now
        return prints_then.get(name) == now and name in old

    fingerprints = prints.records([*pages, *feeds], jobs(options))
    for page, now in zip(pages, fingerprints):
        (kept if unchanged(render.output_name(page.path), now) else todo).append(page)
    writer = write.Writer(
        options.output,
        {**dict.fromkeys(strays), **{rel: sha for rel, (sha, _) in old.items()}},
        in_place=bool(old) and len(todo) <= IN_PLACE_SHARE * len(pages),
    )
    writer.start()
    try:
        for page in kept:
            name = render.output_name(page.path)
            writer.keep(name, old[name][0])
        put = _Put(writer)
        if cfg.search:  # before the pages: its peak memory then adds to a smaller heap
            _search_files(site, theme, theme_digests, prints, prints_then, prints_now, old, writer, put)
        render.render_pages(renderer, todo, put, jobs(options), options.progress)
        feed_writer = FeedWriter(renderer.presenter, render.body_html(renderer))
        for feed, now in zip(feeds, fingerprints[len(pages) :]):
            if unchanged(feed.path, now):
                writer.keep(feed.path, old[feed.path][0])
            else:
                put(feed.path, feed_writer.file(feed))
        for name, data in sorted({**render.other_files(site, pages, renderer), **media}.items()):
            put(name, data)
        result.files = len(writer.digests)
        result.bytes = sum(put.sizes[name] if name in put.sizes else old[name][1][1] for name in writer.digests)
        _check_budget(options, cfg, result)
        result.written = writer.commit()
    except render.ThemeError as exc:
        writer.abandon()
        raise BuildFailed(result.diagnostics + [exc.diagnostic])
    except BaseException:
        writer.abandon()
        raise
    result.changed = len(result.written)
    rewritten = set(writer.changed)
    files = {
        rel: (sha, write.stamp(options.output / rel) if rel in rewritten or rel not in old else old[rel][1])
        for rel, sha in writer.digests.items()
    }
    reported = [d for d in result.diagnostics if d is not warning]  # what a build with nothing to do says again
    shelf.save(
        record_name,
        {
            "inputs": inputs,
            "files": files,
            "folders": write.folder_stamps(options.output, files),
            "prints": prints_now,
            "result": dataclasses.replace(result, written=[], diagnostics=reported),
        },
    )
    result.seconds = time.perf_counter() - started
    return result
