"""The site's side of search: its articles as Docs (docs_of), its taxonomy as Terms (terms_of), and
every file under search/ (search_files: the index, then the theme's search scripts)."""

from __future__ import annotations

from pathlib import Path

from .build import write_index
from .doc import Doc, Terms


def docs_of(site) -> list[Doc]:
    """The site's articles as search Docs, newest first."""
    from ..index import newest_first
    from ..text import markdown, visible

    md = markdown()
    docs = []
    for article in newest_first(site.articles):
        text = [p.name for p in article.authors] + [part for part in (article.kicker, article.subtitle) if part]
        for block in article.blocks:
            if block.kind == "para":
                text.append(visible(block.text, md.render))
            elif block.kind in ("line", "signoff"):
                text.append(block.text)
            elif block.kind == "caption":
                text.append(visible(block.text, md.renderInline))
                if block.credit:
                    text.append(block.credit)
        docs.append(
            Doc(
                article.path,
                article.title,
                article.date.isoformat(),
                tuple(article.topics),
                tuple(article.regions),
                tuple(text),
                article.source.page,
            )
        )
    return docs


def terms_of(config) -> Terms:
    return Terms(
        tuple((t.slug, t.name) for t in config.topics), tuple((t.slug, t.name, t.parent) for t in config.regions)
    )


def search_files(site, theme, out) -> None:
    """Everything under search/, each file given to out(relative path, bytes): the index of the
    site's articles, then the theme's search scripts."""
    write_index(docs_of(site), out, terms_of(site.config))
    folder = Path(theme.folder) / "search"
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out("search/" + path.relative_to(folder).as_posix(), path.read_bytes())
