"""Step 6, write: file bytes -> the output folder, replaced atomically.

Two ways to commit a new site, both all-or-nothing for a killed build:

- whole: the new site is written beside the old one (unchanged files hard-linked from it), then
  swapped in with one atomic rename-exchange (Linux renameat2). A reader never sees half a site.
- in place, for a rebuild that changes fewer files: only those are written beside the site, then a
  journal naming them is made durable, and they are renamed into the site one by one. A build
  killed while renaming leaves the journal, and the next build (or `recover`) finishes the job
  before anything else, so the folder never stays half-written. Creating and deleting the tens of
  thousands of folders of a whole site costs seconds; this costs what changed.
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import ctypes.util
import itertools
import json
import operator
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from . import parallel
from .hashes import digest
from .model import Diagnostic, shown_path

RENAME_EXCHANGE = 2
MARKER = ".newsdigest"  # written into every site: an output folder without it is someone else's
MARKER_TEXT = b"This folder is written by newsdigest and replaced by every build.\n"
_AT_FDCWD = -100


def over_budget(size: int, budget_mb: float, config: str, strict: bool) -> list[Diagnostic]:
    """A site of `size` bytes over its budget (size_budget_mb): a warning, or an error with --strict."""
    if size <= budget_mb * 1024 * 1024:
        return []
    return [
        Diagnostic(
            config,
            0,
            f"the site is {size / 1024 / 1024:.1f} MB, over its budget of {budget_mb:g} MB (size_budget_mb)",
            "GitHub Pages publishes at most 1 GB; move old years to an archive site, or raise size_budget_mb",
            level="error" if strict else "warning",
        )
    ]


class OutputError(Exception):
    """The output folder cannot be written: a message, and a hint saying what to do."""

    def __init__(self, message: str, hint: str = "pass --output with a folder of the site's own, e.g. --output site"):
        super().__init__(message)
        self.hint = hint


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths. False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def check_output(output: Path, protected: list[Path], force: bool = False) -> None:
    """Refuse an output folder whose replacement would destroy someone's work: /, the home folder,
    the project, content or theme folder (or one holding them), or a folder of files the generator
    did not write (unless forced)."""
    target = output.resolve()
    for danger in [Path("/"), Path.home(), *protected]:
        danger = danger.resolve()
        if target == danger or target in danger.parents:
            raise OutputError(f"refusing to write the site to {output}: it would replace {danger}")
    if target.exists() and not target.is_dir():
        raise OutputError(f"refusing to write the site to {output}: it is a file, not a folder")
    if not force and target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputError(
            f"refusing to write the site to {output}: it holds files newsdigest did not write "
            "(pass --force to replace them all)"
        )


RACY_NS = 100_000_000  # far above the clock tick of file times (1-10 ms on Linux)


def stamp(path: Path | str, settled: bool = False, now: int = 0) -> tuple | None:
    """What identifies a file's current version cheaply: (inode, size, mtime in ns); None if missing.

    `settled`: None, too, when the file was modified within RACY_NS before now: saved again in the
    same clock tick with the same size, it would keep its stamp (git's "racily clean" files), so
    such a file is read and compared instead, now and at the next build. `now` (time.time_ns()),
    when given, must be read before the file is stat'ed: an earlier now only finds more files racy."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if settled and (now or time.time_ns()) - st.st_mtime_ns < RACY_NS:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


_STAMP = operator.attrgetter("st_ino", "st_size", "st_mtime_ns")  # stamp() of an os.stat_result


def numbers(root: str, names: list[str], jobs: int = 1) -> array.array:
    """The stamps of the paths (`root`, ending in "/", and a name), three numbers each, in an array
    (compared whole); raises OSError when one is gone. The loop runs in C (map): it stats every
    file of a site. Many names are shared among `jobs` processes (a stat holds its process most of
    the time it takes, threads would wait for each other)."""
    if jobs < 2 or len(names) < SHARED_STATS:
        return array.array("Q", itertools.chain.from_iterable(map(_STAMP, map(os.stat, map(root.__add__, names)))))
    found = array.array("Q")
    for part in parallel.batched_map(lambda chunk: [_numbers(root, chunk)], names, jobs, -(-len(names) // jobs)):
        if part is None:
            raise FileNotFoundError("a file of the site is gone")
        found += part
    return found


SHARED_STATS = 20_000  # paths from which numbers() shares its stats among processes


def _numbers(root: str, names: list[str]) -> array.array | None:
    try:
        return numbers(root, names)
    except (OSError, OverflowError):  # told as a value: a worker's exception would fail the whole map
        return None


def scan(root: str, pending: list[str], files, folders) -> list[str]:
    """The strays in the folders `pending` under `root` and in the folders under them that are not
    among `folders` (relative paths; `files` and `folders` answer `in`): the files not among
    `files`, and the empty folders not among `folders`, as "path/". A link counts as a file, never
    followed."""
    found = []
    while pending:
        rel = pending.pop()
        try:
            listing = list(os.scandir(f"{root}/{rel}"))
        except OSError:  # gone: its files are missing, which the caller sees
            continue
        if not listing and rel not in folders:
            found.append(f"{rel}/")
        for entry in listing:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                if path not in folders:
                    pending.append(path)
            elif path not in files:
                found.append(path)
    return sorted(found)


def folder_stamps(output: Path, files, known: dict | None = None, names=None) -> dict[str, tuple | None]:
    """The settled stamp of every folder holding one of `files` (None for one changed just now),
    taken from `known` for a folder it holds (one that is known not to have changed). `names`, when
    given, are those folders (the last build's, when its files are this one's)."""
    known = known or {}
    root = str(output.absolute())
    names = sorted(parents(files)) if names is None else names
    found = dict(zip(names, map(known.get, names)))
    for rel in found.keys() - known.keys():
        found[rel] = stamp(f"{root}/{rel}", settled=True)
    return found


def parents(paths) -> set[str]:
    """Every folder holding one of `paths` (relative), however deep, and the root ("")."""
    found = {""}
    for rel in paths:
        rel = rel.rstrip("/")
        while rel:
            rel = rel.rpartition("/")[0]
            if rel in found:  # and so are the folders above it
                break
            found.add(rel)
    return found


def _journal(output: Path) -> Path:
    return output.parent / f".{output.name}.journal"


def recover(output: Path) -> str:
    """Finish an in-place commit that a killed build left half done; remove stale staging folders.

    Returns "" or, when the commit cannot be finished (a file in the way that cannot be replaced,
    say), why: the journal is then dropped, and the caller must replace the whole folder."""
    output = output.absolute()
    journal = _journal(output)
    journal.with_name(journal.name + ".part").unlink(missing_ok=True)  # killed while writing it
    failed = ""
    if journal.exists():
        try:
            plan = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:  # killed while writing the journal: nothing was moved yet
            plan = None
        if plan:
            try:
                _apply(output, Path(plan["staging"]), plan["moved"], plan["deleted"])
            except OSError as exc:
                failed = f"{exc.filename or output}: {exc.strerror or exc}"
        journal.unlink()
    for stale in output.parent.glob(f".{output.name}.*.tmp"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    return failed


def recovered(output: Path) -> Diagnostic | None:
    """recover, and a warning when the killed build's update could be neither finished nor undone."""
    unfinished = recover(output)
    if not unfinished:
        return None
    return Diagnostic(
        shown_path(output),
        0,
        f"the last build's update of this folder could not be finished: {unfinished}",
        "this build makes the whole folder again and swaps it in: nothing to do",
        level="warning",
    )


def _apply(output: Path, staging: Path, moved: list[str], deleted: list[str]) -> None:
    """Rename staged files into the site and delete the removed ones; safe to run twice."""
    for rel in moved:
        source = staging / rel
        if source.exists():
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, output / rel)
    for rel in deleted:
        path = output / rel
        if rel.endswith("/"):  # an empty folder (see scan)
            with contextlib.suppress(OSError):  # gone already, or no longer empty: a later build sees it
                path.rmdir()
        else:
            path.unlink(missing_ok=True)
        folder = path.parent
        while folder != output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    shutil.rmtree(staging, ignore_errors=True)


class Writer:
    """A new version of the output folder being written.

    `put` every file of the new site (or `keep` one that is known to be unchanged), then `commit`.
    `old` maps each file of the current site to the digest of its bytes, when known (from the
    previous build's record), or to None for a file no build wrote (replaced, or deleted when the
    new site has no such file) and for an empty folder no build made ("path/", see `scan`: deleted);
    unknown files are compared byte for byte. With `in_place`, only
    changed files are staged and the site is updated through the journal (see the module's text);
    `in_place` None: `decide` says later (what is kept until then is linked into the staging folder then,
    if need be).
    """

    def __init__(self, output: Path, old: dict[str, str | None] | None = None, in_place: bool | None = False):
        self.output = output.absolute()
        self.old = old or {}
        self.in_place = in_place and self.output.is_dir() if in_place is not None else None
        self._undecided: list[str] = []  # the files kept before `decide`
        self.staging = self.output.parent / f".{self.output.name}.{os.getpid()}.tmp"
        self.digests: dict[str, str] = {}  # every file of the new site -> digest of its bytes
        self.changed: list[str] = []
        self.stamps: dict[str, tuple] = {}  # each file it wrote -> its stamp, taken as written (renaming keeps it)
        self._folders: set[str] = set()
        self.committing = False

    def start(self) -> None:
        """Make the staging folder (after `recover`, which the build runs first)."""
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.staging.mkdir()

    def _target(self, rel: str) -> str:
        """The file's path in the staging folder, its folder made (plain strings: this runs per file)."""
        path = f"{self.staging}/{rel}"
        folder = path.rpartition("/")[0]
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return path

    def put(self, rel: str, data: bytes) -> tuple[str, tuple | None]:
        """Add one file; returns the digest of its bytes and, when they differ from the current
        site's, the stamp of the file written (None: kept)."""
        sha = digest(data)
        same = self.old[rel] == sha if rel in self.old else _same(self.output / rel, data)
        if same:
            self.keep(rel, sha)
            return sha, None
        target = self._target(rel)
        with _naming(target), open(target, "wb") as out:
            out.write(data)
            out.flush()
            written = _STAMP(os.fstat(out.fileno()))  # no lookup: a site's folders fill the memory's caches
        self.record(rel, sha, written)
        return sha, written

    def record(self, rel: str, sha: str, written: tuple | None) -> None:
        """Count a file that was put (possibly by a worker process writing into the same staging):
        `written`, the stamp of the file written, or None when it was kept."""
        self.digests[rel] = sha
        if written:
            self.changed.append(rel)
            self.stamps[rel] = written

    def decide(self, in_place: bool) -> None:
        """Whether the site is updated in place (an `in_place` of None when made)."""
        self.in_place = in_place and self.output.is_dir()
        kept, self._undecided = self._undecided, []
        for rel in kept:
            self.keep(rel, self.digests[rel])

    def keep(self, rel: str, sha: str) -> None:
        """A file whose bytes are those of the current site's."""
        self.digests[rel] = sha
        if self.in_place is None:
            self._undecided.append(rel)
        elif not self.in_place:
            target = self._target(rel)
            try:
                os.link(self.output / rel, target)
            except OSError:
                with _naming(target):
                    shutil.copyfile(self.output / rel, target)

    def commit(self) -> list[str]:
        """Make the new site the output folder; returns the changed files' paths, sorted."""
        self.put(MARKER, MARKER_TEXT)
        changed = sorted(rel for rel in self.changed if rel != MARKER)
        if self.in_place:
            deleted = sorted(set(self.old) - set(self.digests))
            journal = _journal(self.output)
            temporary = journal.with_name(journal.name + ".part")
            with _naming(temporary), open(temporary, "w", encoding="utf-8") as out:
                json.dump({"staging": str(self.staging), "moved": sorted(self.changed), "deleted": deleted}, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, journal)
            self.committing = True  # from here on the journal, not abandon(), decides
            _apply(self.output, self.staging, sorted(self.changed), deleted)
            journal.unlink()
            return changed
        if self.output.exists() and _exchange(self.staging, self.output):
            shutil.rmtree(self.staging)  # now holds the old site
            return changed
        if self.output.exists():
            old = self.output.parent / f".{self.output.name}.{os.getpid()}.old.tmp"
            self.output.rename(old)
            self.staging.rename(self.output)
            shutil.rmtree(old)
        else:
            self.staging.rename(self.output)
        return changed

    def abandon(self) -> None:
        if not self.committing:
            shutil.rmtree(self.staging, ignore_errors=True)


@contextlib.contextmanager
def _naming(path) -> Iterator[None]:
    """An OSError met while writing `path` names it (a full disk's, raised by write(), names nothing)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            exc.filename = os.fspath(path)
        raise


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
