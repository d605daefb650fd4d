"""Fingerprints: a digest of everything an output file is made from.

A page is a function of its record (model.Page: everything it shows) and the build's constants
(code, theme, config). Its fingerprint is a digest of exactly those: the record is read field by
field, as its dataclass declares them, so a field a view can read is a field the fingerprint
reads, with no list kept by hand. A rebuild renders again only the pages whose fingerprint
changed; the others keep their bytes.

Each record type is read by a function compiled from its dataclass fields and their type hints,
the first time one is met: a field of plain values (str, int, bool, None, tuples of them) is
taken as it is, one holding records or tuples of them through their own readers, anything else
through a generic walk, which trusts no hint. What is read is written with marshal (version 2:
by value alone, never by identity) and digested.

Shared parts (cards, terms, edition links, articles) are digested once each and stand in the
records that hold them by their digest. An Article's fields read from its source file
(model.FROM_SOURCE: its text, headline parts, dateline …) stand in it by that file's digest
(Source.digest), which covers them, and spare reading its whole text for every build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal
import types
import typing
from typing import Any, Callable

from .hashes import digest, digest_bytes
from .model import Article, Card, EditionLink, Feed, Page, Person, Source, Term

PLAIN = {str, int, float, bool, type(None)}  # written as they are
SHARED = {Article, Card, EditionLink, Person, Source, Term}  # parts many records hold: digested once, by id
MARSHAL = 2  # the version that writes values alone: no references, no interned strings told apart


def fields_read(kind: type) -> tuple[tuple[str, Any], ...]:
    """The fields of a record type a fingerprint reads, each with its type hint: all its fields,
    but those read from a source file's bytes (model.FROM_SOURCE), for which the file's digest
    stands, and the name messages give a file (model.MESSAGES_ONLY), which no page shows."""
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"cannot fingerprint {kind.__name__}: records hold dataclasses and plain values")
    hints = typing.get_type_hints(kind)
    unread = ("from_source", "messages_only")
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind) if not any(map(f.metadata.get, unread)))


def _plain(hint) -> bool:
    """Whether a field of this type holds plain values only: str, int, bool …, one of them or None,
    a literal, tuples of them."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in PLAIN:
        return True
    if origin is typing.Literal:
        return all(type(arg) in PLAIN for arg in args)
    if origin in (typing.Union, types.UnionType):
        return all(map(_plain, args))
    return origin is tuple and all(arg is Ellipsis or _plain(arg) for arg in args)


class _Reader:
    """Writes the expression that reads a value of a given type hint (compiled code, see _compile)."""

    def __init__(self) -> None:
        self.depth = 0  # of nested comprehensions: each has a loop variable of its own

    def expr(self, hint, value: str) -> str:
        if _plain(hint):
            return value
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # tuple[X, ...]
            self.depth += 1
            item = f"x{self.depth}"
            inner = self.expr(args[0], item)
            self.depth -= 1
            return f"tuple([{inner} for {item} in {value}])"
        if origin is tuple and args and Ellipsis not in args and value.isidentifier():  # (A, B) in a tuple[…, ...]
            items = "".join(f"{self.expr(arg, f'{value}[{n}]')}, " for n, arg in enumerate(args))
            return f"(({items}) if len({value}) == {len(args)} else walk({value}))"  # its hint may be wrong
        if SHARED.intersection(args or (hint,)):  # digested once: found by id, else read
            return f"(memo.get(id(y := {value})) or read[type(y)](y))"
        return f"read[type(y := {value})](y)"  # by what it is: a record, a date, None …


def _compile(kind: type, prints: Fingerprints) -> Callable:
    """A function reading a record of this type: (its type's name, each field read), or for a
    shared part the digest of that, memoised by id."""
    reader = _Reader()
    parts = "".join(f"{reader.expr(hint, f'v.{name}')}, " for name, hint in fields_read(kind))
    body = f"({kind.__name__!r}, {parts})"
    if kind in SHARED:
        lines = [f"found = memo[id(v)] = digest(dumps({body}, {MARSHAL}))", "keep(v)", "return found"]
    else:
        lines = [f"return {body}"]
    code = "def read_one(v):\n" + "".join(f"    {line}\n" for line in lines)
    scope: dict[str, Any] = {"memo": prints._memo, "read": prints._read, "walk": prints.walk, "digest": digest_bytes}
    scope["dumps"] = marshal.dumps
    scope["keep"] = prints._kept.append  # a memoised part is kept alive: its id stays its own
    exec(compile(code, f"<fingerprint of {kind.__name__}>", "exec"), scope)
    return scope["read_one"]


class _Readers(dict):
    """Type -> the function reading a value of it, made when first asked for."""

    def __init__(self, prints: Fingerprints):
        super().__init__({kind: _as_it_is for kind in PLAIN})
        self[dt.date] = dt.date.toordinal
        self.prints = prints

    def __missing__(self, kind: type) -> Callable:
        found = self.prints.walk if kind in (tuple, list, dict) else _compile(kind, self.prints)
        self[kind] = found
        return found


def _as_it_is(value):
    return value


class Fingerprints:
    def __init__(self, constants: str):
        self.constants = constants
        self._memo: dict[int, bytes] = {}  # id() of a shared part -> its digest
        self._kept: list = []  # the shared parts in _memo
        self._read = _Readers(self)

    def close(self) -> None:
        """Let go of the parts it memoised. Its readers and it refer to each other (a cycle), which
        would keep every article and card alive until the cycle collector ran: never in the
        command's build (cli.main turns it off), and in a program that calls pipeline.build (the
        tests) only once it had walked them all."""
        self._memo.clear()
        self._kept.clear()
        self._read.clear()

    def records(self, records: list) -> list[str]:
        """Every page's or feed's fingerprint, in this process. Most of the work is in the shared
        parts, which most records hold: a worker process would digest them again, after copying
        the memory it touches (fork's copy on write), and at 10,000 and 100,000 articles two
        processes took longer than one."""
        return [self.record(r) for r in records]

    def record(self, record: Page | Feed) -> str:
        return digest(marshal.dumps((self.constants, self._read[type(record)](record)), MARSHAL))

    def articles(self, articles) -> tuple[bytes, ...]:
        """Each article's digest, whole (not the build's constants): what the search index reads."""
        return tuple(map(self.walk, articles))

    def walk(self, value):
        """Any value -> nested tuples of plain values; shared parts replaced by their digests."""
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is tuple or kind is list:
            if set(map(type, value)) <= PLAIN:  # slugs, names, keywords: as they are
                return value
            return tuple([self.walk(item) for item in value])
        if kind is dict:
            return tuple([(self.walk(key), self.walk(item)) for key, item in value.items()])
        if kind in SHARED:
            found = self._memo.get(id(value))
            if found is not None:
                return found
        return self._read[kind](value)
