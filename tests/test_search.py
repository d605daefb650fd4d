"""The search index (the package newsdigest/search/): its encodings round-trip, its shards cover the key space,
two builds are byte-identical, and, read back by a Python reference of search.js's query logic, it
finds exactly the articles that contain a query (a Hypothesis property over a generated corpus).
The real search.js is tested the same way in headless Chromium: tests/browser/test_search.py."""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdigest import search

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "search"))
import corpus  # noqa: E402  (bench/search/corpus.py: the seeded article generator)

# ---------------------------------------------------------------- a reference reader


def classes(ch: str) -> int:
    """0 separator, 1 CJK, 2 Latin (as search.js classOf)."""
    if not ch.isalnum():
        return 0
    cp = ord(ch)
    if cp >= 0x10000:
        return 1 if any(lo <= cp <= hi for lo, hi in search.CJK_ASTRAL) else 2
    return 1 if any(lo <= cp <= hi for lo, hi in search.CJK_BMP) else 2


def contains(folded: str, term: str) -> bool:
    """`term` occurs in `folded`, and a Latin letter or digit at either end of it is a word's end there."""
    start = "(?<![^\\W_])" if classes(term[0]) == 2 else ""
    end = "(?![^\\W_])" if classes(term[-1]) == 2 else ""
    for m in re.finditer(f"(?={re.escape(term)})", folded):
        at = m.start()
        before = folded[at - 1] if at else " "
        after = folded[at + len(term)] if at + len(term) < len(folded) else " "
        if start and classes(before) == 2:
            continue
        if end and classes(after) == 2:
            continue
        return True
    return False


def query_terms(query: str) -> list[str]:
    out = []
    for raw in unicodedata.normalize("NFC", query).split():
        for term in search.fold(raw).split():
            if term not in out:
                out.append(term)
    return out


def _merge(into: dict, lists: dict, bound: int) -> None:
    """A segment's lists added to those of the segments before it: all their ids are from `bound` on."""
    for key, ids in lists.items():
        assert all(i >= bound for i in ids) and all(i < bound for i in into.get(key, ()))
        into[key] = list(into.get(key, ())) + list(ids)


class Reader:
    """Reads the files index_files wrote and answers queries as search.js does (all matches)."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.meta = json.loads(search.inflate(files["search/meta.bin"]))
        self.width = self.meta["width"]
        self.keys, self.title_keys, self.words, self.title_words = {}, {}, {}, {}
        self.bounds = list(itertools.accumulate(self.meta["keys"]))
        self.new_bounds = list(itertools.accumulate(self.meta["new_keys"]))
        # the docs before the bound, then the newest: a key's ids from both, in order
        for (keys, words), (k, w), bound in zip(
            (("keys", "word_files"), ("new_keys", "new_word_files")),
            (("k", "w"), ("nk", "nw")),
            (0, self.meta["bound"]),
        ):
            for first in itertools.accumulate(self.meta[keys]):
                data = search.inflate(files[search.build.key_shard(first, k)])
                part, pos = search.decode_section(data, 0, self.width)
                titles, pos = search.decode_section(data, pos, self.width)
                assert pos == len(data)
                _merge(self.keys, part, bound)
                _merge(self.title_keys, titles, bound)
            for name in self.meta[words]:
                data = search.inflate(files[f"search/{w}/{name}.bin"])
                part, pos = search.decode_words(data, 0, self.width)
                titles, pos = search.decode_words(data, pos, self.width)
                _merge(self.words, part, bound)
                _merge(self.title_words, titles, bound)
        self.shard_count = len(self.bounds)
        shards = [n for n in files if n.startswith(("search/k/", "search/w/", "search/nk/", "search/nw/"))]
        assert len(shards) == sum(len(self.meta[key]) for key in ("keys", "word_files", "new_keys", "new_word_files"))
        self.texts = []
        n = 0
        while f"search/t/{n}.bin" in files:
            self.texts += search.decode_text(search.inflate(files[f"search/t/{n}.bin"])).split("\x1e")
            n += 1
        self.rows = []
        n = 0
        while f"search/m/{n}.bin" in files:
            self.rows += json.loads(search.inflate(files[f"search/m/{n}.bin"]))
            n += 1

    def docs_of(self, term: str, titles: bool = False) -> set[int] | None:
        """Candidates of one term from the index, or None when it has no indexed character."""
        keys, words = (self.title_keys, self.title_words) if titles else (self.keys, self.words)
        segments = [
            (cls, "".join(ch for _, ch in run))
            for cls, run in __import__("itertools").groupby(((classes(ch), ch) for ch in term), key=lambda x: x[0])
        ]
        found = None
        for n, (cls, text) in enumerate(segments):
            sets = []
            if cls == 2:
                sets.append(set(words.get(text, ())))
            elif cls == 1:
                units = text.encode("utf-16-le")
                codes = [units[i] | units[i + 1] << 8 for i in range(0, len(units), 2)]
                if len(codes) == 1 and n == 0:
                    sets.append({d for k, ids in keys.items() if k >> 16 == codes[0] for d in ids})
                if n > 0:
                    sets.append(set(keys.get(codes[0] << 16, ())))
                for a, b in zip(codes, codes[1:]):
                    sets.append(set(keys.get(a | b << 16, ())))
            for s in sets:
                found = s if found is None else found & s
        return found

    def search(self, query: str) -> list[str]:
        terms = query_terms(query)
        candidates = None
        for term in terms:
            docs = self.docs_of(term)
            if docs is not None:
                candidates = docs if candidates is None else candidates & docs
        if candidates is None:
            return []
        ranked = []
        for doc in sorted(candidates):
            folded = search.fold(self.texts[doc])
            title = folded.split("\n", 1)[0]
            if all(contains(folded, t) for t in terms):
                ranked.append((-sum(contains(title, t) for t in terms), -doc))  # ids count from the oldest
        return [self.rows[-doc][0] for _, doc in sorted(ranked)]


# ---------------------------------------------------------------- a generated corpus


def corpus_docs(count: int, seed: int = 7) -> list[search.Doc]:
    return [search.Doc(a.url, a.title, a.date, a.topics, a.regions, a.text) for a in corpus.articles(count, seed)]


def corpus_terms() -> search.Terms:
    topics, regions = corpus.taxonomy()
    return search.Terms(tuple((s, n) for s, n, _ in topics), tuple(regions))


@pytest.fixture(scope="module", autouse=True)
def newest_docs():
    """The indexes of this module's few docs have their newest docs' shards apart, as a big site's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search.build, "NEWEST_DOCS", 64)
        yield


@pytest.fixture(scope="module")
def generated():
    docs = corpus_docs(200)
    # a few full-width, upper-case and mixed-script pieces, to exercise normalisation
    docs[3] = search.Doc(
        docs[3].url,
        "ＧＥＩ中国潜在独角兽Ａ1榜单",
        docs[3].date,
        docs[3].topics,
        docs[3].regions,
        ("ISO国际标准，４.７万元", "Wi-Fi 覆盖 5G基站"),
    )
    files = search.index_files(docs, corpus_terms())
    reader = Reader(files)
    folded = {
        d.url: search.fold(search.clean(d.title) + "\n" + "\n".join(search.clean(t) for t in d.text)) for d in docs
    }
    return docs, files, reader, folded


def truth(folded: dict[str, str], query: str) -> set[str]:
    terms = query_terms(query)
    return {url for url, text in folded.items() if all(contains(text, t) for t in terms)}


# ---------------------------------------------------------------- encodings


@given(st.lists(st.lists(st.integers(0, 70_000), min_size=1, max_size=40, unique=True), min_size=1, max_size=30))
def test_posting_lists_round_trip(lists):
    count = 70_001
    lists = [sorted(ids) for ids in lists]
    width = search.width_of(count)
    keys = sorted(random.Random(len(lists)).sample(range(0x10000, 0xFFFFFFFF), len(lists)))
    data = search.encode_section(keys, lists, width)
    decoded, end = search.decode_section(data, 0, width)
    assert decoded == dict(zip(keys, lists)) and end == len(data)
    words = sorted({f"w{n}x{len(ids)}" for n, ids in enumerate(lists)})
    data = search.encode_words(words, lists[: len(words)], width)
    decoded, end = search.decode_words(data, 0, width)
    assert decoded == dict(zip(words, lists)) and end == len(data)


def test_small_corpora_use_two_byte_ids_and_large_ones_three():
    assert search.width_of(65_536) == 2 and search.width_of(65_537) == 3
    assert search.split_bytes([1, 0x0203], 2) == bytes([1, 3, 0, 2])  # low bytes, then high bytes


@pytest.mark.parametrize("text", ["独角兽企业，估值达到10亿美元。", "Ｗｉ-Ｆｉ and ✓ 𠀀𠀁", "private \ue000 use"])
def test_stored_text_round_trips_in_gb18030_or_utf8(text):
    data = search.encode_text(text)
    assert search.decode_text(data) == text
    assert data[0] == (1 if text.startswith("独") else 0)


@given(
    st.text(max_size=8),
    st.lists(st.text(st.sampled_from(" \t\n\u3000\x00\x1e\x1fa\u0301e\u00e9中"), max_size=6), max_size=5),
)
def test_a_docs_fields_are_cleaned_together_as_each_alone(title, fields):
    expected = search.clean(title), "\n".join([search.clean(title), *filter(None, map(search.clean, fields))])
    assert search.stored(title, fields) == expected


def test_normalisation_folds_width_and_case_per_code_point():
    assert search.fold("ＩＳＯ９０００，Ａｂ") == "iso9000,ab"
    assert search.fold("㈱") == "(株)"
    keys, words = search.tokens(search.clean("Ｗｉ-Ｆｉ覆盖５G基站"))
    assert words == {"wi", "fi", "5g"}
    assert ord("覆") | ord("盖") << 16 in keys and ord("基") << 16 in keys  # (START, 基): a run starts


# ---------------------------------------------------------------- shards and determinism


def test_every_key_is_in_the_shard_its_range_names(generated):
    """Both segments: the docs before the bound in k/, the newest in nk/, cut finer, each doc in one."""
    _, files, reader, _ = generated
    assert reader.meta["bound"] == 192  # 200 docs, the newest 8 apart (NEWEST_DOCS is 64 here)
    for deltas, folder, finer, ids in (
        ("keys", "k", 1, range(192)),
        ("new_keys", "nk", search.build.NEWEST_FINER, range(192, 200)),
    ):
        bounds = list(itertools.accumulate(reader.meta[deltas]))
        assert bounds[0] == 0 and bounds == sorted(bounds) and len(bounds) > 1
        sizes = []
        for n, first in enumerate(bounds):
            data = search.inflate(files[f"search/{folder}/{numpy.base_repr(first, 36).lower()}.bin"])
            part, _ = search.decode_section(data, 0, reader.width)
            hi = bounds[n + 1] if n + 1 < len(bounds) else 1 << 32
            assert part and all(first <= k < hi for k in part)
            assert {i for found in part.values() for i in found} <= set(ids)
            sizes.append(len(data))
        assert max(sizes) < 4 * search.SHARD_TARGET / finer
    assert len(reader.bounds) == reader.shard_count
    assert reader.meta["count"] == len(reader.rows) == len(reader.texts) == 200


def test_two_builds_are_byte_identical_whatever_the_input_order(generated):
    docs, files, _, _ = generated
    shuffled = list(docs)
    random.Random(1).shuffle(shuffled)
    newest_first = sorted(shuffled, key=lambda d: (d.date, -docs.index(d)), reverse=True)  # same-day order kept
    streamed = search.index_files(iter(search._rank(docs)), corpus_terms(), ranked=True, count=len(docs))
    for again in (search.index_files(newest_first, corpus_terms()), search.index_files(docs, corpus_terms()), streamed):
        assert list(again) == list(files) and all(again[k] == files[k] for k in files)
    assert list(files) == sorted(files) and all(k.startswith("search/") for k in files)


def test_ids_count_from_the_oldest_doc(generated):
    _, _, reader, _ = generated
    dates = [row[1] for row in reader.rows]
    assert dates == sorted(dates)


def test_filters_roll_regions_up(generated):
    docs, files, reader, _ = generated
    regions = reader.meta["regions"]
    index = {slug: n for n, (slug, *_) in enumerate(regions)}
    parent_of = {slug: regions[p][0] if p >= 0 else "" for slug, _, p, _ in regions}
    for slug, n in index.items():
        name = f"search/f/r{n}.bin"
        if name not in files:
            continue
        data = search.inflate(files[name])
        (ids,), _ = search.decode_lists(data, 0, 1, reader.width)
        expected = set()
        for i, row in enumerate(reader.rows):
            for r in row[3]:
                s = regions[r][0]
                while s:
                    if s == slug:
                        expected.add(i)
                    s = parent_of[s]
        assert set(ids) == expected, slug


# ---------------------------------------------------------------- exact recall and precision


def test_sample_queries_through_the_reference_reader(generated):
    _, _, reader, folded = generated
    for query in ["独角兽", "GEI中国", "gei", "ISO国际", "4.7", "wi-fi", "5g基站", "ａ1", "a", "独角兽 榜单"]:
        found = reader.search(query)
        assert set(found) == truth(folded, query), query
        assert len(found) == len(set(found))
    assert reader.search("，") == reader.search("“ ”") == []  # punctuation alone: nothing to look up


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_substring_finds_exactly_the_articles_holding_it(generated, data):
    docs, _, reader, folded = generated
    texts = list(folded.values())
    text = texts[data.draw(st.integers(0, len(texts) - 1))]
    length = data.draw(st.integers(1, 4))
    start = data.draw(st.integers(0, max(0, len(text) - length)))
    query = text[start : start + length].strip()
    if data.draw(st.booleans()):  # or characters of the corpus in an order that may appear nowhere
        alphabet = sorted(set(text) - set(" \n"))
        query = "".join(data.draw(st.sampled_from(alphabet)) for _ in range(length))
    terms = query_terms(query)
    if not terms or not any(classes(ch) for t in terms for ch in t):
        return  # punctuation alone: no index key to look up (search.js answers nothing)
    # Latin words match whole: the reference truth() applies the same rule
    assert set(reader.search(query)) == truth(folded, query), query


def test_title_hits_come_first_then_newest(generated):
    docs, _, reader, folded = generated
    word = docs[10].title[:2]
    found = reader.search(word)
    in_title = [url for url in found if contains(folded[url].split("\n", 1)[0], search.fold(word))]
    assert found[: len(in_title)] == in_title and in_title
    order = {d.url: (-int(d.date.replace("-", "")), n) for n, d in enumerate(docs)}
    assert in_title == sorted(in_title, key=order.get)
    rest = found[len(in_title) :]
    assert rest == sorted(rest, key=order.get)


def test_the_sample_site_index_is_written_with_the_search_scripts(sample_site):
    folder = sample_site / "search"
    for name in ("search.js", "page.js", "meta.bin", "index.html"):
        assert (folder / name).is_file(), name
    files = {f"search/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in folder.rglob("*.bin")}
    reader = Reader(files)
    assert reader.meta["count"] == 10
    assert reader.search("独角兽") == ["2025/03/18/chanye-conglin-jiqun-pangao/"]


def test_an_empty_site_and_a_site_without_cjk_are_indexed_too():
    assert list(search.index_files([])) == ["search/meta.bin"]
    reader = Reader(search.index_files([search.Doc("a/", "ISO 9001 audit", "2025-01-01", text=("Ｗｉ-Ｆｉ",))]))
    assert reader.meta["keys"] == [] and reader.search("iso") == reader.search("WI") == ["a/"]
    assert reader.search("中") == reader.search("9") == []


def test_building_in_segments_changes_no_byte(generated, monkeypatch):
    """Pairs found a few docs at a time, merged per small code range, and shards emitted as ranges
    fill up: the same files as one segment (the 200 docs of `generated` fit in one)."""
    docs, files, _, _ = generated
    monkeypatch.setattr(search.build, "SEGMENT_UNITS", 5_000)
    monkeypatch.setattr(search.build, "SEGMENT_DOCS", 7)
    monkeypatch.setattr(search.build, "CODE_RANGE", 1 << 17)
    again = search.index_files(docs, corpus_terms())
    assert list(again) == list(files) and all(again[k] == files[k] for k in files)


def test_files_are_handed_on_as_they_are_made_not_held_to_the_end(generated, monkeypatch):
    """write_index gives each file to `out` soon after making it (at most AHEAD files wait for their
    DEFLATE): the first stored text while most docs are still unread; the same files, bytes and
    order each time."""
    docs, files, _, _ = generated
    monkeypatch.setattr(search._Outbox, "AHEAD", 2)
    ranked, read, read_at_first, seen = search._rank(docs), [], [], {}

    def stream():
        for doc in ranked:
            read.append(doc)
            yield doc

    def out(name, data):
        read_at_first[:] = read_at_first or [len(read)]
        seen[name] = data

    search.write_index(stream(), out, corpus_terms(), ranked=True, count=len(docs))
    assert read_at_first[0] < len(docs) // 2
    assert dict(sorted(seen.items())) == files
    again = []
    search.write_index(docs, lambda name, data: again.append(name), corpus_terms())
    assert again == list(seen)


@pytest.mark.parametrize("extra", ["", " ISO9001 x_y İstanbul Ünïcode", " Ｗｉ-Ｆｉ ISO9001 Σ", " 𠀀𠀁中𠀂 x"])
def test_bigram_pairs_of_a_segment_are_those_tokens_finds_in_each_doc(generated, extra):
    """The index finds a segment's bigrams and words with array operations over all its text at once
    (folded if a character needs it; doc by doc when one lies outside the BMP); either way they are
    tokens()'s keys and words of each doc."""
    docs = generated[0][:40]
    texts = [search.clean(d.title) + "\n" + "\n".join(map(search.clean, d.text)) for d in docs]
    texts[5] += extra
    bits, words = 6, defaultdict(list)
    pairs = search._segment(texts, 3, bits, words).tolist()
    expected = sorted(k << bits | n for n, t in enumerate(texts, 3) for k in search.tokens(t)[0] if k >= 0x10000)
    assert pairs == expected
    expected_words = defaultdict(list)
    for n, text in enumerate(texts, 3):
        for word in search.tokens(text)[1]:
            expected_words[word].append(n)
    assert words == expected_words and "wi" in words


def test_the_scripts_are_served_without_their_comment_lines():
    script = b'// a note\nconst a = "//x"; // kept: code comes first\n  /** a doc line */\n/* kept */\nexport { a };\n'
    assert search.files.lean(script) == b'const a = "//x"; // kept: code comes first\n/* kept */\nexport { a };\n'
    served = search.files.lean((ROOT / "theme" / "search" / "search.js").read_bytes())
    assert not [line for line in served.splitlines() if line.strip().startswith(b"//")]
    assert b"export async function search" in served
