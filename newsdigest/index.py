"""Step 4, index: Articles -> the site's structure: editions, days, taxonomy listings, pages.

Everything here is ordered explicitly, so that two builds of the same input are identical.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass

from . import parallel
from .config import Config
from .model import Article, Edition, Page, Source
from .write import digest


def page_label_key(label: str) -> tuple:
    """Natural order of page labels: A2 < A10 < B1; 第3版 < 第12版."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", label))


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.date.toordinal(), a.source.path, a.index))


@dataclass(frozen=True)
class Listing:
    """A term's articles, newest first. For regions, `via` names the sub-region each came from."""

    slug: str
    articles: tuple[Article, ...]
    via: dict  # article path -> sub-region slug ('' when the article is filed under the term itself)


@dataclass(frozen=True)
class PersonListing:
    """Everything one person signed or shot, newest first, and the roles they were named with."""

    slug: str
    name: str
    roles: tuple[str, ...]  # most frequent first
    articles: tuple[Article, ...]
    role_of: dict  # article path -> role(s) in that article, e.g. "记者" or "文/摄"


@dataclass(frozen=True)
class Site:
    config: Config
    articles: tuple[Article, ...]  # in date, page and printed order
    editions: tuple[Edition, ...]  # in date and page order
    days: dict  # date -> tuple of Editions
    topics: dict  # slug -> Listing
    regions: dict  # slug -> Listing (rolled up)
    region_children: dict  # slug -> child slugs that have articles, in config order
    related: dict  # article path -> tuple of Articles
    neighbours: dict  # article path -> (previous, next) on the same printed page
    people: dict  # person slug -> PersonListing, by slug
    photos: dict  # (digest path, image as written) -> images.Photo


def ancestors(slug: str, parents: dict[str, str]) -> list[str]:
    """slug's parent, grandparent ... up to the root."""
    chain = []
    parent = parents.get(slug, "")
    while parent:
        chain.append(parent)
        parent = parents.get(parent, "")
    return chain


RELATED_WINDOW = 50  # per shared term, the articles nearest in time that are considered
RELATED_BATCH = 2000  # articles a worker process finds the related articles of at a time


def _chains(parents: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Each region's slug followed by its ancestors, up to the root: computed once per region."""
    return {slug: (slug, *ancestors(slug, parents)) for slug in parents}


def _chain(slug: str, chains: dict, parents: dict[str, str]) -> tuple[str, ...]:
    """slug and its ancestors (a slug the config does not know is its own root)."""
    return chains.get(slug) or (slug, *ancestors(slug, parents))


def _related(articles: list[Article], parents: dict[str, str], count: int, jobs: int = 1,
             memo: dict | None = None) -> dict:
    """Up to `count` articles sharing the most topics and regions (rolled up); among equals the
    nearest in time. Per term only the RELATED_WINDOW articles nearest in time are candidates, so
    the work grows with the number of articles, not its square. Shared by `jobs` processes.

    `memo`, a dict the caller keeps between builds, holds what the last build read and found. When
    the articles are the same (an edit of an article's text changes nothing here), or the same
    with new ones after them all in time (a new day), only the new articles and those whose
    candidates now take in a new one are worked out again."""
    timeline = sorted(articles, key=lambda a: (a.date, a.source.path, a.index))  # rank: position here
    chains = _chains(parents)
    terms = [{("t", s) for s in a.topics} | {("r", s) for r in a.regions for s in _chain(r, chains, parents)}
             for a in timeline]
    holders: dict = defaultdict(list)  # term -> ranks of the articles holding it, in time order
    for rank, held in enumerate(terms):
        for term in held:
            holders[term].append(rank)
    position = {term: {rank: n for n, rank in enumerate(members)} for term, members in holders.items()}

    def best(rank: int) -> tuple[int, ...]:
        windows = []
        for term in terms[rank]:
            members, at = holders[term], position[term][rank]
            windows.append(members[max(0, at - RELATED_WINDOW): at + RELATED_WINDOW + 1])
        shared = Counter(itertools.chain.from_iterable(windows))  # rank -> number of terms shared
        del shared[rank]
        if not shared or count < 1:
            return ()
        # Only candidates sharing at least as many terms as the count-th best can make the cut.
        least = sorted(shared.values(), reverse=True)[:count][-1]
        # most terms shared first, then the nearest in time, then the later one (keys are unique)
        return tuple(other for *_, other in
                     sorted((-n, abs(other - rank), -other, other) for other, n in shared.items() if n >= least)[:count])

    found: list = []  # rank -> the ranks of its related articles, as far as the last build's hold
    todo = range(len(timeline))
    if memo is not None:
        setup = digest(repr((count, RELATED_WINDOW, sorted(parents.items()))).encode())
        reads = [repr((a.path, a.date, a.source.path, a.index, a.topics, a.regions)) for a in timeline]
        before = memo.get("reads", ()) if memo.get("setup") == setup else ()
        if before and reads[:len(before)] == before:  # the last build's articles, maybe new ones after them
            found = list(memo["ranks"])
            todo = _touched(len(before), terms, holders)
        memo.update(setup=setup, reads=reads)
    ranks = parallel.batched_map(lambda chunk: [best(rank) for rank in chunk], todo, jobs, RELATED_BATCH)
    found[len(found):] = [()] * (len(timeline) - len(found))
    for rank, others in zip(todo, ranks):
        found[rank] = others
    if memo is not None:
        memo["ranks"] = found
    related = {article.path: tuple(timeline[other] for other in found[rank]) for rank, article in enumerate(timeline)}
    return {article.path: related[article.path] for article in articles}


def _touched(old: int, terms: list, holders: dict) -> list[int]:
    """The ranks whose related articles may differ once the articles from rank `old` on are added
    after the others: those, and each article that has one of them among the RELATED_WINDOW
    nearest holders of one of its terms (the last RELATED_WINDOW holders before them)."""
    touched = set(range(old, len(terms)))
    for term in set().union(*terms[old:]):
        members = holders[term]
        first = bisect_left(members, old)
        touched.update(members[max(0, first - RELATED_WINDOW): first])
    return sorted(touched)


def build(articles: list[Article], edition_slugs: dict[str, str], sources: list[Source], config: Config,
          photos: dict | None = None, memo: dict | None = None, jobs: int = 1) -> Site:
    """The site's structure. `memo`, a dict kept between builds, spares recomputing related articles;
    `jobs` processes share their computing."""
    by_source: dict = defaultdict(list)
    for article in articles:
        by_source[article.source.path].append(article)
    editions = sorted(
        (Edition(s, edition_slugs[s.path], tuple(by_source[s.path])) for s in sources),
        key=lambda e: (e.source.date, page_label_key(e.source.page), e.source.path),
    )
    days: dict = defaultdict(list)
    for edition in editions:
        days[edition.source.date].append(edition)
    ordered = [a for e in editions for a in e.articles]
    newest = newest_first(ordered)

    in_topic: dict = defaultdict(list)
    for article in newest:
        for slug in dict.fromkeys(article.topics):
            in_topic[slug].append(article)
    topics = {t.slug: Listing(t.slug, tuple(in_topic[t.slug]), {}) for t in config.topics if in_topic.get(t.slug)}
    parents = {t.slug: t.parent for t in config.regions}
    chains = _chains(parents)
    in_region: dict = defaultdict(list)
    via: dict = defaultdict(dict)  # region slug -> {article path: the sub-region it came through}
    for article in newest:
        filed = set()  # the regions this article is already filed under (through an earlier region)
        for region in article.regions:
            chain = _chain(region, chains, parents)
            for depth, slug in enumerate(chain):
                if slug not in filed:
                    filed.add(slug)
                    in_region[slug].append(article)
                    via[slug][article.path] = chain[depth - 1] if depth else ""
    regions = {t.slug: Listing(t.slug, tuple(in_region[t.slug]), via[t.slug])
               for t in config.regions if in_region.get(t.slug)}
    children = defaultdict(list)
    for term in config.regions:
        if term.parent and term.slug in regions:
            children[term.parent].append(term.slug)

    neighbours = {}
    for edition in editions:
        items = edition.articles
        for i, article in enumerate(items):
            neighbours[article.path] = (items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None)
    return Site(config, tuple(ordered), tuple(editions), {d: tuple(e) for d, e in days.items()}, topics, regions,
                dict(children), _related(ordered, parents, config.related, jobs, memo), neighbours, _people(newest),
                photos or {})


def _people(newest: list[Article]) -> dict:
    found: dict = {}
    for article in newest:
        for person in article.contributors:
            entry = found.setdefault(person.slug, {"name": person.name, "roles": defaultdict(int), "articles": {}})
            entry["roles"][person.role] += 1
            roles = entry["articles"].setdefault(article.path, (article, []))[1]
            if person.role not in roles:
                roles.append(person.role)
    return {slug: PersonListing(slug, e["name"], tuple(sorted(e["roles"], key=lambda r: (-e["roles"][r], r))),
                                tuple(a for a, _ in e["articles"].values()),
                                {path: "、".join(roles) for path, (_, roles) in e["articles"].items()})
            for slug, e in sorted(found.items())}


def _paginate(path: str, template: str, items: tuple, size: int, **data) -> list[Page]:
    """Pages of `size` items: path, path/page/2/, ... each knowing its neighbours."""
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [()]
    paths = [path] + [f"{path}page/{n}/" for n in range(2, len(chunks) + 1)]
    pages = []
    for n, chunk in enumerate(chunks):
        pager = {"number": n + 1, "count": len(chunks),
                 "previous": paths[n - 1] if n else "", "next": paths[n + 1] if n + 1 < len(chunks) else ""}
        lastmod = max((a.date for a in chunk), default=None)
        pages.append(Page(paths[n], template, dict(data, items=chunk, pager=pager), lastmod))
    return pages


def pages(site: Site) -> list[Page]:
    """Every HTML page of the site, in a fixed order."""
    config = site.config
    out: list[Page] = []
    latest = max(site.days) if site.days else None
    leads = tuple(e.articles[0] for e in site.days.get(latest, ()) if e.articles)
    lead_paths = {a.path for a in leads}
    recent = tuple(a for a in newest_first(site.articles) if a.path not in lead_paths)[: config.home_recent]
    out.append(Page("", "home.html", {"date": latest, "leads": leads, "recent": recent}, latest))
    for article in site.articles:
        previous, following = site.neighbours[article.path]
        out.append(Page(article.path, "article.html", {
            "article": article, "previous": previous, "next": following,
            "related": site.related[article.path]}, article.date))
    for edition in site.editions:
        out.append(Page(edition.path, "edition.html", {"edition": edition}, edition.source.date))
    for day, editions in sorted(site.days.items()):
        out.append(Page(f"{day:%Y/%m/%d}/", "day.html", {"date": day, "editions": editions}, day))
    months: dict = defaultdict(list)
    for day in sorted(site.days, reverse=True):
        months[(day.year, day.month)].append((day, site.days[day]))
    out.append(Page("archive/", "archive.html",
                    {"months": [(dt.date(y, m, 1), days) for (y, m), days in months.items()]}, latest))
    out.append(Page("topics/", "topics.html", {"terms": [(t, site.topics[t.slug]) for t in config.topics
                                                          if t.slug in site.topics]}, latest))
    for term in config.topics:
        if term.slug in site.topics:
            out += _paginate(f"topics/{term.slug}/", "term.html", site.topics[term.slug].articles,
                             config.page_size, term=term, listing=site.topics[term.slug])
    roots = [t for t in config.regions if not t.parent and t.slug in site.regions]
    out.append(Page("regions/", "regions.html", {"roots": roots}, latest))
    for term in config.regions:
        if term.slug in site.regions:
            out += _paginate(f"regions/{term.slug}/", "term.html", site.regions[term.slug].articles,
                             config.page_size, term=term, listing=site.regions[term.slug])
    out.append(Page("people/", "people.html", {"people": site.people}, latest))
    for slug, listing in site.people.items():
        out += _paginate(f"people/{slug}/", "person.html", listing.articles, config.page_size, person=listing)
    if config.search:
        out.append(Page("search/", "search.html", {}, latest))
    out.append(Page("404.html", "404.html", {}))
    return out
