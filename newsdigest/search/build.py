"""The index's making: `index_files` and `write_index`, cut into writers run in this order: the
stored text as the docs are read (and their bigram pairs and words, a segment at a time), then the
CJK shards, the word shards, the metadata, the filters and last the manifest, meta.bin.

Doc ids count from the oldest article (among the same day, the last given first): search.js ranks
the newest first by reading them backwards, and a new day or an edit leaves every other doc's id as
it was (update.py changes the index in place). Shards cut the key order (words: UTF-16 order, as
JavaScript compares) where the content says (_cuts: a key whose hash falls under its share of the
bytes, once a shard holds SHARD_MIN): an edit moves at most the cuts near it. A CJK shard is named
by its first key (k/<base 36>.bin), a word shard by a digest of its first word; meta.bin has both.
The newest docs, from bound(count) on, have shards of their own, cut finer (nk/, nw/): what a new day
changes (write_segment writes either kind).

The sizes below are read from this module each time an index is made: to change them (as the tests
do), set them here, on newsdigest.search.build; the package only re-exports the ones other code reads.
"""

from __future__ import annotations

import zlib
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..hashes import digest
from . import filters
from .codec import Lists, _packed_json, encode_text, encode_words, width_of
from .doc import Doc, Terms
from .filters import indexes
from .normalise import stored
from .outbox import _Outbox
from .segments import _Pairs

FORMAT = 2
TEXT_CHUNK = 10  # articles per stored-text file
META_CHUNK = 64  # articles per metadata file
SHARD_TARGET = 12_000  # bytes of a shard before DEFLATE that a key is found in, on average (_cuts)
SEGMENT_UNITS = 400_000  # characters of text whose bigram pairs are found at a time
SEGMENT_DOCS = 0x10000  # and at most this many docs (_Pairs keeps their ids in 16 bits)
CODE_RANGE = 1 << 22  # bigram codes merged from every segment at a time (64 second units)
# a shard's cut (_cuts): at least SHARD_MIN bytes, then a key's chance to end it is its share of
# SHARD_GAP; at most SHARD_MAX. Shards average some 0.8 SHARD_TARGET, and the shard a key is found
# in (a bigger shard holds more keys) some 0.9 SHARD_TARGET: on the search benchmark's corpus, 13%
# fewer bytes than shards cut at SHARD_TARGET, with 17% more files
SHARD_MIN = 6 * SHARD_TARGET // 10
SHARD_GAP = 2 * SHARD_TARGET // 10
SHARD_MAX = 3 * SHARD_TARGET
# The newest docs, those past the last multiple of NEWEST_DOCS (0 to NEWEST_DOCS - 1 of them), have
# shards of their own (nk/, nw/), cut NEWEST_FINER times finer: a new day changes those and not the
# others (until its docs reach the next multiple, when they join them), and a query fetches one
# more, small, shard per key
NEWEST_DOCS = 512
NEWEST_FINER = 4

_NONE = (np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, np.int64))
_NO_TERMS = Terms()  # the default: no topics, no regions


@dataclass(frozen=True)
class Built:
    """What an index is, for the next update (update.py): its size, where its shards start, and the
    digest of every file but meta.bin."""

    count: int
    width: int
    keys: tuple[int, ...]  # each CJK shard's first key
    words: tuple[str, ...]  # each word shard's first word ("" for the first)
    shas: dict[str, str] = field(default_factory=dict)
    terms: Terms = _NO_TERMS
    new_keys: tuple[int, ...] = ()  # the same, of the newest docs' shards (from `bound` on)
    new_words: tuple[str, ...] = ()
    bound: int = 0  # the first id of the newest docs: bound(count)


def bound(count: int) -> int:
    """The first id of the newest docs: the ids before it are in the shards of k/ and w/, the ids
    from it on in those of nk/ and nw/. It depends on the count alone: an index changed in place
    is cut as one made whole."""
    return count - count % NEWEST_DOCS


NEWEST = ("nk", "nw")  # the folders of the newest docs' shards (the others': k/, w/)


def index_files(docs, terms: Terms = _NO_TERMS, ranked: bool = False, count: int | None = None) -> dict[str, bytes]:
    """The search index of `docs`: relative path under the site -> bytes, sorted. Pure and deterministic."""
    files: dict[str, bytes] = {}
    write_index(docs, files.__setitem__, terms, ranked, count)
    return dict(sorted(files.items()))


def write_index(docs, out, terms: Terms = _NO_TERMS, ranked: bool = False, count: int | None = None) -> Built:
    """The search index of `docs`, each file given to out(relative path, bytes) once made, in an
    order that depends on the docs only; what update.py needs to change it.

    `ranked`: the docs come in id order already (oldest first, see _rank), and may then be any
    iterable of `count` docs, read once and not kept (a big site need not hold its text)."""
    if not ranked:
        docs = _rank(docs)
        count = len(docs)
    elif count is None:
        docs = list(docs)
        count = len(docs)
    width = width_of(count)
    outbox = _Outbox(out)
    read = _Reading(count)
    rows = read.docs(docs, outbox)
    (keys, words), (new_keys, new_words) = (
        write_segment(p, newest, width, outbox) for p, newest in zip(read.parts, (False, True))
    )
    del read  # the words and lists: a big site's are not kept while the rest is made
    assert len(rows) == count, "index_files: fewer docs than `count`"
    _write_rows(rows, terms, outbox, range(0, count, META_CHUNK))
    members = filters.members(rows, terms)
    filters.write(members, width, outbox)
    shas = outbox.close()
    built = Built(count, width, tuple(keys), tuple(words), shas, terms, tuple(new_keys), tuple(new_words), bound(count))
    out("search/meta.bin", manifest(built, {key: len(ids) for key, ids in members.items()}))
    return built


class Pairs:
    """The bigram pairs and Latin words of some docs (of all text, and of titles alone), added a
    segment of docs at a time; the pairs wait in temporary files (_Pairs)."""

    def __init__(self, count: int) -> None:
        bits = max(count - 1, 1).bit_length()
        self.pairs, self.title_pairs = _Pairs(bits, CODE_RANGE), _Pairs(bits, 1 << 32)
        self.words: dict = defaultdict(list)
        self.word_titles: dict = defaultdict(list)

    def add(self, texts: list[str], titles: list[str], first: int) -> None:
        self.pairs.add(texts, first, self.words)
        self.title_pairs.add(titles, first, self.word_titles)


def write_segment(pairs: Pairs, newest: bool, width: int, outbox) -> tuple[list[int], list[str]]:
    """The CJK and word shards of the pairs of the docs before the newest (k/, w/), or of the newest
    (nk/, nw/, cut NEWEST_FINER times finer); each shard's first key, and first word."""
    key_folder, word_folder = NEWEST if newest else ("k", "w")
    finer = NEWEST_FINER if newest else 1
    title_codes, title_counts, title_ids = next(pairs.title_pairs.ranges(), _NONE)
    shards = _KeyShards(Lists(title_codes, title_counts, title_ids, width), width, outbox, 0, key_folder, finer)
    for part in pairs.pairs.ranges():
        shards.add(part)
    keys = shards.finish()
    return keys, _write_word_shards(pairs.words, pairs.word_titles, width, outbox, None, word_folder, finer)


class _Reading:
    """The docs, read once, newest first: their stored text, TEXT_CHUNK docs a file, and their bigram
    pairs and Latin words (Pairs, of the docs before bound(count) and of the newest apart), a segment
    of SEGMENT_UNITS characters or SEGMENT_DOCS docs at a time."""

    def __init__(self, count: int) -> None:
        self.count, self.bound = count, bound(count)
        self.parts = Pairs(count), Pairs(count)

    def docs(self, docs, outbox: _Outbox) -> list[tuple]:
        """Reads `docs`, writing the stored text; what is kept of each doc: url, date, topics, regions."""
        count = self.count
        chunk: list[str] = []
        segment: list[str] = []
        segment_titles: list[str] = []
        segment_start = size = 0
        rows = []
        for i, doc in enumerate(docs):
            rows.append((doc.url, doc.date, doc.topics, doc.regions, doc.page))
            title, text = stored(doc.title, doc.text)
            segment.append(text)
            segment_titles.append(title)
            size += len(text)
            chunk.append(text)
            if len(chunk) == TEXT_CHUNK or i == count - 1:
                outbox.deflate(f"search/t/{i // TEXT_CHUNK}.bin", encode_text("\x1e".join(chunk)))
                chunk = []
            ends = size >= SEGMENT_UNITS or i + 1 - segment_start == SEGMENT_DOCS or i + 1 in (self.bound, count)
            if ends:
                self.parts[segment_start >= self.bound].add(segment, segment_titles, segment_start)
                segment, segment_titles, segment_start, size = [], [], i + 1, 0
        return rows


class _KeyShards:
    """The CJK shards: consecutive ranges of bigram codes, cut by _cuts. `add` takes the next range of
    merged lists; shards are written as soon as enough lists wait, each with the title lists of its
    range of codes; `finish` writes the rest. update.py writes a stretch of lists it has cut (`write`),
    beginning at a cut, whose first shard keeps its name (`first`), through an outbox of its own."""

    def __init__(self, titles: Lists, width: int, outbox: Any, first: int = 0, folder: str = "k", finer: int = 1):
        self.titles = titles  # every title list
        self.width, self.outbox, self.folder = width, outbox, folder
        self.finer = finer  # cut this many times finer than SHARD_TARGET says (NEWEST_FINER)
        self.keys: list[int] = []  # each shard's first code
        self.first = first
        self.pending: tuple[Any, ...] = _NONE  # (codes, counts, ids) of the lists not written yet

    def add(self, part) -> None:
        self.pending = tuple(np.concatenate((old, new)) for old, new in zip(self.pending, part))
        if len(self.pending[2]) * 2 + 4 * len(self.pending[1]) > 3 * SHARD_MAX // self.finer:
            self.emit(0, last=False)

    def finish(self, end: int = 1 << 32) -> list[int]:
        """Writes what waits (keys up to `end`); each shard's first code."""
        if len(self.pending[0]):
            self.emit(end, last=True)
        return self.keys

    def emit(self, end: int, last: bool) -> None:
        """Writes the pending lists as shards, all but the last one unless `last`."""
        codes, counts, ids = self.pending
        starts = _cuts(4 + 2 * counts, _hashes(codes), self.finer)
        cut = len(codes) if last else starts.pop()
        lists = Lists(codes, counts, ids, self.width)
        self.write(lists, starts, cut, end)
        self.pending = codes[cut:], counts[cut:], ids[lists.offsets[cut] :]

    def write(self, lists: Lists, starts: list[int], cut: int, end: int) -> None:
        """Writes `lists` from starts[0] to `cut` as shards, one from each of `starts` (its title lists
        with it); `end`: the code after them, where there are no more lists."""
        codes = lists.codes
        for a, b in zip(starts, [*starts[1:], cut]):
            start = int(codes[a]) if self.keys or a else self.first
            stop = int(codes[b]) if b < len(codes) else end
            lo, hi = np.searchsorted(self.titles.codes, [start, stop]).tolist()
            self.outbox.deflate(key_shard(start, self.folder), lists.encode(a, b) + self.titles.encode(lo, hi))
            self.keys.append(start)


def key_shard(first: int, folder: str = "k") -> str:
    """The file of the CJK shard that begins at code `first` (search.js: bounds[n].toString(36)),
    in `folder` (k/, or nk/ for the newest docs)."""
    digits = ""
    while True:
        first, digit = divmod(first, 36)
        digits = _DIGITS[digit] + digits
        if not first:
            return f"search/{folder}/{digits}.bin"


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def word_shard(first: str, folder: str = "w") -> str:
    """The file of the word shard that begins at word `first` (in w/, or nw/ for the newest docs)."""
    return f"search/{folder}/{digest(first.encode())[:10]}.bin"


def _write_word_shards(
    words: dict, word_titles: dict, width: int, outbox: _Outbox, kept=None, folder: str = "w", finer: int = 1
) -> list[str]:
    """The word shards: consecutive ranges of words in UTF-16 order, each with the title lists of
    its range of words; each shard's first word ("" for the first). `kept(first, next shard's first
    word or None)`: whether that shard is as it was, and not to be made again (update.py)."""
    names = sorted(words, key=_word_order)
    lists = list(map(words.__getitem__, names))
    title_names = sorted(word_titles, key=_word_order)
    title_keys = list(map(_word_order, title_names))
    title_lists = list(map(word_titles.__getitem__, title_names))
    sizes = 4 + 2 * np.fromiter(map(len, lists), np.int64, len(lists))
    starts = _cuts(sizes, _word_hashes(names), finer) if names else []
    word_bounds = [""] + [names[s] for s in starts[1:]] if names else []
    for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(names)])):
        if kept and kept(word_bounds[n], names[b] if b < len(names) else None):
            continue
        lo = bisect_left(title_keys, _word_order(word_bounds[n]))
        hi = bisect_left(title_keys, _word_order(names[b])) if b < len(names) else len(title_names)
        outbox.deflate(
            word_shard(word_bounds[n], folder),
            encode_words(names[a:b], lists[a:b], width) + encode_words(title_names[lo:hi], title_lists[lo:hi], width),
        )
    return word_bounds


def _write_rows(rows, terms: Terms, outbox: _Outbox, chunks) -> None:
    """The metadata files of the chunks beginning at ids `chunks`: META_CHUNK docs' [url, date,
    [topic index], [region index], page] a file."""
    topic_index, region_index = indexes(terms)
    for n in chunks:
        outbox.put(
            f"search/m/{n // META_CHUNK}.bin",
            _packed_json(
                [
                    [
                        url,
                        date,
                        [topic_index[s] for s in topics if s in topic_index],
                        [region_index[s] for s in regions if s in region_index],
                        page,
                    ]
                    for url, date, topics, regions, page in rows[n : n + META_CHUNK]
                ]
            ),
        )


def manifest(built: Built, counts: dict) -> bytes:
    """meta.bin: the counts, the shards' first keys, the topics and regions (with their parents and
    numbers of docs: `counts`, by filter), and an id from the digests of every other file."""
    terms = built.terms
    region_index = indexes(terms)[1]
    return _packed_json(
        {
            "format": FORMAT,
            "id": digest("".join(f"{name} {sha}\n" for name, sha in sorted(built.shas.items())).encode())[:12],
            "count": built.count,
            "width": built.width,
            "text_chunk": TEXT_CHUNK,
            "meta_chunk": META_CHUNK,
            "keys": _deltas(list(built.keys)),
            "words": list(built.words),
            "word_files": [_stem(word_shard(w)) for w in built.words],
            "bound": built.bound,
            "new_keys": _deltas(list(built.new_keys)),
            "new_words": list(built.new_words),
            "new_word_files": [_stem(word_shard(w)) for w in built.new_words],
            "topics": [[slug, name, counts.get(("t", n), 0)] for n, (slug, name) in enumerate(terms.topics)],
            "regions": [
                [slug, name, region_index.get(parent, -1), counts.get(("r", n), 0)]
                for n, (slug, name, parent) in enumerate(terms.regions)
            ],
        }
    )


def _stem(name: str) -> str:
    return name.rsplit("/", 1)[1].removesuffix(".bin")


def _cuts(sizes, hashes, finer: int = 1) -> list[int]:
    """Where shards begin, over keys of these sizes (bytes, estimated before encoding) and hashes
    (uint32). A shard ends before the first key, once it holds SHARD_MIN bytes, whose hash falls
    under its size's share of SHARD_GAP (a key of SHARD_GAP bytes always may end it), or at
    SHARD_MAX bytes. What decides a cut is the keys from the last cut on, so an edit moves the cuts
    after it only until one falls where it fell before; a key is found in a shard of about
    SHARD_TARGET bytes on average (`finer` times smaller, if given)."""
    least, gap, most = SHARD_MIN // finer, SHARD_GAP // finer, SHARD_MAX // finer
    sizes = np.asarray(sizes, dtype=np.int64)
    ends = np.cumsum(sizes)
    candidates = np.flatnonzero(np.asarray(hashes, dtype=np.int64) * gap < sizes << 32)
    starts = [0]
    while True:
        base = int(ends[starts[-1] - 1]) if starts[-1] else 0
        earliest = int(np.searchsorted(ends, base + least)) + 1
        k = int(np.searchsorted(candidates, earliest))
        at = min(
            int(candidates[k]) if k < len(candidates) else len(sizes),
            int(np.searchsorted(ends, base + most)) + 1,
        )
        if at >= len(sizes):
            return starts
        starts.append(at)


def _hashes(codes):
    """A well-mixed uint32 hash of each code (murmur3's finaliser)."""
    h = np.asarray(codes, dtype=np.uint64) & np.uint64(0xFFFFFFFF)
    for shift, factor in ((16, 0x85EBCA6B), (13, 0xC2B2AE35)):
        h = ((h ^ (h >> np.uint64(shift))) * np.uint64(factor)) & np.uint64(0xFFFFFFFF)
    return h ^ (h >> np.uint64(16))


def _word_hashes(words: list[str]):
    return _hashes(np.fromiter((zlib.crc32(w.encode()) for w in words), np.uint64, len(words)))


def _rank(docs) -> list[Doc]:
    """Id order: oldest day first; among the same day, the last given first (search.js reads ids
    backwards: newest first, and among the same day in the order given)."""
    return [d for _, _, d in sorted(((-_day(d.date), -n, d) for n, d in enumerate(docs)), key=lambda x: x[:2])]


def _day(date: str) -> int:
    digits = date.replace("-", "")
    return -int(digits) if digits.isdigit() else 0


def _word_order(word: str) -> bytes:
    return word.encode("utf-16-be")  # UTF-16 code unit order: how JavaScript compares strings


def _deltas(values: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *values[:-1]], values)]
