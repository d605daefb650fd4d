"""The data model: plain, immutable records passed from one pipeline step to the next.

load  -> Source
split -> Draft (one per article, with Blocks that point back at source lines)
enrich -> Article (bylines, topics, regions, slug, url)
index -> Site (editions, days, taxonomy terms, pages to render)
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path


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


@dataclass(frozen=True)
class Source:
    """One content file: a printed newspaper page (a digest)."""

    path: str  # as shown in messages, relative to the content folder's parent
    date: _dt.date
    publication: str
    page: str  # 版次, e.g. "A5"; "" when not given
    title: str  # 版名, e.g. "经济"; "" when not given
    lines: tuple[str, ...]  # the whole file, one entry per line, without line ends
    body_start: int  # index into lines of the first body line (after front matter)
    draft: bool = False
    rel: str = ""  # path under the content folder, e.g. 2025/03/2025-03-18-a5.md
    images: str = ""  # the folder of its photos, relative to its own folder ("" = beside it)
    form: str = ""  # the paragraph form the front matter forces ("blank" or "line"; "" = read from the text)


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


@dataclass(frozen=True)
class Term:
    """A topic or a region. Regions form a tree through `parent`."""

    kind: str  # "topic" | "region" | "person"
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
    title: str
    blocks: tuple[Block, ...]
    authors: tuple[Person, ...]
    contributors: tuple[Person, ...]  # everyone named: authors and photo credits
    topics: tuple[str, ...]  # slugs
    regions: tuple[str, ...]  # slugs of the most specific regions
    slug: str
    line: int  # line of the headline
    kicker: str = ""  # 引题
    subtitle: str = ""  # 副题
    form: str = "blank"  # the paragraph form its text was read in (split.FORMS)
    dateline: Byline | None = None  # the dateline opening its first paragraph
    agency: str = ""  # the agency it comes from (新华社 …), from its dateline, byline or credits

    @property
    def date(self) -> _dt.date:
        return self.source.date

    @cached_property
    def path(self) -> str:
        """Output path of the article page, relative to the site root, ending in '/'."""
        return f"{self.date:%Y/%m/%d}/{self.slug}/"


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
class Page:
    """One output file to render: a template and the data it presents."""

    path: str  # relative to the site root; ends in "/" for an index.html
    template: str
    data: dict = field(default_factory=dict, hash=False, compare=False)
    lastmod: _dt.date | None = None  # the newest article it shows, for the sitemap
