"""The build cache: what earlier builds learnt, so that a rebuild redoes only what changed.

It lives under `.cache/newsdigest/` beside site.yaml (git-ignored) and holds plain pickles:

- `sources/NN.pickle`: each digest file's parse (Source, Drafts, problems) and what enrich found in
  it on its own, found again by the file's stamp or bytes (sharded: a rebuild rewrites few); the
  drafts' text apart, in `sources/NN.<pid>.<time>.text` named by the shard, read only where a page
  shows it (model.Blocks);
- `slugs.pickle`, `related.pickle`: pinyin slugs of titles and names; the last related articles;
- `config.pickle`: the configuration last read, found again by the stamps of the files it was read
  from (config.load);
- `builds/<output>.pickle`: one record per output folder: the inputs the last build saw, the
  digest and stamp of every file it wrote, and each page's fingerprint (see fingerprint.py);
  `builds/<output>.check.pickle` beside it, what every build reads first (its inputs, report and
  stamps, in arrays: rebuild.Check), and a build with nothing to do reads alone;
- `search.pickle`: what changing the search index in place needs (search.Kept).

Every entry is salted with the code's own digest: a new version of newsdigest starts afresh. The
cache is only ever a shortcut: deleting it changes nothing but the time a build takes.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NamedTuple

from . import write
from .model import Blocks

if TYPE_CHECKING:
    from .model import Source

PACKAGE = Path(__file__).parent


LIBRARIES = ("markdown-it-py", "Jinja2", "MarkupSafe", "PyYAML", "pypinyin", "Pillow")


@functools.cache  # the code a process runs does not change under it
def code_salt() -> str:
    """A digest of newsdigest's own code, the Python running it and the libraries it renders with."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for name in LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=?".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


class Parsed(NamedTuple):
    """What one digest file gave: kept between builds, found again by the file's stamp or bytes."""

    stamp: tuple | None  # write.stamp() of the file when it was read
    digest: str  # of its bytes
    source: Source | None  # without its lines once split (only split reads them); None when unreadable
    problems: list  # load's diagnostics
    split: tuple | None = None  # split.split(source): (drafts, diagnostics), once computed
    found: tuple | None = None  # (digest of the config, enrich.find()'s result), once computed
    shown: str = ""  # the file's name in its messages and Source.path (model.shown_path)

    def current(self, settings: str) -> bool:
        """Whether it is split, and enriched (enrich.find) under these topic and region settings."""
        return self.split is not None and self.found is not None and self.found[0] == settings

    def named(self, shown: str) -> Parsed:
        """The same, its Source and messages naming the file `shown`: a build from another working
        folder names it anew (model.shown_path), and splits nothing again for that."""

        def renamed(problems):
            return type(problems)(dataclasses.replace(d, path=shown) if d.path == self.shown else d for d in problems)

        return self._replace(
            source=self.source and dataclasses.replace(self.source, path=shown),
            problems=renamed(self.problems),
            split=self.split and (self.split[0], renamed(self.split[1])),
            found=self.found
            and (self.found[0], tuple(dataclasses.replace(f, problems=renamed(f.problems)) for f in self.found[1])),
            shown=shown,
        )


class Store:
    """Pickled records in one folder, each tagged with the salt it was written under."""

    def __init__(self, folder: Path, salt: str):
        self.folder = folder
        self.salt = salt

    def load(self, name: str):
        try:
            with open(self.folder / name, "rb") as file:
                salt, value = pickle.load(file)
        except Exception:  # missing, unreadable, or written by another version: no shortcut
            return None
        return value if salt == self.salt else None

    def save(self, name: str, value) -> None:
        """Written to a temporary file and renamed: a killed build leaves the old record or the new."""
        path = self.folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(temporary, "wb") as file:
                pickle.dump((self.salt, value), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only project still builds, only without the shortcut


def by_stamps(store: Store, name: str, key, make: Callable[[list[Path]], Any]) -> Any:
    """make(read), which lists in `read` the files it read (found or not), kept in `store` under
    `name` with `key` and their stamps, and given again while `key` is the same and none of the
    files has changed (write.stamp). It is not kept when a file changed just before or while make
    read it: its stamp, taken after, may not be that of the bytes make read."""

    def stamps(paths) -> list:
        return [(path, write.stamp(path, settled=True) if path.exists() else "missing") for path in paths]

    kept = store.load(name)
    if kept and kept[0] == key and stamps(p for p, _ in kept[1]) == kept[1]:
        return kept[2]
    read: list[Path] = []
    started = time.time_ns() - write.RACY_NS
    value = make(read)
    now = stamps(read)
    if all(then == "missing" or (then and then[2] < started) for _, then in now):
        store.save(name, (key, now, value))
    return value


SHARDS = 32


def _shard(key) -> int:
    return hashlib.blake2b(repr(key).encode(), digest_size=2).digest()[0] % SHARDS


class ShardedDict:
    """A dict kept in SHARDS pickles by its keys' digest, so that saving it after a few changes
    rewrites the shards holding them, not the whole (tens of megabytes for a large archive).

    The articles' text (model.Blocks) is kept apart from the rest, in a text file beside each shard,
    named in it: loading a shard reads none of it, and once saved, a build holds each Blocks as the
    place of its bytes in that file (read through a descriptor held open, so that a later save,
    which writes a new text file and deletes the old, never changes what it reads)."""

    def __init__(self, store: Store, name: str):
        self.store, self.name = store, name
        self.folder = store.folder / name

    def load(self) -> dict:
        out: dict = {}
        for n in range(SHARDS):
            out.update(self._load(f"{n:02d}"))
        return out

    def _load(self, stem: str) -> dict:
        try:
            with open(self.folder / f"{stem}.pickle", "rb") as file:
                salt, text_name = pickle.load(file)
                if salt != self.store.salt:
                    return {}
                text = open(self.folder / text_name, "rb", buffering=0)  # noqa: SIM115 (held by its Blocks)
                return _Unpickler(file, text).load()
        except Exception:  # missing, unreadable, or written by another version: no shortcut
            return {}

    def save(self, new: dict, old: dict) -> None:
        """Write the shards in which `new` differs from `old` (entries compared by identity)."""
        changed = {_shard(k) for k in new.keys() ^ old.keys()}
        changed |= {_shard(k) for k, v in new.items() if k in old and old[k] is not v}
        shards: dict[int, dict] = {n: {} for n in changed}
        for key, value in new.items():
            if (n := _shard(key)) in shards:
                shards[n][key] = value
        for n, part in sorted(shards.items()):
            self._save(f"{n:02d}", part)

    def _save(self, stem: str, part: dict) -> None:
        """The shard's text file under a new name, then the shard naming it (renamed into place: a
        killed build leaves the old shard or the new), then the old text file deleted."""
        text_name = f"{stem}.{os.getpid()}.{time.time_ns()}.text"
        temporary = self.folder / f".{stem}.{os.getpid()}.tmp"
        spans: list[tuple[Blocks, int, int]] = []

        def reduce(blocks: Blocks) -> tuple:
            data, offset = blocks.pickled(), text.tell()
            text.write(data)
            spans.append((blocks, offset, len(data)))
            return _saved, (offset, len(data), len(blocks), blocks.photos)

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.folder / text_name, "wb") as text, open(temporary, "wb") as file:
                pickle.dump((self.store.salt, text_name), file, protocol=pickle.HIGHEST_PROTOCOL)
                pickler = pickle.Pickler(file, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = {**copyreg.dispatch_table, Blocks: reduce}  # type: ignore[misc]
                pickler.dump(part)
            saved = open(self.folder / text_name, "rb", buffering=0)  # noqa: SIM115 (held by its Blocks)
            os.replace(temporary, self.folder / f"{stem}.pickle")
        except OSError:  # a read-only project, a full disk: it builds, only without the shortcut
            for left in (temporary, self.folder / text_name):
                with contextlib.suppress(OSError):
                    left.unlink()
            return
        for blocks, offset, length in spans:
            blocks.stored(_Text(saved, offset, length))
        for stale in self.folder.glob(f"{stem}.*.text"):
            if stale.name != text_name:
                with contextlib.suppress(OSError):
                    stale.unlink()


class _Text:
    """Where one article's blocks are saved: a span of a shard's text file, read when called."""

    __slots__ = ("file", "offset", "length")

    def __init__(self, file, offset: int, length: int):
        self.file, self.offset, self.length = file, offset, length

    def __call__(self) -> bytes:
        return os.pread(self.file.fileno(), self.length, self.offset)


class Spill:
    """An unnamed file of the build's own (gone when it ends, however it ends) holding the text of
    the pages it splits until the cache saves it: a cold build of a large archive would otherwise
    hold all of it at once. In the cache folder (the system's temporary folder may be in memory)."""

    def __init__(self, folder: Path):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.file = tempfile.TemporaryFile(dir=folder)
        except OSError:  # a read-only project: the system's
            self.file = tempfile.TemporaryFile()

    def __call__(self, split: tuple) -> tuple:
        """split.split()'s (drafts, problems), its drafts' blocks moved into the file."""
        drafts = split[0]
        data = [draft.blocks.pickled() for draft in drafts]
        offset = self.file.seek(0, os.SEEK_END)
        self.file.write(b"".join(data))
        self.file.flush()  # read with os.pread
        for draft, pickled in zip(drafts, data):
            draft.blocks.stored(_Text(self.file, offset, len(pickled)))
            offset += len(pickled)
        return split


def _saved(offset: int, length: int, count: int, photos: tuple, text=None) -> Blocks:
    """A Blocks saved in a shard's text file (`text`, given by the _Unpickler that reads the shard)."""
    return Blocks.saved(_Text(text, offset, length), count, photos)


class _Unpickler(pickle.Unpickler):
    """Reads a shard, giving its Blocks the text file they are saved in."""

    def __init__(self, file, text):
        super().__init__(file)
        self.text = text

    def find_class(self, module: str, name: str):
        if module == __name__ and name == _saved.__name__:
            return functools.partial(_saved, text=self.text)
        return super().find_class(module, name)


def output_record_name(output: Path) -> str:
    return "builds/" + hashlib.blake2b(str(output.absolute()).encode(), digest_size=8).hexdigest() + ".pickle"


@dataclass(frozen=True)
class BuildRecord:
    """What a build leaves of its output folder, for the next build there (rebuild.py)."""

    inputs: tuple | None = None  # what it read, cheaply identified (rebuild.inputs)
    files: dict = field(default_factory=dict)  # rel -> (digest of its bytes, write.stamp())
    folders: dict = field(default_factory=lambda: {"": None})  # folder -> its settled stamp (write.folder_stamps)
    prints: dict = field(default_factory=dict)  # file -> the fingerprint it was made from
    result: Any = None  # the build's report (pipeline.Result), given again when nothing changed

    @classmethod
    def load(cls, store: Store, output: Path) -> BuildRecord | None:
        found = store.load(output_record_name(output))
        return found if isinstance(found, cls) else None

    def save(self, store: Store, output: Path) -> None:
        store.save(output_record_name(output), self)
