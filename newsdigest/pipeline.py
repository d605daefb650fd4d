"""The whole build, step by step: load -> split -> enrich -> index -> render -> write."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import cache, continued, images, index, load, lock, parallel, rebuild, scans, write
from . import config as config_module
from . import pages as page_records
from .hashes import digest
from .model import Article, Diagnostic, Draft, InputError, Source, shown_path

if TYPE_CHECKING:  # split, enrich and render (jinja2, markdown) are imported by the functions that use
    from . import render  # them: a build that finds nothing changed ends before, in two thirds the time

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
    jobs: int = 0  # processes sharing the work (splitting, related articles, rendering, search); 0: one per core
    cache: bool = True  # reuse what earlier builds left in the cache folder
    cache_dir: Path | None = None  # default: .cache/newsdigest/ beside the config file
    notify: Callable[[str], None] | None = None  # says why a build waits (for another build)


@dataclass
class Result:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: int = 0  # digest files built
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


class BuildFailed(InputError):
    """The build stopped: every problem found so far."""


def read_sources(options: Options, cfg, memo: dict) -> tuple[list[Source], list[Diagnostic], dict]:
    """Load every digest file (or the ones asked for); all problems at once.

    `memo` (from the cache) maps a file to what an earlier build parsed from it: a file whose stamp
    or bytes are unchanged is not parsed again. Returns (sources, problems, the memo of this build)."""
    diagnostics: list[Diagnostic] = []
    sources, seen = [], {}
    if not options.content.is_dir():
        missing = "the content folder does not exist"
        raise BuildFailed([Diagnostic(shown_path(options.content), 0, missing, "create it, or pass --content DIR")])
    files = load.to_read(options.content, options.files)
    now = time.time_ns()  # read once, before any file is stat'ed (write.stamp)
    for n, (path, rel, shown) in enumerate(files):
        if options.progress:
            options.progress("reading", n, len(files))
        key = (str(path), cfg.publication)  # as --content and the folder name it: not from the working folder
        entry = memo.get(key)
        if entry and entry.shown != shown:  # built from another working folder before
            entry = entry.named(shown)
        stamp = write.stamp(path, settled=True, now=now)
        if not (entry and stamp and entry.stamp == stamp):
            try:
                with open(path, "rb") as file:
                    data = file.read()
            except OSError as exc:  # a symlink loop, a dangling link, no permission
                hint = "fix or remove it (is it a broken or looping symlink?)"
                diagnostics.append(Diagnostic(shown, 0, f"cannot read this file: {exc.strerror}", hint))
                continue
            sha = digest(data)
            if entry and entry.digest == sha:
                entry = entry._replace(stamp=stamp)
            else:  # its lines let go (all of a large archive's would fill the memory): read again to split it
                source, notes = load.parse(data, rel, shown, cfg.publication)
                entry = cache.Parsed(stamp, sha, source and dataclasses.replace(source, lines=()), notes, shown=shown)
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
    shelf: cache.Store | None = None  # where the cache is kept, when it is used


def load_config(options: Options, result: Result) -> config_module.Config:
    """The configuration (config.load); with the cache, the last one read while none of the files it
    was read from (site.yaml, the taxonomy files, the default gazetteer) has changed since."""
    overrides = {"base_url": options.base_url, "search": None if options.search else False}
    try:
        cfg, notes = config_module.load(options.config, overrides, store(options) if options.cache else None)
    except config_module.ConfigError as exc:
        raise BuildFailed(exc.diagnostics) from None
    result.diagnostics += notes
    return cfg


def cache_folder(options: Options) -> Path:
    return options.cache_dir or options.config.parent / ".cache" / "newsdigest"  # the config's root


def store(options: Options) -> cache.Store:
    return cache.Store(cache_folder(options), cache.code_salt())


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
    from . import enrich

    cfg = cfg or load_config(options, result)
    earlier = cache.ShardedDict(shelf, SOURCES).load() if shelf else {}
    sources, problems, parsed = read_sources(options, cfg, earlier)
    result.diagnostics += problems
    now = options.now or today()
    kept = [s for s in sources if (options.drafts or not s.draft) and (options.future or s.date <= now)]
    result.left_out = len(sources) - len(kept)
    key_of = {entry.source.path: key for key, entry in parsed.items() if entry.source}
    slugs = (shelf.load(SLUGS) if shelf else None) or {}
    known = len(slugs)
    _split_and_find(options, cfg, kept, parsed, key_of, slugs, keep_lines=lines and not shelf)
    kept = [parsed[key_of[source.path]].source or source for source in kept]
    pages: list[tuple[Source, list[Draft]]] = []
    for source in kept:
        drafts, problems = parsed[key_of[source.path]].split or ([], [])
        result.diagnostics += problems
        pages.append((source, drafts))
    found = {source.path: parsed[key_of[source.path]].found[1] for source in kept}  # type: ignore[index]
    articles, edition_slugs, problems = enrich.enrich(pages, cfg, found, slugs)
    articles, joined = continued.join(articles)
    problems += joined
    if shelf and len(slugs) != known:
        shelf.save(SLUGS, slugs)
    result.diagnostics += problems
    if shelf:
        # once saved, each article's text is read again from the cache where a page shows it
        cache.ShardedDict(shelf, SOURCES).save({**earlier, **parsed} if options.files else parsed, earlier)
    result.sources, result.articles = len(kept), len(articles)
    return Analysis(cfg, kept, pages, articles, edition_slugs, shelf)


def _split_and_find(
    options: Options, cfg, kept: list[Source], parsed: dict, key_of: dict, slugs: dict, keep_lines: bool
) -> None:
    """Split (unless cached) and find (enrich's per-page part) each page whose parse is not current,
    on `jobs` processes; the results go into `parsed` (its Sources without their lines, unless
    `keep_lines`) and the new slugs into `slugs`. A worker process sends back what it found, not
    the drafts: splitting them again here is quicker than pickling them. A page is read again to be
    split, and once found its text goes to a file (cache.Spill): no build holds the archive's text."""
    from . import enrich, split

    settings = digest(repr((cfg.topics, cfg.regions)).encode())  # what enrich.find() reads besides drafts
    fresh = [source for source in kept if not parsed[key_of[source.path]].current(settings)]
    taxonomy: list = []  # enrich.Taxonomy, made once per process when a page needs it
    parent, spill = os.getpid(), cache.Spill(cache_folder(options))

    def work(chunk: list[Source]) -> list:
        if not taxonomy:
            taxonomy.append(enrich.Taxonomy(cfg))
        out: list[tuple] = []
        for source in chunk:
            key, memo = key_of[source.path], collections.ChainMap({}, slugs)
            entry = parsed[key]
            whole = load.reread(key[0], entry.source, entry.digest) if entry.split is None else source
            if whole is None:  # changed since it was read: the parent says so
                out.append((None, None, {}))
                continue
            split_now = split.split(whole) if entry.split is None else None
            found = enrich.find(source, (split_now or entry.split)[0], taxonomy[0], memo)
            out.append((spill(split_now) if split_now and os.getpid() == parent else None, found, memo.maps[0]))
        return out

    def progress(n: int) -> None:
        if options.progress:
            options.progress("splitting", n, len(fresh))

    done = parallel.batched_map(work, fresh, jobs(options), SPLIT_BATCH, progress)
    whole: Source | None
    for source, (split_now, found, memo) in zip(fresh, done):
        key = key_of[source.path]
        entry, whole = parsed[key], source
        if entry.split is None and (keep_lines or not split_now):  # split by a worker, or kept whole (check)
            whole = load.reread(key[0], entry.source, entry.digest)
        if whole is None or found is None:
            raise BuildFailed([Diagnostic(source.path, 0, CHANGED, "build again once it is saved")])
        split_now = split_now or entry.split or spill(split.split(whole))
        parsed[key] = entry._replace(source=whole if keep_lines else source, split=split_now, found=(settings, found))
        slugs.update(memo)


def jobs(options: Options) -> int:
    """How many processes share the work: --jobs, else one per core."""
    return options.jobs or os.cpu_count() or 1


CHANGED = "this file changed while the site was being built"
SPLIT_BATCH = 50  # digest files a worker process splits at a time
SOURCES = "sources"  # cache.ShardedDict of cache.Parsed
SLUGS = "slugs.pickle"  # pinyin slugs of titles and names (enrich's memo)
RELATED = "related.pickle"  # the related articles of the last build (index.build's memo)


def build_files(options: Options) -> tuple[dict[str, bytes], Result]:
    """Everything but writing: the site's files, in memory (for `serve`). Raises BuildFailed."""
    from . import render

    result = Result()
    cfg = load_config(options, result)
    analysis = analyse(options, result, cfg, store(options))
    site, media = index_site(options, analysis, result)
    theme = _theme(options, cfg, result)
    try:
        files = render.render(site, theme, options.progress)
    except render.ThemeError as exc:
        raise BuildFailed(result.diagnostics + [exc.diagnostic]) from None
    files.update(media)
    result.files, result.bytes = len(files), sum(map(len, files.values()))
    _check_budget(options, cfg, result)
    return files, result


def index_site(options: Options, analysis: Analysis, result: Result):
    """Photos and the site's structure; raises BuildFailed on errors so far."""
    if not result.ok:
        raise BuildFailed(result.diagnostics)
    cfg = analysis.config
    publisher = images.Publisher(options.content, cfg.image_max_mb, cache_folder(options) / "images")
    photos, problems = images.process(analysis.articles, publisher)
    page_scans, areas, pdfs, scan_problems = scans.publish(analysis.sources, analysis.articles, publisher)
    media = {**publisher.files, **pdfs}
    result.diagnostics += problems + scan_problems
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
        (page_scans, areas),
    )
    if shelf and (related.get("setup"), related.get("reads")) != known:
        shelf.save(RELATED, related)
    return site, media


def _check_budget(options: Options, cfg, result: Result) -> None:
    over = write.over_budget(result.bytes, cfg.size_budget_mb, shown_path(options.config), options.strict)
    result.diagnostics += over
    if over and options.strict:
        raise BuildFailed(result.diagnostics)


def _inputs(options: Options, cfg) -> tuple | None:
    """Everything a build reads, cheaply identified (rebuild.inputs)."""
    when = (options.now or today()).isoformat()
    settings = (repr(cfg), options.base_url, options.strict, options.drafts, options.future, when, options.search)
    return rebuild.inputs((options.content, options.theme), settings)


def _theme(options: Options, cfg, result: Result) -> render.Theme:
    from . import render

    try:
        compiled = (cache_folder(options) / "templates", cache.code_salt()[:16]) if options.cache else None
        return render.Theme(options.theme, cfg.language, compiled)
    except render.ThemeError as exc:
        raise BuildFailed(result.diagnostics + [exc.diagnostic]) from None


def _write(options: Options, result: Result, output: rebuild.Output, plan: rebuild.Plan) -> write.Writer:
    """The site into the output folder, atomically: in place when few pages change, else swapped in
    whole. The search index is made first, by a process of its own, while this one makes the page
    records, their fingerprints, and the pages whose fingerprint changed."""
    from . import render

    old = plan.previous.old
    current: dict[str, str | None] = {**dict.fromkeys(plan.previous.strays), **{r: sha for r, (sha, _) in old.items()}}
    writer = write.Writer(options.output, current, in_place=None if old else False)  # decided below
    writer.start()
    try:
        put = rebuild.Put(writer)
        with rebuild.searching(output, plan, put, jobs(options)):
            output.pages, output.feeds = page_records.records(output.site)
            plan.sort(output.pages, output.feeds)
            writer.decide(plan.in_place(len(output.pages)))
            rebuild.write_site(output, plan, put, jobs(options), options.progress)
        result.files = len(writer.digests)
        result.bytes = sum(put.sizes[name] if name in put.sizes else old[name][1][1] for name in writer.digests)
        _check_budget(options, output.site.config, result)
        result.written = writer.commit()
    except render.ThemeError as exc:
        writer.abandon()
        raise BuildFailed(result.diagnostics + [exc.diagnostic]) from None
    except BaseException:
        writer.abandon()
        raise
    result.changed = len(result.written)
    return writer


def build(options: Options) -> Result:
    """Build the site into options.output, redoing only what changed since the last build there.
    One build at a time writes an output folder: a second one waits for the first (lock.py)."""
    protected = [options.content, options.theme, options.config.parent, Path.cwd()]
    write.check_output(options.output, protected, options.force)
    folder = cache_folder(options)
    try:
        with lock.hold(options.output, folder, options.notify):
            return _build(options)
    except lock.Busy as exc:
        raise write.OutputError(str(exc), "wait for that build to end (or stop it), then build again") from None
    except OSError as exc:  # the disk full, a read-only folder, no permission: the site is as it was
        raise write.OutputError(*lock.refusal(exc, options.output)) from None


def _build(options: Options) -> Result:
    started = time.perf_counter()
    result = Result()
    warning = write.recovered(options.output)  # said by this build only, not again by one with nothing to do
    result.diagnostics += [warning] if warning else []
    cfg = load_config(options, result)
    shelf = store(options)
    usable = options.cache and not warning
    previous = rebuild.Previous.read(shelf, options.output, _inputs(options, cfg), usable, jobs(options))
    if previous.nothing_changed():
        return rebuild.again(previous, started)
    plan, writer = _made(options, result, cfg, shelf, previous)
    reported = [d for d in result.diagnostics if d is not warning]
    rebuild.save_record(shelf, plan, writer, dataclasses.replace(result, written=[], diagnostics=reported))
    result.seconds = time.perf_counter() - started
    return result


def _made(options: Options, result: Result, cfg, shelf: cache.Store, previous: rebuild.Previous):
    """The site analysed, indexed, rendered and written: the plan and writer (the output record's) are
    left, each step letting go of what the next does not read (the analysis its drafts, the site)."""
    try:
        site, media = index_site(options, analyse(options, result, cfg, shelf if options.cache else None), result)
        theme = _theme(options, cfg, result)
    finally:
        previous.settle()  # the look at the output folder, begun beside the analysis, ends with it
    output = rebuild.Output(site, theme, media, rebuild.theme_digests(theme))
    plan = rebuild.Plan(previous, rebuild.constants(output.theme_digests, cfg))
    writer = _write(options, result, output, plan)
    plan.close()
    return plan, writer
