"""Step 5b, search: the site's articles -> a static full-text search index under search/.

`index_files(docs, terms)` is a pure function: the same documents give the same bytes. It writes

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
DEFLATEd: as small as varints under DEFLATE, and built with C-speed list operations instead of a
Python loop per key (bench/search/README.md has the measurements). A word shard has the same
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
import html
import json
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import accumulate, chain, compress, groupby, repeat
from operator import sub
from pathlib import Path

FORMAT = 1
TEXT_CHUNK = 10  # articles per stored-text file
META_CHUNK = 64  # articles per metadata file
SHARD_TARGET = 12_000  # bytes of a shard before DEFLATE; a shard holds at least one key range
SEGMENT = 512  # docs whose bigram lists are built at a time (or a 32nd of all, when more)
BUCKET_SHIFT = 20  # bigram codes >> BUCKET_SHIFT: the buckets lists wait in between (16 second units)
START = 0  # the code unit standing for "the beginning of a CJK run"

# CJK blocks (code point ranges). In the BMP only letters and digits count; astral ranges count whole.
CJK_BMP = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035),
           (0x3038, 0x303C), (0x3040, 0x30FF), (0x3100, 0x312F), (0x3130, 0x318F), (0x31A0, 0x31BF),
           (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA000, 0xA4CF), (0xA960, 0xA97F),
           (0xAC00, 0xD7FF), (0xF900, 0xFAFF))
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
        n = unicodedata.normalize("NFKC", c)
        if n != c and (c.isalnum() or any(x.isalnum() for x in n)):
            risky.append(cp)
    return (re.compile(f"[^{cjk_class}]+"), re.compile(f"[^\\W_{cjk_class}]+"),
            re.compile(f"[{_ranges(sorted(risky))}\\U00010000-\\U0010ffff]"))


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


def tokens(text: str) -> tuple[set, set]:
    """(bigram key codes, Latin words) of an already cleaned text."""
    non_cjk, latin, _ = _classes()
    view = _view(text)
    cjk = "\x00" + non_cjk.sub("\x00", view)
    units = cjk.encode("utf-16-le")
    n = len(units)
    keys = set(array("I", units[: n - n % 4]))
    keys.update(array("I", units[2: n - (n - 2) % 4]))
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
    raw = array("I", values).tobytes()
    return b"".join(raw[i::4] for i in range(width))


def unsplit_bytes(data, pos: int, n: int, width: int) -> tuple[list[int], int]:
    values = [0] * n
    for b in range(width):
        part = data[pos + b * n: pos + (b + 1) * n]
        values = [v | (x << (8 * b)) for v, x in zip(values, part)]
    return values, pos + width * n


def encode_section(keys: list[int], lists: list, width: int) -> bytes:
    """Posting lists of sorted bigram codes: the codes as groups of one second unit (u1) with the
    first units (u0) as deltas, then each list's length, first id and gaps, all byte-split."""
    return encode_columns(keys, list(map(len, lists)), list(chain.from_iterable(lists)), width)


def encode_columns(keys: list[int], counts: list[int], flat, width: int) -> bytes:
    """encode_section of lists given as their lengths and their ids one after the other."""
    if not keys:
        return b"\x00"
    groups = [(u1, sum(1 for _ in run)) for u1, run in groupby(k >> 16 for k in keys)]
    head = bytearray(varint(len(keys)) + varint(len(groups)))
    previous = 0
    for u1, n in groups:
        head += varint(u1 - previous) + varint(n)
        previous = u1
    low = [k & 0xFFFF for k in keys]
    deltas = [low[0], *((b - a) & 0xFFFF for a, b in zip(low, low[1:]))]
    return bytes(head) + split_bytes(deltas, 2) + _columns(counts, flat, width)


def _lists(lists: list, width: int) -> bytes:
    return _columns(list(map(len, lists)), list(chain.from_iterable(lists)), width)


def _columns(counts: list[int], flat, width: int) -> bytes:
    """Each list's length, first id, and the gaps within it, from the lists' ids one after the other."""
    starts = [0, *accumulate(counts[:-1])]
    firsts = list(map(flat.__getitem__, starts))
    steps = list(map(sub, flat[1:], flat))  # within a list its gaps; from one list to the next: dropped
    keep = bytearray(b"\x01") * len(steps)
    deque(map(keep.__setitem__, map((-1).__add__, starts[1:]), repeat(0)), 0)
    return split_bytes(counts, width) + split_bytes(firsts, width) + split_bytes(list(compress(steps, keep)), width)


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
        previous = previous[:common] + bytes(data[pos:pos + size])
        pos += size
        words.append(previous.decode("utf-8"))
    if not n:
        return {}, pos
    lists, pos = decode_lists(data, pos, n, width)
    return dict(zip(words, lists)), pos


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
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
            data = text.encode("gb18030")
            if data.decode("gb18030") == text:
                return b"\x01" + data
        except UnicodeError:
            pass
    return b"\x00" + text.encode("utf-8")


def decode_text(data: bytes) -> str:
    return data[1:].decode("gb18030" if data[:1] == b"\x01" else "utf-8")


# ---------------------------------------------------------------- the index

def _packed_json(data) -> bytes:
    return deflate(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def _cuts(counts: list[int], target: int) -> list[int]:
    """Start indexes of shards of about `target` bytes (estimated before encoding) over lists of these lengths."""
    ends = list(accumulate(4 + 2 * n for n in counts))
    starts = [0]
    while True:
        at = bisect_right(ends, ends[starts[-1] - 1] + target if starts[-1] else target)
        at = max(at, starts[-1] + 1)
        if at >= len(counts):
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


def _keep_segment(postings: dict, buckets: dict, id_type: str) -> None:
    """One segment's bigram lists -> compact (codes, counts, ids) arrays, one per bucket of codes."""
    codes = sorted(postings)
    codes = codes[bisect_left(codes, 0x10000):]  # (c, END) pairs are not needed
    at = 0
    for bucket in sorted(set(map(BUCKET_SHIFT.__rrshift__, codes))):
        end = bisect_left(codes, (bucket + 1) << BUCKET_SHIFT, at)
        lists = list(map(postings.__getitem__, codes[at:end]))
        ids = array(id_type)
        ids.frombytes(b"".join(map(array.tobytes, lists)))
        buckets[bucket].append((array("I", codes[at:end]), array("I", map(len, lists)), ids))
        at = end


def _merge(parts: list, id_type: str) -> tuple[list[int], list[int], array]:
    """One bucket's parts, one per segment in doc order -> (codes, counts, ids) of its merged lists."""
    if len(parts) == 1:
        codes, counts, ids = parts[0]
        return list(codes), list(counts), ids
    merged: dict = defaultdict(partial(array, id_type))
    for codes, counts, ids in parts:  # each code's slice of ids appended to its merged list
        ends = list(accumulate(counts))
        slices = map(ids.__getitem__, map(slice, [0, *ends[:-1]], ends))
        deque(map(array.extend, map(merged.__getitem__, codes), slices), 0)
    codes = sorted(merged)
    lists = list(map(merged.__getitem__, codes))
    ids = array(id_type)
    ids.frombytes(b"".join(map(array.tobytes, lists)))
    return codes, list(map(len, lists)), ids


def index_files(docs, terms: Terms = Terms(), ranked: bool = False, count: int | None = None) -> dict[str, bytes]:
    """The search index of `docs`: relative path under the site -> bytes. Pure and deterministic.

    `ranked`: the docs come newest first already (same-day docs in the order wanted), and may then
    be any iterable of `count` docs, read once and not kept (a big site need not hold its text)."""
    if not ranked:
        docs = _rank(docs)
        count = len(docs)
    elif count is None:
        docs = list(docs)
        count = len(docs)
    width = width_of(count)
    files: dict = {}  # path -> bytes, or a Future of them: DEFLATE runs in threads (zlib lets go of the GIL)
    pool = ThreadPoolExecutor(2)
    # key -> doc ids, as arrays of 2 (or 4) bytes an id: a quarter of a list's memory. Bigram lists are
    # built SEGMENT docs at a time (a small dict stays in the cache), then kept compact per bucket of
    # key codes until every segment is done, and merged one bucket at a time into shards.
    id_type = "H" if count <= 0x10000 else "I"
    segment = max(SEGMENT, -(-count // 32))  # at most 32 segments to merge
    new_list = partial(array, id_type)
    postings: dict = defaultdict(new_list)
    titles: dict = defaultdict(new_list)
    words: dict = defaultdict(new_list)
    word_titles: dict = defaultdict(new_list)
    buckets: dict = defaultdict(list)  # code >> BUCKET_SHIFT -> [(codes, counts, ids)], one per segment
    get, tget, wget, wtget = postings.__getitem__, titles.__getitem__, words.__getitem__, word_titles.__getitem__
    append = array.append
    chunk: list[str] = []
    rows = []  # what is kept of each doc: url, date, topics, regions
    for i, doc in enumerate(docs):
        rows.append((doc.url, doc.date, doc.topics, doc.regions))
        title = clean(doc.title)
        text = "\n".join([title, *(c for c in map(clean, doc.text) if c)])
        keys, found = tokens(text)
        deque(map(append, map(get, keys), repeat(i)), 0)
        deque(map(append, map(wget, found), repeat(i)), 0)
        keys, found = tokens(title)
        deque(map(append, map(tget, keys), repeat(i)), 0)
        deque(map(append, map(wtget, found), repeat(i)), 0)
        chunk.append(text)
        if len(chunk) == TEXT_CHUNK or i == count - 1:
            files[f"search/t/{i // TEXT_CHUNK}.bin"] = pool.submit(deflate, encode_text("\x1e".join(chunk)))
            chunk = []
        if (i + 1) % segment == 0 or i == count - 1:
            _keep_segment(postings, buckets, id_type)
            postings.clear()

    # CJK shards: consecutive ranges of bigram codes, cut at about SHARD_TARGET bytes
    title_codes = sorted(titles)
    title_codes = title_codes[bisect_left(title_codes, 0x10000):]
    title_lists = list(map(titles.__getitem__, title_codes))
    boundaries: list[int] = []
    pending_codes: list[int] = []
    pending_counts: list[int] = []
    pending_ids = array(id_type)

    def emit(end: int, last: bool) -> None:
        """Writes the pending lists as shards, all but the last one unless `last`."""
        nonlocal pending_codes, pending_counts, pending_ids
        starts = _cuts(pending_counts, SHARD_TARGET)
        cut = len(pending_codes) if last else starts.pop()
        offsets = [0, *accumulate(pending_counts)]
        for a, b in zip(starts, [*starts[1:], cut]):
            start = pending_codes[a] if boundaries else 0
            stop = pending_codes[b] if b < len(pending_codes) else end
            lo, hi = bisect_left(title_codes, start), bisect_left(title_codes, stop)
            files[f"search/k/{len(boundaries)}.bin"] = pool.submit(deflate, encode_columns(
                pending_codes[a:b], pending_counts[a:b], pending_ids[offsets[a]:offsets[b]], width)
                + encode_section(title_codes[lo:hi], title_lists[lo:hi], width))
            boundaries.append(start)
        pending_codes, pending_counts = pending_codes[cut:], pending_counts[cut:]
        pending_ids = pending_ids[offsets[cut]:]

    for bucket in sorted(buckets):
        codes, counts, ids = _merge(buckets.pop(bucket), id_type)
        pending_codes += codes
        pending_counts += counts
        pending_ids += ids
        if sum(pending_counts) * 2 + 4 * len(pending_counts) > 3 * SHARD_TARGET:
            emit(0, last=False)
    if pending_codes:
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
        files[f"search/w/{n}.bin"] = pool.submit(deflate, encode_words(names[a:b], lists[a:b], width)
                                                 + encode_words(title_names[lo:hi], title_lists[lo:hi], width))
    del postings, titles, words, word_titles, lists, title_lists, buckets

    topic_index = {slug: n for n, (slug, _) in enumerate(terms.topics)}
    region_index = {slug: n for n, (slug, _, _) in enumerate(terms.regions)}
    parents = {slug: parent for slug, _, parent in terms.regions}
    assert len(rows) == count, "index_files: fewer docs than `count`"
    for n in range(0, count, META_CHUNK):
        files[f"search/m/{n // META_CHUNK}.bin"] = _packed_json([
            [url, date, [topic_index[s] for s in topics if s in topic_index],
             [region_index[s] for s in regions if s in region_index]]
            for url, date, topics, regions in rows[n:n + META_CHUNK]])
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
        files[f"search/f/{kind}{n}.bin"] = deflate(_lists([sorted(ids)], width))

    files = {name: data if isinstance(data, bytes) else data.result() for name, data in files.items()}
    pool.shutdown()
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    meta = {
        "format": FORMAT, "id": digest.hexdigest()[:12], "count": count, "width": width,
        "text_chunk": TEXT_CHUNK, "meta_chunk": META_CHUNK, "keys": _deltas(boundaries), "words": word_bounds,
        "topics": [[slug, name, len(members.get(("t", n), ()))] for n, (slug, name) in enumerate(terms.topics)],
        "regions": [[slug, name, region_index.get(parent, -1), len(members.get(("r", n), ()))]
                    for n, (slug, name, parent) in enumerate(terms.regions)],
    }
    files["search/meta.bin"] = _packed_json(meta)
    return dict(sorted(files.items()))


def _deltas(values: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *values[:-1]], values)]


# ---------------------------------------------------------------- the site's articles

MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&!#~|]|^\s*(?:[-+>]|\d+[.)])\s|^\s{4}|^=+$|^-+$", re.M)
TAG = re.compile(r"<[^>]*>")


def visible(markdown_text: str, render) -> str:
    """What a reader sees of a markdown paragraph (its text without the markup)."""
    if not MARKDOWN_SPECIAL.search(markdown_text):
        return markdown_text
    return html.unescape(TAG.sub("", render(markdown_text)))


def docs_of(site, presenter) -> list[Doc]:
    """The site's articles as search Docs, newest first."""
    from .index import newest_first

    md = presenter.md
    docs = []
    for article in newest_first(site.articles):
        text = [p.name for p in article.authors]
        for block in article.blocks:
            if block.kind == "para":
                text.append(visible(block.text, md.render))
            elif block.kind == "line":
                text.append(block.text)
            elif block.kind == "caption":
                text.append(visible(block.text, md.renderInline))
                if block.credit:
                    text.append(block.credit)
        docs.append(Doc(article.path, article.title, article.date.isoformat(), tuple(article.topics),
                        tuple(article.regions), tuple(text)))
    return docs


def terms_of(config) -> Terms:
    return Terms(tuple((t.slug, t.name) for t in config.topics),
                 tuple((t.slug, t.name, t.parent) for t in config.regions))


def search_files(site, presenter, theme) -> dict[str, bytes]:
    """Everything under search/: the index of the site's articles and the theme's search scripts."""
    files = index_files(docs_of(site, presenter), terms_of(site.config))
    folder = Path(theme.folder) / "search"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files["search/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
