"""What a rebuild redoes: the last build's record of its output folder (cache.BuildRecord), whether
anything changed since, which files must be made again (their fingerprint changed), and the
writing of the site through the Writer (write.py): unchanged files are kept, the others put.
"""

from __future__ import annotations

import array
import contextlib
import dataclasses
import itertools
import operator
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from . import cache, fingerprint, load, parallel, write
from .hashes import digest
from .model import Feed, Page, Site

if TYPE_CHECKING:  # render and feeds (jinja2, markdown) are imported where they are used: a build with
    from . import render  # nothing to do needs neither

FAILED = " failed"  # a worker's record of a file it could not write (never a digest)
SEARCH = " search index"  # its key among the fingerprints (no file has this name)
SEARCH_KEPT = "search.pickle"  # in the cache: what changing the index in place needs (search.Kept)
# An in-place commit is used when at most this share of the pages is re-rendered: it costs what
# changed, where a swap also links every unchanged file and deletes the old folder (a new day at
# 100,000 articles re-renders about a sixth of the pages)
IN_PLACE_SHARE = 0.5


def inputs(folders: tuple[Path, ...], settings: tuple) -> tuple | None:
    """Everything a build reads, cheaply identified: a digest of the settings and of the stamp of
    every file and folder in `folders`. When it equals the last build's and the output folder is as
    that build left it, there is nothing to do. None when a file was just saved (its stamp proves
    nothing), or cannot be stat'ed."""
    now = time.time_ns()
    stamps = []
    for folder in folders:
        found = [(rel, write.stamp(entry.path, settled=True, now=now)) for rel, entry in load.entries(str(folder))]
        if any(stamp is None for _, stamp in found):
            return None
        stamps.append((folder.as_posix(), found))
    return (digest(repr((settings, stamps)).encode()),)


@dataclass
class Previous:
    """The last build's record, checked against the folder it describes (by its Check)."""

    output: Path
    record: cache.BuildRecord
    inputs: tuple | None  # this build's
    old: dict = field(default_factory=dict)  # rel -> (digest, stamp): the last build's files, all as it left them
    strays: list = field(default_factory=list)  # files and folders added by hand since (to be deleted)
    same: set = field(default_factory=set)  # the folders whose stamp is still the one recorded
    shelf: cache.Store | None = None  # the cache it was read from
    idle: bool = False  # nothing changed, as the last build's Check tells (its record is not read)
    looking: tuple | None = None  # (the Check, what waits for its look) until `settle`

    @classmethod
    def read(cls, shelf: cache.Store, output: Path, inputs: tuple | None, usable: bool, jobs: int = 1) -> Previous:
        """After an unfinished update (not `usable`) no record describes the folder: a whole build.
        When the inputs are the last build's, the output folder is looked at now, by `jobs`
        processes (is there nothing to do?); else by a process of its own beside the analysis
        (with jobs > 1), waited for by `settle`: the build writes nothing there before."""
        check = shelf.load(_check_name(output)) if usable else None
        previous = cls(output, cache.BuildRecord(), inputs, shelf=shelf)
        if not isinstance(check, Check):
            return previous
        if inputs is None or inputs != check.inputs:
            previous.looking = (check, parallel.background(lambda: check.look(output), jobs))
            return previous
        look = check.look(output, jobs)
        if look and not look.strays:
            return cls(output, cache.BuildRecord(check.inputs, result=check.result), inputs, shelf=shelf, idle=True)
        return previous._take(check, look)

    def settle(self) -> Previous:
        """Waits for the look `read` began; the last build's record is taken when the folder is as
        it left it. A look that failed finds nothing to keep: the build is whole."""
        if self.looking:
            (check, looked), self.looking = self.looking, None
            try:
                look = looked()
            except parallel.WorkerFailed:
                look = None
            self._take(check, look)
        return self

    def _take(self, check: Check, look: Look | None) -> Previous:
        self.record = (cache.BuildRecord.load(self.shelf, self.output) if look and self.shelf else None) or self.record
        made_of = self.record.files and check.files == "\0".join(self.record.files)  # the record the Check was made of
        if look and made_of:
            self.old, self.strays, self.same = self.record.files, look.strays, look.same
        return self

    def nothing_changed(self) -> bool:
        return self.idle


NO_STAMP = (0, 2**64 - 1, 0)  # a Check's numbers for no stamp (a folder changed just before): no file has that size


class Look(NamedTuple):
    """The output folder as a Check finds it, every file as the build left it."""

    strays: list[str]  # files and folders added by hand since (write.scan)
    same: set[str]  # the folders whose stamp is the one recorded


@dataclass(frozen=True)
class Check:
    """The stamp of every file and folder the last build left in its output folder, in strings and
    arrays, kept apart from its record (which holds an object per file: a third of a second to
    load at 100,000 articles), in the cache beside it (builds/<output>.check.pickle), with its
    inputs and report: what every build reads first. A build with nothing to do reads nothing
    else; the others read the record too, when the folder is as the Check says the build left it."""

    inputs: tuple | None
    result: Any
    files: str  # their paths (relative to the output folder) joined by "\0"
    file_numbers: array.array  # their stamps, three numbers each
    folders: str
    folder_numbers: array.array

    @classmethod
    def of(cls, record: cache.BuildRecord) -> Check | None:
        if not record.files:
            return None
        files, folders = record.files, record.folders
        try:
            file_numbers = _numbers(map(operator.itemgetter(1), files.values()))
            folder_numbers = _numbers(folders.values())
        except OverflowError:  # a time before 1970
            return None
        return cls(record.inputs, record.result, "\0".join(files), file_numbers, "\0".join(folders), folder_numbers)

    def look(self, output: Path, jobs: int = 1) -> Look | None:
        """None when a file is gone or its stamp is not the one recorded; else what was added (looked
        for in the folders whose stamp changed: adding or removing a file changes its folder's)."""
        root, files, folders = f"{output.absolute()}/", self.files.split("\0"), self.folders.split("\0")
        n = len(self.file_numbers)
        try:
            both = write.numbers(root, files + folders, jobs)
        except (OSError, OverflowError):  # a file or a folder gone: which one
            both = None
        if both is not None:
            if both[:n] != self.file_numbers:
                return None
            now = both[n:]
        else:
            try:
                if write.numbers(root, files) != self.file_numbers:
                    return None
            except (OSError, OverflowError):  # a file gone
                return None
            now = _numbers(write.stamp(root + rel) for rel in folders)  # a folder gone: one by one
        if now == self.folder_numbers:
            return Look([], set(folders))
        a, b = iter(now), iter(self.folder_numbers)
        alike = list(itertools.starmap(operator.eq, zip(zip(a, a, a), zip(b, b, b))))
        pending = list(itertools.compress(folders, map(operator.not_, alike)))
        return Look(write.scan(root[:-1], pending, set(files), set(folders)), set(itertools.compress(folders, alike)))


def _numbers(stamps: Iterable[tuple | None]) -> array.array:
    return array.array("Q", itertools.chain.from_iterable(NO_STAMP if s is None else s for s in stamps))


def _check_name(output: Path) -> str:
    return cache.output_record_name(output).removesuffix(".pickle") + ".check.pickle"


class Plan:
    """Each file's fingerprint now, against the last build's: which pages to render, which to keep."""

    def __init__(self, previous: Previous, constants: str):
        self.previous = previous  # settled (Previous.settle)
        self.prints = fingerprint.Fingerprints(constants)
        self.then = previous.record.prints if previous.old else {}
        self.now: dict = {}
        self.todo: list[Page] = []
        self.kept: list[Page] = []
        self.feeds: list[tuple[Feed, bool]] = []  # each feed, and whether it is kept as it is

    def sort(self, pages: list[Page], feeds: list[Feed]) -> Plan:
        from . import render

        fingerprints = self.prints.records([*pages, *feeds])
        for page, now in zip(pages, fingerprints):
            (self.kept if self.unchanged(render.output_name(page.path), now) else self.todo).append(page)
        self.feeds = [(feed, self.unchanged(feed.path, now)) for feed, now in zip(feeds, fingerprints[len(pages) :])]
        return self

    def unchanged(self, name: str, now) -> bool:
        """Record a file's fingerprint; whether the last build wrote it from the same one."""
        self.now[name] = now
        return self.then.get(name) == now and name in self.previous.old

    def close(self) -> None:
        """Once the site is written: let go of its records (and what the fingerprints memoised);
        the fingerprints now, for the output record, stay."""
        self.prints.close()
        self.todo, self.kept, self.feeds = [], [], []

    def in_place(self, pages: int) -> bool:
        return bool(self.previous.old) and len(self.todo) <= IN_PLACE_SHARE * pages


class Put:
    """The writer's `put` for rendered files, remembering their sizes; records sent back by worker
    processes (see render.render_pages) are replayed through `record`."""

    def __init__(self, writer: write.Writer):
        self.writer = writer
        self.sizes: dict[str, int] = {}
        self.parent = os.getpid()

    def __call__(self, name: str, data: bytes) -> tuple:
        try:
            sha, written = self.writer.put(name, data)
        except OSError as exc:  # the disk full…: a worker sends it back, for the parent to raise
            if os.getpid() == self.parent:
                raise
            return (FAILED, exc.errno, exc.strerror, exc.filename)
        self.sizes[name] = len(data)
        return sha, written, len(data)

    def record(self, name: str, record: tuple) -> None:
        if record[0] == FAILED:
            raise OSError(*record[1:])
        sha, written, self.sizes[name] = record
        self.writer.record(name, sha, written)


@dataclass
class Output:
    """What a build writes: its site, theme and the files besides (photos), and its records (made
    while the search index is: see `searching`)."""

    site: Site
    theme: render.Theme
    media: dict[str, bytes]
    theme_digests: dict[str, str]  # every file of the theme (relative path) -> the digest of its bytes
    pages: list[Page] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)


@contextlib.contextmanager
def searching(output: Output, plan: Plan, put: Put, jobs: int) -> Iterator[None]:
    """The search index made (by a process of its own, with jobs > 1) while the body does the rest,
    from the page records on: waited for at its end, even when the body failed (it writes into the
    staging folder)."""
    searched = _search_files(output, plan, put, jobs) if output.site.config.search else None
    try:
        yield
    finally:
        if searched:
            searched()


def write_site(output: Output, plan: Plan, put: Put, jobs: int, progress=None) -> None:
    """Every page and feed into the writer: kept when its fingerprint is the last build's, else made."""
    from . import render
    from .feeds import FeedWriter

    old, writer = plan.previous.old, put.writer
    for page in plan.kept:
        name = render.output_name(page.path)
        writer.keep(name, old[name][0])
    renderer = render.Renderer(output.site.config, output.theme)
    render.render_pages(renderer, plan.todo, put, jobs, progress)
    feed_writer = FeedWriter(renderer.presenter, render.body_html(renderer))
    for feed, kept in plan.feeds:
        if kept:
            writer.keep(feed.path, old[feed.path][0])
        else:
            put(feed.path, feed_writer.file(feed))
    for name, data in sorted({**render.other_files(output.site, output.pages, renderer), **output.media}.items()):
        put(name, data)


def _search_files(output: Output, plan: Plan, put: Put, jobs: int) -> Callable[[], None]:
    """The search index and scripts: kept as they are when what they are made from (the articles,
    the topics and regions, the theme's search scripts) is unchanged; else changed in place from the
    last build's index when the cache has what it needs, or made again whole; by a process of its
    own beside the page records, their fingerprints and the rendering (with jobs > 1). Returns what
    waits for it (and keeps the files kept)."""
    from . import search  # here, not at the top: numpy, which it needs, is loaded only for a search index

    site, old, previous, writer = output.site, plan.previous.old, plan.previous, put.writer
    undecided = writer.in_place is None  # whether the index's process links what it keeps
    scripts = sorted((name, sha) for name, sha in output.theme_digests.items() if name.startswith("search/"))
    prints = plan.prints.articles(search.in_id_order(site))
    now = digest(repr((b"".join(prints), search.terms_of(site.config), scripts)).encode())
    then = plan.then.get(SEARCH)
    if then and then[0] == now and all(name in old for name in then[1]):

        def keep() -> None:  # at the end: whether the writer links what it keeps is known then
            for name in then[1]:
                writer.keep(name, old[name][0])
            plan.now[SEARCH] = then

        return keep
    kept = previous.shelf.load(SEARCH_KEPT) if previous.shelf and old else None
    if kept and (
        kept.meta != old.get(search.META, ("",))[0]
        or any(old.get(n, ("",))[0] != s for n, s in kept.built.shas.items())
    ):
        kept = None  # the site does not hold the index it describes

    def make() -> tuple[list[tuple[str, tuple]], list[str]]:
        made: list[tuple[str, tuple]] = []
        read = (lambda name: (previous.output / name).read_bytes()) if kept else None
        index = search.search_files(
            site, output.theme, lambda name, data: made.append((name, put(name, data))), prints, kept, read
        )
        if previous.shelf:
            previous.shelf.save(SEARCH_KEPT, index)
        return made, sorted(index.built.shas)

    made = parallel.background(make, jobs)

    def finish() -> None:
        records, index_files = made()
        if jobs > 1:  # written by the child: its writes are recorded here (and what it kept, when only
            for name, record in records:  # this writer knows by now whether to link it)
                put.record(name, record)
                if record[1] is None and undecided:
                    writer.keep(name, record[0])
        written = {name for name, _ in records}
        for name in index_files:
            if name not in written:
                writer.keep(name, old[name][0])
        plan.now[SEARCH] = (now, tuple(sorted(written.union(index_files))))

    return finish


def save_record(shelf: cache.Store, plan: Plan, writer: write.Writer, result) -> None:
    """The record the next build reads: its inputs, each file's digest and stamp, the folders'
    stamps, each file's fingerprint, and the report a build with nothing to do gives again; and
    apart, the Check of it a build with nothing to do reads."""
    output, old = plan.previous.output, plan.previous.old
    files = _files(output, writer, old)
    known: dict = {}  # an update in place changes only the folders it renames files into or deletes from
    names = None  # the folders holding files: the last build's when the files are the same
    if writer.in_place:
        touched = write.parents([*writer.changed, *(set(writer.old) - set(writer.digests))])
        then, unmoved = plan.previous.record.folders, list(plan.previous.same - touched)
        known = dict(zip(unmoved, map(then.get, unmoved)))
        names = then if files.keys() == old.keys() else None
    folders = write.folder_stamps(output, files, known, names)
    record = cache.BuildRecord(plan.previous.inputs, files, folders, plan.now, result)
    record.save(shelf, output)
    shelf.save(_check_name(output), Check.of(record))


def _files(output: Path, writer: write.Writer, old: dict) -> dict:
    """Each file of the new site -> (digest, stamp): the last build's for one it did not rewrite."""
    redo = set(writer.changed).union(writer.digests.keys() - old.keys())
    files: dict = dict(zip(writer.digests, map(old.get, writer.digests)))
    for rel in redo:  # a file written: its stamp as written; one kept, found the same byte for byte: stat'ed
        files[rel] = (writer.digests[rel], writer.stamps.get(rel) or write.stamp(output / rel))
    if all(map(operator.eq, writer.digests.values(), map(operator.itemgetter(0), files.values()))):
        return files
    return {rel: (sha, files[rel][1]) for rel, sha in writer.digests.items()}  # never met: the kept keep theirs


def again(previous: Previous, started: float):
    """The last build's report, for a build with nothing to do."""
    return dataclasses.replace(previous.record.result, written=[], changed=0, seconds=time.perf_counter() - started)


def theme_digests(theme: render.Theme) -> dict[str, str]:
    """Every file of the theme (relative path) -> the digest of its bytes."""
    return {
        p.relative_to(theme.folder).as_posix(): digest(p.read_bytes())
        for p in sorted(theme.folder.rglob("*"))
        if p.is_file()
    }


def constants(theme_digests: dict[str, str], config) -> str:
    """What every page depends on besides its record: theme and config (the code is in the cache's salt)."""
    return digest(repr((repr(config), sorted(theme_digests.items()))).encode())
