"""The index changed in place: `update_index` gives the files an edit, a new day or a removal
changes, and only those, the same bytes as build.write_index would make of the docs now.

Doc ids count from the oldest doc, so an edit keeps every id and a new day adds ids at the end;
a doc added to an older day, or removed, shifts the ids after it, which are then all changed. What
changes is found from the index itself, never from the other docs: the old text of a changed id
(from its stored-text file) gives the (key, id) pairs it held, the new text those it holds, and
only the lists of keys whose pairs differ are read, changed and cut again. A CJK shard is read with
the one before it (whose end the change may move) and cut again from there, and the shards after it
are read until a cut falls where it fell before (build._cuts decides a cut from the keys since the
last one); word shards are few, and all read. Stored text, metadata and filter files are made
again for the chunks and the topics the changed ids are in; the outbox sends only files whose bytes
changed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from typing import Callable

import numpy as np

from . import build
from .build import META_CHUNK, TEXT_CHUNK, Built, _Outbox, key_shard, word_shard
from .codec import decode_text, encode_text, inflate, read_section, width_of
from .doc import Doc, Terms
from .normalise import stored
from .segments import _distinct, _segment, _unpack

SHIFT = 24  # (code << SHIFT | id): ids below 16,777,216
CHANGED_SHARE = 0.25  # more changed docs than this share of all: the whole index is made again


def update_index(
    old: Built,
    changed: list[int],
    removed: list[int],
    rows: list[tuple],
    doc_at: Callable[[int], Doc],
    terms: Terms,
    read: Callable[[str], bytes],
    out,
) -> Built | None:
    """The index of the docs now, from `old`'s files (read(name) gives one's bytes), given to `out`
    file by file, only those that change. `changed`: the ids whose doc is new or edited (doc_at(id)
    gives it), sorted; `removed`: the old ids whose doc is gone or edited (every id from the first
    shifted one to the old count); `rows`: every doc's (url, date, topics, regions, page). None when
    making the index whole is the way (other terms, another id width, no shards, much changed)."""
    count = len(rows)
    much = max(len(changed), len(removed)) > CHANGED_SHARE * max(count, old.count)
    if much or terms != old.terms or width_of(count) != old.width or not old.keys:
        return None
    outbox = _Outbox(out, old.shas)
    old_texts = _Texts(read)
    before = _pairs([old_texts.get(i) for i in removed], removed)
    docs = {i: stored(d.title, d.text)[1] for i, d in ((i, doc_at(i)) for i in changed)}
    after = _pairs([docs[i] for i in changed], changed)
    cut_short = [count - 1] if 0 < count < old.count else []  # the last chunk of fewer docs than before
    _write_texts(docs, old_texts, count, sorted({i // TEXT_CHUNK for i in [*docs, *cut_short]}), outbox)
    keys = _update_key_shards(old, before, after, read, outbox)
    words = _update_word_shards(old, before, after, read, outbox) if before[2:] != after[2:] else list(old.words)
    build._write_rows(rows, terms, outbox, sorted({i // META_CHUNK * META_CHUNK for i in [*changed, *cut_short]}))
    members = build._members(rows, terms)
    build._write_filters(members, old.width, outbox)
    shas = outbox.close()
    built = Built(
        count,
        old.width,
        tuple(keys),
        tuple(words),
        {n: shas[n] for n in sorted(_names(count, keys, words, members))},
        terms,
    )
    out("search/meta.bin", build.manifest(built, members))
    return built


class _Texts:
    """The old stored text of each doc, read a file at a time."""

    def __init__(self, read: Callable[[str], bytes]) -> None:
        self.read = read
        self.chunks: dict[int, list[str]] = {}

    def get(self, i: int) -> str:
        n = i // TEXT_CHUNK
        if n not in self.chunks:
            self.chunks[n] = decode_text(inflate(self.read(f"search/t/{n}.bin"))).split("\x1e")
        return self.chunks[n][i % TEXT_CHUNK]


def _write_texts(docs: dict[int, str], old: _Texts, count: int, chunks: list[int], outbox: _Outbox) -> None:
    """The stored-text files `chunks`: a changed doc's text new, the others' as it was."""
    for n in chunks:
        ids = range(n * TEXT_CHUNK, min(count, (n + 1) * TEXT_CHUNK))
        outbox.deflate(f"search/t/{n}.bin", encode_text("\x1e".join(docs[i] if i in docs else old.get(i) for i in ids)))


def _pairs(texts: list[str], ids: list[int]) -> tuple:
    """The (code << SHIFT | id) pairs of these texts, of all text and of titles alone, sorted; and
    their Latin words, word -> ids, of all text and of titles."""
    out: list = []
    for part in (texts, [text.split("\n", 1)[0] for text in texts]):
        words: dict = defaultdict(list)
        bits = max(len(part) - 1, 1).bit_length()
        codes, local = _unpack(_segment(part, 0, bits, words) if part else np.zeros(0, np.int64), bits)
        real = np.asarray(ids, np.int64)
        out.append(_distinct(codes << SHIFT | real[local]))
        out.append({word: [ids[n] for n in found] for word, found in words.items()})
    return out[0], out[2], out[1], out[3]  # pairs, title pairs, words, title words


def _update_key_shards(old: Built, before: tuple, after: tuple, read, outbox: _Outbox) -> list[int]:
    """The CJK shards whose lists change, cut again; every shard's first key now."""
    gone = [_changed(b, a, ()) for b, a in zip(before[:2], after[:2])]
    new = [_changed(a, b, ()) for b, a in zip(before[:2], after[:2])]
    touched = np.unique(np.concatenate([part >> SHIFT for part in (*gone, *new)]))
    starts = np.asarray(old.keys, np.int64)
    shards = set((np.searchsorted(starts, touched, side="right") - 1).tolist())
    keys: list[int] = []
    done = 0  # old shards before this one are kept or made again already
    for first in sorted(shards):
        if first < done:
            continue
        begin = max(first - 1, done)
        keys += list(old.keys[done:begin])
        region = _Region(old, read, begin, gone, new)
        done = region.write(shards, outbox, keys)
    return keys + list(old.keys[done:])


class _Region:
    """Consecutive old shards read together, changed and cut again, from shard `begin` on."""

    def __init__(self, old: Built, read, begin: int, gone: list, new: list) -> None:
        self.old, self.read, self.begin, self.end = old, read, begin, begin
        self.gone, self.new = gone, new
        self.lists: list[list] = [[], []]  # each shard's (codes, counts, ids) changed, of all text and titles
        self.cuts = [0]  # where shards begin now, by key within the region, as far as it is read
        self.sizes: list = []  # each old shard's keys' sizes and hashes, as _cuts reads them
        self.hashes: list = []
        self.starts: list[int] = []  # where each old shard's keys begin within the region
        self.count = 0  # keys read

    def write(self, shards: set[int], outbox: _Outbox, keys: list[int]) -> int:
        """Writes the shards from `begin` to the first unchanged old shard that still begins at a cut
        (every changed shard on the way included); returns that shard (or the count: none)."""
        total = len(self.old.keys)
        self.extend()
        while True:
            while self.end < total and self.end in shards:
                self.extend()
            if self.end >= total:
                self.emit(1 << 32, outbox, keys)
                return total
            probe, at = self.end, self.count  # unchanged: does a shard still begin at it?
            self.extend()
            if at in self.cuts and (at or self.begin):  # the first shard emptied: the next is the first now
                self.emit(self.old.keys[probe], outbox, keys, probe - self.begin)
                return probe

    def extend(self) -> None:
        """Reads the next old shard, changes its lists, and finds the cuts as far as it."""
        n, keys = self.end, self.old.keys
        lo, hi = keys[n] << SHIFT, (keys[n + 1] if n + 1 < len(keys) else 1 << 32) << SHIFT
        data = inflate(self.read(key_shard(keys[n])))
        text, pos = read_section(data, 0, self.old.width)
        titles, _ = read_section(data, pos, self.old.width)
        for which, (codes, counts, ids) in enumerate((text, titles)):
            gone, new = (part[slice(*np.searchsorted(part, [lo, hi]))] for part in (self.gone[which], self.new[which]))
            pairs = _changed(np.repeat(codes.astype(np.int64), counts) << SHIFT | ids, gone, new)
            codes, ids = pairs >> SHIFT, pairs & ((1 << SHIFT) - 1)
            firsts = np.flatnonzero(np.diff(codes, prepend=-1))
            self.lists[which].append((codes[firsts].astype(np.uint32), np.diff(np.append(firsts, len(codes))), ids))
        codes, counts, _ = self.lists[0][-1]
        self.sizes.append(4 + 2 * counts)
        self.hashes.append(build._hashes(codes))
        self.starts.append(self.count)
        self.count += len(codes)
        self.end = n + 1
        last = self.cuts[-1]  # the cuts before it stand: each depends on the keys before it only
        k = bisect_right(self.starts, last) - 1  # the cuts from it on: over the old shards from k on
        sizes, hashes = (np.concatenate(column[k:])[last - self.starts[k] :] for column in (self.sizes, self.hashes))
        self.cuts[-1:] = [last + cut for cut in build._cuts(sizes, hashes)]

    def emit(self, stop: int, outbox: _Outbox, keys: list[int], upto: int | None = None) -> None:
        """Writes the lists of the region's first `upto` old shards (all), which end before key `stop`."""
        text, titles = (tuple(map(np.concatenate, zip(*parts[:upto]))) for parts in self.lists)
        shards = build._KeyShards(titles, self.old.width, outbox, first=self.old.keys[self.begin])
        shards.add(text)
        keys += shards.finish(stop)


def _changed(pairs, gone, new):
    """Sorted `pairs` less those in `gone`, with those in `new` (none of them in `pairs`); all sorted."""
    if len(gone) and len(pairs):
        at = np.minimum(np.searchsorted(pairs, gone), len(pairs) - 1)
        pairs = np.delete(pairs, at[pairs[at] == gone])
    return np.insert(pairs, np.searchsorted(pairs, new), new) if len(new) else pairs


def _update_word_shards(old: Built, before: tuple, after: tuple, read, outbox: _Outbox) -> list[str]:
    """Every word shard read, the words' lists changed, and cut again; each shard's first word now."""
    found: list[dict] = [{}, {}]
    for first in old.words:
        data = inflate(read(word_shard(first)))
        pos = 0
        for which in (0, 1):
            (words, counts, ids), pos = read_section(data, pos, old.width, words=True)
            ends = np.cumsum(counts).tolist()
            found[which].update(zip(words, (ids[a:b].tolist() for a, b in zip([0, *ends], ends))))
    for which in (0, 1):
        lists = found[which]
        for word, ids in before[2 + which].items():
            gone = set(ids)
            lists[word] = [i for i in lists.get(word, ()) if i not in gone]
        for word, ids in after[2 + which].items():
            lists[word] = sorted(set(lists.get(word, ())).union(ids))
        found[which] = {word: ids for word, ids in lists.items() if ids}
    return build._write_word_shards(found[0], found[1], old.width, outbox)


def _names(count: int, keys: list[int], words: list[str], members: dict) -> set[str]:
    """Every file of the index now but meta.bin."""
    names = {key_shard(k) for k in keys} | {word_shard(w) for w in words}
    names |= {f"search/t/{n}.bin" for n in range(-(-count // TEXT_CHUNK))}
    names |= {f"search/m/{n}.bin" for n in range(-(-count // META_CHUNK))}
    return names | {f"search/f/{kind}{n}.bin" for kind, n in members}
