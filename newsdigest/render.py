"""Step 6, render: page records -> file bytes (HTML through jinja2, plus feeds, sitemaps and assets).

Each page's view comes from its record (views.py, with pageviews.py for each kind of page);
templates only lay it out.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Callable

import jinja2
import jinja2.bccache
from markupsafe import Markup

from . import parallel, sitemaps, yamlfile
from .config import Config
from .feeds import FeedWriter
from .model import Diagnostic, InputError, Page, Site, Story
from .pages import records
from .views import Presenter


class ThemeError(InputError):
    """The theme has a problem: a missing or broken template, no strings for the language."""


class _Environment(jinja2.Environment):
    """jinja2's environment, with `a.b` looked up as a key first when `a` is a dict.

    Views are plain dicts. jinja2 tries the attribute first, which for a dict fails, raising and
    catching an AttributeError on nearly every lookup of every page: a fifth of the render time.
    A key that shadows one of dict's methods would hide it; templates call none of them."""

    def getattr(self, obj, attribute: str):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds (jinja2 checks each against its template's source);
    one that cannot be saved (a read-only project, a full disk) is compiled again the next time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class Theme:
    """Templates, the UI strings table and static assets of one theme folder. With `compiled` (a
    folder and a name prefix, e.g. the code's version), the templates compiled in an earlier build
    are kept there and read, not compiled again."""

    def __init__(self, folder: Path, language: str, compiled: tuple[Path, str] | None = None):
        self.folder = folder
        templates = folder / "templates"
        if not templates.is_dir():
            raise ThemeError(
                Diagnostic(
                    str(templates),
                    0,
                    "the theme has no templates folder",
                    "point --theme at a folder holding templates/",
                )
            )
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_compiled(*compiled) if compiled else None,
        )
        strings_file = folder / "strings" / f"{language}.yaml"
        try:
            self.strings = yamlfile.parse(strings_file.read_text(encoding="utf-8"), str(strings_file)) or {}
        except FileNotFoundError:
            raise ThemeError(
                Diagnostic(
                    str(strings_file),
                    0,
                    f"the theme has no strings for language `{language}`",
                    f"add {strings_file.name}, or set `language` in site.yaml to one it has",
                )
            ) from None
        icon = folder / "favicon.svg"  # published once under its hash (static/favicon.<hash>.svg), linked by every page
        self.icon = icon.read_bytes() if icon.exists() else b'<svg xmlns="http://www.w3.org/2000/svg"/>'
        self.assets = {}  # name -> (hashed name, bytes)
        files = [
            (p.relative_to(folder / "static").as_posix(), p.read_bytes())
            for p in (sorted((folder / "static").rglob("*")) if (folder / "static").is_dir() else [])
            if p.is_file()
        ]
        for rel, data in [("favicon.svg", self.icon), *files]:
            digest = hashlib.sha256(data).hexdigest()[:10]
            stem, dot, ext = rel.rpartition(".")
            self.assets[rel] = (f"static/{stem}.{digest}.{ext}" if dot else f"static/{rel}", data)

    def template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(
                Diagnostic(
                    str(self.folder / "templates" / name),
                    0,
                    f"template `{exc.name}` is missing",
                    "restore it from the sample theme",
                )
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(
                Diagnostic(exc.filename or name, exc.lineno or 0, f"template syntax error: {exc.message}")
            ) from None


def _template_frame(exc: BaseException, default: str) -> tuple[str, int]:
    """The innermost template file and line in an exception's traceback."""
    found = (default, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _compiled(folder: Path, prefix: str) -> _Compiled | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only project: compiled every time
        return None
    return _Compiled(str(folder), f"{prefix}-%s.cache")


def output_name(path: str) -> str:
    """A page's path -> the file it is written to."""
    return path if path.endswith(".html") else path + "index.html"


class Renderer:
    """Page records -> HTML bytes, with one Presenter (and its cache of card views) per process."""

    def __init__(self, config: Config, theme: Theme):
        self.theme = theme
        self.presenter = Presenter(config, theme.strings, theme.assets)
        self.templates: dict[str, jinja2.Template] = {}
        self.parts: dict[tuple, Markup] = {}

    def cached(self, name: str, **keys) -> Markup:
        """A template that is the same on many pages, rendered once with what every page has
        (Presenter.common), as Hugo's partialCached: `{{ cached("_head.html") }}`. Keyword values
        are given to it too, and it is rendered once for each set of them: the masthead, once per
        date it shows, is `{{ cached("_masthead.html", date=edition_date) }}`."""
        key = (name, *sorted(keys.items()))
        if key not in self.parts:
            self.parts[key] = Markup(self.theme.template(name).render({**self.presenter.common, **keys}))
        return self.parts[key]

    def page(self, page: Page) -> bytes:
        if page.template not in self.templates:
            self.templates[page.template] = self.theme.template(page.template)
        try:
            html = self.templates[page.template].render(self.presenter.view(page), cached=self.cached)
        except Exception as exc:  # a theme's bug, reported with the template's file and line
            name, line = _template_frame(exc, page.template)
            raise ThemeError(
                Diagnostic(
                    str(self.theme.folder / "templates" / name),
                    line,
                    f"template error while rendering {page.path or 'the home page'}: {type(exc).__name__}: {exc}",
                    "fix the template, or restore it from the sample theme",
                )
            ) from exc
        return html.encode("utf-8")


BATCH = 200  # pages a worker process renders at a time


def render_pages(renderer: Renderer, pages: list[Page], put, jobs: int = 1, progress=None) -> None:
    """Render `pages` and hand each file to `put(path, bytes)`, which returns a small picklable record.

    With jobs > 1 the work is shared with forked worker processes (parallel.py), each given whole
    batches; a worker calls `put` itself (it writes into the same staging folder), and the parent
    replays the records it sends back through `put.record(path, record)`."""
    parent = os.getpid()

    def work(batch: list[Page]) -> list:
        records = []
        for page in batch:
            path = output_name(page.path)
            try:
                records.append((path, put(path, renderer.page(page))))
            except ThemeError as exc:  # reported by the parent, whichever process met it
                return [(None, exc.diagnostic)]
        return records if os.getpid() != parent else []

    done = parallel.batched_map(work, pages, jobs, BATCH, progress and (lambda n: progress("rendering", n, len(pages))))
    for path, record in done:
        if path is None:
            raise ThemeError(record)
        put.record(path, record)


def body_html(renderer: Renderer) -> Callable[[Story], str]:
    """A story's text as HTML, as its page shows it: the body of a full-content feed's entry."""
    body = renderer.theme.template("_body.html")
    return lambda story: body.render(blocks=renderer.presenter.blocks(story))


def other_files(site: Site, pages: list[Page], renderer: Renderer) -> dict[str, bytes]:
    """Everything but the HTML pages, the feeds and the search index: assets, sitemaps, robots.txt."""
    files = {name: data for name, data in renderer.theme.assets.values()}
    files.update(sitemaps.files(site, pages, renderer.presenter.url))
    files[".nojekyll"] = b""
    if site.config.cname:
        files["CNAME"] = (site.config.cname + "\n").encode()
    return files


def render(site: Site, theme: Theme, progress=None) -> dict[str, bytes]:
    """Every output file of the site, in memory: relative path -> bytes (for `serve` and tests)."""
    renderer = Renderer(site.config, theme)
    pages, feed_records = records(site)
    files: dict[str, bytes] = {}

    def put(path: str, data: bytes) -> None:
        files[path] = data

    render_pages(renderer, pages, put, 1, progress)
    writer = FeedWriter(renderer.presenter, body_html(renderer))
    files.update((feed.path, writer.file(feed)) for feed in feed_records)
    files.update(other_files(site, pages, renderer))
    if site.config.search:
        from .search import search_files  # here: numpy, which it needs, is loaded only for a search index

        search_files(site, theme, put)  # search/: the index and its scripts
    return files
