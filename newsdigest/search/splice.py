"""Sorted posting lists changed as columns (codes, counts, first ids, gap byte planes), without
decoding the lists a change does not name: what update.py does to a stretch of CJK shards. Pairs
are (code << SHIFT | id), sorted."""

from __future__ import annotations

import numpy as np

from .codec import _planes, ids_of, values_of

SHIFT = 24  # (code << SHIFT | id): ids below 16,777,216


def _joined(parts: list, upto: int | None = None) -> tuple:
    """Columns (codes, counts, first ids, gap planes) one after the other, to list `upto` (all)."""
    codes, counts, firsts = (np.concatenate([part[k] for part in parts])[:upto] for k in range(3))
    gaps = np.concatenate([part[3] for part in parts], axis=1)
    return codes, counts, firsts, gaps[:, : int(counts.sum()) - len(counts)]


def _splice(columns: tuple, gone, new, width: int) -> tuple:
    """Columns (codes, counts, first ids, gap planes) of sorted lists, less the (code << SHIFT | id)
    pairs in `gone` and with those in `new`: only the lists of the codes these name are read and made
    again, and put in place of the old (or only their last ids, when `new` only adds ids after them)."""
    if not len(gone) and not len(new):
        return columns
    codes, counts, firsts, gaps = columns
    named = np.unique(np.concatenate((gone, new)) >> SHIFT)
    at = np.searchsorted(codes, named)  # where each named list is, or would be
    found = at < len(codes)
    found[found] = codes[at[found]] == named[found]
    lists = at[found]
    starts = np.concatenate(([0], np.cumsum(counts - 1)))  # each list's first gap
    if not len(gone):
        appended = _appended(columns, new, (at, found, starts), width)
        if appended is not None:
            return appended
    spans = counts[lists] - 1
    values = values_of(gaps[:, _ranges(starts[lists], spans)])
    ids = ids_of(counts[lists], firsts[lists], values)
    made = _grouped(_changed(np.repeat(codes[lists], counts[lists]) << SHIFT | ids, gone, new))
    now = np.zeros(len(named), np.int64)  # each named list's gaps now
    now[np.searchsorted(named, made[0])] = made[1] - 1
    dropped = np.zeros(len(named), np.int64)
    dropped[found] = spans
    kept = np.ones(len(codes), dtype=bool)
    kept[lists] = False
    into = np.searchsorted(codes[kept], made[0])
    return (
        *(np.insert(column[kept], into, column_now) for column, column_now in zip(columns[:3], made)),
        _pieced(gaps, starts[at], dropped, _planes(made[3], width), now),
    )


def _appended(columns: tuple, new, named: tuple, width: int) -> tuple | None:
    """_splice's columns when each of the `new` pairs' ids comes after every id of its list (a new day's
    docs): each list gets them at its end, and the lists are not read but for their sums of gaps (else
    None). `named`: where the lists of the codes named are, whether found, and each list's first gap."""
    codes, counts, firsts, gaps = columns
    at, found, starts = named
    lists = at[found]
    added = _grouped(new)  # of each code named: its new ids' count, first id, gaps between them
    bridges = added[2][found] - (firsts[lists] + _sums(gaps, starts[lists], starts[lists + 1]))
    if len(bridges) and bridges.min() <= 0:
        return None
    inner = np.cumsum(added[1] - 1) - (added[1] - 1)  # where each code's gaps between new ids begin
    counts = counts.copy()
    counts[lists] += added[1][found]
    lost = ~found  # a list of its own, where it goes
    return (
        np.insert(codes, at[lost], added[0][lost]),
        np.insert(counts, at[lost], added[1][lost]),
        np.insert(firsts, at[lost], added[2][lost]),
        _pieced(
            gaps,
            starts[at + found],  # after the list's gaps, or where it goes
            np.zeros(len(at), np.int64),
            _planes(np.insert(added[3], inner[found], bridges), width),
            added[1] - 1 + found,
        ),
    )


def _sums(gaps, begins, ends):
    """The sum of the gaps (byte planes) from each of `begins` to each of `ends`: ranges in order, apart."""
    if not len(begins):
        return np.zeros(0, np.int64)
    padded = np.concatenate((gaps, np.zeros((len(gaps), 1), np.uint8)), axis=1)  # every bound within
    bounds = np.stack((begins, ends), axis=1).ravel()
    sums = sum(np.add.reduceat(plane, bounds, dtype=np.int64)[::2] << (8 * k) for k, plane in enumerate(padded))
    return np.where(begins < ends, sums, 0)  # an empty range: reduceat gives the value at its bound


def _pieced(gaps, begins, dropped, made, spans):
    """Gap planes `gaps` with, at each of `begins`, `dropped` gaps taken out and the next `spans` of `made`
    put in."""
    pieces, previous, made_begin = [], 0, 0
    for begin, drop, span in zip(begins.tolist(), dropped.tolist(), spans.tolist()):
        pieces += [gaps[:, previous:begin], made[:, made_begin : made_begin + span]]
        previous, made_begin = begin + drop, made_begin + span
    pieces.append(gaps[:, previous:])
    return np.concatenate(pieces, axis=1)


def _grouped(pairs) -> tuple:
    """Sorted (code << SHIFT | id) pairs as lists: codes, counts, first ids, the gaps within each."""
    codes, ids = pairs >> SHIFT, pairs & ((1 << SHIFT) - 1)
    heads = np.flatnonzero(np.diff(codes, prepend=-1))
    inner = np.ones(len(ids), dtype=bool)
    inner[heads] = False
    return codes[heads], np.diff(np.append(heads, len(ids))), ids[heads], np.diff(ids, prepend=0)[inner]


def _ranges(starts, lengths):
    """The integers of each range [start, start + length), one range after the other."""
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)


def _changed(pairs, gone, new):
    """Sorted `pairs` less those in `gone`, with those in `new` (none of them in `pairs`); all sorted."""
    if len(gone) and len(pairs):
        at = np.minimum(np.searchsorted(pairs, gone), len(pairs) - 1)
        pairs = np.delete(pairs, at[pairs[at] == gone])
    return np.insert(pairs, np.searchsorted(pairs, new), new) if len(new) else pairs
