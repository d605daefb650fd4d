"""Readable ASCII slugs for Chinese titles: pinyin, two characters to a word (产业丛林 -> chanye-conglin)."""
from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

RUN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
MAX_HANZI = 8
MAX_WORDS = 6
MAX_LENGTH = 60
# Names Windows will not create as files or folders, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def _pairs(syllables: list[str]) -> list[str]:
    """Two syllables a word; an odd one out joins the last word (亚克西 -> yakexi)."""
    words = ["".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2)]
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
            syllables = [s for s in lazy_pinyin(run, style=Style.NORMAL) if s.isascii() and s.isalnum()]
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
