"""Configuration: `site.yaml` and the taxonomy files it names, read into one validated object."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from . import yamlfile
from .model import Diagnostic, Term, shown_path

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# key: (type, default, what it is). The README's config table is written from this.
KEYS: dict[str, tuple[type, object, str]] = {
    "title": (str, "新闻摘要", "the site's name, in the masthead and page titles"),
    "publication": (str, "", "the newspaper's name; a digest's `publication` overrides it (default: title)"),
    "description": (str, "", "one sentence about the site, for the home page's description"),
    "base_url": (str, "/", "where the site is published, e.g. https://org.github.io/repo/"),
    "language": (str, "zh-CN", "the pages' language"),
    "page_size": (int, 20, "articles per topic, region or archive page"),
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
    "regions": (str, "content/regions.yaml", "the regions gazetteer file, relative to site.yaml"),
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


class ConfigError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(choices)}"


def _read_yaml(path: Path, shown: str):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([Diagnostic(shown, 0, "file not found", "create it, or fix the path in site.yaml")])
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError([Diagnostic(shown, 0, f"cannot read this file: {exc}", "save it as UTF-8 text")])
    try:
        return yamlfile.parse(text, shown)
    except yamlfile.YamlError as exc:
        raise ConfigError([exc.diagnostic])


def load(path: Path, overrides: dict | None = None) -> tuple[Config, list[Diagnostic]]:
    """Read site.yaml (if it exists) and its taxonomy files. Raises ConfigError."""
    shown = str(path)
    notes: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    if path.exists():
        data = _read_yaml(path, shown) or yamlfile.LineDict()
        if not isinstance(data, dict):
            raise ConfigError([Diagnostic(shown, 1, "site.yaml must be a mapping of `key: value` lines")])
    else:
        data = yamlfile.LineDict()
        data.lines = {}
        notes.append(
            Diagnostic(
                shown,
                0,
                "no site.yaml here: the defaults apply",
                level="warning",
                hint="copy the sample site.yaml to set the title and the taxonomy files",
            )
        )
    values = {}
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
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    root = path.parent
    topics_file = values.pop("topics", KEYS["topics"][1])
    regions_file = values.pop("regions", KEYS["regions"][1])
    people_file = values.pop("people", KEYS["people"][1])
    if errors:
        raise ConfigError(errors)
    if "base_url" in values:
        values["base_url"] = values["base_url"].rstrip("/") + "/"
    config = Config(root=root, **values)
    if not config.publication:
        config = replace(config, publication=config.title)
    topics = _load_terms(root / topics_file, "topic", errors)
    regions = _load_terms(root / regions_file, "region", errors)
    people = _load_terms(root / people_file, "person", errors)
    if errors:
        raise ConfigError(errors)
    return replace(config, topics=tuple(topics), regions=tuple(regions), people=tuple(people)), notes


def _load_terms(path: Path, kind: str, errors: list[Diagnostic]) -> list[Term]:
    """Topics: a list of {name, slug, keywords}. Regions: a tree of {name, slug, aliases, children}."""
    shown = shown_path(path)
    if not path.exists():
        return []
    data = _read_yaml(path, shown)
    if data is None:
        return []
    if not isinstance(data, list):
        errors.append(
            Diagnostic(
                shown,
                getattr(data, "line", 1),
                f"the {kind}s file must be a list of {kind}s",
                "start each entry with `- name: …`",
            )
        )
        return []
    terms: list[Term] = []
    allowed = {
        "topic": {"name", "slug", "keywords"},
        "region": {"name", "slug", "aliases", "match", "children"},
        "person": {"name", "slug", "aliases", "roles"},
    }[kind]
    words_key = "keywords" if kind == "topic" else "aliases"
    seen_slugs: dict[str, int] = {}
    seen_words: dict[str, str] = {}

    def walk(items, parent: str, ancestors: tuple[str, ...]):
        for item, line in zip(items, items.lines):
            if not isinstance(item, dict):
                errors.append(Diagnostic(shown, line, f"a {kind} must be a mapping with `name` and `slug`"))
                continue
            for key in item:
                if key not in allowed:
                    errors.append(
                        Diagnostic(
                            shown,
                            item.lines[key],
                            f"unknown key `{key}` in a {kind}",
                            _did_you_mean(key, sorted(allowed)),
                        )
                    )
            name, slug = item.get("name"), item.get("slug")
            if not isinstance(name, str) or not name.strip():
                errors.append(Diagnostic(shown, line, f"this {kind} has no `name`", "add `name: …`"))
                continue
            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                errors.append(
                    Diagnostic(
                        shown,
                        line,
                        f"{kind} «{name}» has no valid `slug`",
                        "add `slug:` with lowercase letters, digits and hyphens, e.g. pinyin",
                    )
                )
                continue
            if slug in seen_slugs:
                errors.append(
                    Diagnostic(
                        shown,
                        line,
                        f"two {kind}s have the slug `{slug}`",
                        f"the other is on line {seen_slugs[slug]}; give each its own slug",
                    )
                )
                continue
            if slug in ancestors:
                errors.append(Diagnostic(shown, line, f"region `{slug}` is inside itself"))
                continue
            seen_slugs[slug] = line
            words = item.get(words_key) or []
            if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
                errors.append(
                    Diagnostic(
                        shown, item.lines.get(words_key, line), f"`{words_key}` of «{name}» must be a list of words"
                    )
                )
                words = []
            if kind == "region":
                for word in [name, *words]:
                    if word in seen_words and seen_words[word] != slug:
                        errors.append(
                            Diagnostic(
                                shown,
                                line,
                                f"«{word}» names two regions",
                                f"it is also `{seen_words[word]}`; keep it on one",
                            )
                        )
                    seen_words[word] = slug
            roles = item.get("roles") or []
            if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
                errors.append(Diagnostic(shown, item.lines.get("roles", line), f"`roles` of «{name}» must be a list"))
                roles = []
            terms.append(
                Term(kind, name.strip(), slug, tuple(words), parent, item.get("match", True) is not False, tuple(roles))
            )
            children = item.get("children")
            if children is not None:
                if kind != "region" or not isinstance(children, list):
                    errors.append(Diagnostic(shown, item.lines.get("children", line), "`children` must be a list"))
                else:
                    walk(children, slug, ancestors + (slug,))

    walk(data, "", ())
    return terms
