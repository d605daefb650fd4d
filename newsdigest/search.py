"""Step 5b, search: the site's articles -> a static full-text search index under search/.

`index_files(docs, terms)` is a pure function: the same documents give the same bytes
(`write_index` gives the same files to a callback one by one, as they are made). It writes

    search/meta.bin        the manifest: counts, the shard boundaries, the topics and regions
    search/k/<n>.bin       CJK shards: character bigrams -> posting lists (all text, and titles)
    search/w/<n>.bin       word shards: Latin words and numbers -> posting lists
    search/t/<n>.bin       stored text of TEXT_CHUNK articles (for verifying and excerpts)
    search/m/<n>.bin       metadata of META_CHUNK articles: URL, date, topics, regions (titles: in t/)
    search/f/<t|r><n>.bin  the articles of one topic or region (regions rolled up)

Every file is raw DEFLATE (the browser inflates it with DecompressionStream("deflate-raw")).

Normalisation (the same in search/search.js): text is stored NFC; for matching, each code point is
replaced by its NFKC form, lower-cased (so full-width Ａ１，and half-width A1, match, and Latin is
case-insensitive). Characters then fall in three classes: CJK (letters and digits in the CJK
blocks: Han, kana, Hangul, ...), Latin (every other letter or digit) and separators (the rest).

Keys: within every run of CJK characters, each pair of adjacent UTF-16 code units is a bigram
(a, b), keyed a + b * 65536, and the pair (START, c) with START = 0 marks a run beginning with c.
The docs holding the character c are then exactly the union of the keys (x, c) for x in START and
CJK, which sit next to each other in key order: a one-character query reads one key range. Runs of
Latin characters are words, keyed by the word itself. Doc ids are ranks: 0 is the newest article.

A shard holds two sections, all text then titles alone, each: the number of keys; the keys as
groups of one second unit (varint delta, varint size) with the first units as deltas mod 65536;
each key's list length, first doc id and gaps. Every column is fixed-width little-endian (2 bytes
up to 65,536 docs, else 3) and byte-split (all low bytes, then all high bytes), and the shard is
DEFLATEd: as small as varints under DEFLATE, and built with numpy, a column at a time, instead of
a Python loop per key (bench/search/README.md has the measurements). A word shard has the same
lists after its words, front-coded in UTF-8. Shards cut the key order (words: UTF-16 order, as
JavaScript compares) at about SHARD_TARGET bytes; meta.bin has each shard's first key.

Stored text: per doc, its title, then its other fields, one a line; docs separated by U+001E;
GB18030 (first byte 1) or UTF-8 (first byte 0). Metadata: JSON rows [url, title, date, [topic
index], [region index]] with indexes into meta.bin's topics and regions.

A query (search.js) is split at white space into terms, all required. A term's candidates are the
intersection of its keys' lists (a one-character term: the union of its key range); a term of one
CJK character, of two, or one Latin word is exact, any other is checked against the stored text,
where a Latin letter or digit at either end of the term must not touch another one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

FORMAT = 1
TEXT_CHUNK = 10  # articles per stored-text file
META_CHUNK = 64  # articles per metadata file
SHARD_TARGET = 12_000  # bytes of a shard before DEFLATE; a shard holds at least one key range
SEGMENT_UNITS = 400_000  # characters of text whose bigram pairs are found at a time
SEGMENT_DOCS = 0x10000  # and at most this many docs (_Pairs keeps their ids in 16 bits)
CODE_RANGE = 1 << 22  # bigram codes merged from every segment at a time (64 second units)
START = 0  # the code unit standing for "the beginning of a CJK run"

# CJK blocks (code point ranges). In the BMP only letters and digits count; astral ranges count whole.
CJK_BMP = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3031, 0x3035),
    (0x3038, 0x303C),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x3130, 0x318F),
    (0x31A0, 0x31BF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
)
CJK_ASTRAL = ((0x1B000, 0x1B16F), (0x20000, 0x323AF))


@dataclass(frozen=True)
class Doc:
    """One article as search sees it."""

    url: str  # site-relative path, e.g. "2025/03/18/slug/"
    title: str
    date: str  # YYYY-MM-DD
    topics: tuple[str, ...] = ()  # slugs
    regions: tuple[str, ...] = ()  # slugs (the most specific; filters roll them up)
    text: tuple[str, ...] = ()  # what a reader sees besides the title: byline names, paragraphs, captions, credits


@dataclass(frozen=True)
class Terms:
    """The taxonomy, for filters and names: (slug, name) topics and (slug, name, parent slug) regions."""

    topics: tuple[tuple[str, str], ...] = ()
    regions: tuple[tuple[str, str, str], ...] = ()


# ---------------------------------------------------------------- normalisation and classes


def _ranges(codes) -> str:
    """A regex character class body for sorted code points."""
    out, start, last = [], None, None
    for cp in codes:
        if start is None:
            start = last = cp
        elif cp == last + 1:
            last = cp
        else:
            out.append((start, last))
            start = last = cp
    if start is not None:
        out.append((start, last))
    esc = lambda cp: f"\\U{cp:08x}"
    return "".join(esc(a) if a == b else f"{esc(a)}-{esc(b)}" for a, b in out)


@lru_cache(maxsize=None)
def _classes():
    cjk = [cp for lo, hi in CJK_BMP for cp in range(lo, hi + 1) if chr(cp).isalnum()]
    cjk_class = _ranges(cjk) + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in CJK_ASTRAL)
    risky = [0x03A3]  # capital sigma: str.lower() would look at its neighbours
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if unicodedata.is_normalized("NFKC", c):
            continue
        n = unicodedata.normalize("NFKC", c)
        if n != c and (c.isalnum() or any(x.isalnum() for x in n)):
            risky.append(cp)
    return (
        re.compile(f"[^{cjk_class}]+"),
        re.compile(f"[^\\W_{cjk_class}]+"),
        re.compile(f"[{_ranges(sorted(risky))}\\U00010000-\\U0010ffff]"),
    )


class _Fold(dict):
    def __missing__(self, cp):
        value = self[cp] = unicodedata.normalize("NFKC", chr(cp)).lower()
        return value


_FOLD = _Fold()
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Each code point -> its NFKC form, lower-cased (what search.js's fold() does)."""
    return text.translate(_FOLD)


def _view(text: str) -> str:
    """fold(text), or a string with the same CJK runs and Latin words when no character needs it."""
    risky = _classes()[2]
    return text.translate(_FOLD) if risky.search(text) else text.lower()


def clean(text: str) -> str:
    """Stored form of one field: NFC, runs of white space as one space, no control separators."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).replace("\x1e", " ")).strip()


def stored(title: str, fields) -> tuple[str, str]:
    """(the title cleaned, the text stored for a doc): the title, then each non-empty cleaned field,
    one a line. All fields are cleaned at once, between U+0000 marks (which NFC never joins to a
    neighbour), unless one holds a U+0000 of its own."""
    joined = "\x00".join((title, *fields))
    if joined.count("\x00") != len(fields):
        lines = [clean(title), *map(clean, fields)]
    else:
        lines = _SPACE.sub(" ", unicodedata.normalize("NFC", joined).replace("\x1e", " ")).strip()
        lines = lines.replace(" \x00", "\x00").replace("\x00 ", "\x00").split("\x00")
    return lines[0], "\n".join([lines[0], *filter(None, lines[1:])])


def tokens(text: str) -> tuple[set, set]:
    """(bigram key codes, Latin words) of an already cleaned text."""
    non_cjk, latin, _ = _classes()
    view = _view(text)
    cjk = "\x00" + non_cjk.sub("\x00", view)
    units = cjk.encode("utf-16-le")
    n = len(units)
    keys = set(array("I", units[: n - n % 4]))
    keys.update(array("I", units[2 : n - (n - 2) % 4]))
    # (c, END) pairs, the codes below 0x10000, are not needed: drop them here, before they cost more
    keys.difference_update(array("H", "".join(_RUN_END.findall(cjk)).encode("utf-16-le")))
    return keys, set(latin.findall(view))


_RUN_END = re.compile("[^\x00](?=\x00)")


# ---------------------------------------------------------------- encoding


def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(data, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def width_of(count: int) -> int:
    """Bytes per doc id, count or gap: 2 up to 65,536 docs, else 3."""
    return 2 if count <= 0x10000 else 3


def split_bytes(values, width: int) -> bytes:
    """`width`-byte little-endian integers, byte-split: every value's first byte, then every second
    byte ... (the high bytes, mostly zero, then DEFLATE to almost nothing)."""
    return b"".join(plane.tobytes() for plane in _planes(values, width))


def _planes(values, width: int) -> list:
    """The byte planes of split_bytes: [every value's first byte, every second byte, ...] as arrays."""
    raw = np.ascontiguousarray(np.asarray(values, dtype="<u4").view(np.uint8).reshape(-1, 4).T)
    return [raw[k] for k in range(width)]


def unsplit_bytes(data, pos: int, n: int, width: int) -> tuple[list[int], int]:
    values = [0] * n
    for b in range(width):
        part = data[pos + b * n : pos + (b + 1) * n]
        values = [v | (x << (8 * b)) for v, x in zip(values, part)]
    return values, pos + width * n


def encode_section(keys: list[int], lists: list, width: int) -> bytes:
    """Posting lists of sorted bigram codes: the codes as groups of one second unit (u1) with the
    first units (u0) as deltas, then each list's length, first id and gaps, all byte-split."""
    return Lists(keys, list(map(len, lists)), list(chain.from_iterable(lists)), width).encode(0, len(keys))


class Lists:
    """Posting lists given as their sorted codes, their lengths and their ids one after the other,
    made ready to encode any run of them (`encode(a, b)`: encode_section of lists a to b) with a
    few slices: every column is computed once, as byte planes."""

    def __init__(self, codes, counts, ids, width: int) -> None:
        codes = np.asarray(codes, dtype=np.int64)
        counts = np.asarray(counts, dtype=np.int64)
        ids = np.asarray(ids, dtype=np.int64)
        high, low = codes >> 16, codes & 0xFFFF
        self.offsets = np.concatenate(([0], np.cumsum(counts)))
        self.high, self.low = high.tolist(), low.tolist()
        self.groups = (np.flatnonzero(np.diff(high)) + 1).tolist()  # where u1 changes
        starts = self.offsets[:-1]
        keep = np.ones(max(len(ids) - 1, 0), dtype=bool)
        keep[starts[1:] - 1] = False  # from one list to the next: no gap
        self.deltas = _planes(np.diff(low) & 0xFFFF, 2)  # delta i: from code i to code i + 1
        self.counts = _planes(counts, width)
        self.firsts = _planes(ids[starts] if len(ids) else counts, width)
        self.gaps = _planes(np.diff(ids)[keep], width)

    def encode(self, a: int, b: int) -> bytes:
        if a == b:
            return b"\x00"
        first, last = bisect_right(self.groups, a), bisect_left(self.groups, b)
        starts = [a, *self.groups[first:last]]
        head = bytearray(varint(b - a) + varint(len(starts)))
        previous = 0
        for start, end in zip(starts, [*starts[1:], b]):
            head += varint(self.high[start] - previous) + varint(end - start)
            previous = self.high[start]
        low = self.low[a]
        deltas = b"".join(
            (bytes((low >> 8 * k & 0xFF,)) + plane[a : b - 1].tobytes()) for k, plane in enumerate(self.deltas)
        )
        return bytes(head) + deltas + self.columns(a, b)

    def columns(self, a: int, b: int) -> bytes:
        """Lists a to b's lengths, first ids and gaps, byte-split."""
        ga, gb = int(self.offsets[a]) - a, int(self.offsets[b]) - b
        return b"".join(
            [
                *(p[a:b].tobytes() for p in self.counts),
                *(p[a:b].tobytes() for p in self.firsts),
                *(p[ga:gb].tobytes() for p in self.gaps),
            ]
        )


def _lists(lists: list, width: int) -> bytes:
    return Lists([0] * len(lists), list(map(len, lists)), list(chain.from_iterable(lists)), width).columns(
        0, len(lists)
    )


def decode_lists(data, pos: int, n: int, width: int) -> tuple[list[list[int]], int]:
    counts, pos = unsplit_bytes(data, pos, n, width)
    firsts, pos = unsplit_bytes(data, pos, n, width)
    gaps, pos = unsplit_bytes(data, pos, sum(counts) - n, width)
    lists, g = [], 0
    for count, first in zip(counts, firsts):
        ids = [first]
        for _ in range(count - 1):
            ids.append(ids[-1] + gaps[g])
            g += 1
        lists.append(ids)
    return lists, pos


def decode_section(data, pos: int, width: int) -> tuple[dict[int, list[int]], int]:
    n, pos = read_varint(data, pos)
    if not n:
        return {}, pos
    group_count, pos = read_varint(data, pos)
    u1s, u1 = [], 0
    for _ in range(group_count):
        delta, pos = read_varint(data, pos)
        size, pos = read_varint(data, pos)
        u1 += delta
        u1s += [u1] * size
    deltas, pos = unsplit_bytes(data, pos, n, 2)
    low, keys = 0, []
    for u1, delta in zip(u1s, deltas):
        low = (low + delta) & 0xFFFF
        keys.append(low | u1 << 16)
    lists, pos = decode_lists(data, pos, n, width)
    return dict(zip(keys, lists)), pos


def encode_words(words: list[str], lists: list[list[int]], width: int) -> bytes:
    """Sorted words, front-coded in UTF-8 (shared prefix length, suffix length, suffix), then lists."""
    out = bytearray(varint(len(words)))
    previous = b""
    for word in words:
        raw = word.encode("utf-8")
        common = 0
        limit = min(len(raw), len(previous))
        while common < limit and raw[common] == previous[common]:
            common += 1
        out += varint(common) + varint(len(raw) - common) + raw[common:]
        previous = raw
    return bytes(out) + (_lists(lists, width) if words else b"")


def decode_words(data, pos: int, width: int) -> tuple[dict[str, list[int]], int]:
    n, pos = read_varint(data, pos)
    words, previous = [], b""
    for _ in range(n):
        common, pos = read_varint(data, pos)
        size, pos = read_varint(data, pos)
        previous = previous[:common] + bytes(data[pos : pos + size])
        pos += size
        words.append(previous.decode("utf-8"))
    if not n:
        return {}, pos
    lists, pos = decode_lists(data, pos, n, width)
    return dict(zip(words, lists)), pos


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, 9)
    return packer.compress(data) + packer.flush()


def inflate(data: bytes) -> bytes:
    return zlib.decompress(data, -15)


# GB18030 stores CJK text in two bytes a character and DEFLATEs 17% smaller than UTF-8; a chunk
# holding a character whose mapping differs between codecs (private use, a few 2005/2022 changes)
# or outside the BMP is stored as UTF-8 instead. The first byte says which: 0 UTF-8, 1 GB18030.
GB_UNSAFE = re.compile("[\u0080-\u009f\u1e3f\u9fb4-\u9fbb\ue000-\uf8ff\ufe10-\ufe19\U00010000-\U0010ffff]")


def encode_text(text: str) -> bytes:
    if not GB_UNSAFE.search(text):
        try:
            return b"\x01" + text.encode("gb18030")
        except UnicodeError:  # a lone surrogate
            pass
    return b"\x00" + text.encode("utf-8")


def decode_text(data: bytes) -> str:
    return data[1:].decode("gb18030" if data[:1] == b"\x01" else "utf-8")


# ---------------------------------------------------------------- the index


def _packed_json(data) -> bytes:
    return deflate(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))


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


class _Pairs:
    """Sorted, distinct (bigram code, doc id) pairs of the docs seen so far, per segment of at most
    SEGMENT_DOCS docs: its codes (4 bytes a pair), then its ids less its first (2 bytes). They wait
    in a temporary file, not in memory (some 400 MB at 100,000 articles): only where each range of
    `step` codes starts in each segment is kept. `add` takes the texts of the next docs."""

    def __init__(self, bits: int, step: int) -> None:
        self.bits = bits
        self.bounds = np.arange(0, (1 << 32) + step, step, dtype=np.int64)
        self.file = tempfile.TemporaryFile()
        self.segments: list = []  # (offset in the file, number of pairs, first doc id, where each range starts)
        self.size = 0

    def add(self, texts: list[str], first: int, words: dict) -> None:
        codes, ids = _unpack(_segment(texts, first, self.bits, words), self.bits)
        codes = codes.astype(np.uint32)
        self.file.write(codes.tobytes() + (ids - first).astype(np.uint16).tobytes())
        self.segments.append((self.size, len(codes), first, np.searchsorted(codes, self.bounds).tolist()))
        self.size += 6 * len(codes)

    def ranges(self):
        """(codes, counts, ids) of consecutive ranges of codes, in code order; then the file is gone."""
        self.file.flush()
        fd = self.file.fileno()
        for n in range(len(self.bounds) - 1):
            parts = [
                (os.pread(fd, 4 * (b - a), at + 4 * a), os.pread(fd, 2 * (b - a), at + 4 * count + 2 * a), first)
                for at, count, first, cuts in self.segments
                for a, b in [cuts[n : n + 2]]
                if a < b
            ]
            if not parts:
                continue
            combined = np.concatenate(
                [
                    np.frombuffer(codes, np.uint32).astype(np.int64) << self.bits
                    | (np.frombuffer(ids, np.uint16) + np.int64(first))
                    for codes, ids, first in parts
                ]
            )
            if len(parts) > 1:
                combined.sort()
            yield _grouped(combined, self.bits)
        self.file.close()


def _unpack(combined, bits: int):
    """(code << bits | id) pairs -> (codes, ids)."""
    return combined >> bits, combined & ((1 << bits) - 1)


def _grouped(combined, bits: int):
    """Sorted (code << bits | id) pairs -> (distinct codes, their list lengths, the ids)."""
    codes, ids = _unpack(combined, bits)
    starts = np.flatnonzero(np.diff(codes)) + 1
    counts = np.diff(np.concatenate(([0], starts, [len(codes)])))
    return codes[np.concatenate(([0], starts))].astype(np.uint32), counts, ids


@lru_cache(maxsize=None)
def _tables():
    """Per BMP code unit but surrogates: is it CJK, is it Latin, does fold() change it differently
    from str.lower()? The classes of _classes(), as three lookup tables."""
    non_cjk, latin, risky = _classes()
    every = "".join(map(chr, range(0xD800))) + "\x00" * 0x800 + "".join(map(chr, range(0xE000, 0x10000)))
    tables = np.ones(0x10000, dtype=bool), np.zeros(0x10000, dtype=bool), np.zeros(0x10000, dtype=bool)
    for pattern, table in zip((non_cjk, latin, risky), tables):
        for match in pattern.finditer(every):
            table[match.start() : match.end()] = pattern is not non_cjk
        table[0xD800:0xE000] = False
    return tables


def _segment(texts: list[str], first: int, bits: int, words: dict):
    """The sorted, distinct (key << bits | doc id) of the bigram keys of cleaned texts, the first
    being doc `first`, and each doc's Latin words added to `words` (word -> doc ids): what tokens()
    finds in each, without its keys below 0x10000, for all texts at once."""
    view = "\x1e".join(texts)  # cleaned texts hold no U+001E, and folding keeps it
    units = np.frombuffer(view.encode("utf-16-le"), dtype=np.uint16)
    cjk_table, latin_table, risky_table = _tables()
    folded = risky_table[units].any()
    if folded:
        view = fold(view)
        units = np.frombuffer(view.encode("utf-16-le"), dtype=np.uint16)
    if np.any((units >= 0xD800) & (units < 0xE000)):  # astral characters: the exact, slower way
        parts = []
        for n, text in enumerate(texts, first):
            keys, found = tokens(text)
            keys = np.fromiter(keys, dtype=np.int64)
            parts.append(keys[keys >= 0x10000] << bits | n)
            for word in sorted(found):
                words[word].append(n)
        return _distinct(np.concatenate(parts)) if parts else np.zeros(0, np.int64)
    latin = _classes()[1]
    docs = np.cumsum(units == 0x1E, dtype=np.int64) + first
    edges = np.diff(latin_table[units].view(np.int8), prepend=0, append=0)
    starts, ends = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    for run, n in zip(map(view.__getitem__, map(slice, starts, ends)), docs[starts].tolist()):
        # not folded, the text has no risky character, and _view() would lower-case it (which may split a word)
        for word in (run,) if folded else (run.lower(),) if run.isascii() else latin.findall(run.lower()):
            ids = words[word]
            if not ids or ids[-1] != n:
                ids.append(n)
    cjk = cjk_table[units]
    at = np.flatnonzero(cjk)
    previous = np.zeros(len(at), dtype=np.int64)
    follows = at[at > 0] - 1  # a CJK unit's predecessor, when that is CJK too
    previous[at > 0] = np.where(cjk[follows], units[follows], 0)
    return _distinct((previous | units[at].astype(np.int64) << 16) << bits | docs[at])


def _distinct(values):
    """The distinct values, sorted (np.unique, without its slower hashing path)."""
    values.sort()
    return values[np.concatenate(([True], values[1:] != values[:-1]))] if len(values) else values


_NONE = (np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, np.int64))


def index_files(docs, terms: Terms = Terms(), ranked: bool = False, count: int | None = None) -> dict[str, bytes]:
    """The search index of `docs`: relative path under the site -> bytes, sorted. Pure and deterministic."""
    files: dict[str, bytes] = {}
    write_index(docs, files.__setitem__, terms, ranked, count)
    return dict(sorted(files.items()))


class _Outbox:
    """Hands each file on to `out(path, bytes)` in the order made, and forgets it: a big site's index
    is never held whole. DEFLATE runs in two threads (zlib lets go of the GIL), up to AHEAD files
    behind the files being made."""

    AHEAD = 256  # files; some 4 MB before DEFLATE

    def __init__(self, out) -> None:
        self.out, self.pool, self.queue, self.digest = out, ThreadPoolExecutor(2), deque(), hashlib.sha256()

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


def write_index(docs, out, terms: Terms = Terms(), ranked: bool = False, count: int | None = None) -> None:
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
    # Bigram lists: the texts of SEGMENT_UNITS characters at a time become sorted (code, id) pairs,
    # kept per segment in a temporary file; at the end, one range of codes at a time is merged from every
    # segment and cut into shards.
    bits = max(count - 1, 1).bit_length()
    pairs, title_pairs = _Pairs(bits, CODE_RANGE), _Pairs(bits, 1 << 32)
    words: dict = defaultdict(list)
    word_titles: dict = defaultdict(list)
    chunk: list[str] = []
    segment: list[str] = []
    segment_titles: list[str] = []
    segment_start = size = 0
    rows = []  # what is kept of each doc: url, date, topics, regions
    for i, doc in enumerate(docs):
        rows.append((doc.url, doc.date, doc.topics, doc.regions))
        title, text = stored(doc.title, doc.text)
        segment.append(text)
        segment_titles.append(title)
        size += len(text)
        chunk.append(text)
        if len(chunk) == TEXT_CHUNK or i == count - 1:
            outbox.deflate(f"search/t/{i // TEXT_CHUNK}.bin", encode_text("\x1e".join(chunk)))
            chunk = []
        if size >= SEGMENT_UNITS or i + 1 - segment_start == SEGMENT_DOCS or i == count - 1:
            pairs.add(segment, segment_start, words)
            title_pairs.add(segment_titles, segment_start, word_titles)
            segment, segment_titles, segment_start, size = [], [], i + 1, 0

    # CJK shards: consecutive ranges of bigram codes, cut at about SHARD_TARGET bytes
    title_codes, title_counts, title_ids = next(title_pairs.ranges(), _NONE)
    titles = Lists(title_codes, title_counts, title_ids, width)
    boundaries: list[int] = []
    pending = _NONE

    def emit(end: int, last: bool) -> None:
        """Writes the pending lists as shards, all but the last one unless `last`."""
        nonlocal pending
        codes, counts, ids = pending
        starts = _cuts(counts, SHARD_TARGET)
        cut = len(codes) if last else starts.pop()
        lists = Lists(codes, counts, ids, width)
        for a, b in zip(starts, [*starts[1:], cut]):
            start = int(codes[a]) if boundaries else 0
            stop = int(codes[b]) if b < len(codes) else end
            lo, hi = np.searchsorted(title_codes, [start, stop]).tolist()
            outbox.deflate(f"search/k/{len(boundaries)}.bin", lists.encode(a, b) + titles.encode(lo, hi))
            boundaries.append(start)
        pending = codes[cut:], counts[cut:], ids[lists.offsets[cut] :]

    for part in pairs.ranges():
        pending = tuple(np.concatenate((old, new)) for old, new in zip(pending, part))
        if len(pending[2]) * 2 + 4 * len(pending[1]) > 3 * SHARD_TARGET:
            emit(0, last=False)
    if len(pending[0]):
        emit(1 << 32, last=True)
    # word shards: consecutive ranges of words in UTF-16 order
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
    del words, word_titles, lists, title_lists, pending

    topic_index = {slug: n for n, (slug, _) in enumerate(terms.topics)}
    region_index = {slug: n for n, (slug, _, _) in enumerate(terms.regions)}
    parents = {slug: parent for slug, _, parent in terms.regions}
    assert len(rows) == count, "index_files: fewer docs than `count`"
    for n in range(0, count, META_CHUNK):
        outbox.put(
            f"search/m/{n // META_CHUNK}.bin",
            _packed_json(
                [
                    [
                        url,
                        date,
                        [topic_index[s] for s in topics if s in topic_index],
                        [region_index[s] for s in regions if s in region_index],
                    ]
                    for url, date, topics, regions in rows[n : n + META_CHUNK]
                ]
            ),
        )
    members: dict = defaultdict(set)
    for i, (_, _, topics, regions) in enumerate(rows):
        for slug in topics:
            if slug in topic_index:
                members["t", topic_index[slug]].add(i)
        for slug in regions:
            while slug in region_index:
                members["r", region_index[slug]].add(i)
                slug = parents.get(slug, "")
    for (kind, n), ids in sorted(members.items()):
        outbox.put(f"search/f/{kind}{n}.bin", deflate(_lists([sorted(ids)], width)))
    meta = {
        "format": FORMAT,
        "id": outbox.close()[:12],
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
    out("search/meta.bin", _packed_json(meta))


def _deltas(values: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *values[:-1]], values)]


# ---------------------------------------------------------------- the site's articles


def docs_of(site) -> list[Doc]:
    """The site's articles as search Docs, newest first."""
    from .index import newest_first
    from .text import markdown, visible

    md = markdown()
    docs = []
    for article in newest_first(site.articles):
        text = [p.name for p in article.authors] + [part for part in (article.kicker, article.subtitle) if part]
        for block in article.blocks:
            if block.kind == "para":
                text.append(visible(block.text, md.render))
            elif block.kind in ("line", "signoff"):
                text.append(block.text)
            elif block.kind == "caption":
                text.append(visible(block.text, md.renderInline))
                if block.credit:
                    text.append(block.credit)
        docs.append(
            Doc(
                article.path,
                article.title,
                article.date.isoformat(),
                tuple(article.topics),
                tuple(article.regions),
                tuple(text),
            )
        )
    return docs


def terms_of(config) -> Terms:
    return Terms(
        tuple((t.slug, t.name) for t in config.topics), tuple((t.slug, t.name, t.parent) for t in config.regions)
    )


def search_files(site, theme, out) -> None:
    """Everything under search/, each file given to out(relative path, bytes): the index of the
    site's articles, then the theme's search scripts."""
    write_index(docs_of(site), out, terms_of(site.config))
    folder = Path(theme.folder) / "search"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out("search/" + path.relative_to(folder).as_posix(), path.read_bytes())
