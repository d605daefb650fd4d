"""Step 5b, search: the site's articles -> a static full-text search index under search/.

`index_files(docs, terms)` is a pure function: the same documents give the same bytes
(`write_index` gives the same files to a callback one by one, as they are made). It writes

    search/meta.bin        the manifest: counts, the shard boundaries, the topics and regions
    search/k/<key>.bin     CJK shards: character bigrams -> posting lists (all text, and titles),
                           named by their first key in base 36
    search/w/<name>.bin    word shards: Latin words and numbers -> posting lists, named by a digest
                           of their first word
    search/nk/, search/nw/ the same, of the newest docs alone (ids from build.bound(count) on: the docs
                           past the last multiple of NEWEST_DOCS), cut NEWEST_FINER times finer
    search/t/<n>.bin       stored text of TEXT_CHUNK articles (for verifying and excerpts)
    search/m/<n>.bin       metadata of META_CHUNK articles: URL, date, topics, regions (titles: in t/)
    search/f/<t|r><n>.bin  the articles of one topic or region (regions rolled up)

Every file is raw DEFLATE (the browser inflates it with DecompressionStream("deflate-raw")).

A query (search.js) is split at white space into terms, all required. A key's list is its list in
k/ (or w/) followed by its list in nk/ (nw/). A term's candidates are the
intersection of its keys' lists (a one-character term: the union of its key range); a term of one
CJK character, of two, or one Latin word is exact, any other is checked against the stored text,
where a Latin letter or digit at either end of the term must not touch another one.

The modules, by concern:

    doc.py        Doc and Terms: what search is given
    normalise.py  folding, the classes of characters, stored text, tokens (bigram keys and words)
    codec.py      the encodings: varints, posting lists, stored text, DEFLATE; the decode_* readers
    segments.py   bigram pairs of a segment of text at a time, waiting in temporary files
    build.py      the index's making: write_index and its writers, and the sizes they use
    outbox.py     each file handed on as made, DEFLATEd in threads (only the changed ones, in an update)
    update.py     the index changed in place: update_index writes only the files a change changes
    splice.py     posting lists changed as columns, decoding only the lists a change names
    filters.py    the topic and region filters, made whole or changed in place
    files.py      the site's articles as Docs in id order, and the files under search/

This package re-exports the names other code uses. It loads numpy (codec.py, segments.py and
build.py need it): import it where an index is made, not at the top of a module. The sizes read
while building (SEGMENT_UNITS, SEGMENT_DOCS, CODE_RANGE, ...) are build.py's: set them there.
"""

from __future__ import annotations

from .build import FORMAT, META_CHUNK, SHARD_TARGET, TEXT_CHUNK, Built, index_files, write_index

# private names too, that tests/test_search.py and bench/search/run.py read
from .build import _cuts as _cuts
from .build import _hashes as _hashes
from .build import _rank as _rank
from .codec import (
    GB_UNSAFE,
    Lists,
    decode_lists,
    decode_section,
    decode_text,
    decode_words,
    deflate,
    encode_section,
    encode_text,
    encode_words,
    inflate,
    read_varint,
    split_bytes,
    unsplit_bytes,
    varint,
    width_of,
)
from .doc import Doc, Terms
from .files import META, Kept, in_id_order, search_files, terms_of
from .normalise import CJK_ASTRAL, CJK_BMP, START, clean, fold, stored, tokens
from .outbox import _Outbox as _Outbox
from .segments import _segment as _segment
from .update import update_index

__all__ = [
    "CJK_ASTRAL",
    "CJK_BMP",
    "FORMAT",
    "GB_UNSAFE",
    "META",
    "META_CHUNK",
    "Built",
    "Kept",
    "in_id_order",
    "update_index",
    "SHARD_TARGET",
    "START",
    "TEXT_CHUNK",
    "Doc",
    "Lists",
    "Terms",
    "clean",
    "decode_lists",
    "decode_section",
    "decode_text",
    "decode_words",
    "deflate",
    "encode_section",
    "encode_text",
    "encode_words",
    "fold",
    "index_files",
    "inflate",
    "read_varint",
    "search_files",
    "split_bytes",
    "stored",
    "terms_of",
    "tokens",
    "unsplit_bytes",
    "varint",
    "width_of",
    "write_index",
]
