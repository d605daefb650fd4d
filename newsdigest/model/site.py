"""The site's structure, as the index step makes it from the articles (index.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .content import Article, Edition

if TYPE_CHECKING:
    from ..config import Config


@dataclass(frozen=True, slots=True)
class Listing:
    """A term's articles, newest first. For regions, `via` names the sub-region each came from."""

    slug: str
    articles: tuple[Article, ...]
    via: dict  # article path -> sub-region slug ('' when the article is filed under the term itself)


@dataclass(frozen=True, slots=True)
class PersonListing:
    """Everything one person signed or shot, newest first, and the roles they were named with."""

    slug: str
    name: str
    roles: tuple[str, ...]  # most frequent first
    articles: tuple[Article, ...]
    role_of: dict  # article path -> role(s) in that article, e.g. "记者" or "文/摄"


@dataclass(frozen=True, slots=True)
class Site:
    config: Config
    articles: tuple[Article, ...]  # in date, page and printed order
    editions: tuple[Edition, ...]  # in date and page order
    days: dict  # date -> tuple of Editions
    topics: dict  # slug -> Listing
    regions: dict  # slug -> Listing (rolled up)
    region_children: dict  # slug -> child slugs that have articles, in config order
    related: dict  # article path -> tuple of Articles
    neighbours: dict  # article path -> (previous, next) on the same printed page
    people: dict  # person slug -> PersonListing, by slug
    photos: dict  # (Source.path, image as written) -> Photo
    scans: dict  # Source.path -> Scan, for the printed pages that have one
    areas: dict  # Source.path -> ((article path, (x, y, width, height)), ...) on its scan
