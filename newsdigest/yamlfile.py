"""YAML with line numbers, so every config or front matter problem can name its line."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .model import NOT_XML, Diagnostic, InputError


class LineDict(dict[str, Any]):
    """A mapping that remembers the line (1-based) of itself and of each key (0: made, not read),
    and each scalar value's text as written (`page: 01` is the int 1, its text "01")."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}
        self.texts: dict[str, str] = {}


class LineList(list[Any]):
    """A sequence that remembers the line (1-based) of itself and of each item (0: made, not read)."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


class YamlError(InputError):
    """A YAML file (front matter, site.yaml, a taxonomy) that cannot be read."""


MAX_NODES = 200_000  # YAML aliases can multiply a small file into a huge tree ("billion laughs")


class _Converter:
    """YAML nodes -> LineDict / LineList / scalars, refusing aliases that loop or explode."""

    def __init__(self, path: str, first_line: int):
        self.path, self.first_line = path, first_line
        self.active: set[int] = set()  # collections being converted (a loop comes back to one)
        self.budget = MAX_NODES

    def line(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.first_line

    def convert(self, node: yaml.Node) -> Any:
        """A node's value: a LineDict, a LineList or a scalar as YAML types it."""
        self.budget -= 1
        if id(node) in self.active or self.budget < 0:
            raise YamlError(
                Diagnostic(
                    self.path,
                    self.line(node),
                    "a YAML alias (*name) here refers to itself, or expands too far",
                    "write the values out instead of using `&anchor` and `*alias`",
                )
            )
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            self.active.add(id(node))  # until it is converted: an alias back to it is a loop
            out = self._mapping(node) if isinstance(node, yaml.MappingNode) else self._sequence(node)
            self.active.discard(id(node))
            return out
        try:  # a scalar: PyYAML's safe constructor types it (dates, ints, bools...)
            value = yaml.constructor.SafeConstructor().construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            value = node.value  # looks like a date or number but is none: the text, for a clear message
        return NOT_XML.sub("", value) if isinstance(value, str) else value  # from escapes such as "\b"

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        out = LineDict(self.line(node))
        for key_node, value_node in node.value:
            key = self.convert(key_node)
            key = key if isinstance(key, str) else str(key)
            out[key] = self.convert(value_node)
            out.lines[key] = self.line(key_node)
            if isinstance(value_node, yaml.ScalarNode):
                out.texts[key] = NOT_XML.sub("", value_node.value)
        return out

    def _sequence(self, node: yaml.SequenceNode) -> LineList:
        out = LineList(self.line(node))
        out.lines = [self.line(n) for n in node.value]
        out.extend(self.convert(n) for n in node.value)
        return out


# Characters that are plain text to YAML wherever they stand in a value: letters, digits and most
# of Unicode; not YAML's indicators, quotes, spaces, tabs, control characters or line breaks.
_WORD = "0-9A-Za-z\u00a1-\u2027\u202a-\ud7ff\uf900-\ufefe\uff00-\ufffd"
# `key: value` of plain words, as most front matter is: `date: 2025-03-18`, `publication: 宁波日报`.
SIMPLE_LINE = re.compile(rf"([A-Za-z][A-Za-z0-9_]{{0,63}}): +([{_WORD}][{_WORD}\-./+]*(?: [{_WORD}\-./+]+)*) *")


def _simple(text: str) -> yaml.MappingNode | None:
    """The node tree of text made only of SIMPLE_LINEs (and empty lines), built without YAML's
    scanner and parser, which are slow; None for any other text, which goes to the full parser.
    Values are typed by YAML's own resolver, so a node is what yaml.compose would have built."""
    resolver = yaml.resolver.Resolver()
    pairs = []
    for number, line in enumerate(text.split("\n")):
        if not line:
            continue
        match = SIMPLE_LINE.fullmatch(line)
        if not match:
            return None
        mark = yaml.Mark("<unicode string>", 0, number, 0, None, 0)  # no buffer: the pointer is not read
        pairs.append(
            tuple(
                yaml.ScalarNode(resolver.resolve(yaml.ScalarNode, value, (True, False)), value, mark, mark)
                for value in match.groups()
            )
        )
    if not pairs:
        return None
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, pairs[0][0].start_mark, pairs[-1][1].end_mark)


def _compose(text: str, path: str, first_line: int) -> yaml.Node | None:
    """The full YAML parser: any YAML, and the line of any problem."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(
            Diagnostic(
                path,
                line,
                f"this is not valid YAML: {problem}",
                "check the indentation, and quote values that hold ':' or '#'",
            )
        ) from None


def parse(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text; `first_line` is the file line of the text's first line. Mappings come back
    as LineDicts, sequences as LineLists, scalars as YAML types them; None for an empty text.

    Raises YamlError with the file and line of the problem.
    """
    node = _simple(text) or _compose(text, path, first_line)
    if node is None:
        return None
    return _Converter(path, first_line).convert(node)


def kind_name(value) -> str:
    """What a YAML value is, in words for a message: 'list', 'mapping', 'int' ..."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__
