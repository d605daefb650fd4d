"""Readable ASCII slugs for Chinese titles: pinyin, two characters to a word (产业丛林 -> chanye-conglin)."""

from __future__ import annotations

import functools
import re
from types import MappingProxyType

RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
MAX_HANZI = 8
MAX_WORDS = 6
MAX_LENGTH = 60
# Names Windows will not create as files or folders, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


@functools.cache
def _converter():
    """pypinyin's own converter, but Style.NORMAL (no tones) by a table made once from pypinyin's
    own conversion of every reading in its dictionary, not by regular expressions per syllable:
    the same syllables, in half the time. A reading not in the table goes the usual way.

    Made on first use: importing pypinyin's dictionaries takes half a second, which a build with
    nothing to do (or one that finds every slug in its cache) should not pay."""
    from pypinyin import Style
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin

    class Toneless(DefaultConverter):
        TABLE = MappingProxyType(
            {
                reading: DefaultConverter().convert_style("", reading, Style.NORMAL, True)
                for reading in {r for rs in PINYIN_DICT.values() for r in rs.split(",")}
            }
        )

        def convert_style(self, han, orig_pinyin, style, strict, **kwargs):
            if style == Style.NORMAL and orig_pinyin in self.TABLE:
                return self.TABLE[orig_pinyin]
            return super().convert_style(han, orig_pinyin, style, strict, **kwargs)

    return Pinyin(Toneless()), Style.NORMAL  # stateless: the same as pypinyin.lazy_pinyin's defaults


def pinyin(text: str) -> list[str]:
    """pypinyin.lazy_pinyin(text, style=Style.NORMAL), faster: '宁波' -> ['ning', 'bo']."""
    converter, normal = _converter()
    return converter.lazy_pinyin(text, style=normal)


def _pairs(syllables: list[str]) -> list[str]:
    """Two syllables a word; an odd one out joins the last word (亚克西 -> yakexi)."""
    words = ["".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)]
    if len(syllables) % 2 and len(words) > 1:
        words[-2:] = [words[-2] + words[-1]]
    return words


def slugify(text: str, fallback: str = "article") -> str:
    """'产业丛林集群攀高 宁波如何 孵出更多“独角兽”' -> 'chanye-conglin-jiqun-pangao'."""
    words: list[str] = []
    hanzi = 0
    for run in RUN_RE.findall(text):
        if run.isascii():
            words.append(run.lower())
        else:
            run = run[: MAX_HANZI - hanzi]
            hanzi += len(run)
            syllables = [s for s in pinyin(run) if s.isascii() and s.isalnum()]
            words += _pairs(syllables)
        if hanzi >= MAX_HANZI or len(words) >= MAX_WORDS:
            break
    slug = "-".join(words[:MAX_WORDS]).lower()
    return safe(re.sub(r"[^a-z0-9-]+", "", slug)[:MAX_LENGTH].strip("-") or fallback)


def safe(slug: str) -> str:
    """A slug that is a valid file name everywhere: not a reserved device name."""
    return f"{slug}-1" if slug in RESERVED else slug


def unique(slug: str, taken: set[str]) -> str:
    """slug, or slug-2, slug-3 ... the first not taken; adds it to `taken`."""
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate
