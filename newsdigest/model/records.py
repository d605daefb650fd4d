"""Page records: one per output page and per feed, made from the Site by the pages step (pages.py).

Each holds everything its page shows: its view is made from it alone (views.py), and its
fingerprint is a digest of it, field by field (fingerprint.py), so the two cannot drift apart.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import ClassVar, Literal

from .content import Article, Person, Photo, Scan, Term


@dataclass(frozen=True, slots=True)
class Figure:
    """A photo as a card or a body shows it."""

    photo: Photo
    alt: str


@dataclass(frozen=True, slots=True)
class Card:
    """What lists show of an article."""

    path: str
    slug: str
    title: str
    kicker: str
    subtitle: str
    date: _dt.date
    publication: str
    page: str  # the printed page's label as written (A5, 03), "" when none
    summary: str
    authors: tuple[Person, ...]
    topics: tuple[Term, ...]
    regions: tuple[Term, ...]
    photo: Figure | None  # its first photo


@dataclass(frozen=True, slots=True)
class Story:
    """An article whole: what its page and a full-text feed show of it."""

    card: Card
    article: Article
    photos: tuple[tuple[str, Photo], ...]  # its photos: (image as written, Photo)


@dataclass(frozen=True, slots=True)
class EditionLink:
    """What a link to a printed page shows: not its articles."""

    path: str
    date: _dt.date
    page: str  # its label as written, "" when none
    title: str  # 版名
    publication: str
    file: str  # the file's name without its date, shown for a page with no label (never a path)


@dataclass(frozen=True, slots=True)
class Area:
    """An article's area on its printed page's scan, in the scan's pixels: a link to it."""

    card: Card
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page of a listing stands. The listing's front page (number 0) shows its newest
    articles; its numbered pages hold them from the oldest, page/1/ the oldest, so that a new day
    changes only the front page and the newest numbered pages, and a page's URL keeps its articles."""

    number: int  # 0 for the front page; else counted from the oldest
    count: int  # the numbered pages, shown on the front page only (0 on the others, which it would change)
    newer: str  # path of the page of newer articles, "" on the front page
    older: str  # path of the page of older articles, "" on page 1 (and on a front page showing all)


@dataclass(frozen=True, slots=True)
class RegionNode:
    term: Term
    count: int
    children: tuple[RegionNode, ...]


PageKind = Literal[
    "home",
    "article",
    "edition",
    "day",
    "archive",
    "topics",
    "regions",
    "term",
    "people",
    "person",
    "search",
    "not_found",
]


@dataclass(frozen=True, slots=True)
class Page:
    """One output page: its path (relative to the site root; ends in "/" for an index.html) and
    the newest day it shows (the sitemap's lastmod). Its kind names its template."""

    path: str
    lastmod: _dt.date | None
    kind: ClassVar[PageKind]
    template: ClassVar[str]


@dataclass(frozen=True, slots=True)
class HomePage(Page):
    date: _dt.date | None  # the newest day
    front: EditionLink | None  # its front page (第1版, else its first page)
    leads: tuple[Card, ...]  # the front page's articles, in printed order
    pages: tuple[tuple[EditionLink, Card | None], ...]  # the day's other pages, each with its lead story
    recent: tuple[Card, ...]  # the newest articles not on the front page
    kind, template = "home", "home.html"


@dataclass(frozen=True, slots=True)
class ArticlePage(Page):
    story: Story
    edition: EditionLink  # the printed page it is on
    previous: Card | None  # on the same printed page
    next: Card | None
    related: tuple[Card, ...]
    continues: tuple[EditionLink, ...]  # the pages it goes on on (下转), in order
    kind, template = "article", "article.html"


@dataclass(frozen=True, slots=True)
class EditionPage(Page):
    edition: EditionLink
    cards: tuple[Card, ...]  # in printed order, with the stories of other pages going on here
    continued: tuple[Card, ...]  # those stories (上接): each card's page is where it starts
    day: tuple[EditionLink, ...]  # the day's printed pages, in order (版面目录)
    previous: EditionLink | None  # 上一版: the page before, or the previous issue's last page
    next: EditionLink | None  # 下一版: the page after, or the next issue's first page
    previous_day: _dt.date | None  # 上一期: the previous day with an issue
    next_day: _dt.date | None  # 下一期
    scan: Scan | None  # the page's scan, when the editor gave one
    areas: tuple[Area, ...]  # each mapped article's area on it
    kind, template = "edition", "edition.html"


@dataclass(frozen=True, slots=True)
class DayPage(Page):
    date: _dt.date
    editions: tuple[tuple[EditionLink, tuple[Card, ...]], ...]
    previous_day: _dt.date | None
    next_day: _dt.date | None
    kind, template = "day", "day.html"


@dataclass(frozen=True, slots=True)
class ArchivePage(Page):
    months: tuple[tuple[_dt.date, tuple[tuple[_dt.date, int], ...]], ...]  # newest first: its days, each with
    # how many printed pages it has
    kind, template = "archive", "archive.html"


@dataclass(frozen=True, slots=True)
class TopicsPage(Page):
    terms: tuple[tuple[Term, int], ...]  # each topic with articles, and how many
    kind, template = "topics", "topics.html"


@dataclass(frozen=True, slots=True)
class RegionsPage(Page):
    roots: tuple[RegionNode, ...]
    kind, template = "regions", "regions.html"


@dataclass(frozen=True, slots=True)
class TermPage(Page):
    term: Term
    count: int
    items: tuple[tuple[Card, str], ...]  # each with the sub-region it came through ("" when none)
    trail: tuple[str, ...]  # a region's ancestors' names and its own, from the root
    children: tuple[tuple[Term, int], ...]  # a region's sub-regions with articles (first page only)
    pager: Pager
    kind, template = "term", "term.html"


@dataclass(frozen=True, slots=True)
class PeoplePage(Page):
    groups: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...]  # role -> (name, slug, count), ordered
    kind, template = "people", "people.html"


@dataclass(frozen=True, slots=True)
class PersonPage(Page):
    slug: str
    name: str
    roles: tuple[str, ...]
    count: int
    items: tuple[tuple[Card, str], ...]  # each with the person's roles in it
    pager: Pager
    kind, template = "person", "person.html"


@dataclass(frozen=True, slots=True)
class SearchPage(Page):
    topics: tuple[Term, ...]
    regions: tuple[tuple[Term, int], ...]  # each with its depth in the tree
    kind, template = "search", "search.html"


@dataclass(frozen=True, slots=True)
class NotFoundPage(Page):
    kind, template = "not_found", "404.html"


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed file: the site's (Atom or JSON, with the articles' text when `stories`) or a lean
    Atom feed of a topic, a region or a person (summaries only)."""

    path: str
    title: str
    home: str  # the page it is the feed of
    entries: tuple[Card, ...]  # newest first
    stories: tuple[Story, ...]  # the same entries whole, for a feed that carries the text; else ()
    format: Literal["atom", "json"] = "atom"
    lean: bool = False
