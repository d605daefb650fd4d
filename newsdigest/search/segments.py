"""Bigram pairs, a segment of text at a time: the docs' bigram keys and Latin words found by numpy
array operations over a whole segment (what normalise.tokens() finds doc by doc), and _Pairs, which
keeps each segment's sorted (bigram code, doc id) pairs in a temporary file.

Bigram lists: the texts of SEGMENT_UNITS characters (at most SEGMENT_DOCS docs; both in build.py)
at a time become sorted (code, id) pairs, kept per segment in a temporary file; at the end, one
range of codes at a time is merged from every segment and cut into shards.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache

import numpy as np

from .normalise import _classes, fold, tokens


class _Pairs:
    """Sorted, distinct (bigram code, doc id) pairs of the docs seen so far, per segment of at most
    SEGMENT_DOCS docs (build.py): its codes (4 bytes a pair), then its ids less its first (2 bytes).
    They wait in a temporary file, not in memory (some 400 MB at 100,000 articles): only where each
    range of `step` codes starts in each segment is kept. `add` takes the texts of the next docs."""

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
            codes = np.fromiter(keys, dtype=np.int64)
            parts.append(codes[codes >= 0x10000] << bits | n)
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
