"""Topics and regions of an article, from its title and text, by the configured keywords and gazetteer."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import Term

TITLE_WEIGHT = 3


class Scanner:
    """Finds words in text: at each position the longest word there, leftmost first, as a regex
    alternation of them longest first would, but by looking up the few lengths of words starting
    with each character in a set. With the default gazetteer's ~6,000 names and aliases a regex tries
    them one by one at every character (20 times slower than with the sample's 300): this scans a
    3,800-character page in ~1 ms, and is built in ~10 ms (tests/test_regions_default.py)."""

    def __init__(self, words):
        self.words = frozenset(words)
        lengths: dict[str, set[int]] = {}
        for word in self.words:
            lengths.setdefault(word[0], set()).add(len(word))
        self.lengths = {char: tuple(sorted(found, reverse=True)) for char, found in lengths.items()}

    def findall(self, text: str) -> list[str]:
        found: list[str] = []
        lengths, words = self.lengths, self.words
        i, end = 0, len(text)
        while i < end:
            for length in lengths.get(text[i], ()):
                word = text[i : i + length]
                if word in words:
                    found.append(word)
                    i += length
                    break
            else:
                i += 1
        return found

    def search(self, text: str) -> str | None:
        """The first word found in text, or None."""
        lengths, words = self.lengths, self.words
        for i, char in enumerate(text):
            for length in lengths.get(char, ()):
                if text[i : i + length] in words:
                    return text[i : i + length]
        return None


@dataclass(frozen=True)
class Matcher:
    """Every word of a taxonomy, found longest first at each position (宁波市 before 宁波)."""

    pattern: Scanner | None
    owner: dict  # word -> term slug

    @classmethod
    def build(cls, terms: tuple[Term, ...], include_name: bool) -> "Matcher":
        owner: dict[str, str] = {}
        for term in terms:
            if not term.match:
                continue
            for word in ((term.name,) if include_name else ()) + term.keywords:
                owner.setdefault(word, term.slug)
        if not owner:
            return cls(None, {})
        return cls(Scanner(owner), owner)

    def scores(self, title: str, text: str) -> Counter:
        score: Counter = Counter()
        if self.pattern is None:
            return score
        for word in self.pattern.findall(title):
            score[self.owner[word]] += TITLE_WEIGHT
        for word in self.pattern.findall(text):
            score[self.owner[word]] += 1
        return score


def topics(matcher: Matcher, title: str, text: str) -> tuple[str, ...]:
    """The topics the article uses the most words of: at least a third of the best one's score."""
    score = matcher.scores(title, text)
    if not score:
        return ()
    best = max(score.values())
    chosen = [slug for slug, s in score.items() if s == best or (s >= 3 and s * 3 >= best)]
    return tuple(sorted(chosen, key=lambda slug: (-score[slug], slug)))


def regions(matcher: Matcher, parents: dict[str, str], title: str, text: str) -> tuple[str, ...]:
    """The places a story is about, most specific only (the tree adds their ancestors).

    A place named in the title is chosen; one named in the text only if named at least twice
    and at least a fifth as often as the most named place (a list of cities in passing is not).
    """
    score = matcher.scores(title, text)
    if not score:
        return ()
    best = max(score.values())
    chosen = {slug for slug, s in score.items() if s >= TITLE_WEIGHT or (s >= 2 and s * 5 >= best)}
    implied = set()
    for slug in chosen:
        parent = parents.get(slug, "")
        while parent:
            implied.add(parent)
            parent = parents.get(parent, "")
    return tuple(sorted(chosen - implied, key=lambda slug: (-score[slug], slug)))
