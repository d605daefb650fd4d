"""The index's encodings, both ways: varints, byte-split columns, posting lists (CJK sections and
front-coded word sections), stored text (GB18030 or UTF-8) and raw DEFLATE. The decode_* functions
read what search.js reads; the tests read the index back with them.

A shard holds two sections, all text then titles alone, each: the number of keys; the keys as
groups of one second unit (varint delta, varint size) with the first units as deltas mod 65536;
each key's list length, first doc id and gaps. Every column is fixed-width little-endian (2 bytes
up to 65,536 docs, else 3) and byte-split (all low bytes, then all high bytes), and the shard is
DEFLATEd: as small as varints under DEFLATE, and built with numpy, a column at a time, instead of
a Python loop per key (bench/search/README.md has the measurements). A word shard has the same
lists after its words, front-coded in UTF-8.

Stored text: per doc, its title, then its other fields, one a line; docs separated by U+001E;
GB18030 (first byte 1) or UTF-8 (first byte 0). Metadata: JSON rows [url, date, [topic
index], [region index], printed page] with indexes into meta.bin's topics and regions.

Every file is raw DEFLATE (the browser inflates it with DecompressionStream("deflate-raw")).
"""

from __future__ import annotations

import json
import re
import zlib
from bisect import bisect_left, bisect_right
from itertools import chain

import numpy as np


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


def _planes(values, width: int):
    """The byte planes of split_bytes, a row each: every value's first byte, every second byte ..."""
    return np.ascontiguousarray(np.asarray(values, dtype="<u4").view(np.uint8).reshape(-1, 4).T)[:width]


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
        counts = np.asarray(counts, dtype=np.int64)
        ids = np.asarray(ids, dtype=np.int64)
        starts = np.cumsum(counts) - counts
        keep = np.ones(max(len(ids) - 1, 0), dtype=bool)
        keep[starts[1:] - 1] = False  # from one list to the next: no gap
        self._set(codes, counts, ids[starts] if len(ids) else counts, _planes(np.diff(ids)[keep], width), width)

    @classmethod
    def of(cls, codes, counts, firsts, gaps, width: int) -> Lists:
        """The same lists given as each one's length and first id, and the gaps as byte planes (a
        row each, as read_columns gives them)."""
        lists = cls.__new__(cls)
        lists._set(codes, np.asarray(counts, dtype=np.int64), firsts, gaps, width)
        return lists

    def _set(self, codes, counts, firsts, gaps, width: int) -> None:
        self.codes = codes = np.asarray(codes, dtype=np.int64)
        high, low = codes >> 16, codes & 0xFFFF
        self.offsets = np.concatenate(([0], np.cumsum(counts)))
        self.high, self.low = high.tolist(), low.tolist()
        self.groups = (np.flatnonzero(np.diff(high)) + 1).tolist()  # where u1 changes
        self.deltas = _planes(np.diff(low) & 0xFFFF, 2)  # delta i: from code i to code i + 1
        self.counts = _planes(counts, width)
        self.firsts = _planes(firsts, width)
        self.gaps = gaps

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
    words, pos = _front_coded(data, pos, n)
    if not n:
        return {}, pos
    lists, pos = decode_lists(data, pos, n, width)
    return dict(zip(words, lists)), pos


def _front_coded(data, pos: int, n: int) -> tuple[list[str], int]:
    """n words front-coded as encode_words writes them; where they end."""
    words, previous = [], b""
    for _ in range(n):
        common, pos = read_varint(data, pos)
        size, pos = read_varint(data, pos)
        previous = previous[:common] + bytes(data[pos : pos + size])
        pos += size
        words.append(previous.decode("utf-8"))
    return words, pos


def read_columns(data, pos: int, width: int, words: bool = False) -> tuple[tuple, int]:
    """decode_section (or decode_words) as columns: ((keys, list lengths, first ids, gaps), where it
    ends); keys as int64 codes (or words), the gaps as byte planes (a row each, a view of `data`).
    What update.py reads an old shard with: numpy, a column at a time."""
    n, pos = read_varint(data, pos)
    if not n:
        none = np.zeros(0, np.int64)
        return ([] if words else none, none, none, np.zeros((width, 0), np.uint8)), pos
    keys: list | np.ndarray
    if words:
        keys, pos = _front_coded(data, pos, n)
    else:
        group_count, pos = read_varint(data, pos)
        highs, sizes, u1 = [], [], 0
        for _ in range(group_count):
            delta, pos = read_varint(data, pos)
            size, pos = read_varint(data, pos)
            u1 += delta
            highs.append(u1)
            sizes.append(size)
    head = 2 * width + (0 if words else 2)  # the rows of byte planes of n values: deltas, counts, firsts
    rows = np.frombuffer(data, np.uint8, count=head * n, offset=pos).reshape(head, n)
    if not words:
        low = np.cumsum(_PLACES[:2] @ rows[:2]) & 0xFFFF
        keys = np.repeat(np.asarray(highs, np.int64), sizes) << 16 | low
    counts, firsts = _PLACES[:width] @ rows[head - 2 * width :].reshape(2, width, n)
    pos += head * n
    total = int(counts.sum())
    gaps = np.frombuffer(data, np.uint8, count=(total - n) * width, offset=pos)
    return (keys, counts, firsts, gaps.reshape(width, total - n)), pos + (total - n) * width


_PLACES = np.array([1, 1 << 8, 1 << 16], np.int64)  # what each byte plane's byte is worth


def values_of(planes):
    """The integers of byte planes (a row each), as int64."""
    values = planes[0].astype(np.int64)
    for k in range(1, len(planes)):
        values |= planes[k].astype(np.int64) << (8 * k)
    return values


def ids_of(counts, firsts, gaps):
    """The ids of lists one after the other, from each one's length and first id, and the gaps."""
    starts = np.cumsum(counts) - counts
    steps = np.empty(len(gaps) + len(counts), np.int64)
    inner = np.ones(len(steps), dtype=bool)
    inner[starts] = False
    steps[inner] = gaps
    steps[starts] = firsts
    sums = np.cumsum(steps)
    return sums - np.repeat(sums[starts] - firsts, counts)


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


def _packed_json(data) -> bytes:
    return deflate(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))
