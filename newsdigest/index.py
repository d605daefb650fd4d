"""Step 4, index: Articles -> the site's structure: editions, days, topic, region and people
listings, each article's neighbours on its page and its related articles.

Everything here is ordered explicitly, so that two builds of the same input are identical.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import Counter, defaultdict

from . import parallel
from .config import Config
from .hashes import digest
from .model import Article, Edition, Listing, PersonListing, Site, Source


def page_label_key(label: str) -> tuple:
    """Natural order of page labels: A2 < A10 < B1; 第3版 < 第12版."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", label))


def newest_first(articles) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.source.date.toordinal(), a.source.rel, a.source.path, a.index))


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


def _related(
    articles: list[Article], parents: dict[str, str], count: int, jobs: int = 1, memo: dict | None = None
) -> dict:
    """Up to `count` articles sharing the most topics and regions (rolled up); among equals the
    nearest in time. Per term only the RELATED_WINDOW articles nearest in time are candidates, so
    the work grows with the number of articles, not its square. Shared by `jobs` processes.

    `memo`, a dict the caller keeps between builds, holds what the last build read and found. When
    the articles are the same (an edit of an article's text changes nothing here), nothing is
    worked out again; when they are the same with new ones after them all in time (a new day),
    only the new articles and those whose candidates now take in a new one."""
    order = sorted(
        range(len(articles)),
        key=lambda n: (articles[n].date, articles[n].source.rel, articles[n].source.path, articles[n].index),
    )
    timeline = [articles[n] for n in order]  # rank: position here
    found: list = []  # rank -> the ranks of its related articles, as far as the last build's hold
    new = 0  # the ranks from here on are not the last build's (all of them, without the memo)
    if memo is not None:
        setup = digest(repr((count, RELATED_WINDOW, sorted(parents.items()))).encode())
        reads = [repr((a.path, a.date, a.source.path, a.index, a.topics, a.regions)) for a in timeline]
        before = memo.get("reads", ()) if memo.get("setup") == setup else ()
        if before and reads[: len(before)] == before:  # the last build's articles, maybe new ones after them
            found, new = list(memo["ranks"]), len(before)
        memo.update(setup=setup, reads=reads)
    if new < len(timeline):  # else the articles are the last build's, and so are their related articles
        terms, holders = _terms(timeline, parents)
        best = _best(terms, holders, count)
        todo = _touched(new, terms, holders) if new else list(range(len(timeline)))
        ranks = parallel.batched_map(lambda chunk: [best(rank) for rank in chunk], todo, jobs, RELATED_BATCH)
        found[len(found) :] = [()] * (len(timeline) - len(found))
        for rank, others in zip(todo, ranks):
            found[rank] = others
    if memo is not None:
        memo["ranks"] = found
    rank_of = [0] * len(order)  # an article's position in `articles` -> its rank
    for rank, n in enumerate(order):
        rank_of[n] = rank
    return {a.path: tuple([timeline[other] for other in found[rank_of[n]]]) for n, a in enumerate(articles)}


def _terms(timeline: list[Article], parents: dict[str, str]) -> tuple[list[set], dict]:
    """Each article's terms, by rank: its topics ("t", slug) and its regions rolled up ("r", slug);
    and each term's holders: the ranks of the articles holding it, in time order."""
    chains = _chains(parents)
    terms = [
        {("t", s) for s in a.topics} | {("r", s) for r in a.regions for s in _chain(r, chains, parents)}
        for a in timeline
    ]
    holders: dict = defaultdict(list)
    for rank, held in enumerate(terms):
        for term in held:
            holders[term].append(rank)
    return terms, holders


def _best(terms: list[set], holders: dict, count: int):
    """The function giving the ranks of an article's related articles, from its rank."""
    position = {term: {rank: n for n, rank in enumerate(members)} for term, members in holders.items()}

    def best(rank: int) -> tuple[int, ...]:
        windows = []
        for term in terms[rank]:
            members, at = holders[term], position[term][rank]
            windows.append(members[max(0, at - RELATED_WINDOW) : at + RELATED_WINDOW + 1])
        shared = Counter(itertools.chain.from_iterable(windows))  # rank -> number of terms shared
        del shared[rank]
        if not shared or count < 1:
            return ()
        # Only candidates sharing at least as many terms as the count-th best can make the cut.
        least = sorted(shared.values(), reverse=True)[:count][-1]
        # most terms shared first, then the nearest in time, then the later one (keys are unique)
        return tuple(
            other
            for *_, other in sorted(
                (-n, abs(other - rank), -other, other) for other, n in shared.items() if n >= least
            )[:count]
        )

    return best


def _touched(old: int, terms: list, holders: dict) -> list[int]:
    """The ranks whose related articles may differ once the articles from rank `old` on are added
    after the others: those, and each article that has one of them among the RELATED_WINDOW
    nearest holders of one of its terms (the last RELATED_WINDOW holders before them)."""
    touched = set(range(old, len(terms)))
    for term in set().union(*terms[old:]):
        members = holders[term]
        first = bisect_left(members, old)
        touched.update(members[max(0, first - RELATED_WINDOW) : first])
    return sorted(touched)


def build(
    articles: list[Article],
    edition_slugs: dict[str, str],
    sources: list[Source],
    config: Config,
    photos: dict | None = None,
    memo: dict | None = None,
    jobs: int = 1,
    scans: tuple[dict, dict] = ({}, {}),
) -> Site:
    """The site's structure. `memo`, a dict kept between builds, spares recomputing related articles;
    `jobs` processes share their computing; `scans`: the printed pages' scans and their areas."""
    editions = _editions(articles, edition_slugs, sources)
    days: dict = defaultdict(list)
    for edition in editions:
        days[edition.source.date].append(edition)
    ordered = [a for e in editions for a in e.articles]
    newest = newest_first(ordered)
    parents = config.parents
    regions = _regions(newest, config, parents)
    children = defaultdict(list)
    for term in config.regions:
        if term.parent and term.slug in regions:
            children[term.parent].append(term.slug)
    return Site(
        config,
        tuple(ordered),
        tuple(editions),
        {d: tuple(e) for d, e in days.items()},
        _topics(newest, config),
        regions,
        dict(children),
        _related(ordered, parents, config.related, jobs, memo),
        _neighbours(editions),
        _people(newest),
        photos or {},
        *scans,
    )


def _editions(articles: list[Article], edition_slugs: dict[str, str], sources: list[Source]) -> list[Edition]:
    """Each source's Edition, with its articles, by date, then page (naturally ordered), then path."""
    by_source: dict = defaultdict(list)
    going_on: dict = defaultdict(list)  # a page's path -> the stories of other pages going on there
    for article in articles:
        by_source[article.source.path].append(article)
        for part in article.continued:
            going_on[part.source.path].append((part.index, article))
    return sorted(
        (Edition(s, edition_slugs[s.path], tuple(by_source[s.path]), tuple(going_on[s.path])) for s in sources),
        key=lambda e: (e.source.date, page_label_key(e.source.page), e.source.rel, e.source.path),
    )


def _topics(newest: list[Article], config: Config) -> dict[str, Listing]:
    """Each topic that has articles -> its Listing, in the order of the topics file."""
    in_topic: dict = defaultdict(list)
    for article in newest:
        for slug in dict.fromkeys(article.topics):
            in_topic[slug].append(article)
    return {t.slug: Listing(t.slug, tuple(in_topic[t.slug]), {}) for t in config.topics if in_topic.get(t.slug)}


def _regions(newest: list[Article], config: Config, parents: dict[str, str]) -> dict[str, Listing]:
    """Each region that has articles -> its Listing, in the order of the regions file. An article
    is filed under its regions and each of their ancestors, once, with the sub-region it came through."""
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
    return {
        t.slug: Listing(t.slug, tuple(in_region[t.slug]), via[t.slug]) for t in config.regions if in_region.get(t.slug)
    }


def _neighbours(editions: list[Edition]) -> dict[str, tuple[Article | None, Article | None]]:
    """Each article's path -> the articles before and after it on its printed page."""
    neighbours = {}
    for edition in editions:
        items = edition.articles
        for i, article in enumerate(items):
            neighbours[article.path] = (items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None)
    return neighbours


def _people(newest: list[Article]) -> dict:
    """Each person's slug -> their PersonListing, by slug (its `role_of` holds each of its articles,
    in the listing's order)."""
    found: dict[str, tuple[str, dict, dict]] = {}  # slug -> (name, role -> times named, {path: (article, roles)})
    for article in newest:
        path = article.path
        for person in article.contributors:
            entry = found.get(person.slug)
            if entry is None:
                entry = found[person.slug] = (person.name, defaultdict(int), {})
            name, roles, held = entry
            roles[person.role] += 1
            if path not in held:
                held[path] = (article, [person.role])
            elif person.role not in held[path][1]:
                held[path][1].append(person.role)
    return {
        slug: PersonListing(
            slug,
            name,
            tuple(sorted(roles, key=lambda r: (-roles[r], r))),
            tuple([article for article, _ in held.values()]),
            {path: "、".join(roles_in) for path, (_, roles_in) in held.items()},
        )
        for slug, (name, roles, held) in sorted(found.items())
    }
