"""YAML with line numbers, so every config or front matter problem can name its line."""
from __future__ import annotations

import yaml

from .model import Diagnostic


class LineDict(dict):
    """A mapping that remembers the line (1-based) of itself and of each key."""

    line = 0
    lines: dict


class LineList(list):
    line = 0
    lines: list


class YamlError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def _convert(node: yaml.Node, path: str, first_line: int):
    line = node.start_mark.line + first_line
    if isinstance(node, yaml.MappingNode):
        out = LineDict()
        out.line, out.lines = line, {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path, first_line)
            if not isinstance(key, str):
                key = str(key)
            out[key] = _convert(value_node, path, first_line)
            out.lines[key] = key_node.start_mark.line + first_line
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LineList()
        out.line = line
        out.lines = [n.start_mark.line + first_line for n in node.value]
        out.extend(_convert(n, path, first_line) for n in node.value)
        return out
    # scalars: PyYAML's safe constructor types them (dates, ints, bools...)
    return yaml.constructor.SafeConstructor().construct_object(node)


def parse(text: str, path: str, first_line: int = 1):
    """Parse YAML text; `first_line` is the file line of the text's first line.

    Raises YamlError with the file and line of the problem.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + first_line if mark else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(Diagnostic(path, line, f"this is not valid YAML: {problem}",
                                   "check the indentation, and quote values that hold ':' or '#'")) from None
    if node is None:
        return None
    return _convert(node, path, first_line)


def kind_name(value) -> str:
    """What a YAML value is, in words for a message: 'list', 'mapping', 'int' ..."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__
