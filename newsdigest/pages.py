"""Step 5, pages: the Site -> one record per output page and per feed (model.Page, model.Feed).

A record holds everything its page shows, read from the Site here and nowhere else: the views
(views.py, pageviews.py) are made from the record alone, and so is the page's fingerprint
(fingerprint.py).
Everything is ordered explicitly, so that two builds of the same input are identical.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import PurePosixPath

from . import listings
from .index import ancestors, newest_first
from .model import (
    ArchivePage,
    Area,
    Article,
    ArticlePage,
    Block,
    Card,
    DayPage,
    Edition,
    EditionLink,
    EditionPage,
    Feed,
    Figure,
    HomePage,
    NotFoundPage,
    Page,
    Photo,
    SearchPage,
    Site,
    Story,
    Term,
)


class Parts:
    """The cards, stories and edition links of one Site, each made once and shared by every
    record that shows it (so a fingerprint reads each once)."""

    def __init__(self, site: Site):
        self.site = site
        self.topics, self.regions = site.config.topic, site.config.region
        self.terms: dict = {}  # (kind, slugs) -> their Terms, one tuple shared by the cards showing them
        self.cards = {a.path: self._card(a) for a in site.articles}
        # each article as a listing shows it with nothing beside its card, made once for every listing
        self.listed = {path: (card, "") for path, card in self.cards.items()}
        self.links = {e.source.path: edition_link(e) for e in site.editions}
        self.region_names = {slug: t.name for slug, t in self.regions.items()}  # and "" -> ""
        self.region_names[""] = ""

    def _photos(self, article: Article) -> list[tuple[Block, Photo]]:
        """The article's blocks that show a photo, with it (a continued part's: from its own page)."""
        found = self.site.photos
        return [(b, found[s.path, b.image]) for b, s in article.sourced_photos() if (s.path, b.image) in found]

    def _card(self, article: Article) -> Card:
        first = next(iter(self._photos(article)), None)
        photo = Figure(first[1], first[0].alt or first[0].text) if first else None
        return Card(
            article.path,
            article.slug,
            article.title,
            article.kicker,
            article.subtitle,
            article.date,
            article.source.publication,
            article.source.page,
            article.summary,
            article.authors,
            self._terms("topic", article.topics),
            self._terms("region", article.regions),
            photo,
        )

    def _terms(self, kind: str, slugs: tuple[str, ...]) -> tuple[Term, ...]:
        found = self.terms.get((kind, slugs))
        if found is None:
            terms = self.topics if kind == "topic" else self.regions
            found = self.terms[kind, slugs] = tuple([terms[s] for s in slugs])
        return found

    def story(self, article: Article) -> Story:
        return Story(self.cards[article.path], article, tuple((b.image, p) for b, p in self._photos(article)))

    def of(self, articles) -> tuple[Card, ...]:
        return tuple([self.cards[a.path] for a in articles])


def edition_link(edition: Edition) -> EditionLink:
    source = edition.source
    stem = PurePosixPath(source.path).stem.replace(source.date.isoformat(), "").strip("-_ ")
    return EditionLink(edition.path, source.date, source.page, source.title, source.publication, stem or edition.slug)


def _articles(site: Site, parts: Parts) -> list[Page]:
    out: list[Page] = []
    for article in site.articles:
        previous, following = site.neighbours[article.path]
        out.append(
            ArticlePage(
                article.path,
                article.date,
                parts.story(article),
                parts.links[article.source.path],
                parts.cards[previous.path] if previous else None,
                parts.cards[following.path] if following else None,
                parts.of(site.related[article.path]),
                tuple([parts.links[c.source.path] for c in article.continued]),
            )
        )
    out += _editions(site, parts)
    return out


def _editions(site: Site, parts: Parts) -> list[Page]:
    """The printed pages and the day pages, each linked to its neighbours: a page to the page before
    and after it (across days at the ends of an issue), a day to the days before and after it."""
    days = sorted(site.days)
    previous_day = dict(zip(days[1:], days))
    next_day = dict(zip(days, days[1:]))
    links = [parts.links[e.source.path] for e in site.editions]  # by date, then page: reading order
    shown = {e.source.path: parts.of(printed(e)) for e in site.editions}  # on its page and its day's
    out: list[Page] = []
    for n, edition in enumerate(site.editions):
        date = edition.source.date
        scan = site.scans.get(edition.source.path)
        out.append(
            EditionPage(
                edition.path,
                date,
                links[n],
                shown[edition.source.path],
                parts.of(a for _, a in edition.continued),
                tuple(parts.links[e.source.path] for e in site.days[date]),
                links[n - 1] if n else None,
                links[n + 1] if n + 1 < len(links) else None,
                previous_day.get(date),
                next_day.get(date),
                scan,
                tuple(Area(parts.cards[path], *box) for path, box in site.areas.get(edition.source.path, ())),
            )
        )
    for day in days:
        out.append(
            DayPage(
                f"{day:%Y/%m/%d}/",
                day,
                day,
                tuple((parts.links[e.source.path], shown[e.source.path]) for e in site.days[day]),
                previous_day.get(day),
                next_day.get(day),
            )
        )
    return out


def printed(edition: Edition) -> list[Article]:
    """A printed page's stories in printed order: its own, and those of other pages going on here."""
    if not edition.continued:
        return list(edition.articles)
    placed = [(a.index, 0, a) for a in edition.articles] + [(i, 1, a) for i, a in edition.continued]
    return [a for _, _, a in sorted(placed, key=lambda x: x[:2])]


def _archive(site: Site, latest) -> ArchivePage:
    months: dict = defaultdict(list)
    for day in sorted(site.days, reverse=True):
        months[(day.year, day.month)].append((day, len(site.days[day])))
    return ArchivePage("archive/", latest, tuple((dt.date(y, m, 1), tuple(days)) for (y, m), days in months.items()))


def _search(site: Site, latest) -> SearchPage:
    parents = site.config.parents
    return SearchPage(
        "search/",
        latest,
        tuple(t for t in site.config.topics if t.slug in site.topics),
        tuple((t, len(ancestors(t.slug, parents))) for t in site.config.regions if t.slug in site.regions),
    )


def front_page(editions: tuple[Edition, ...]) -> Edition | None:
    """A day's front page: its 第1版 (labelled 1, 01, A1 or A01), else its first page."""
    for edition in editions:
        if edition.source.page.upper().lstrip("A").lstrip("0") == "1":
            return edition
    return editions[0] if editions else None


def _home(site: Site, parts: Parts, latest: dt.date | None, newest: list[Article]) -> HomePage:
    """The newest issue as the paper printed it: the front page's articles in printed order, the
    day's other pages with their lead stories, then the newest articles not on the front page."""
    editions = site.days.get(latest, ()) if latest else ()
    front = front_page(editions)
    shown = {a.path for a in front.articles} if front else set()
    recent = tuple(itertools.islice((a for a in newest if a.path not in shown), site.config.home_recent))
    return HomePage(
        "",
        latest,
        latest,
        parts.links[front.source.path] if front else None,
        parts.of(front.articles) if front else (),
        tuple(
            (parts.links[e.source.path], parts.cards[e.articles[0].path] if e.articles else None)
            for e in editions
            if e is not front
        ),
        parts.of(recent),
    )


def _pages(site: Site, parts: Parts, newest: list[Article]) -> list[Page]:
    """Every HTML page of the site, in a fixed order."""
    latest = max(site.days) if site.days else None
    out: list[Page] = [_home(site, parts, latest, newest)]
    out += _articles(site, parts)
    out.append(_archive(site, latest))
    out += listings.terms(site, parts, latest)
    out += listings.people(site, parts, latest)
    if site.config.search:
        out.append(_search(site, latest))
    out.append(NotFoundPage("404.html", None))
    return out


def _feeds(site: Site, parts: Parts, newest: list[Article]) -> list[Feed]:
    """The site's Atom and JSON feeds (with the articles' text when feed_full_content), and a lean
    Atom feed (summaries) per topic, region and person."""
    config = site.config
    title, size = config.title, config.feed_size
    newest = newest[:size]
    stories = tuple(parts.story(a) for a in newest) if config.feed_full_content else ()
    out = [
        Feed("feed.xml", title, "", parts.of(newest), stories),
        Feed("feed.json", title, "", parts.of(newest), stories, "json"),
    ]
    for section, terms, listed in (("topics", config.topics, site.topics), ("regions", config.regions, site.regions)):
        out += [
            Feed(
                f"{section}/{t.slug}/feed.xml",
                f"{t.name} - {title}",
                f"{section}/{t.slug}/",
                parts.of(listed[t.slug].articles[:size]),
                (),
                lean=True,
            )
            for t in terms
            if t.slug in listed
        ]
    out += [
        Feed(
            f"people/{slug}/feed.xml",
            f"{listing.name} - {title}",
            f"people/{slug}/",
            parts.of(listing.articles[:size]),
            (),
            lean=True,
        )
        for slug, listing in site.people.items()
    ]
    return out


def records(site: Site) -> tuple[list[Page], list[Feed]]:
    """Every page's record and every feed's, sharing their cards."""
    parts, newest = Parts(site), newest_first(site.articles)
    return _pages(site, parts, newest), _feeds(site, parts, newest)


def pages(site: Site) -> list[Page]:
    return records(site)[0]
