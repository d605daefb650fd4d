"""The listings' pages, made by the pages step (pages.py): each topic's, region's and person's
articles, newest first, on a front page and numbered pages counted from the oldest (Pager), and the
pages listing the topics, the regions (a tree) and the people (by role)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .index import ancestors
from .model import Page, Pager, PeoplePage, PersonPage, RegionNode, RegionsPage, Site, Term, TermPage, TopicsPage

if TYPE_CHECKING:
    from .pages import Parts

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


def _paginate(path: str, items: tuple, size: int, make) -> list[Page]:
    """A listing's pages (Pager): the front page, `path`, with the newest `size` items, then when
    there are more, path/page/1/ … path/page/K/ holding `size` items each counted from the oldest
    (items are newest first), the newest page holding what is left. make(path, lastmod, items,
    pager) makes each record."""

    def lastmod(chunk: tuple):
        return chunk[0][0].date if chunk else None  # its first item's card: the newest

    if len(items) <= size:
        return [make(path, lastmod(items), items, Pager(0, 0, "", ""))]
    oldest = items[::-1]
    chunks = [oldest[i : i + size][::-1] for i in range(0, len(oldest), size)]
    paths = [f"{path}page/{n}/" for n in range(1, len(chunks) + 1)]
    front = items[:size]
    # the front page's older page: the newest numbered page it does not show whole
    out = [make(path, lastmod(front), front, Pager(0, len(chunks), "", paths[-2]))]
    for n, chunk in enumerate(chunks):
        newer = paths[n + 1] if n + 1 < len(chunks) else path
        out.append(make(paths[n], lastmod(chunk), chunk, Pager(n + 1, 0, newer, paths[n - 1] if n else "")))
    return out


def _region_node(site: Site, parts: Parts, slug: str) -> RegionNode:
    return RegionNode(
        parts.regions[slug],
        len(site.regions[slug].articles),
        tuple(_region_node(site, parts, c) for c in site.region_children.get(slug, ())),
    )


def terms(site: Site, parts: Parts, latest) -> list[Page]:
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


def _term_pages(site: Site, parts: Parts, path: str, term: Term) -> list[Page]:
    region = term.kind == "region"
    listing = (site.regions if region else site.topics)[term.slug]
    cards, names, listed = parts.cards, parts.region_names, parts.listed
    if region:  # each article's card with the sub-region it came through: `via` holds them all, in order
        items = tuple([(cards[path], names[below]) if below else listed[path] for path, below in listing.via.items()])
    else:
        items = tuple([listed[article.path] for article in listing.articles])
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
            path,
            lastmod,
            term,
            len(listing.articles) if pager.number == 0 else 0,  # on the front page only: a new day changes it
            chunk,
            trail,
            children if pager.number == 0 else (),
            pager,
        ),
    )


def people(site: Site, parts: Parts, latest) -> list[Page]:
    groups: dict[str, list] = {}
    for listing in site.people.values():
        # role -> how many of their articles name them so
        counts = Counter(role for roles in listing.role_of.values() for role in roles.split("、"))
        for role in listing.roles:
            groups.setdefault(role, []).append((listing.name, listing.slug, counts[role]))
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
        items = tuple([(parts.cards[path], roles) for path, roles in listing.role_of.items()])  # in its order
        out += _paginate(
            f"people/{slug}/",
            items,
            site.config.page_size,
            lambda path, lastmod, chunk, pager, listing=listing: PersonPage(
                path,
                lastmod,
                listing.slug,
                listing.name,
                listing.roles if pager.number == 0 else (),  # on the front page only: a new day changes them
                len(listing.articles) if pager.number == 0 else 0,
                chunk,
                pager,
            ),
        )
    return out
