"""The index's making: `index_files` and `write_index`, cut into writers run in this order: the
stored text as the docs are read (and their bigram pairs and words, a segment at a time), then the
CJK shards, the word shards, the metadata, the filters and last the manifest, meta.bin.

Doc ids are ranks: 0 is the newest article. Shards cut the key order (words: UTF-16 order, as
JavaScript compares) at about SHARD_TARGET bytes; meta.bin has each shard's first key.

The sizes below are read from this module each time an index is made: to change them (as the tests
do), set them here, on newsdigest.search.build; the package only re-exports the ones other code reads.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from .codec import Lists, _lists, _packed_json, deflate, encode_text, encode_words, width_of
from .doc import Doc, Terms
from .normalise import stored
from .segments import _Pairs

FORMAT = 1
TEXT_CHUNK = 10  # articles per stored-text file
META_CHUNK = 64  # articles per metadata file
SHARD_TARGET = 12_000  # bytes of a shard before DEFLATE; a shard holds at least one key range
SEGMENT_UNITS = 400_000  # characters of text whose bigram pairs are found at a time
SEGMENT_DOCS = 0x10000  # and at most this many docs (_Pairs keeps their ids in 16 bits)
CODE_RANGE = 1 << 22  # bigram codes merged from every segment at a time (64 second units)

_NONE = (np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, np.int64))
_NO_TERMS = Terms()  # the default: no topics, no regions


def index_files(docs, terms: Terms = _NO_TERMS, ranked: bool = False, count: int | None = None) -> dict[str, bytes]:
    """The search index of `docs`: relative path under the site -> bytes, sorted. Pure and deterministic."""
    files: dict[str, bytes] = {}
    write_index(docs, files.__setitem__, terms, ranked, count)
    return dict(sorted(files.items()))


def write_index(docs, out, terms: Terms = _NO_TERMS, ranked: bool = False, count: int | None = None) -> None:
    """The search index of `docs`, each file given to out(relative path, bytes) once made, in an
    order that depends on the docs only.

    `ranked`: the docs come newest first already (same-day docs in the order wanted), and may then
    be any iterable of `count` docs, read once and not kept (a big site need not hold its text)."""
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
    shards = _KeyShards(read.title_pairs, width, outbox)
    for part in read.pairs.ranges():
        shards.add(part)
    boundaries = shards.finish()
    word_bounds = _write_word_shards(read.words, read.word_titles, width, outbox)
    del read, shards  # the words and lists: a big site's are not kept while the rest is made
    assert len(rows) == count, "index_files: fewer docs than `count`"
    _write_rows(rows, terms, outbox)
    members = _members(rows, terms)
    _write_filters(members, width, outbox)
    digest = outbox.close()
    out("search/meta.bin", _packed_json(_manifest(digest, count, width, boundaries, word_bounds, terms, members)))


class _Outbox:
    """Hands each file on to `out(path, bytes)` in the order made, and forgets it: a big site's index
    is never held whole. DEFLATE runs in two threads (zlib lets go of the GIL), up to AHEAD files
    behind the files being made."""

    AHEAD = 256  # files; some 4 MB before DEFLATE

    def __init__(self, out) -> None:
        self.out, self.pool, self.digest = out, ThreadPoolExecutor(2), hashlib.sha256()
        self.queue: deque[tuple[str, Any]] = deque()  # (name, bytes or a Future of them)

    def deflate(self, name: str, data: bytes) -> None:
        self.put(name, self.pool.submit(deflate, data))

    def put(self, name: str, job) -> None:
        """A file's bytes, or a Future of them."""
        self.queue.append((name, job))
        while self.queue and (
            len(self.queue) > self.AHEAD or isinstance(self.queue[0][1], bytes) or self.queue[0][1].done()
        ):
            self._send()

    def _send(self) -> None:
        name, job = self.queue.popleft()
        data = job if isinstance(job, bytes) else job.result()
        self.digest.update(name.encode() + b"\0" + data)
        self.out(name, data)

    def close(self) -> str:
        """Sends what is left; the digest of every file sent, names and bytes, in order."""
        while self.queue:
            self._send()
        self.pool.shutdown()
        return self.digest.hexdigest()


class _Reading:
    """The docs, read once, newest first: their stored text, TEXT_CHUNK docs a file, and their bigram
    pairs and Latin words (of all text, and of titles alone), a segment of SEGMENT_UNITS characters or
    SEGMENT_DOCS docs at a time, the pairs waiting in temporary files (_Pairs) for the shards."""

    def __init__(self, count: int) -> None:
        self.count = count
        bits = max(count - 1, 1).bit_length()
        self.pairs, self.title_pairs = _Pairs(bits, CODE_RANGE), _Pairs(bits, 1 << 32)
        self.words: dict = defaultdict(list)
        self.word_titles: dict = defaultdict(list)

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
            if size >= SEGMENT_UNITS or i + 1 - segment_start == SEGMENT_DOCS or i == count - 1:
                self.pairs.add(segment, segment_start, self.words)
                self.title_pairs.add(segment_titles, segment_start, self.word_titles)
                segment, segment_titles, segment_start, size = [], [], i + 1, 0
        return rows


class _KeyShards:
    """The CJK shards: consecutive ranges of bigram codes, cut at about SHARD_TARGET bytes. `add`
    takes the next range of merged lists; shards are written as soon as enough lists wait, each
    with the title lists of its range of codes; `finish` writes the rest."""

    def __init__(self, title_pairs: _Pairs, width: int, outbox: _Outbox) -> None:
        title_codes, title_counts, title_ids = next(title_pairs.ranges(), _NONE)
        self.title_codes: Any = title_codes
        self.titles = Lists(self.title_codes, title_counts, title_ids, width)
        self.width, self.outbox = width, outbox
        self.boundaries: list[int] = []  # each shard's first code
        self.pending: tuple[Any, ...] = _NONE  # (codes, counts, ids) of the lists not written yet

    def add(self, part) -> None:
        self.pending = tuple(np.concatenate((old, new)) for old, new in zip(self.pending, part))
        if len(self.pending[2]) * 2 + 4 * len(self.pending[1]) > 3 * SHARD_TARGET:
            self.emit(0, last=False)

    def finish(self) -> list[int]:
        """Writes what waits; each shard's first code."""
        if len(self.pending[0]):
            self.emit(1 << 32, last=True)
        return self.boundaries

    def emit(self, end: int, last: bool) -> None:
        """Writes the pending lists as shards, all but the last one unless `last`."""
        codes, counts, ids = self.pending
        starts = _cuts(counts, SHARD_TARGET)
        cut = len(codes) if last else starts.pop()
        lists = Lists(codes, counts, ids, self.width)
        for a, b in zip(starts, [*starts[1:], cut]):
            start = int(codes[a]) if self.boundaries else 0
            stop = int(codes[b]) if b < len(codes) else end
            lo, hi = np.searchsorted(self.title_codes, [start, stop]).tolist()
            name = f"search/k/{len(self.boundaries)}.bin"
            self.outbox.deflate(name, lists.encode(a, b) + self.titles.encode(lo, hi))
            self.boundaries.append(start)
        self.pending = codes[cut:], counts[cut:], ids[lists.offsets[cut] :]


def _write_word_shards(words: dict, word_titles: dict, width: int, outbox: _Outbox) -> list[str]:
    """The word shards: consecutive ranges of words in UTF-16 order, each with the title lists of
    its range of words; each shard's first word ("" for the first)."""
    names = sorted(words, key=_word_order)
    lists = list(map(words.__getitem__, names))
    title_names = sorted(word_titles, key=_word_order)
    title_keys = list(map(_word_order, title_names))
    title_lists = list(map(word_titles.__getitem__, title_names))
    starts = _cuts(list(map(len, lists)), SHARD_TARGET) if names else []
    word_bounds = [""] + [names[s] for s in starts[1:]] if names else []
    for n, (a, b) in enumerate(zip(starts, [*starts[1:], len(names)])):
        lo = bisect_left(title_keys, _word_order(word_bounds[n]))
        hi = bisect_left(title_keys, _word_order(names[b])) if b < len(names) else len(title_names)
        outbox.deflate(
            f"search/w/{n}.bin",
            encode_words(names[a:b], lists[a:b], width) + encode_words(title_names[lo:hi], title_lists[lo:hi], width),
        )
    return word_bounds


def _indexes(terms: Terms) -> tuple[dict[str, int], dict[str, int]]:
    """Topic slug -> index, region slug -> index: where each sits in meta.bin's topics and regions."""
    topic_index = {slug: n for n, (slug, _) in enumerate(terms.topics)}
    region_index = {slug: n for n, (slug, _, _) in enumerate(terms.regions)}
    return topic_index, region_index


def _write_rows(rows: list[tuple], terms: Terms, outbox: _Outbox) -> None:
    """The metadata files: META_CHUNK docs' [url, date, [topic index], [region index], page] a file."""
    topic_index, region_index = _indexes(terms)
    for n in range(0, len(rows), META_CHUNK):
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


def _members(rows: list[tuple], terms: Terms) -> dict:
    """("t", topic index) or ("r", region index) -> the ids of its docs (a region's: with those of
    the regions under it)."""
    topic_index, region_index = _indexes(terms)
    parents = {slug: parent for slug, _, parent in terms.regions}
    members: dict = defaultdict(set)
    for i, (_, _, topics, regions, _) in enumerate(rows):
        for slug in topics:
            if slug in topic_index:
                members["t", topic_index[slug]].add(i)
        for slug in regions:
            while slug in region_index:
                members["r", region_index[slug]].add(i)
                slug = parents.get(slug, "")
    return members


def _write_filters(members: dict, width: int, outbox: _Outbox) -> None:
    """The filter files: one posting list per topic or region."""
    for (kind, n), ids in sorted(members.items()):
        outbox.put(f"search/f/{kind}{n}.bin", deflate(_lists([sorted(ids)], width)))


def _manifest(
    digest: str, count: int, width: int, boundaries: list[int], word_bounds: list[str], terms: Terms, members: dict
) -> dict:
    """What meta.bin holds: the counts, the shard boundaries, the topics and regions (with their
    parents and numbers of docs), and an id from the digest of every other file."""
    region_index = _indexes(terms)[1]
    return {
        "format": FORMAT,
        "id": digest[:12],
        "count": count,
        "width": width,
        "text_chunk": TEXT_CHUNK,
        "meta_chunk": META_CHUNK,
        "keys": _deltas(boundaries),
        "words": word_bounds,
        "topics": [[slug, name, len(members.get(("t", n), ()))] for n, (slug, name) in enumerate(terms.topics)],
        "regions": [
            [slug, name, region_index.get(parent, -1), len(members.get(("r", n), ()))]
            for n, (slug, name, parent) in enumerate(terms.regions)
        ],
    }


def _cuts(counts, target: int) -> list[int]:
    """Start indexes of shards of about `target` bytes (estimated before encoding) over lists of these lengths."""
    ends = np.cumsum(4 + 2 * np.asarray(counts, dtype=np.int64))
    starts = [0]
    while True:
        at = int(np.searchsorted(ends, ends[starts[-1] - 1] + target if starts[-1] else target, side="right"))
        at = max(at, starts[-1] + 1)
        if at >= len(ends):
            return starts
        starts.append(at)


def _rank(docs) -> list[Doc]:
    """Newest first; among the same day, in the order given."""
    return [d for _, _, d in sorted(((_day(d.date), n, d) for n, d in enumerate(docs)), key=lambda x: x[:2])]


def _day(date: str) -> int:
    digits = date.replace("-", "")
    return -int(digits) if digits.isdigit() else 0


def _word_order(word: str) -> bytes:
    return word.encode("utf-16-be")  # UTF-16 code unit order: how JavaScript compares strings


def _deltas(values: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *values[:-1]], values)]
