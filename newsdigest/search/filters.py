"""The topic and region filters: the docs of each topic and region (a region's with those of the
regions under it), each in a file of its own (search/f/<t|r><n>.bin, n its index in meta.bin's
topics or regions: one posting list), made whole (`members`, `write`) or changed in place
(`update`: only the filters of the topics and regions of the docs changed, from their old files)."""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np

from .codec import _PLACES, Lists, _lists, deflate, inflate, values_of
from .doc import Terms


def indexes(terms: Terms) -> tuple[dict[str, int], dict[str, int]]:
    """Topic slug -> index, region slug -> index: where each sits in meta.bin's topics and regions."""
    topic_index = {slug: n for n, (slug, _) in enumerate(terms.topics)}
    region_index = {slug: n for n, (slug, _, _) in enumerate(terms.regions)}
    return topic_index, region_index


def members(rows, terms: Terms) -> dict:
    """("t", topic index) or ("r", region index) -> the ids of its docs (a region's: with those of
    the regions under it)."""
    topic_index, region_index = indexes(terms)
    parents = {slug: parent for slug, _, parent in terms.regions}
    found: dict = defaultdict(set)
    for i, (_, _, topics, regions, _) in enumerate(rows):
        for slug in topics:
            if slug in topic_index:
                found["t", topic_index[slug]].add(i)
        for slug in regions:
            while slug in region_index:
                found["r", region_index[slug]].add(i)
                slug = parents.get(slug, "")
    return found


def write(found: dict, width: int, outbox) -> None:
    """The filter files: one posting list per topic or region."""
    for (kind, n), ids in sorted(found.items()):
        outbox.put(name(kind, n), deflate(_lists([sorted(ids)], width)))


def name(kind: str, n: int) -> str:
    return f"search/f/{kind}{n}.bin"


def update(rows, changed: list[int], gone: list[tuple], terms: Terms, width: int, read, outbox) -> dict:
    """The filter files of the topics and regions that the docs `changed` (ids now, `rows` every
    doc's) are in, or the docs removed were in (`gone`: (id before, topic indexes, region indexes)
    of each, as metadata files hold them), made again from their old files; the number of docs of
    every topic and region (the others' from the old meta.bin)."""
    topic_index, region_index = indexes(terms)
    parent_of = [region_index.get(parent, -1) for _, _, parent in terms.regions]
    now: dict = defaultdict(set)  # the filters of the docs changed, with their ids in each
    for i in changed:
        topics = [topic_index[s] for s in rows[i][2] if s in topic_index]
        for key in _keys(topics, [region_index[s] for s in rows[i][3] if s in region_index], parent_of):
            now[key].add(i)
    before: dict = defaultdict(set)  # the same of the docs removed
    for i, topics, regions in gone:
        for key in _keys(topics, regions, parent_of):
            before[key].add(i)
    meta = json.loads(inflate(read("search/meta.bin")))
    counts = {("t", n): topic[2] for n, topic in enumerate(meta["topics"])}
    counts.update({("r", n): region[3] for n, region in enumerate(meta["regions"])})
    removed = np.asarray([i for i, _, _ in gone], np.int64)
    for key in sorted(key for key in {*now, *before} if now[key] != before[key]):
        ids = _ids(inflate(read(name(*key))), width) if counts.get(key) else np.zeros(0, np.int64)
        ids = np.union1d(np.setdiff1d(ids, removed), sorted(now[key]))
        counts[key] = len(ids)
        if len(ids):
            outbox.put(name(*key), deflate(Lists([0], [len(ids)], ids, width).columns(0, 1)))
    return counts


def _keys(topics: list[int], regions: list[int], parent_of: list[int]) -> set:
    """The filters a doc of these topics and regions (indexes) is in: a region's too, and those above it."""
    keys = {("t", n) for n in topics}
    for n in regions:
        while n >= 0 and ("r", n) not in keys:
            keys.add(("r", n))
            n = parent_of[n]
    return keys


def _ids(data: bytes, width: int):
    """The ids of a filter file's one list (inflated)."""
    raw = np.frombuffer(data, np.uint8)
    count, first = (int(_PLACES[:width] @ raw[k * width : (k + 1) * width]) for k in (0, 1))
    gaps = values_of(raw[2 * width :].reshape(width, count - 1))
    return np.concatenate(([first], first + np.cumsum(gaps)))
