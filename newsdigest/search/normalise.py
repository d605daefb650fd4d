"""Text as search matches it: folding, the three classes of characters, the stored form of a doc's
text, and its tokens (CJK bigram keys and Latin words). Pure Python: no numpy.

Normalisation (the same in search/search.js): text is stored NFC; for matching, each code point is
replaced by its NFKC form, lower-cased (so full-width Ａ１，and half-width A1, match, and Latin is
case-insensitive). Characters then fall in three classes: CJK (letters and digits in the CJK
blocks: Han, kana, Hangul, ...), Latin (every other letter or digit) and separators (the rest).

Keys: within every run of CJK characters, each pair of adjacent UTF-16 code units is a bigram
(a, b), keyed a + b * 65536, and the pair (START, c) with START = 0 marks a run beginning with c.
The docs holding the character c are then exactly the union of the keys (x, c) for x in START and
CJK, which sit next to each other in key order: a one-character query reads one key range. Runs of
Latin characters are words, keyed by the word itself.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache

START = 0  # the code unit standing for "the beginning of a CJK run"

# CJK blocks (code point ranges). In the BMP only letters and digits count; astral ranges count whole.
CJK_BMP = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3031, 0x3035),
    (0x3038, 0x303C),
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x3130, 0x318F),
    (0x31A0, 0x31BF),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA000, 0xA4CF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
)
CJK_ASTRAL = ((0x1B000, 0x1B16F), (0x20000, 0x323AF))


def _ranges(codes) -> str:
    """A regex character class body for sorted code points."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    last = 0
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
    return "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in out)


def _escape(cp: int) -> str:
    return f"\\U{cp:08x}"


@lru_cache(maxsize=None)
def _classes():
    """(non-CJK, Latin, risky) patterns: runs of anything but CJK, runs of Latin letters and digits,
    and a character that fold() changes differently from str.lower()."""
    cjk = [cp for lo, hi in CJK_BMP for cp in range(lo, hi + 1) if chr(cp).isalnum()]
    cjk_class = _ranges(cjk) + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in CJK_ASTRAL)
    risky = [0x03A3]  # capital sigma: str.lower() would look at its neighbours
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        if unicodedata.is_normalized("NFKC", c):
            continue
        n = unicodedata.normalize("NFKC", c)
        if n != c and (c.isalnum() or any(x.isalnum() for x in n)):
            risky.append(cp)
    return (
        re.compile(f"[^{cjk_class}]+"),
        re.compile(f"[^\\W_{cjk_class}]+"),
        re.compile(f"[{_ranges(sorted(risky))}\\U00010000-\\U0010ffff]"),
    )


class _Fold(dict):
    def __missing__(self, cp):
        value = self[cp] = unicodedata.normalize("NFKC", chr(cp)).lower()
        return value


_FOLD = _Fold()
_SPACE = re.compile(r"\s+")
_RUN_END = re.compile("[^\x00](?=\x00)")


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


def stored(title: str, fields) -> tuple[str, str]:
    """(the title cleaned, the text stored for a doc): the title, then each non-empty cleaned field,
    one a line. All fields are cleaned at once, between U+0000 marks (which NFC never joins to a
    neighbour), unless one holds a U+0000 of its own."""
    joined = "\x00".join((title, *fields))
    if joined.count("\x00") != len(fields):
        lines = [clean(title), *map(clean, fields)]
    else:
        whole = _SPACE.sub(" ", unicodedata.normalize("NFC", joined).replace("\x1e", " ")).strip()
        lines = whole.replace(" \x00", "\x00").replace("\x00 ", "\x00").split("\x00")
    return lines[0], "\n".join([lines[0], *filter(None, lines[1:])])


def tokens(text: str) -> tuple[set, set]:
    """(bigram key codes, Latin words) of an already cleaned text."""
    non_cjk, latin, _ = _classes()
    view = _view(text)
    cjk = "\x00" + non_cjk.sub("\x00", view)
    units = cjk.encode("utf-16-le")
    n = len(units)
    keys = set(array("I", units[: n - n % 4]))
    keys.update(array("I", units[2 : n - (n - 2) % 4]))
    # (c, END) pairs, the codes below 0x10000, are not needed: drop them here, before they cost more
    keys.difference_update(array("H", "".join(_RUN_END.findall(cjk)).encode("utf-16-le")))
    return keys, set(latin.findall(view))
