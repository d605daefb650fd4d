"""The shipped gazetteer (newsdigest/data/regions.yaml) and a site's own regions file merged into it.

A site's regions file EXTENDS the default tree (unless site.yaml says `default_regions: false`):

- a node whose `name` (or else `slug`) is a default node's is that node: its `aliases` are added to
  the default's, its `match` (when given) replaces the default's, its `slug` (when given and other)
  renames the node's URL, and its `children` are merged in under it, by the same rules;
- `rename: 新名` on such a node changes the name shown; the old name stays as an alias, so it is
  still found in text (a node matched by slug whose name differs is renamed the same way);
- any other node is new, and is added under the node it is written under (a root when written at
  the top), after the default's children there.
A default node keeps its place in the tree wherever the site's file writes it.
"""

from __future__ import annotations

import marshal
import os
from importlib.util import MAGIC_NUMBER as MAGIC
from pathlib import Path
from typing import Any

import yaml

from .yamlfile import LineDict, LineList

DEFAULT_REGIONS = Path(__file__).parent / "data" / "regions.yaml"
DEFAULT_TOPICS = Path(__file__).parent / "data" / "topics.yaml"
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # our own generated file: the C parser is 5x quicker

_parsed: dict[tuple, bytes] = {}  # (path, size, mtime) -> the parsed tree, marshalled (a cheap deep copy)


def load_plain(path: Path = DEFAULT_REGIONS) -> list[dict[str, Any]]:
    """The default gazetteer as plain YAML data (a fresh copy each call).

    Parsing 330 KB of YAML takes ~0.2 s even with the C parser, so the parse is kept: in memory for
    the process (serve), and marshalled beside the file in __pycache__/ as Python keeps its
    bytecode (~10 ms to read), keyed by the file's size and time and the Python version. Only a
    shortcut: a folder that cannot be written (an installed package) means parsing each time."""
    info = path.stat()
    key = (str(path), info.st_size, info.st_mtime_ns)
    if key not in _parsed:
        _parsed.clear()
        _parsed[key] = _stored(path, info.st_size, info.st_mtime_ns)
    return marshal.loads(_parsed[key])


def _stored(path: Path, size: int, mtime: int) -> bytes:
    kept = path.parent / "__pycache__" / f"{path.name}.{size}-{mtime}.{MAGIC.hex()}.marshal"
    try:
        return kept.read_bytes()
    except OSError:
        pass
    data = marshal.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or [])
    try:
        kept.parent.mkdir(exist_ok=True)
        for old in kept.parent.glob(f"{path.name}.*.marshal"):
            old.unlink()
        temporary = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, kept)
    except OSError:
        pass
    return data


def _lined(nodes: list[dict[str, Any]]) -> LineList:
    """Plain nodes -> LineList of LineDicts (line 0: not read from the site's file)."""
    out = LineList()
    for node in nodes:
        item = LineDict()
        for key, value in node.items():
            item[key] = _lined(value) if key == "children" else value
            item.lines[key] = 0
        out.append(item)
        out.lines.append(0)
    return out


class _Merger:
    """Merges a site's region entries into the default tree, indexed by name, alias and slug. Only
    default nodes are merged into: two entries of the site's own file with one slug stay an error."""

    def __init__(self, roots: LineList):
        self.roots = roots
        self.by_name: dict[str, LineDict] = {}
        self.by_word: dict[str, LineDict] = {}  # names and aliases
        self.by_slug: dict[str, LineDict] = {}
        self.parent: dict[int, str] = {}  # id(node) -> its parent's slug
        self._index(roots, "")

    def _index(self, nodes: list, parent: str) -> None:
        for node in nodes:
            if not isinstance(node, LineDict):
                continue
            self.by_name.setdefault(str(node.get("name")), node)
            aliases = node.get("aliases")
            for word in aliases if isinstance(aliases, list) else []:
                if isinstance(word, str):
                    self.by_word.setdefault(word, node)
            self.by_slug.setdefault(str(node.get("slug")), node)
            self.parent[id(node)] = parent
            children = node.get("children")
            self._index(children if isinstance(children, LineList) else LineList(), str(node.get("slug")))

    def find(self, item: LineDict) -> LineDict | None:
        """The default node the site's entry is: by name, else slug, else any of its names and aliases."""
        name, slug, aliases = item.get("name"), item.get("slug"), item.get("aliases")
        words = [name, *(aliases if isinstance(aliases, list) else [])]
        for table, key in ((self.by_name, name), (self.by_slug, slug)):
            if isinstance(key, str) and key in table:
                return table[key]
        for word in words:
            if isinstance(word, str) and (word in self.by_name or word in self.by_word):
                return self.by_name.get(word) or self.by_word[word]
        return None

    def reslug(self, node: LineDict, slug: str) -> None:
        """Give `node` the site's `slug`; a default node that had it gets `slug-<its parent's slug>`."""
        other = self.by_slug.get(slug)
        if other is not None and other is not node:
            moved = f"{slug}-{self.parent.get(id(other), '') or 'region'}"
            other["slug"] = moved
            self.by_slug[moved] = other
        node["slug"] = slug
        self.by_slug[slug] = node

    def merge(self, items: Any, into: LineList) -> None:
        """Each of the site's `items` merged into its default node, or appended to `into`."""
        if not isinstance(items, LineList):
            return
        for item, line in zip(items, items.lines):
            if not isinstance(item, LineDict):
                into.append(item)  # not a node: left for the reader to report
                into.lines.append(line)
                continue
            node = self.find(item)
            if node is None:
                self._add(item, line, into)
            else:
                self._into(node, item)

    def _add(self, item: LineDict, line: int, into: LineList) -> None:
        """A new node, with its children merged (a child may be a default node, which stays where it is)."""
        children = item.pop("children", None)
        _rename(item, item)
        into.append(item)
        into.lines.append(line)
        if children is not None:
            if isinstance(children, LineList):
                kept = item["children"] = LineList(children.line)
                item.lines.setdefault("children", children.line)
                self.merge(children, kept)
            else:
                item["children"] = children  # not a list: the reader reports it

    def _into(self, node: LineDict, item: LineDict) -> None:
        node.line = item.line  # problems with the merged node are the site's, on its line
        for key, value in item.items():
            line = item.lines.get(key, item.line)
            if key == "aliases" and isinstance(value, list):
                old = node.get("aliases") or []
                node["aliases"] = old + [a for a in value if a not in old and a != node.get("name")]
            elif key == "children":
                children = node.setdefault("children", LineList())
                self.merge(value, children)
                if not isinstance(value, LineList):
                    node["children"] = value
            elif key == "name":
                if value != node.get("name") and isinstance(value, str):  # found by slug: a rename
                    _rename(node, LineDict(), value)
                continue
            elif key == "slug" and isinstance(value, str):
                self.reslug(node, value)
            elif key != "rename" or not isinstance(value, str):
                node[key] = value
            node.lines[key] = line
        _rename(node, item)


def _rename(node: LineDict, item: LineDict, new: str | None = None) -> None:
    """Give `node` the name `new` (or item's `rename:`), keeping its old name as an alias."""
    new = new or item.get("rename")
    node.pop("rename", None)
    if not isinstance(new, str) or not new.strip() or new == node.get("name"):
        return
    old = node.get("name")
    aliases = [a for a in node.get("aliases") or [] if a != new]
    node["name"] = new
    node["aliases"] = ([old] if isinstance(old, str) and old not in aliases else []) + aliases


def merged(site: Any, use_default: bool) -> Any:
    """The site's regions file (parsed, LineList) merged into the default tree, or alone."""
    roots = _lined(load_plain()) if use_default else LineList(getattr(site, "line", 1))
    if site is not None and not isinstance(site, LineList):
        return site  # not a list: the reader reports it
    _Merger(roots).merge(site, roots)
    return roots
