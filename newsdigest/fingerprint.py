"""Fingerprints: a digest of everything an output file is made from.

A page is a function of its record (model.Page: everything it shows) and the build's constants
(code, theme, config). Its fingerprint is a digest of exactly those: the record is read field by
field, as its dataclass declares them, so a field a view can read is a field the fingerprint
reads, with no list kept by hand. A rebuild renders again only the pages whose fingerprint
changed; the others keep their bytes.

Shared parts (cards, terms, edition links, articles) are digested once each and stand in the
records that hold them by their digest. An Article's fields read from its source file
(model.FROM_SOURCE: its text, headline parts, dateline …) stand in it by that file's digest
(Source.digest), which covers them, and spare reading its whole text for every build.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from . import parallel
from .model import Article, Card, EditionLink, Feed, Figure, Page, Person, Photo, Source, Story, Term
from .hashes import digest

PLAIN = {str, int, float, bool, type(None)}
SHARED = {Article, Card, EditionLink, Figure, Person, Photo, Source, Story, Term}  # digested once, by id
_FIELDS: dict[type, tuple[str, ...]] = {}


def fields_read(kind: type) -> tuple[str, ...]:
    """The fields of a record type a fingerprint reads: all, but those read from a source file's bytes
    (model.FROM_SOURCE), for which the file's digest stands."""
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if not f.metadata.get("from_source"))
    return _FIELDS[kind]


def _text_digest(text: str) -> str:
    return digest(text.encode("utf-8", "surrogatepass"))


class Fingerprints:
    def __init__(self, constants: str):
        self.constants = constants
        self._memo: dict[int, str] = {}  # id() of a shared part -> its digest

    def pages(self, pages: list[Page], jobs: int = 1) -> list[str]:
        """Every page's fingerprint, worked out on `jobs` processes."""
        return parallel.batched_map(lambda chunk: [self.page(p) for p in chunk], pages, jobs, 1000)

    def page(self, page: Page) -> str:
        return _text_digest(repr((self.constants, page.template, self.walk(page))))

    def feed(self, feed: Feed) -> str:
        return _text_digest(repr((self.constants, self.walk(feed))))

    def articles(self, articles) -> str:
        """All articles, whole, in order (not the build's constants): what the search index reads."""
        return _text_digest(repr(tuple(map(self.walk, articles))))

    def walk(self, value):
        """A value -> nested tuples of plain values; shared parts replaced by their digests."""
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is tuple or kind is list:
            return tuple(map(self.walk, value))
        if kind is dt.date:
            return value.isoformat()
        if kind is dict:
            return tuple((k, self.walk(v)) for k, v in value.items())
        if not dataclasses.is_dataclass(value):
            raise TypeError(f"cannot fingerprint {kind.__name__}: records hold dataclasses and plain values")
        if kind in SHARED:
            key = id(value)
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = _text_digest(repr(self._fields(value)))
            return found
        return self._fields(value)

    def _fields(self, value) -> tuple:
        kind = type(value)
        return (kind.__name__, *(self.walk(getattr(value, name)) for name in fields_read(kind)))
