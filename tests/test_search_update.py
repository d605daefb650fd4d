"""search/update.py: an index changed in place is, file for file, the index made whole of the docs
now, and an edit writes only the few files it changes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_search import corpus_docs, corpus_terms

from newsdigest import search
from newsdigest.search import build, codec, update

COUNT = 1500


def made_whole(docs) -> tuple[dict[str, bytes], search.Built]:
    files: dict[str, bytes] = {}
    built = search.write_index(docs, files.__setitem__, corpus_terms())
    return files, built


def changed_in_place(old_docs, new_docs):
    """(the files update_index writes, the index it describes, every file after it), or None."""
    old_files, old_built = made_whole(old_docs)
    before, after = build._rank(old_docs), build._rank(new_docs)
    written: dict[str, bytes] = {}
    built = update.update_index(
        old_built,
        *update.changed_ids([d.url for d in before], [d.url for d in after], lambda i: before[i] == after[i]),
        [(d.url, d.date, d.topics, d.regions, d.page) for d in after],
        after.__getitem__,
        corpus_terms(),
        old_files.__getitem__,
        written.__setitem__,
    )
    if built is None:
        return None
    files = {name: written.get(name, old_files.get(name)) for name in [*built.shas, "search/meta.bin"]}
    return written, built, files


@pytest.fixture(scope="module")
def docs():
    return corpus_docs(COUNT)


def newest_day(docs) -> str:
    return (dt.date.fromisoformat(max(d.date for d in docs)) + dt.timedelta(days=1)).isoformat()


CHANGES = {
    "a paragraph edited": lambda docs, d: [
        dataclasses.replace(x, text=(*x.text[:1], "新增一段关于宁波港口的报道，2025年ABC测试。", *x.text[2:]))
        if x is d
        else x
        for x in docs
    ],
    "a headline edited": lambda docs, d: [
        dataclasses.replace(x, title="全新标题：杭州湾大桥") if x is d else x for x in docs
    ],
    "its topics and regions removed": lambda docs, d: [
        dataclasses.replace(x, topics=(), regions=()) if x is d else x for x in docs
    ],
    "a new day": lambda docs, d: (
        docs + [dataclasses.replace(x, url=f"new/{n}/", date=newest_day(docs)) for n, x in enumerate(docs[:8])]
    ),
    "the newest docs removed": lambda docs, d: [x for x in docs if x.date != max(y.date for y in docs)],
    "a doc added to the newest day": lambda docs, d: (
        docs + [dataclasses.replace(d, url="added/", date=max(x.date for x in docs), title="新加的一篇 Wi-Fi 报道")]
    ),
}


@pytest.mark.parametrize("newest", [512, 1, 750, 754])
@pytest.mark.parametrize("change", CHANGES)
def test_an_index_changed_in_place_is_the_index_made_whole(docs, change, newest, monkeypatch):
    """With the newest docs' bound where it was (512: 1,024 of the 1,500 docs before it; 1: no newest
    docs apart), moved down (750: from 1,500 to 750 when docs go) and up (754: from 754 to 1,508 on
    a new day)."""
    monkeypatch.setattr(build, "NEWEST_DOCS", newest)
    new_docs = CHANGES[change](docs, docs[len(docs) // 2])
    assert new_docs != docs
    written, built, files = changed_in_place(docs, new_docs)
    expected, expected_built = made_whole(new_docs)
    assert sorted(files) == sorted(expected)
    assert [name for name in expected if files[name] != expected[name]] == []
    assert built == expected_built
    assert set(written) <= set(expected) and "search/meta.bin" in written


def test_an_edit_writes_only_the_files_it_changes(docs):
    written, _, files = changed_in_place(docs, CHANGES["a paragraph edited"](docs, docs[len(docs) // 2]))
    old_files, _ = made_whole(docs)
    assert all(old_files.get(name) != data for name, data in written.items() if name != "search/meta.bin")
    assert len(written) < len(files) / 10
    shards = [name for name in written if name.startswith("search/k/")]
    assert 0 < len(shards) < len([n for n in files if n.startswith("search/k/")]) / 10


def test_ids_stay_where_they_were_after_a_new_day(docs):
    new_docs = CHANGES["a new day"](docs, None)
    _, _, files = changed_in_place(docs, new_docs)
    old_files, _ = made_whole(docs)
    assert files["search/t/0.bin"] == old_files["search/t/0.bin"]  # the oldest docs' text, where it was


def test_a_new_day_writes_the_newest_docs_shards_not_the_others(docs, monkeypatch):
    """Until the newest docs reach the next multiple of NEWEST_DOCS, a new day writes none of the
    shards of the docs before them (k/, w/), only the newest docs' (nk/, nw/); when they reach it,
    they join the others (in place), and no doc is newest."""
    written, built, _ = changed_in_place(docs, CHANGES["a new day"](docs, None))
    assert built.bound == 1024 and built.count == 1508
    assert not [name for name in written if name.startswith(("search/k/", "search/w/"))]
    assert [name for name in written if name.startswith("search/nk/")]
    monkeypatch.setattr(build, "NEWEST_DOCS", 754)  # 1,500 docs: 746 of them newest; 1,508: none
    written, built, files = changed_in_place(docs, CHANGES["a new day"](docs, None))
    assert built.bound == 1508 and built.new_keys == built.new_words == ()
    assert [name for name in written if name.startswith("search/k/")]
    assert not [name for name in files if name.startswith(("search/nk/", "search/nw/"))]


def test_much_changed_or_other_terms_make_the_index_whole(docs):
    oldest = build._rank(docs)[0]  # without it, every id shifts
    assert changed_in_place(docs, [d for d in docs if d is not oldest]) is None
    old_files, old_built = made_whole(docs)
    other = dataclasses.replace(old_built, terms=search.Terms())
    rows = [(d.url, d.date, d.topics, d.regions, d.page) for d in build._rank(docs)]
    assert (
        update.update_index(
            other, [0], [0], rows, build._rank(docs).__getitem__, corpus_terms(), old_files.__getitem__, print
        )
        is None
    )


def test_shards_are_cut_where_the_content_says():
    """A cut depends on the keys since the last one: what comes before a cut does not move the cuts after it."""
    sizes = [100] * 2000
    hashes = build._hashes(range(2000))
    cuts = build._cuts(sizes, hashes)
    assert len(cuts) > 10 and all(b - a >= build.SHARD_MIN // 100 for a, b in zip(cuts, cuts[1:]))
    sizes[5] = 900  # a list early on grows
    moved = build._cuts(sizes, hashes)
    assert set(moved[3:]) == set(cuts[3:])


def test_a_first_shard_emptied_is_made_again_from_key_zero(monkeypatch):
    """A whole build's first shard begins at key 0 whatever its first key: when every key of the old
    first shard goes, the next shard becomes the first, named and cut from 0."""
    monkeypatch.setattr(build, "NEWEST_DOCS", 1)  # no newest docs apart: the odd doc's keys are in k/
    docs = corpus_docs(100)
    files, built = made_whole(docs)
    lowest = min(search.decode_section(search.inflate(files[build.key_shard(0)]), 0, built.width)[0])
    # a doc of 5,999 keys below the corpus's lowest, none a candidate cut: the first shard is its alone
    seconds = [
        b for b in range(0x3401, 0x4DB6) if int(build._hashes([0x3400 | b << 16])[0]) * build.SHARD_GAP >= 6 << 32
    ]
    assert len(seconds) >= 5999 and 0x3400 | seconds[5998] << 16 < lowest
    text = " ".join("\u3400" + chr(b) for b in seconds[:5999])
    odd = dataclasses.replace(docs[0], url="odd/", date="2030-01-01", title="x", text=(text,))
    _, with_odd = made_whole([*docs, odd])
    assert with_odd.keys[1] == lowest  # the odd doc's keys fill the first shard
    written, changed, after = changed_in_place([*docs, odd], docs)
    assert changed == built and after == files


@given(
    st.lists(st.lists(st.integers(0, 70_000), min_size=1, max_size=40, unique=True), max_size=30),
    st.sampled_from([2, 3]),
)
def test_a_section_read_as_columns_is_written_again_to_the_same_bytes(lists, width):
    """What update.py reads an old shard with (read_columns) and writes lists with (Lists.of), with
    ids of two bytes and of three; an empty section too."""
    lists = [sorted(i % (1 << 8 * width) for i in ids) for ids in lists]
    keys = sorted(random.Random(len(lists)).sample(range(0x10000, 0xFFFFFFFF), len(lists)))
    data = search.encode_section(keys, lists, width) + b"tail"
    (codes, counts, firsts, gaps), end = codec.read_columns(data, 0, width)
    assert data[end:] == b"tail" and gaps.shape[0] == width
    assert codes.tolist() == keys and counts.tolist() == list(map(len, lists))
    assert codec.ids_of(counts, firsts, codec.values_of(gaps)).tolist() == [i for part in lists for i in part]
    assert codec.Lists.of(codes, counts, firsts, gaps, width).encode(0, len(keys)) == data[:end]
    words = sorted({f"w{n}x{len(ids)}" for n, ids in enumerate(lists)})
    data = search.encode_words(words, lists[: len(words)], width)
    (found, counts, firsts, gaps), end = codec.read_columns(data, 0, width, words=True)
    ids = codec.ids_of(counts, firsts, codec.values_of(gaps)).tolist()
    assert found == words and end == len(data) and ids == [i for part in lists[: len(words)] for i in part]


@pytest.mark.parametrize("change", ["a paragraph edited", "a new day", "its topics and regions removed"])
def test_a_change_makes_again_only_the_files_it_changes(docs, change, monkeypatch):
    """A shard read with the changed ones and cut again, whose bytes are as they were, is not made
    again (DEFLATE is much of an update's work); nor is a word shard whose words' lists are as they
    were, nor the filter of a topic or region that no changed doc is or was in."""
    made: list[str] = []
    send, update_index = build._Outbox._send, update.update_index

    def counting(box) -> None:
        made.append(box.queue[0][0])
        send(box)

    def counted(*args):  # the files the update makes (not those of the whole builds around it)
        monkeypatch.setattr(build._Outbox, "_send", counting)
        return update_index(*args)

    monkeypatch.setattr(update, "update_index", counted)
    written, _, _ = changed_in_place(docs, CHANGES[change](docs, docs[len(docs) // 2]))
    for kind in ("search/k/", "search/w/", "search/f/"):
        shards = sorted(name for name in made if name.startswith(kind))
        assert shards == sorted(name for name in written if name.startswith(kind))
    newest = [name for name in made if name.startswith(("search/nk/", "search/nw/"))]
    assert bool(newest) == (change == "a new day")  # an older doc's change leaves the newest docs' shards be
