"""The content's model: what a page file is (Source), what the splitter finds in it (Draft, Block),
what enrich makes of it (Article, with its Person, Byline and Term), and the photos it shows."""

from __future__ import annotations

import datetime as _dt
import os
import pickle
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Literal, overload

# Characters no XML document may hold (XML 1.0 `Char`): invisible noise of text extraction or of a
# YAML escape, which would make the feeds and sitemaps unparseable. Readers drop them.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def shown_path(path) -> str:
    """A path as messages show it: relative to the working folder when inside it (links not followed)."""
    relative = os.path.relpath(os.path.abspath(path))
    return Path(path if relative.startswith("..") else relative).as_posix()


@dataclass(frozen=True, slots=True)
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


class InputError(Exception):
    """Problems in the input that stop a step, each a Diagnostic with its file and line (the first
    is `diagnostic`): what the command line reports, never as a traceback."""

    def __init__(self, diagnostics: Diagnostic | list[Diagnostic]):
        self.diagnostics = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @property
    def diagnostic(self) -> Diagnostic:
        return self.diagnostics[0]


FROM_SOURCE = {"from_source": True}  # a field read from a source file's bytes: Source.digest stands for it
# how messages name a file: from the working folder (shown_path), so no page may show it; `rel` names it
MESSAGES_ONLY = {"messages_only": True}


@dataclass(frozen=True, slots=True)
class Source:
    """One content file: a printed newspaper page (a digest)."""

    path: str = field(metadata=MESSAGES_ONLY)  # as messages show it (shown_path): not read by fingerprints
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
    scan: str = ""  # the printed page's scan (an image or a PDF beside it) as written; "" when none
    scan_line: int = 0  # the line of `scan:`, for messages
    areas: tuple[AreaMark, ...] = ()  # each article's area on the scan, as the front matter gives it
    digest: str = ""  # of the file's bytes: all of the above but `path` and `rel` are read from them


@dataclass(frozen=True, slots=True)
class AreaMark:
    """An article's area on its page's scan, as written in front matter `areas:`: the article by its
    number in printed order (1, 2 …) or by its headline's words, and a box in the scan's pixels."""

    article: str  # "1", "2" … or (part of) a headline
    box: tuple[int, int, int, int]  # x, y, width, height
    line: int  # of the front matter line, for messages


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str  # 记者, 见习记者, 通讯员, 文/摄, 摄影 ...
    slug: str = ""  # the person's page, /people/<slug>/; set by enrich


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline, a dateline or a photo credit says: who, for which agency, from where and when.

    agency: the news agency the story comes from (本报 is the paper itself; 新华社, 中新社 …), never a
    person. end: for a dateline, where the story's own text starts in its paragraph."""

    people: tuple[Person, ...] = ()
    agency: str = ""
    place: str = ""
    date: str = ""  # as printed: 3月5日, 18日
    end: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    """A piece of an article's text, with the source lines (1-based) it came from.

    kind: "title", "kicker" (引题, the line above a headline), "subtitle" (副题, the line below it),
    "byline" (on its own line under the headline), "para", "line" (a short unpunctuated line kept
    on its own: a cross-head), "signoff" (a byline in brackets closing the story), "caption" (a
    figure: a caption, an optional credit, an optional photo), "continued" (where a story goes on on
    another page: its text is that page's label, its line the continuation's headline).
    """

    kind: str
    text: str
    lines: tuple[int, ...]
    credit: str = ""
    credit_lines: tuple[int, ...] = ()
    image: str = ""  # a caption's photo, as written in the source: `![alt](photo.jpg)`
    alt: str = ""


class Blocks(Sequence[Block]):
    """An article's blocks. The cache keeps them pickled, in a file of its own beside its parses
    (cache.ShardedDict), and a build holds them as where they are in it once they are saved
    (`stored`): a page that shows them reads them as it is rendered, without keeping them
    (iterating reads them; indexing or comparing reads them once and keeps them). So a rebuild
    loads every page's drafts but reads the text of the few pages it renders again, and a build's
    memory holds neither its articles' text nor its bytes. Beside them stands what every build
    reads of every article: how many blocks it has, and those that show a photo (`photos`: for its
    card and the photos to publish). A continued story's blocks are its parts' (`joined`)."""

    __slots__ = ("_items", "_data", "_parts", "_count", "photos")

    def __init__(self, items: Iterable[Block] = ()):
        self._items: tuple[Block, ...] | None = tuple(items)
        self._data: bytes | Callable[[], bytes] | None = None  # pickled, or what reads them where saved
        self._parts: tuple[Blocks, ...] = ()
        self._count = len(self._items)
        self.photos = tuple(block for block in self._items if block.image)

    @classmethod
    def _packed(cls, data, count: int, photos: tuple[Block, ...], parts: tuple = ()) -> Blocks:
        blocks = cls.__new__(cls)
        blocks._items, blocks._data, blocks._parts, blocks._count, blocks.photos = None, data, parts, count, photos
        return blocks

    @classmethod
    def saved(cls, read: Callable[[], bytes], count: int, photos: tuple[Block, ...]) -> Blocks:
        """Blocks saved elsewhere (the cache), read by `read` (their pickled bytes) when read."""
        return cls._packed(read, count, photos)

    @classmethod
    def joined(cls, parts: Iterable[Blocks]) -> Blocks:
        """The blocks of `parts`, one after another."""
        parts = tuple(parts)
        return cls._packed(None, sum(map(len, parts)), tuple(chain(*(part.photos for part in parts))), parts)

    def __reduce__(self):
        return Blocks._packed, (self.pickled(), self._count, self.photos)

    def pickled(self) -> bytes:
        """The blocks, pickled: what the cache saves."""
        if self._data is None:
            self._data = pickle.dumps(self._read(), pickle.HIGHEST_PROTOCOL)
        return self._data if isinstance(self._data, bytes) else self._data()

    @property
    def items(self) -> tuple[Block, ...]:
        """The blocks, read once and kept (for indexing, comparing, counting)."""
        if self._items is None:
            self._items = self._read()
        return self._items

    def _read(self) -> tuple[Block, ...]:
        if self._items is not None:
            return self._items
        return tuple(chain(*self._parts)) if self._parts else pickle.loads(self.pickled())

    def stored(self, read: Callable[[], bytes]) -> None:
        """Saved: let go of the blocks and their bytes, read again by `read` when read."""
        self._items, self._data = None, read

    @overload
    def __getitem__(self, index: int) -> Block: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Block, ...]: ...
    def __getitem__(self, index):
        return self.items[index]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Block]:
        return iter(self._read())  # not kept: a page's rendering reads its article's text once

    def __eq__(self, other) -> bool:
        if isinstance(other, Blocks):
            return (type(self._data) is bytes and self._data == other._data) or self.items == other.items
        return self.items == other if isinstance(other, tuple) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return f"Blocks({self.items!r})"


@dataclass(frozen=True, slots=True)
class Draft:
    """An article as the splitter found it, before enrichment."""

    title: Block
    blocks: Blocks  # byline, body paragraphs, lines, captions and signoff, in order (a tuple is made Blocks)
    overrides: tuple[tuple[str, tuple[str, ...]], ...] = ()  # from `{topics=… regions=…}`
    kicker: Block | None = None
    subtitle: Block | None = None
    form: str = "blank"  # how its text was read: "blank" (blank lines between paragraphs) or "line" (one a line)

    def __post_init__(self) -> None:
        if not isinstance(self.blocks, Blocks):  # given as a tuple or a list
            object.__setattr__(self, "blocks", Blocks(self.blocks))


TermKind = Literal["topic", "region", "person"]


@dataclass(frozen=True, slots=True)
class Term:
    """A topic or a region. Regions form a tree through `parent`."""

    kind: TermKind
    name: str
    slug: str
    keywords: tuple[str, ...] = ()  # topic keywords, region aliases, or a person's other spellings
    parent: str = ""  # the parent region's slug
    match: bool = True  # regions: found in text automatically
    roles: tuple[str, ...] = ()  # people: the entry applies to bylines with these roles only (all when empty)


@dataclass(frozen=True, slots=True)
class Article:
    source: Source
    index: int  # position on the printed page, from 0
    title: str = field(metadata=FROM_SOURCE)
    blocks: Blocks = field(metadata=FROM_SOURCE)  # (a tuple is made Blocks)
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
    continued: tuple[Continuation, ...] = ()  # the parts of it printed on other pages (continued.py)
    # the pages its first paragraph says it goes on from (上接) and its last says it goes on to (下转)
    marks: tuple[str, str] = field(default=("", ""), metadata=FROM_SOURCE)
    # the output path of its page, relative to the site root, ending in '/' (made of its date and slug)
    path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.blocks, Blocks):  # given as a tuple or a list
            object.__setattr__(self, "blocks", Blocks(self.blocks))
        object.__setattr__(self, "path", f"{self.source.date:%Y/%m/%d}/{self.slug}/")

    @property
    def date(self) -> _dt.date:
        return self.source.date

    def sourced_blocks(self):
        """Each block with the digest file it was printed in: a continued part's blocks (after its
        "continued" block) are its own page's, whose folder its photos are beside."""
        source, parts = self.source, iter(self.continued)
        for block in self.blocks:
            if block.kind == "continued":
                source = next(parts).source
            yield block, source

    def sourced_photos(self) -> list[tuple[Block, Source]]:
        """The blocks that show a photo, as sourced_blocks() gives them; read without the text."""
        if not self.continued:
            return [(block, self.source) for block in self.blocks.photos]
        return [(block, source) for block, source in self.sourced_blocks() if block.image] if self.blocks.photos else []


@dataclass(frozen=True, slots=True)
class Continuation:
    """Where a story goes on: a part printed on another page of its day, joined into the story.
    Its source (with its digest) makes a change to that page's file a change to the story."""

    source: Source
    index: int  # the part's position on that page, from 0
    title: str  # its headline as printed there


def timestamp(day: _dt.date) -> str:
    """A day's start in China (UTC+8), as feeds, sitemaps and structured data date an article."""
    return f"{day.isoformat()}T00:00:00+08:00"


@dataclass(frozen=True, slots=True)
class Edition:
    """One printed page of one day: the articles of one source, in printed order."""

    source: Source
    slug: str
    articles: tuple[Article, ...]
    continued: tuple[tuple[int, Article], ...] = ()  # stories from other pages going on here, each with its place

    @property
    def path(self) -> str:
        return f"{self.source.date:%Y/%m/%d}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Version:
    """One published size of a photo."""

    width: int
    height: int
    webp: str  # output path, e.g. media/0123abcd4567ef89-960.webp
    fallback: str  # the same in the original's kind: .jpg or .png


@dataclass(frozen=True, slots=True)
class Photo:
    digest: str
    width: int  # of the largest version
    height: int
    versions: tuple[Version, ...]  # narrowest first

    @property
    def largest(self) -> Version:
        return self.versions[-1]


@dataclass(frozen=True, slots=True)
class Scan:
    """A printed page's scan as published: an image through the photo pipeline (photo), or a PDF
    published as it is (file); `width` and `height` are the original's pixels, which areas use (the
    areas matched to articles are the site's: Site.areas)."""

    photo: Photo | None
    file: str  # the PDF's path in the site; "" for an image
    width: int
    height: int
