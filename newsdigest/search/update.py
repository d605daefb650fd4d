"""The index changed in place: `update_index` gives the files an edit, a new day or a removal
changes, and only those, the same bytes as build.write_index would make of the docs now.

Doc ids count from the oldest doc, so an edit keeps every id and a new day adds ids at the end;
a doc added to an older day, or removed, shifts the ids after it, which are then all changed. What
changes is found from the index itself, never from the other docs: the old text of a changed id
(from its stored-text file) gives the (key, id) pairs it held, the new text those it holds, and
only the lists of keys whose pairs differ are read, changed and cut again. A CJK shard is read with
the one before it (whose end the change may move) and cut again from there, and the shards after it
are read until a cut falls where it fell before (build._cuts decides a cut from the keys since the
last one), a stretch at a time: the changed shards in a row and the unchanged one after them. A
shard is read as columns (codec.read_columns); only the lists of changed keys are decoded, or, for
ids added after all others (a new day), only their sums of gaps. Word shards are few, and all read;
one whose words' lists and bounds are as they were is not made again, nor is a CJK shard cut again
to the bytes it had. All this is of the shards of k/ and w/, the docs before build.bound(count); the
newest docs' (nk/, nw/, at most NEWEST_DOCS - 1 docs) are made again whole from their text, so a new
day changes only those, until the bound moves and the docs it passes join the others. Stored text
and metadata files are made again for the chunks the changed ids are in, filter files for the
topics and regions whose docs change (filters.update); the outbox sends only files whose bytes
changed.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import Callable

import numpy as np

from . import build, filters
from .build import META_CHUNK, TEXT_CHUNK, Built, key_shard, word_shard
from .codec import Lists, decode_text, encode_text, ids_of, inflate, read_columns, values_of, width_of
from .doc import Doc, Terms
from .normalise import stored
from .outbox import _Outbox
from .segments import _distinct, _segment, _unpack
from .splice import SHIFT, _changed, _joined, _splice

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
    making the index whole is the way (other terms, another id width, no shards, much changed, fewer
    docs than NEWEST_DOCS)."""
    count, bound = len(rows), build.bound(len(rows))
    much = max(len(changed), len(removed)) > CHANGED_SHARE * max(count, old.count)
    if much or terms != old.terms or width_of(count) != old.width or not old.keys or not bound:
        return None
    outbox = _Outbox(out, old.shas)
    old_texts = _Texts(read)
    docs = {i: stored(d.title, d.text)[1] for i, d in ((i, doc_at(i)) for i in changed)}
    gone, new = _moved(old.bound, bound, changed, removed)  # the ids whose pairs the other shards lose, gain
    before = _pairs([old_texts.get(i) for i in gone], gone)
    after = _pairs([docs[i] if i in docs else old_texts.get(i) for i in new], new)
    cut_short = [count - 1] if 0 < count < old.count else []  # the last chunk of fewer docs than before
    _write_texts(docs, old_texts, count, sorted({i // TEXT_CHUNK for i in [*docs, *cut_short]}), outbox)
    keys = _update_key_shards(old, before, after, read, outbox)
    words = _update_word_shards(old, before, after, read, outbox) if before[2:] != after[2:] else list(old.words)
    new_keys, new_words = list(old.new_keys), list(old.new_words)  # the newest docs' shards, unless one changed
    if bound != old.bound or max([-1, *changed[-1:], *removed[-1:]]) >= bound:  # made whole: they are few
        now = [docs[i] if i in docs else old_texts.get(i) for i in range(bound, count)]
        newest = build.Pairs(count)
        if now:
            newest.add(now, [text.split("\n", 1)[0] for text in now], bound)
        new_keys, new_words = build.write_segment(newest, True, old.width, outbox)
    build._write_rows(rows, terms, outbox, sorted({i // META_CHUNK * META_CHUNK for i in [*changed, *cut_short]}))
    counts = filters.update(rows, changed, _gone(removed, read), terms, old.width, read, outbox)
    shas = outbox.close()
    names = _names(count, (keys, words, new_keys, new_words), counts)
    built = Built(
        count,
        old.width,
        tuple(keys),
        tuple(words),
        {n: shas[n] for n in sorted(names)},
        terms,
        tuple(new_keys),
        tuple(new_words),
        bound,
    )
    out("search/meta.bin", build.manifest(built, counts))
    return built


def changed_ids(old_urls, urls, same: Callable[[int], bool]) -> tuple[list[int], list[int]]:
    """update_index's `changed` and `removed`, from the docs' URLs in id order, before and now:
    every id from the first whose URL differs on, and before it those where not `same(id)`."""
    shifted = next((i for i, (a, b) in enumerate(zip(old_urls, urls)) if a != b), min(len(old_urls), len(urls)))
    edited = [i for i in range(shifted) if not same(i)]
    return [*edited, *range(shifted, len(urls))], [*edited, *range(shifted, len(old_urls))]


def _moved(was: int, bound: int, changed: list[int], removed: list[int]) -> tuple[list[int], list[int]]:
    """The ids whose pairs leave the shards of the docs before the newest (k/, w/): those removed
    or edited there, and those the newest docs' bound, moved down from `was`, now takes in; and the
    ids whose pairs they take in: those added or edited there, and those the bound, moved up, lets in."""
    out, into = set(removed), set(changed)
    gone = [i for i in removed if i < was] + [i for i in range(bound, was) if i not in out]
    new = [i for i in changed if i < bound] + [i for i in range(was, bound) if i not in into]
    return sorted(gone), sorted(new)


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
    raw: dict[str, tuple] = {}  # the last region's old shards: the next may begin where it ended
    for first in sorted(shards):
        if first < done:
            continue
        begin = max(first - 1, done)
        keys += list(old.keys[done:begin])
        region = _Region(old, read, begin, gone, new, raw)
        done = region.write(shards, outbox, keys)
        raw = region.raw
    return keys + list(old.keys[done:])


class _Region:
    """Consecutive old shards read together, changed and cut again, from shard `begin` on, a stretch
    of them at a time: the changed shards that follow, and the unchanged one after them."""

    def __init__(self, old: Built, read, begin: int, gone: list, new: list, raw: dict[str, tuple]) -> None:
        self.old, self.read, self.begin, self.end = old, read, begin, begin
        self.read_before = raw  # old shards read already
        self.gone, self.new = gone, new
        self.parts: list[list] = [[], []]  # each stretch's columns changed, of all text and titles
        self.cuts = [0]  # where shards begin now, by key within the region, as far as it is read
        self.sizes: list = []  # each stretch's keys' sizes and hashes, as _cuts reads them
        self.hashes: list = []
        self.starts: list[int] = []  # where each stretch's keys begin within the region
        self.count = 0  # keys read
        self.raw: dict[str, tuple] = {}  # each old shard read, by name: its bytes before DEFLATE, its columns

    def write(self, shards: set[int], outbox: _Outbox, keys: list[int]) -> int:
        """Writes the shards from `begin` to the first unchanged old shard that still begins at a cut
        (every changed shard on the way included); returns that shard (or the count: none)."""
        total = len(self.old.keys)
        probe = self.begin + 1
        while True:
            while probe < total and probe in shards:
                probe += 1
            if probe >= total:
                self.extend(total)
                self.emit(self.count, 1 << 32, outbox, keys)
                return total
            self.extend(probe + 1)  # unchanged: does a shard still begin at it?
            at = self.starts[-1] + int(np.searchsorted(self.parts[0][-1][0], self.old.keys[probe]))
            if at in self.cuts and (at or self.begin):  # the first shard emptied: the next is the first now
                self.emit(at, self.old.keys[probe], outbox, keys)
                return probe
            probe += 1

    def extend(self, stop: int) -> None:
        """Reads the old shards up to `stop`, changes their lists, and finds the cuts as far as they go."""
        n, keys, width = self.end, self.old.keys, self.old.width
        lo, hi = keys[n] << SHIFT, (keys[stop] if stop < len(keys) else 1 << 32) << SHIFT
        read: list[list] = [[], []]
        for m in range(n, stop):
            name = key_shard(keys[m])
            self.raw[name] = shard = self.read_before.get(name) or _read_shard(self.read(name), width)
            read[0].append(shard[1])
            read[1].append(shard[2])
        for which, parts in enumerate(read):
            gone, new = (part[slice(*np.searchsorted(part, [lo, hi]))] for part in (self.gone[which], self.new[which]))
            self.parts[which].append(_splice(_joined(parts), gone, new, width))
        codes, counts = self.parts[0][-1][:2]
        self.sizes.append(4 + 2 * counts)
        self.hashes.append(build._hashes(codes))
        self.starts.append(self.count)
        self.count += len(codes)
        self.end = stop
        last = self.cuts[-1]  # the cuts before it stand: each depends on the keys before it only
        k = bisect_right(self.starts, last) - 1  # the cuts from it on: over the stretches from k on
        sizes, hashes = (np.concatenate(column[k:])[last - self.starts[k] :] for column in (self.sizes, self.hashes))
        self.cuts[-1:] = [last + cut for cut in build._cuts(sizes, hashes)]

    def emit(self, at: int, stop: int, outbox: _Outbox, keys: list[int]) -> None:
        """Writes the region's first `at` lists as shards, which end before key `stop`."""
        width = self.old.width
        titles = _lists(_joined(self.parts[1]), width)
        shards = build._KeyShards(titles, width, _Unchanged(outbox, self.raw), first=self.old.keys[self.begin])
        shards.write(_lists(_joined(self.parts[0], at), width), [c for c in self.cuts if c < at], at, stop)
        keys += shards.keys


def _read_shard(data: bytes, width: int) -> tuple:
    """An old CJK shard: its bytes before DEFLATE, the columns of its lists of all text, and of titles."""
    data = inflate(data)
    text, pos = read_columns(data, 0, width)
    return data, text, read_columns(data, pos, width)[0]


def _lists(columns: tuple, width: int) -> Lists:
    codes, counts, firsts, gaps = columns
    return Lists.of(codes, counts, firsts, gaps, width)


class _Unchanged:
    """Hands shards on to an outbox, but for those whose bytes (before DEFLATE) are what they were."""

    def __init__(self, outbox: _Outbox, raw: dict[str, tuple]) -> None:
        self.outbox, self.raw = outbox, raw

    def deflate(self, name: str, data: bytes) -> None:
        if self.raw.get(name, (b"",))[0] != data:
            self.outbox.deflate(name, data)


def _update_word_shards(old: Built, before: tuple, after: tuple, read, outbox: _Outbox) -> list[str]:
    """Every word shard read, the words' lists changed, and cut again; each shard's first word now.
    A shard that begins and ends where it did, and holds no word whose list changed, is not made again."""
    found: list[dict] = [{}, {}]
    for first in old.words:
        data = inflate(read(word_shard(first)))
        pos = 0
        for which in (0, 1):
            (words, counts, firsts, gaps), pos = read_columns(data, pos, old.width, words=True)
            ids = ids_of(counts, firsts, values_of(gaps))
            ends = np.cumsum(counts).tolist()
            found[which].update(zip(words, (ids[a:b].tolist() for a, b in zip([0, *ends], ends))))
    changed = set()
    for which in (0, 1):
        lists = found[which]
        named = {word: lists.get(word, []) for word in (*before[2 + which], *after[2 + which])}
        for word, ids in before[2 + which].items():
            gone = set(ids)
            lists[word] = [i for i in lists.get(word, ()) if i not in gone]
        for word, ids in after[2 + which].items():
            lists[word] = sorted(set(lists.get(word, ())).union(ids))
        changed |= {word for word, ids in named.items() if lists[word] != ids}
        found[which] = {word: ids for word, ids in lists.items() if ids}
    following = dict(zip(old.words, [*old.words[1:], None]))  # each old shard's first word: the next one's
    marks = sorted(map(build._word_order, changed))

    def kept(first: str, then: str | None) -> bool:
        if first not in following or following[first] != then:
            return False
        k = bisect_left(marks, build._word_order(first))
        return k == len(marks) or (then is not None and marks[k] >= build._word_order(then))

    return build._write_word_shards(found[0], found[1], old.width, outbox, kept)


def _gone(removed: list[int], read) -> list[tuple]:
    """(id, topic indexes, region indexes) of each doc removed, from the old metadata files."""
    chunks: dict[int, list] = {}
    gone = []
    for i in removed:
        n = i // META_CHUNK
        if n not in chunks:
            chunks[n] = json.loads(inflate(read(f"search/m/{n}.bin")))
        _, _, topics, regions, _ = chunks[n][i % META_CHUNK]
        gone.append((i, topics, regions))
    return gone


def _names(count: int, firsts: tuple, counts: dict) -> set[str]:
    """Every file of the index now but meta.bin; `firsts`: the first keys and words of the shards,
    and of the newest docs' shards."""
    keys, words, new_keys, new_words = firsts
    names = {key_shard(k) for k in keys} | {word_shard(w) for w in words}
    names |= {key_shard(k, build.NEWEST[0]) for k in new_keys} | {word_shard(w, build.NEWEST[1]) for w in new_words}
    names |= {f"search/t/{n}.bin" for n in range(-(-count // TEXT_CHUNK))}
    names |= {f"search/m/{n}.bin" for n in range(-(-count // META_CHUNK))}
    return names | {filters.name(*key) for key, docs in counts.items() if docs}
