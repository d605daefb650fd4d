"""Step 5b, search: the site's articles -> a static full-text search index under search/.

`index_files(docs, terms)` is a pure function: the same documents give the same bytes. It writes

    search/meta.bin        the manifest: counts, the shard boundaries, the topics and regions
    search/k/<n>.bin       CJK shards: character bigrams -> posting lists (all text, and titles)
    search/w/<n>.bin       word shards: Latin words and numbers -> posting lists
    search/t/<n>.bin       stored text of TEXT_CHUNK articles (for verifying and excerpts)
    search/m/<n>.bin       metadata of META_CHUNK articles: URL, title, date, topics, regions
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

Posting lists: sorted doc ids, each list either delta-coded LEB128 varints (gap - 1) or a bitmap
of all docs, whichever is smaller, then the whole shard is DEFLATEd (see bench/search/README.md for
the encodings measured).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import unicodedata
import zlib
from array import array
from collections import defaultdict, deque
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import sub
from pathlib import Path

FORMAT = 1
TEXT_CHUNK = 8  # articles per stored-text file
META_CHUNK = 64  # articles per metadata file
SHARD_TARGET = 12_000  # bytes of a shard before DEFLATE; a shard holds at least one key range
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
    units = ("\x00" + non_cjk.sub("\x00", view)).encode("utf-16-le")
    n = len(units)
    keys = set(array("I", units[: n - n % 4]))
    keys.update(array("I", units[2: n - (n - 2) % 4]))
    return keys, set(latin.findall(view))


# ---------------------------------------------------------------- encoding

def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _varints(values) -> bytes:
    out = bytearray()
    for n in values:
        while n >= 0x80:
            out.append((n & 0x7F) | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def encode_postings(ids: list[int], count: int) -> bytes:
    """Sorted doc ids (of `count` docs) -> varint(n << 1 | bitmap), then either the first id and
    each following gap - 1 as varints, or (when that is smaller: n * 8 >= count) a bitmap."""
    n = len(ids)
    if n > 1 and n * 8 >= count:
        digits = bytearray(b"0") * count
        deque(map(digits.__setitem__, ids, repeat(49)), 0)  # "1" at each id, then read as binary
        return varint(n << 1 | 1) + int(digits[::-1], 2).to_bytes((count + 7) // 8, "little")
    if not n:
        return b"\x00"
    rest = list(map(sub, ids[1:], map((1).__add__, ids[:-1])))
    head = varint(n << 1) + varint(ids[0])
    return head + (bytes(rest) if not rest or max(rest) < 0x80 else _varints(rest))


def decode_postings(data: bytes, pos: int, count: int) -> tuple[list[int], int]:
    """(doc ids, position after them)."""
    header, pos = read_varint(data, pos)
    n = header >> 1
    if header & 1:
        size = (count + 7) // 8
        bits = int.from_bytes(data[pos:pos + size], "little")
        return [i for i in range(count) if bits >> i & 1], pos + size
    ids, last = [], -1
    for k in range(n):
        gap, pos = read_varint(data, pos)
        last = gap if k == 0 else last + gap + 1
        ids.append(last)
    return ids, pos


def read_varint(data: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return packer.compress(data) + packer.flush()


def inflate(data: bytes) -> bytes:
    return zlib.decompress(data, -15)


# ---------------------------------------------------------------- the index

def _packed_json(data) -> bytes:
    return deflate(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def _shards(entries, target: int):
    """Cut (key, encoded bytes) pairs, in key order, into shards of about `target` bytes."""
    shard, size = [], 0
    for key, data in entries:
        if shard and size + len(data) > target:
            yield shard
            shard, size = [], 0
        shard.append((key, data))
        size += len(data)
    if shard:
        yield shard


def _rank(docs) -> list[Doc]:
    """Newest first; among the same day, in the order given."""
    return [d for _, _, d in sorted((-int(d.date.replace("-", "") or 0), n, d) for n, d in enumerate(docs))]


def index_files(docs, terms: Terms = Terms()) -> dict[str, bytes]:
    """The search index of `docs`: relative path under the site -> bytes. Pure and deterministic."""
    docs = _rank(docs)
    count = len(docs)
    files: dict[str, bytes] = {}
    postings: dict = defaultdict(list)
    titles: dict = defaultdict(list)
    words: dict = defaultdict(list)
    word_titles: dict = defaultdict(list)
    get, tget, wget, wtget = postings.__getitem__, titles.__getitem__, words.__getitem__, word_titles.__getitem__
    append = list.append
    texts = []
    for i, doc in enumerate(docs):
        title = clean(doc.title)
        fields = [title, *(c for c in map(clean, doc.text) if c)]
        body = "\n".join(fields)
        texts.append(body)
        keys, found = tokens(body)
        deque(map(append, map(get, keys), repeat(i)), 0)
        deque(map(append, map(wget, found), repeat(i)), 0)
        keys, found = tokens(title)
        deque(map(append, map(tget, keys), repeat(i)), 0)
        deque(map(append, map(wtget, found), repeat(i)), 0)

    # CJK shards: key codes in order; a key's entry holds its docs and its title docs
    boundaries, shard_files = [], []
    entries = ((code, encode_postings(postings[code], count) + encode_postings(titles.get(code, []), count))
               for code in sorted(k for k in postings if k >= 0x10000))
    for shard in _shards(entries, SHARD_TARGET):
        out, previous = bytearray(), shard[0][0]
        for code, data in shard:
            out += varint(code - previous)
            out += data
            previous = code
        boundaries.append(shard[0][0])
        shard_files.append(deflate(bytes(out)))
    word_bounds, word_files = [], []
    entries = ((w, encode_postings(words[w], count) + encode_postings(word_titles.get(w, []), count))
               for w in sorted(words))
    for shard in _shards(entries, SHARD_TARGET):
        out, previous = bytearray(), b""
        for word, data in shard:
            raw = word.encode("utf-8")
            common = 0
            while common < min(len(raw), len(previous)) and raw[common] == previous[common]:
                common += 1
            out += varint(common) + varint(len(raw) - common) + raw[common:] + data
            previous = raw
        word_bounds.append(shard[0][0])
        word_files.append(deflate(bytes(out)))

    for n, data in enumerate(shard_files):
        files[f"search/k/{n}.bin"] = data
    for n, data in enumerate(word_files):
        files[f"search/w/{n}.bin"] = data
    for n in range(0, count, TEXT_CHUNK):
        files[f"search/t/{n // TEXT_CHUNK}.bin"] = deflate("\x1e".join(texts[n:n + TEXT_CHUNK]).encode("utf-8"))

    topic_index = {slug: n for n, (slug, _) in enumerate(terms.topics)}
    region_index = {slug: n for n, (slug, _, _) in enumerate(terms.regions)}
    parents = {slug: parent for slug, _, parent in terms.regions}
    for n in range(0, count, META_CHUNK):
        files[f"search/m/{n // META_CHUNK}.bin"] = _packed_json([
            [d.url, clean(d.title), d.date, [topic_index[s] for s in d.topics if s in topic_index],
             [region_index[s] for s in d.regions if s in region_index]] for d in docs[n:n + META_CHUNK]])
    members: dict = defaultdict(set)
    for i, doc in enumerate(docs):
        for slug in doc.topics:
            if slug in topic_index:
                members["t", topic_index[slug]].add(i)
        for slug in doc.regions:
            while slug in region_index:
                members["r", region_index[slug]].add(i)
                slug = parents.get(slug, "")
    for (kind, n), ids in sorted(members.items()):
        files[f"search/f/{kind}{n}.bin"] = deflate(encode_postings(sorted(ids), count))

    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    meta = {
        "format": FORMAT, "id": digest.hexdigest()[:12], "count": count, "text_chunk": TEXT_CHUNK,
        "meta_chunk": META_CHUNK, "keys": _deltas(boundaries), "words": word_bounds,
        "topics": [[slug, name, len(members.get(("t", n), ()))] for n, (slug, name) in enumerate(terms.topics)],
        "regions": [[slug, name, region_index.get(parent, -1), len(members.get(("r", n), ()))]
                    for n, (slug, name, parent) in enumerate(terms.regions)],
    }
    files["search/meta.bin"] = _packed_json(meta)
    return files


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
