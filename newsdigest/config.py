"""Configuration: `site.yaml` and the taxonomy files it names, read into one validated object."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from . import cache, gazetteer, yamlfile
from .model import Diagnostic, InputError, Term, TermKind, shown_path

KEPT = "config.pickle"  # in the build cache: the configuration last read, and its files' stamps
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# key: (type, default, what it is): the keys site.yaml may hold, each value checked against its type.
# README.md's table (## Configuration) lists the same keys, written by hand: keep the two in step
# (tests/test_init.py checks it); `init` writes a new site's site.yaml from this table (scaffold.py).
KEYS: dict[str, tuple[type, object, str]] = {
    "title": (str, "新闻摘要", "the site's name, in the masthead and page titles"),
    "publication": (str, "", "the newspaper's name; a digest's `publication` overrides it (default: title)"),
    "description": (str, "", "one sentence about the site, for the home page's description"),
    "base_url": (str, "/", "where the site is published, e.g. https://org.github.io/repo/"),
    "language": (str, "zh-CN", "the pages' language"),
    "page_size": (int, 20, "articles per topic, region or person page"),
    "home_recent": (int, 20, "recent articles listed on the home page"),
    "related": (int, 3, "related articles shown under an article"),
    "feed_size": (int, 20, "articles in each feed"),
    "feed_full_content": (bool, False, "whether feeds carry the articles' full text, not only a summary"),
    "tag_domain": (str, "", "the domain of the feeds' tag: ids (default: base_url's host); keep it when moving"),
    "cname": (str, "", "a custom domain for GitHub Pages, written to CNAME"),
    "image_max_mb": (float, 20, "a photo file bigger than this is an error"),
    "size_budget_mb": (float, 1024, "warn (fail under --strict) when the site is bigger (GitHub Pages: 1 GB)"),
    "search": (bool, True, "build the search index, with the search page and box (off: --no-search)"),
    "topics": (str, "content/topics.yaml", "the topics file, relative to site.yaml"),
    "regions": (str, "content/regions.yaml", "the site's own regions, merged into the default gazetteer"),
    "default_regions": (
        bool,
        True,
        "extend the shipped gazetteer (China to counties, all countries); false: regions alone",
    ),
    "people": (str, "content/people.yaml", "the people file (joins and tells apart names), relative to site.yaml"),
}


@dataclass(frozen=True)
class Config:
    title: str = "新闻摘要"
    publication: str = ""
    description: str = ""
    base_url: str = "/"
    language: str = "zh-CN"
    page_size: int = 20
    home_recent: int = 20
    related: int = 3
    feed_size: int = 20
    feed_full_content: bool = False
    tag_domain: str = ""
    cname: str = ""
    size_budget_mb: float = 1024
    image_max_mb: float = 20
    search: bool = True
    topics: tuple[Term, ...] = ()
    regions: tuple[Term, ...] = ()
    people: tuple[Term, ...] = ()
    root: Path = field(default=Path("."))  # the folder of site.yaml

    @cached_property
    def topic(self) -> dict[str, Term]:
        """Each topic by its slug."""
        return {t.slug: t for t in self.topics}

    @cached_property
    def region(self) -> dict[str, Term]:
        """Each region by its slug."""
        return {t.slug: t for t in self.regions}

    @cached_property
    def parents(self) -> dict[str, str]:
        """Each region's slug -> its parent's ("" for a root)."""
        return {t.slug: t.parent for t in self.regions}

    @cached_property  # computed once: every link of every page asks for it
    def base_path(self) -> str:
        """The URL path the site lives under: '/' or '/repo/'."""
        url = self.base_url
        path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.I) or "/"
        return path if path.endswith("/") else path + "/"

    @cached_property
    def domain(self) -> str:
        """The domain of tag: ids: tag_domain, else base_url's host, else 'localhost'."""
        host = re.sub(r"^[a-z][a-z0-9+.-]*://([^/:]*).*$", r"\1", self.base_url, flags=re.I)
        return self.tag_domain or (host if "://" in self.base_url and host else "localhost")

    @property
    def site_url(self) -> str:
        """The absolute base URL, when one is configured, else ''."""
        return self.base_url if "://" in self.base_url else ""


class ConfigError(InputError):
    """The configuration or a taxonomy file has problems."""


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(choices)}"


def _read_yaml(path: Path, shown: str) -> Any:
    """A YAML file's values (yamlfile.parse). Raises ConfigError when it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([Diagnostic(shown, 0, "file not found", "create it, or fix the path in site.yaml")]) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError([Diagnostic(shown, 0, f"cannot read this file: {exc}", "save it as UTF-8 text")]) from exc
    try:
        return yamlfile.parse(text, shown)
    except yamlfile.YamlError as exc:  # its diagnostic says it all
        raise ConfigError([exc.diagnostic]) from None


def load(path: Path, overrides: dict | None = None, kept: cache.Store | None = None) -> tuple[Config, list[Diagnostic]]:
    """Read site.yaml (if it exists) and its taxonomy files. Raises ConfigError. With `kept` (the
    build cache), the configuration last read is given again while none of the files it was read
    from (site.yaml, the taxonomy files, the default gazetteer) has changed (cache.by_stamps)."""
    if kept is None:
        return _load(path, overrides, [])
    key = (os.getcwd(), str(path), sorted((overrides or {}).items()))
    return cache.by_stamps(kept, KEPT, key, lambda read: _load(path, overrides, read))


def _load(path: Path, overrides: dict | None, read: list[Path]) -> tuple[Config, list[Diagnostic]]:
    """config.load, listing in `read` every file it reads, found or not."""
    shown = str(path)
    read.append(path)
    notes: list[Diagnostic] = []
    if path.exists():
        data = _read_yaml(path, shown) or yamlfile.LineDict()
        if not isinstance(data, yamlfile.LineDict):
            raise ConfigError([Diagnostic(shown, 1, "site.yaml must be a mapping of `key: value` lines")])
    else:
        data = yamlfile.LineDict()
        notes.append(
            Diagnostic(
                shown,
                0,
                "no site.yaml here: the defaults apply",
                level="warning",
                hint="copy the sample site.yaml to set the title and the taxonomy files",
            )
        )
    values, errors = _checked_values(data, shown)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    root = path.parent
    topics_file = values.pop("topics", KEYS["topics"][1])
    regions_file = values.pop("regions", KEYS["regions"][1])
    people_file = values.pop("people", KEYS["people"][1])
    default_regions = values.pop("default_regions", True)
    if errors:
        raise ConfigError(errors)
    if "base_url" in values:
        values["base_url"] = values["base_url"].rstrip("/") + "/"
    config = Config(root=root, **values)
    if not config.publication:
        config = replace(config, publication=config.title)
    read += [root / topics_file, root / regions_file, root / people_file]
    read += [gazetteer.DEFAULT_REGIONS] if default_regions else []
    topics = _load_terms(root / topics_file, "topic", errors)
    regions = _load_terms(root / regions_file, "region", errors, default_regions)
    people = _load_terms(root / people_file, "person", errors)
    if errors:
        raise ConfigError(errors)
    return replace(config, topics=tuple(topics), regions=tuple(regions), people=tuple(people)), notes


def _checked_values(data: yamlfile.LineDict, shown: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """site.yaml's known keys whose values have the right type, and a problem for each other key."""
    values: dict[str, Any] = {}
    errors: list[Diagnostic] = []
    for key, value in data.items():
        line = data.lines.get(key, 0)
        if key not in KEYS:
            errors.append(Diagnostic(shown, line, f"unknown key `{key}`", _did_you_mean(key, KEYS)))
            continue
        kind, _default, _ = KEYS[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            errors.append(Diagnostic(shown, line, f"`{key}` must be a whole number of 1 or more, not {value!r}"))
        elif kind is float and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
            errors.append(Diagnostic(shown, line, f"`{key}` must be a number above 0, not {value!r}"))
        elif kind is bool and not isinstance(value, bool):
            errors.append(Diagnostic(shown, line, f"`{key}` must be true or false, not {value!r}"))
        elif kind is str and not isinstance(value, str):
            errors.append(
                Diagnostic(
                    shown, line, f"`{key}` must be text, not {yamlfile.kind_name(value)}", "put the value in quotes"
                )
            )
        else:
            values[key] = value
    return values, errors


ALLOWED_KEYS: dict[TermKind, set[str]] = {
    "topic": {"name", "slug", "keywords"},
    "region": {"name", "slug", "aliases", "match", "children", "rename"},
    "person": {"name", "slug", "aliases", "roles"},
}


def _load_terms(path: Path, kind: TermKind, errors: list[Diagnostic], default: bool = False) -> list[Term]:
    """Topics: a list of {name, slug, keywords}. Regions: a tree of {name, slug, aliases, match,
    children, rename}, merged into the shipped gazetteer when `default` (gazetteer.py). People: a
    list of {name, slug, aliases, roles}. Problems are added to `errors`."""
    shown = shown_path(path)
    data = _read_yaml(path, shown) if path.exists() else None
    if kind == "region" and default:
        data = gazetteer.merged(data, use_default=True)
    if data is None:
        return []
    if not isinstance(data, yamlfile.LineList):
        errors.append(
            Diagnostic(
                shown,
                getattr(data, "line", 1),
                f"the {kind}s file must be a list of {kind}s",
                "start each entry with `- name: …`",
            )
        )
        return []
    reader = _TermReader(shown, kind, errors)
    reader.walk(data, "", ())
    return reader.terms


class _TermReader:
    """The entries of one taxonomy file -> Terms, in file order (a region before its children),
    with a Diagnostic in `errors` for each entry or value that is wrong. An entry whose name or slug
    is wrong is left out, with its children."""

    def __init__(self, shown: str, kind: TermKind, errors: list[Diagnostic]):
        self.shown, self.kind, self.errors = shown, kind, errors
        self.allowed = ALLOWED_KEYS[kind]
        self.words_key = "keywords" if kind == "topic" else "aliases"
        self.terms: list[Term] = []
        self.seen_slugs: dict[str, int] = {}  # slug -> the line of the entry that has it
        self.seen_words: dict[str, str] = {}  # a region's name or alias -> the region's slug

    def walk(self, items: yamlfile.LineList, parent: str, ancestors: tuple[str, ...]) -> None:
        for item, line in zip(items, items.lines):
            if not isinstance(item, yamlfile.LineDict):
                self.errors.append(
                    Diagnostic(self.shown, line, f"a {self.kind} must be a mapping with `name` and `slug`")
                )
                continue
            self._unknown_keys(item)
            name = item.get("name")
            if not isinstance(name, str) or not name.strip():
                self.errors.append(Diagnostic(self.shown, line, f"this {self.kind} has no `name`", "add `name: …`"))
                continue
            slug = self._new_slug(item.get("slug"), name, line, ancestors)
            if slug is None:
                continue
            self.seen_slugs[slug] = line
            words = self._words(item, line, name, slug)
            roles = self._roles(item, line, name)
            match = item.get("match", True) is not False
            self.terms.append(Term(self.kind, name.strip(), slug, words, parent, match, roles))
            self._children(item, line, slug, ancestors)

    def _unknown_keys(self, item: yamlfile.LineDict) -> None:
        for key in item:
            if key not in self.allowed:
                self.errors.append(
                    Diagnostic(
                        self.shown,
                        item.lines[key],
                        f"unknown key `{key}` in a {self.kind}",
                        _did_you_mean(key, sorted(self.allowed)),
                    )
                )

    def _new_slug(self, slug: object, name: str, line: int, ancestors: tuple[str, ...]) -> str | None:
        """`slug` when it is well formed, unused so far and not one of the entry's ancestors, else None."""
        kind = self.kind
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            what = f"{kind} «{name}» has no valid `slug`"
            hint = "add `slug:` with lowercase letters, digits and hyphens, e.g. pinyin"
        elif slug in self.seen_slugs:
            what = f"two {kind}s have the slug `{slug}`"
            hint = f"the other is on line {self.seen_slugs[slug]}; give each its own slug"
        elif slug in ancestors:
            what, hint = f"region `{slug}` is inside itself", ""
        else:
            return slug
        self.errors.append(Diagnostic(self.shown, line, what, hint))
        return None

    def _words(self, item: yamlfile.LineDict, line: int, name: str, slug: str) -> tuple[str, ...]:
        """The entry's keywords (topics) or aliases; a region's name and aliases must name no other."""
        key = self.words_key
        words = item.get(key) or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            self.errors.append(
                Diagnostic(self.shown, item.lines.get(key, line), f"`{key}` of «{name}» must be a list of words")
            )
            words = []
        if self.kind == "region":
            for word in [name, *words]:
                if word in self.seen_words and self.seen_words[word] != slug:
                    self.errors.append(
                        Diagnostic(
                            self.shown,
                            line,
                            f"«{word}» names two regions",
                            f"it is also `{self.seen_words[word]}`; keep it on one",
                        )
                    )
                self.seen_words[word] = slug
        return tuple(words)

    def _roles(self, item: yamlfile.LineDict, line: int, name: str) -> tuple[str, ...]:
        roles = item.get("roles") or []
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            self.errors.append(
                Diagnostic(self.shown, item.lines.get("roles", line), f"`roles` of «{name}» must be a list")
            )
            roles = []
        return tuple(roles)

    def _children(self, item: yamlfile.LineDict, line: int, slug: str, ancestors: tuple[str, ...]) -> None:
        children = item.get("children")
        if children is None:
            return
        if self.kind != "region" or not isinstance(children, yamlfile.LineList):
            self.errors.append(Diagnostic(self.shown, item.lines.get("children", line), "`children` must be a list"))
        else:
            self.walk(children, slug, ancestors + (slug,))
