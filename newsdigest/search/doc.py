"""What search is given: `Doc`, one article as search sees it, and `Terms`, the site's taxonomy
(the names and the region tree the filters show)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    """One article as search sees it."""

    url: str  # site-relative path, e.g. "2025/03/18/slug/"
    title: str
    date: str  # YYYY-MM-DD
    topics: tuple[str, ...] = ()  # slugs
    regions: tuple[str, ...] = ()  # slugs (the most specific; filters roll them up)
    text: tuple[str, ...] = ()  # what a reader sees besides the title: byline names, paragraphs, captions, credits
    page: str = ""  # the printed page's label as written (A5, 03), shown with the hit; "" when none


@dataclass(frozen=True)
class Terms:
    """The taxonomy, for filters and names: (slug, name) topics and (slug, name, parent slug) regions."""

    topics: tuple[tuple[str, str], ...] = ()
    regions: tuple[tuple[str, str, str], ...] = ()
