"""People: every name in a byline or photo credit, with a page of their own.

Names are normalised when read (byline.py: layout spaces, full-width forms). The people file
(`people` in site.yaml) joins spellings (`aliases`) and tells apart two people of one name
(`roles`: the entry applies only to bylines with those roles).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .byline import COMPOUND_SURNAMES
from .model import Person, Term
from .slug import pinyin, safe, unique


def name_slug(name: str) -> str:
    """金宇涵 -> jin-yuhan; 欧阳修 -> ouyang-xiu: surname, then given name."""
    cut = 2 if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else 1
    parts = ["".join(pinyin(part)) for part in (name[:cut], name[cut:]) if part]
    slug = "-".join("".join(c for c in p.lower() if c.isascii() and c.isalnum()) for p in parts).strip("-")
    return safe(slug or "person")


def _entry(person: Person, entries: dict[str, list[Term]]) -> Term | None:
    """The people-file entry for this name and role: one listing the role, else one with no roles."""
    candidates = entries.get(person.name, [])
    return next((e for e in candidates if person.role in e.roles), None) or next(
        (e for e in candidates if not e.roles), None
    )


def resolver(named: set[Person], configured: tuple[Term, ...], memo: dict | None = None) -> Callable[[Person], Person]:
    """For the people named in the articles, a function giving each its page slug (and its canonical
    name). `memo` keeps name_slug()'s results between builds (pinyin is costly, names recur)."""
    memo = {} if memo is None else memo
    entries: dict[str, list[Term]] = {}
    for term in configured:
        for word in (term.name, *term.keywords):
            entries.setdefault(word, []).append(term)
    taken = {term.slug for term in configured}
    slugs: dict[str, str] = {}  # a name without an entry -> its slug
    names = sorted({p.name for p in named if _entry(p, entries) is None})
    for name in names:
        if ("name", name) not in memo:
            memo["name", name] = name_slug(name)
        slugs[name] = unique(memo["name", name], taken)

    resolved: dict[Person, Person] = {}  # the same name and role are resolved once

    def one(person: Person) -> Person:
        found = resolved.get(person)  # one lookup: hashing a Person hashes all its fields
        if found is None:
            entry = _entry(person, entries)
            found = resolved[person] = (
                replace(person, name=entry.name, slug=entry.slug) if entry else replace(person, slug=slugs[person.name])
            )
        return found

    return one
