"""The page contract: a page's view is made from its record alone, and its fingerprint from the same
record, field by field. Changing any value a record holds, however deep, changes the fingerprint;
the only values exempt are those read from a source file's bytes (model.FROM_SOURCE), for which
the file's digest stands: changing them with the digest changes the fingerprint, and they cannot
change without it; and a file's name in messages (model.MESSAGES_ONLY), which no page shows.

The fields are found by walking each record's dataclasses, not from a list: a field added to a
record (or to a card, a term, an article…) is checked here the day it is added."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc

import pytest
from conftest import sample_options

from newsdigest import pipeline, render
from newsdigest.fingerprint import Fingerprints
from newsdigest.model import FROM_SOURCE, MESSAGES_ONLY, Article, Blocks, Figure, Photo, Source, Version
from newsdigest.pages import records
from newsdigest.views import Presenter

PHOTO = Photo(
    "d1",
    960,
    640,
    (
        Version(480, 320, "media/d1-480.webp", "media/d1-480.jpg"),
        Version(960, 640, "media/d1-960.webp", "media/d1-960.jpg"),
    ),
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    options = sample_options(tmp_path_factory.mktemp("contract") / "site")
    result = pipeline.Result()
    return pipeline.index_site(options, pipeline.analyse(options, result), result)[0]  # with the sample's scan


def with_a_photo(page):
    """An article page whose card and text have a photo (the sample pages have none)."""
    story = page.story
    card = dataclasses.replace(story.card, photo=Figure(PHOTO, "图说"))
    block = next(b for b in story.article.blocks if b.kind == "caption")
    blocks = tuple(dataclasses.replace(b, image="a.jpg") if b is block else b for b in story.article.blocks)
    article = dataclasses.replace(story.article, blocks=blocks)
    return dataclasses.replace(
        page, story=dataclasses.replace(story, card=card, article=article, photos=(("a.jpg", PHOTO),))
    )


def samples(site) -> list:
    """A record of every kind, each holding as much as the sample site gives it."""
    pages, feeds = records(site)
    chosen: dict[type, object] = {}
    for page in pages:
        kind = type(page)
        if kind.__name__ == "ArticlePage":
            if (
                page.previous
                and page.next
                and page.related
                and any(b.kind == "caption" for b in page.story.article.blocks)
            ):
                chosen[kind] = with_a_photo(page)
        elif kind not in chosen or kind.__name__ in ("TermPage", "PersonPage") and len(page.items) > 1:
            chosen.setdefault(kind, page)
    full = next(f for f in feeds if f.format == "atom" and not f.lean)
    lean = next(f for f in feeds if f.lean)
    if not full.stories:  # the sample site's feeds carry summaries: a feed with the text too
        full = dataclasses.replace(
            full,
            stories=tuple(p.story for p in pages if type(p).__name__ == "ArticlePage")[:2],
            entries=full.entries[:2],
        )
    return [*chosen.values(), full, lean]


def leaves(value, path=(), from_source=False):
    """(path, value, read from a source file) of every value a record holds, down to plain values."""
    if dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if field.metadata == MESSAGES_ONLY or not field.init:  # see the test below; a field made of
                continue  # others (Article.path: its date and slug) changes with them
            inner = getattr(value, field.name)
            yield from leaves(
                inner,
                (*path, field.name),
                from_source or (field.metadata == FROM_SOURCE and type(value) in (Article, Source)),
            )
    elif isinstance(value, (tuple, Blocks)):
        if value:
            yield path, value, from_source  # the tuple itself: one element less
        for n, item in enumerate(value):
            yield from leaves(item, (*path, n), from_source)
    elif value is not None:
        yield path, value, from_source


def changed(value):
    """Another value of the same type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "变"
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    if isinstance(value, (tuple, Blocks)):
        return tuple(value)[:-1]
    raise AssertionError(f"no other value for a {type(value).__name__}")


def replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, (tuple, Blocks)):
        return (*value[:head], replaced(value[head], rest, new), *value[head + 1 :])
    return dataclasses.replace(value, **{head: replaced(getattr(value, head), rest, new)})


def redigested(value, path):
    """The record with the Source of the article on `path` read from other bytes (a new digest)."""
    for n in range(len(path), -1, -1):
        holder = value
        for step in path[:n]:
            holder = holder[step] if isinstance(holder, (tuple, Blocks)) else getattr(holder, step)
        if isinstance(holder, (Article, Source)):
            where = (*path[:n], "source", "digest") if isinstance(holder, Article) else (*path[:n], "digest")
            return replaced(value, where, "another file's digest")
    raise AssertionError(f"no source above {path}")


def fingerprint(record) -> str:
    return Fingerprints("constants").record(record)


def test_every_value_a_record_holds_is_in_its_fingerprint(site):
    checked = 0
    for record in samples(site):
        before = fingerprint(record)
        for path, value, from_source in leaves(record):
            if isinstance(value, (tuple, Blocks)) and not value:
                continue
            other = replaced(record, path, changed(value))
            if from_source:  # the file's digest stands for it: it changes only with the file's bytes
                assert fingerprint(other) == before, (type(record).__name__, path)
                other = redigested(other, path)
            assert fingerprint(other) != before, (type(record).__name__, path)
            checked += 1
    assert checked > 1000  # the walk reached deep into every kind of record


def test_the_name_messages_give_a_source_file_is_not_in_any_fingerprint(site):
    """Source.path, a file's name in messages, depends on the working folder (shown_path): no page
    shows it (`rel` names the file), and a build from another working folder renders nothing again."""
    assert [f.name for f in dataclasses.fields(Source) if f.metadata == MESSAGES_ONLY] == ["path"]
    checked = 0
    for record in samples(site):
        held = {path[: path.index("source") + 1] for path, _, _ in leaves(record) if "source" in path}
        for path in sorted(held, key=str):
            other = replaced(record, (*path, "path"), "/elsewhere/a-page.md")
            assert fingerprint(other) == fingerprint(record), (type(record).__name__, path)
            checked += 1
    assert checked >= 3  # the sources the samples' articles and stories hold


def test_the_samples_hold_every_kind_of_record(site):
    kinds = {type(r).__name__ for r in samples(site)}
    assert kinds == {
        "HomePage",
        "ArticlePage",
        "EditionPage",
        "DayPage",
        "ArchivePage",
        "TopicsPage",
        "RegionsPage",
        "TermPage",
        "PeoplePage",
        "PersonPage",
        "SearchPage",
        "NotFoundPage",
        "Feed",
    }


def test_a_view_is_made_from_its_record_alone(site, tmp_path):
    """The Presenter has no Site: given the record, the theme's strings and the configuration, it
    makes the page the build wrote."""
    options = sample_options(tmp_path / "site")
    assert pipeline.build(options).ok
    theme = render.Theme(options.theme, site.config.language)
    renderer = render.Renderer(site.config, theme)
    assert not hasattr(renderer.presenter, "site")
    assert set(Presenter.__init__.__code__.co_varnames[1:4]) == {"config", "strings", "assets"}
    pages, _ = records(site)
    for page in pages:
        assert renderer.page(page) == (tmp_path / "site" / render.output_name(page.path)).read_bytes(), page.path


def test_a_build_leaves_its_records_to_be_freed_without_the_cycle_collector(tmp_path):
    """A build's records are freed by their counts alone: held in a cycle (the fingerprints' readers
    held every article and card), they would wait for a collection that walks them all, which the
    command's build never runs (cli.main)."""
    from newsdigest.model import Card

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds is kept in gc.garbage, to be seen
    try:
        pipeline.build(dataclasses.replace(sample_options(tmp_path / "site"), jobs=1, cache=False))
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if isinstance(o, (Article, Card))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert not left, left[:5]
