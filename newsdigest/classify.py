"""Topics and regions of an article, from its title and text, by the configured keywords and gazetteer."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import Term

TITLE_WEIGHT = 3


@dataclass(frozen=True)
class Matcher:
    """One compiled pattern over every word of a taxonomy, longest first (宁波市 before 宁波)."""

    pattern: re.Pattern | None
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
        words = sorted(owner, key=lambda w: (-len(w), w))
        return cls(re.compile("|".join(map(re.escape, words))), owner)

    def scores(self, title: str, text: str) -> Counter:
        score: Counter = Counter()
        if self.pattern is None:
            return score
        for match in self.pattern.finditer(title):
            score[self.owner[match.group(0)]] += TITLE_WEIGHT
        for match in self.pattern.finditer(text):
            score[self.owner[match.group(0)]] += 1
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
