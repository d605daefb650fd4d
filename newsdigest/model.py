"""The data model: plain, immutable records passed from one pipeline step to the next.

load  -> Source
split -> Draft (one per article, with Blocks that point back at source lines)
enrich -> Article (bylines, topics, regions, slug, url)
index -> Site (editions, days, listings, related articles, photos)
pages -> Page records, one per output page (and a Feed per feed): everything the page shows, the
         one thing both its view (views.py) and its fingerprint (fingerprint.py) are made from
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from .config import Config


# Characters no XML document may hold (XML 1.0 `Char`): invisible noise of text extraction or of a
# YAML escape, which would make the feeds and sitemaps unparseable. Readers drop them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def shown_path(path) -> str:
    """A path as messages show it: relative to the working folder when inside it (links not followed)."""
    relative = os.path.relpath(os.path.abspath(path))
    return Path(path if relative.startswith("..") else relative).as_posix()


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in the input: an error stops the build, a warning does not."""

    path: str
    line: int
    message: str
    hint: str = ""
    level: str = "error"  # "error" | "warning"

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.level}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


FROM_SOURCE = {"from_source": True}  # a field read from a source file's bytes: Source.digest stands for it


@dataclass(frozen=True)
class Source:
    """One content file: a printed newspaper page (a digest)."""

    path: str  # as shown in messages, relative to the content folder's parent
    date: _dt.date
    publication: str
    page: str  # 版次, e.g. "A5"; "" when not given
    title: str  # 版名, e.g. "经济"; "" when not given
    lines: tuple[str, ...] = field(metadata=FROM_SOURCE)  # the whole file, a line an entry (none once split)
    body_start: int  # index into lines of the first body line (after front matter)
    draft: bool = False
    rel: str = ""  # path under the content folder, e.g. 2025/03/2025-03-18-a5.md
    images: str = ""  # the folder of its photos, relative to its own folder ("" = beside it)
    form: str = ""  # the paragraph form the front matter forces ("blank" or "line"; "" = read from the text)
    digest: str = ""  # of the file's bytes: all of the above but `path` and `rel` are read from them


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # 记者, 见习记者, 通讯员, 文/摄, 摄影 ...
    slug: str = ""  # the person's page, /people/<slug>/; set by enrich


@dataclass(frozen=True)
class Byline:
    """What a byline, a dateline or a photo credit says: who, for which agency, from where and when.

    agency: the news agency the story comes from (本报 is the paper itself; 新华社, 中新社 …), never a
    person. end: for a dateline, where the story's own text starts in its paragraph."""

    people: tuple[Person, ...] = ()
    agency: str = ""
    place: str = ""
    date: str = ""  # as printed: 3月5日, 18日
    end: int = 0


@dataclass(frozen=True)
class Block:
    """A piece of an article's text, with the source lines (1-based) it came from.

    kind: "title", "kicker" (引题, the line above a headline), "subtitle" (副题, the line below it),
    "byline" (on its own line under the headline), "para", "line" (a short unpunctuated line kept
    on its own: a cross-head), "signoff" (a byline in brackets closing the story), "caption" (a
    figure: a caption, an optional credit, an optional photo).
    """

    kind: str
    text: str
    lines: tuple[int, ...]
    credit: str = ""
    credit_lines: tuple[int, ...] = ()
    image: str = ""  # a caption's photo, as written in the source: `![alt](photo.jpg)`
    alt: str = ""


@dataclass(frozen=True)
class Draft:
    """An article as the splitter found it, before enrichment."""

    title: Block
    blocks: tuple[Block, ...]  # byline, body paragraphs, lines, captions and signoff, in order
    overrides: tuple[tuple[str, tuple[str, ...]], ...] = ()  # from `{topics=… regions=…}`
    kicker: Block | None = None
    subtitle: Block | None = None
    form: str = "blank"  # how its text was read: "blank" (blank lines between paragraphs) or "line" (one a line)


TermKind = Literal["topic", "region", "person"]


@dataclass(frozen=True)
class Term:
    """A topic or a region. Regions form a tree through `parent`."""

    kind: TermKind
    name: str
    slug: str
    keywords: tuple[str, ...] = ()  # topic keywords, region aliases, or a person's other spellings
    parent: str = ""  # the parent region's slug
    match: bool = True  # regions: found in text automatically
    roles: tuple[str, ...] = ()  # people: the entry applies to bylines with these roles only (all when empty)


@dataclass(frozen=True)
class Article:
    source: Source
    index: int  # position on the printed page, from 0
    title: str = field(metadata=FROM_SOURCE)
    blocks: tuple[Block, ...] = field(metadata=FROM_SOURCE)
    authors: tuple[Person, ...]
    contributors: tuple[Person, ...]  # everyone named: authors and photo credits
    topics: tuple[str, ...]  # slugs
    regions: tuple[str, ...]  # slugs of the most specific regions
    slug: str
    line: int = field(metadata=FROM_SOURCE)  # line of the headline
    kicker: str = field(default="", metadata=FROM_SOURCE)  # 引题
    subtitle: str = field(default="", metadata=FROM_SOURCE)  # 副题
    form: str = field(default="blank", metadata=FROM_SOURCE)  # the paragraph form its text was read in
    dateline: Byline | None = field(default=None, metadata=FROM_SOURCE)  # opening its first paragraph
    agency: str = field(default="", metadata=FROM_SOURCE)  # 新华社 …, from its dateline, byline or credits
    summary: str = field(default="", metadata=FROM_SOURCE)  # its first sentences (text.summary)

    @property
    def date(self) -> _dt.date:
        return self.source.date

    @cached_property
    def path(self) -> str:
        """Output path of the article page, relative to the site root, ending in '/'."""
        return f"{self.date:%Y/%m/%d}/{self.slug}/"


def timestamp(day: _dt.date) -> str:
    """A day's start in China (UTC+8), as feeds, sitemaps and structured data date an article."""
    return f"{day.isoformat()}T00:00:00+08:00"


@dataclass(frozen=True)
class Edition:
    """One printed page of one day: the articles of one source, in printed order."""

    source: Source
    slug: str
    articles: tuple[Article, ...]

    @property
    def path(self) -> str:
        return f"{self.source.date:%Y/%m/%d}/{self.slug}/"


@dataclass(frozen=True)
class Version:
    """One published size of a photo."""

    width: int
    height: int
    webp: str  # output path, e.g. media/0123abcd4567ef89-960.webp
    fallback: str  # the same in the original's kind: .jpg or .png


@dataclass(frozen=True)
class Photo:
    digest: str
    width: int  # of the largest version
    height: int
    versions: tuple[Version, ...]  # narrowest first

    @property
    def largest(self) -> Version:
        return self.versions[-1]


# ---------------------------------------------------------------- the site's structure (index)


@dataclass(frozen=True)
class Listing:
    """A term's articles, newest first. For regions, `via` names the sub-region each came from."""

    slug: str
    articles: tuple[Article, ...]
    via: dict  # article path -> sub-region slug ('' when the article is filed under the term itself)


@dataclass(frozen=True)
class PersonListing:
    """Everything one person signed or shot, newest first, and the roles they were named with."""

    slug: str
    name: str
    roles: tuple[str, ...]  # most frequent first
    articles: tuple[Article, ...]
    role_of: dict  # article path -> role(s) in that article, e.g. "记者" or "文/摄"


@dataclass(frozen=True)
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


# ---------------------------------------------------------------- page records (pages.py)
# Each holds everything its page shows: its view is made from it alone, and its fingerprint is
# a digest of it, field by field (fingerprint.py), so the two cannot drift apart.


@dataclass(frozen=True)
class Figure:
    """A photo as a card or a body shows it."""

    photo: Photo
    alt: str


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Story:
    """An article whole: what its page and a full-text feed show of it."""

    card: Card
    article: Article
    photos: tuple[tuple[str, Photo], ...]  # its photos: (image as written, Photo)


@dataclass(frozen=True)
class EditionLink:
    """What a link to a printed page shows: not its articles."""

    path: str
    date: _dt.date
    page: str  # its label as written, "" when none
    title: str  # 版名
    publication: str
    file: str  # Source.path, the label of a page that has none


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    previous: str  # path, "" on the first page
    next: str  # path, "" on the last page


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Page:
    """One output page: its path (relative to the site root; ends in "/" for an index.html) and
    the newest day it shows (the sitemap's lastmod). Its kind names its template."""

    path: str
    lastmod: _dt.date | None
    kind: ClassVar[PageKind]
    template: ClassVar[str]


@dataclass(frozen=True)
class HomePage(Page):
    date: _dt.date | None  # the newest day
    leads: tuple[Card, ...]  # its first pages' lead stories
    recent: tuple[Card, ...]
    kind, template = "home", "home.html"


@dataclass(frozen=True)
class ArticlePage(Page):
    story: Story
    edition: EditionLink  # the printed page it is on
    previous: Card | None  # on the same printed page
    next: Card | None
    related: tuple[Card, ...]
    kind, template = "article", "article.html"


@dataclass(frozen=True)
class EditionPage(Page):
    edition: EditionLink
    cards: tuple[Card, ...]  # in printed order
    kind, template = "edition", "edition.html"


@dataclass(frozen=True)
class DayPage(Page):
    date: _dt.date
    editions: tuple[tuple[EditionLink, tuple[Card, ...]], ...]
    kind, template = "day", "day.html"


@dataclass(frozen=True)
class ArchivePage(Page):
    months: tuple[tuple[_dt.date, tuple[tuple[_dt.date, tuple[EditionLink, ...]], ...]], ...]  # newest first
    kind, template = "archive", "archive.html"


@dataclass(frozen=True)
class TopicsPage(Page):
    terms: tuple[tuple[Term, int], ...]  # each topic with articles, and how many
    kind, template = "topics", "topics.html"


@dataclass(frozen=True)
class RegionsPage(Page):
    roots: tuple[RegionNode, ...]
    kind, template = "regions", "regions.html"


@dataclass(frozen=True)
class TermPage(Page):
    term: Term
    count: int
    items: tuple[tuple[Card, str], ...]  # each with the sub-region it came through ("" when none)
    trail: tuple[str, ...]  # a region's ancestors' names and its own, from the root
    children: tuple[tuple[Term, int], ...]  # a region's sub-regions with articles (first page only)
    pager: Pager
    kind, template = "term", "term.html"


@dataclass(frozen=True)
class PeoplePage(Page):
    groups: tuple[tuple[str, tuple[tuple[str, str, int], ...]], ...]  # role -> (name, slug, count), ordered
    kind, template = "people", "people.html"


@dataclass(frozen=True)
class PersonPage(Page):
    slug: str
    name: str
    roles: tuple[str, ...]
    count: int
    items: tuple[tuple[Card, str], ...]  # each with the person's roles in it
    pager: Pager
    kind, template = "person", "person.html"


@dataclass(frozen=True)
class SearchPage(Page):
    topics: tuple[Term, ...]
    regions: tuple[tuple[Term, int], ...]  # each with its depth in the tree
    kind, template = "search", "search.html"


@dataclass(frozen=True)
class NotFoundPage(Page):
    kind, template = "not_found", "404.html"


@dataclass(frozen=True)
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
