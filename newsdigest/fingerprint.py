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
import typing

from . import parallel
from .hashes import digest
from .model import Article, Card, EditionLink, Feed, Page, Person, Source, Term

PLAIN = {str, int, float, bool, type(None), dt.date}  # their repr is their value
PLAIN_HINTS = (str, int, float, bool, dt.date, tuple[str, ...], tuple[int, ...])  # fields that hold plain values
SHARED = {Article, Card, EditionLink, Person, Source, Term}  # parts many records hold: digested once, by id
_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}


def fields_read(kind: type) -> tuple[tuple[str, bool], ...]:
    """The fields of a record type a fingerprint reads, each with whether it holds a plain value (read
    as it is): all its fields, but those read from a source file's bytes (model.FROM_SOURCE), for
    which the file's digest stands."""
    if kind not in _FIELDS:
        if not dataclasses.is_dataclass(kind):
            raise TypeError(f"cannot fingerprint {kind.__name__}: records hold dataclasses and plain values")
        hints = typing.get_type_hints(kind)
        _FIELDS[kind] = tuple(
            (f.name, hints[f.name] in PLAIN_HINTS)
            for f in dataclasses.fields(kind)
            if not f.metadata.get("from_source")
        )
    return _FIELDS[kind]


def _text_digest(text: str) -> str:
    return digest(text.encode("utf-8", "surrogatepass"))


class Fingerprints:
    def __init__(self, constants: str):
        self.constants = constants
        self._memo: dict[int, str] = {}  # id() of a shared part -> its digest

    def records(self, records: list, jobs: int = 1) -> list[str]:
        """Every page's or feed's fingerprint, worked out on `jobs` processes."""
        return parallel.batched_map(lambda chunk: [self.record(r) for r in chunk], records, jobs, 1000)

    def record(self, record: Page | Feed) -> str:
        return _text_digest(repr((self.constants, self.walk(record))))

    def articles(self, articles) -> str:
        """All articles, whole, in order (not the build's constants): what the search index reads."""
        return _text_digest(repr(tuple(map(self.walk, articles))))

    def walk(self, value):
        """A value -> nested tuples of plain values; shared parts replaced by their digests."""
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is tuple or kind is list:
            if set(map(type, value)) <= PLAIN:  # slugs, names, keywords: as they are
                return value
            return tuple([self.walk(item) for item in value])
        if kind is dict:
            return tuple([(key, self.walk(item)) for key, item in value.items()])
        names = _FIELDS.get(kind) or fields_read(kind)
        if kind in SHARED:
            key = id(value)
            found = self._memo.get(key)
            if found is None:
                found = self._memo[key] = _text_digest(repr(self._fields(value, names)))
            return found
        return self._fields(value, names)

    def _fields(self, value, names) -> tuple:
        walk = self.walk
        return (
            type(value).__name__,
            *[getattr(value, name) if plain else walk(getattr(value, name)) for name, plain in names],
        )
