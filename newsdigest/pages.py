"""Step 5, pages: the Site -> one record per output page and per feed (model.Page, model.Feed).

A record holds everything its page shows, read from the Site here and nowhere else: the views
(views.py, pageviews.py) are made from the record alone, and so is the page's fingerprint
(fingerprint.py).
Everything is ordered explicitly, so that two builds of the same input are identical.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import PurePosixPath

from .index import ancestors, newest_first
from .model import (
    ArchivePage,
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
    Pager,
    PeoplePage,
    PersonPage,
    Photo,
    RegionNode,
    RegionsPage,
    SearchPage,
    Site,
    Story,
    Term,
    TermPage,
    TopicsPage,
)

ROLE_ORDER = (
    "记者",
    "首席记者",
    "见习记者",
    "特约记者",
    "特派记者",
    "实习记者",
    "摄影记者",
    "通讯员",
    "特约通讯员",
    "文",
    "图",
    "文/摄",
    "文/图",
    "图/文",
    "摄影",
    "整理",
    "执笔",
    "采写",
    "参与采写",
    "实习生",
    "撰稿",
    "编辑",
)


class _Parts:
    """The cards, stories and edition links of one Site, each made once and shared by every
    record that shows it (so a fingerprint reads each once)."""

    def __init__(self, site: Site):
        self.site = site
        self.topics, self.regions = site.config.topic, site.config.region
        self.illustrated = {path for path, _ in site.photos}  # the sources with photos
        self.cards = {a.path: self._card(a) for a in site.articles}
        self.links = {e.source.path: edition_link(e) for e in site.editions}
        self.region_names = {slug: t.name for slug, t in self.regions.items()}  # and "" -> ""
        self.region_names[""] = ""

    def _photos(self, article: Article) -> list[tuple[Block, Photo]]:
        """The article's blocks that show a photo, with it."""
        if article.source.path not in self.illustrated:
            return []
        found, path = self.site.photos, article.source.path
        return [(b, found[path, b.image]) for b in article.blocks if b.image and (path, b.image) in found]

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
            tuple(self.topics[s] for s in article.topics),
            tuple(self.regions[s] for s in article.regions),
            photo,
        )

    def story(self, article: Article) -> Story:
        return Story(self.cards[article.path], article, tuple((b.image, p) for b, p in self._photos(article)))

    def of(self, articles) -> tuple[Card, ...]:
        return tuple([self.cards[a.path] for a in articles])


def edition_link(edition: Edition) -> EditionLink:
    source = edition.source
    stem = PurePosixPath(source.path).stem.replace(source.date.isoformat(), "").strip("-_ ")
    return EditionLink(edition.path, source.date, source.page, source.title, source.publication, stem or edition.slug)


def _paginate(path: str, items: tuple, size: int, make) -> list[Page]:
    """Pages of `size` items: path, path/page/2/, ... each knowing its neighbours; make(path,
    lastmod, items, pager) makes each record."""
    chunks = [items[i : i + size] for i in range(0, len(items), size)] or [()]
    paths = [path] + [f"{path}page/{n}/" for n in range(2, len(chunks) + 1)]
    return [
        make(
            paths[n],
            max((card.date for card, _ in chunk), default=None),
            chunk,
            Pager(n + 1, len(chunks), paths[n - 1] if n else "", paths[n + 1] if n + 1 < len(chunks) else ""),
        )
        for n, chunk in enumerate(chunks)
    ]


def _articles(site: Site, parts: _Parts) -> list[Page]:
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
            )
        )
    for edition in site.editions:
        out.append(
            EditionPage(edition.path, edition.source.date, parts.links[edition.source.path], parts.of(edition.articles))
        )
    for day, editions in sorted(site.days.items()):
        out.append(
            DayPage(
                f"{day:%Y/%m/%d}/",
                day,
                day,
                tuple((parts.links[e.source.path], parts.of(e.articles)) for e in editions),
            )
        )
    return out


def _archive(site: Site, parts: _Parts, latest) -> ArchivePage:
    months: dict = defaultdict(list)
    for day in sorted(site.days, reverse=True):
        months[(day.year, day.month)].append((day, tuple(parts.links[e.source.path] for e in site.days[day])))
    return ArchivePage("archive/", latest, tuple((dt.date(y, m, 1), tuple(days)) for (y, m), days in months.items()))


def _region_node(site: Site, parts: _Parts, slug: str) -> RegionNode:
    return RegionNode(
        parts.regions[slug],
        len(site.regions[slug].articles),
        tuple(_region_node(site, parts, c) for c in site.region_children.get(slug, ())),
    )


def _terms(site: Site, parts: _Parts, latest) -> list[Page]:
    config = site.config
    out: list[Page] = [
        TopicsPage(
            "topics/",
            latest,
            tuple((t, len(site.topics[t.slug].articles)) for t in config.topics if t.slug in site.topics),
        )
    ]
    for section, terms, listings in (("topics", config.topics, site.topics), ("regions", config.regions, site.regions)):
        if section == "regions":
            out.append(
                RegionsPage(
                    "regions/",
                    latest,
                    tuple(_region_node(site, parts, t.slug) for t in terms if not t.parent and t.slug in listings),
                )
            )
        for term in terms:
            if term.slug in listings:
                out += _term_pages(site, parts, f"{section}/{term.slug}/", term)
    return out


def _term_pages(site: Site, parts: _Parts, path: str, term: Term) -> list[Page]:
    region = term.kind == "region"
    listing = (site.regions if region else site.topics)[term.slug]
    via, cards, names = listing.via, parts.cards, parts.region_names
    items = tuple([(cards[a.path], names[via.get(a.path, "")]) for a in listing.articles])
    parents = site.config.parents
    trail = (
        tuple(parts.regions[s].name for s in reversed([term.slug, *ancestors(term.slug, parents)])) if region else ()
    )
    children = (
        tuple((parts.regions[c], len(site.regions[c].articles)) for c in site.region_children.get(term.slug, ()))
        if region
        else ()
    )
    return _paginate(
        path,
        items,
        site.config.page_size,
        lambda path, lastmod, chunk, pager: TermPage(
            path, lastmod, term, len(listing.articles), chunk, trail, children if pager.number == 1 else (), pager
        ),
    )


def _people(site: Site, parts: _Parts, latest) -> list[Page]:
    groups: dict[str, list] = {}
    for listing in site.people.values():
        for role in listing.roles:
            count = sum(role in r.split("、") for r in listing.role_of.values())
            groups.setdefault(role, []).append((listing.name, listing.slug, count))
    order = {role: n for n, role in enumerate(ROLE_ORDER)}
    out: list[Page] = [
        PeoplePage(
            "people/",
            latest,
            tuple(
                (role, tuple(sorted(people, key=lambda p: (-p[2], p[0]))))
                for role, people in sorted(groups.items(), key=lambda g: (order.get(g[0], 99), g[0]))
            ),
        )
    ]
    for slug, listing in site.people.items():
        items = tuple([(parts.cards[a.path], listing.role_of[a.path]) for a in listing.articles])
        out += _paginate(
            f"people/{slug}/",
            items,
            site.config.page_size,
            lambda path, lastmod, chunk, pager, listing=listing: PersonPage(
                path, lastmod, listing.slug, listing.name, listing.roles, len(listing.articles), chunk, pager
            ),
        )
    return out


def _search(site: Site, latest) -> SearchPage:
    parents = site.config.parents
    return SearchPage(
        "search/",
        latest,
        tuple(t for t in site.config.topics if t.slug in site.topics),
        tuple((t, len(ancestors(t.slug, parents))) for t in site.config.regions if t.slug in site.regions),
    )


def _pages(site: Site, parts: _Parts) -> list[Page]:
    """Every HTML page of the site, in a fixed order."""
    latest = max(site.days) if site.days else None
    leads = tuple(e.articles[0] for e in site.days.get(latest, ()) if e.articles) if latest else ()
    lead_paths = {a.path for a in leads}
    recent = tuple(a for a in newest_first(site.articles) if a.path not in lead_paths)[: site.config.home_recent]
    out: list[Page] = [HomePage("", latest, latest, parts.of(leads), parts.of(recent))]
    out += _articles(site, parts)
    out.append(_archive(site, parts, latest))
    out += _terms(site, parts, latest)
    out += _people(site, parts, latest)
    if site.config.search:
        out.append(_search(site, latest))
    out.append(NotFoundPage("404.html", None))
    return out


def _feeds(site: Site, parts: _Parts) -> list[Feed]:
    """The site's Atom and JSON feeds (with the articles' text when feed_full_content), and a lean
    Atom feed (summaries) per topic, region and person."""
    config = site.config
    title, size = config.title, config.feed_size
    newest = newest_first(site.articles)[:size]
    stories = tuple(parts.story(a) for a in newest) if config.feed_full_content else ()
    out = [
        Feed("feed.xml", title, "", parts.of(newest), stories),
        Feed("feed.json", title, "", parts.of(newest), stories, "json"),
    ]
    for section, terms, listings in (("topics", config.topics, site.topics), ("regions", config.regions, site.regions)):
        out += [
            Feed(
                f"{section}/{t.slug}/feed.xml",
                f"{t.name} - {title}",
                f"{section}/{t.slug}/",
                parts.of(listings[t.slug].articles[:size]),
                (),
                lean=True,
            )
            for t in terms
            if t.slug in listings
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
    parts = _Parts(site)
    return _pages(site, parts), _feeds(site, parts)


def pages(site: Site) -> list[Page]:
    return records(site)[0]
