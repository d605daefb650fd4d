"""index.build's listings and related articles, against the plain (slow) definitions they implement."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter, defaultdict

import pytest

from newsdigest import index
from newsdigest.config import Config
from newsdigest.model import Article, Person, Source, Term

REGIONS = (
    Term("region", "浙江", "zhejiang"),
    Term("region", "宁波", "ningbo", parent="zhejiang"),
    Term("region", "镇海", "zhenhai", parent="ningbo"),
    Term("region", "鄞州", "yinzhou", parent="ningbo"),
    Term("region", "杭州", "hangzhou", parent="zhejiang"),
    Term("region", "北京", "beijing"),
    Term("region", "上海", "shanghai"),
    Term("region", "浦东", "pudong", parent="shanghai"),
)
PEOPLE = (
    Person("金宇涵", "记者", "jin-yuhan"),
    Person("金宇涵", "摄影", "jin-yuhan"),
    Person("王伟", "记者", "wang-wei"),
    Person("王伟", "通讯员", "wang-wei-2"),
    Person("顾伟", "通讯员", "gu-wei"),
)
TOPICS = tuple(
    Term("topic", name, slug)
    for name, slug in [("经济", "jingji"), ("科技", "keji"), ("农业", "nongye"), ("文化", "wenhua")]
)


def corpus(seed: int, count: int) -> tuple[list[Article], dict, list[Source]]:
    rnd = random.Random(seed)
    sources = [
        Source(
            f"content/{n}.md", dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randrange(30)), "报", f"A{n % 4}", "", (), 0
        )
        for n in range(count // 3 + 1)
    ]
    articles, taken = [], defaultdict(int)
    for n in range(count):
        source = rnd.choice(sources)
        taken[source.path] += 1
        regions = tuple(rnd.sample([t.slug for t in REGIONS] + ["nowhere"], rnd.randrange(4)))
        topics = tuple(rnd.sample([t.slug for t in TOPICS], rnd.randrange(3)))
        named = tuple(rnd.choice(PEOPLE) for _ in range(rnd.randrange(4)))  # the same one twice, at times
        articles.append(Article(source, taken[source.path] - 1, f"t{n}", (), (), named, topics, regions, f"a{n}", 1))
    return articles, {s.path: s.path.split("/")[-1][:-3] for s in sources}, sources


def plain_regions(newest, config):
    parents = {t.slug: t.parent for t in config.regions}
    regions = {}
    for term in config.regions:
        members, via = [], {}
        for article in newest:
            for region in article.regions:
                chain = [region, *index.ancestors(region, parents)]
                if term.slug in chain:
                    members.append(article)
                    below = chain[: chain.index(term.slug)]
                    via[article.path] = below[-1] if below else ""
                    break
        if members:
            regions[term.slug] = (tuple(members), via)
    return regions


def plain_people(newest):
    people = {}
    for slug in sorted({p.slug for a in newest for p in a.contributors}):
        named = [(a, p) for a in newest for p in a.contributors if p.slug == slug]
        times = Counter(p.role for _, p in named)
        articles = [a for n, (a, _) in enumerate(named) if all(b is not a for b, _ in named[:n])]
        role_of = {a.path: "、".join(dict.fromkeys(p.role for b, p in named if b is a)) for a in articles}
        people[slug] = (named[0][1].name, tuple(sorted(times, key=lambda r: (-times[r], r))), tuple(articles), role_of)
    return people


def plain_related(articles, parents, count):
    order = sorted(range(len(articles)), key=lambda i: (articles[i].date, articles[i].source.path, articles[i].index))
    rank = {i: r for r, i in enumerate(order)}
    terms = [
        {("t", s) for s in a.topics} | {("r", s) for r in a.regions for s in [r, *index.ancestors(r, parents)]}
        for a in articles
    ]
    holders = defaultdict(list)
    for i in order:
        for term in terms[i]:
            holders[term].append(i)
    related = {}
    for i, article in enumerate(articles):
        shared = defaultdict(int)
        for term in terms[i]:
            members = holders[term]
            at = members.index(i)
            for j in members[max(0, at - index.RELATED_WINDOW) : at + index.RELATED_WINDOW + 1]:
                if j != i:
                    shared[j] += 1
        best = sorted(shared, key=lambda j: (-shared[j], abs(rank[j] - rank[i]), -rank[j]))[:count]
        related[article.path] = tuple(articles[j] for j in best)
    return related


@pytest.mark.parametrize("seed, count, related", [(1, 40, 3), (2, 300, 3), (3, 300, 1), (4, 500, 7), (5, 3, 3)])
def test_listings_and_related_are_their_plain_definitions(seed, count, related):
    articles, edition_slugs, sources = corpus(seed, count)
    config = Config(topics=TOPICS, regions=REGIONS, related=related)
    site = index.build(articles, edition_slugs, sources, config)
    newest = index.newest_first(site.articles)
    assert {slug: (listing.articles, listing.via) for slug, listing in site.regions.items()} == plain_regions(
        newest, config
    )
    assert list(site.regions) == [t.slug for t in REGIONS if t.slug in site.regions]
    assert {slug: listing.articles for slug, listing in site.topics.items()} == {
        t.slug: tuple(a for a in newest if t.slug in a.topics)
        for t in TOPICS
        if any(t.slug in a.topics for a in newest)
    }
    assert {slug: (p.name, p.roles, p.articles, p.role_of) for slug, p in site.people.items()} == plain_people(newest)
    assert list(site.people) == sorted(site.people)
    # the pages step reads a listing's articles from these dicts: each holds them all, in the listing's order
    assert all(list(listing.via) == [a.path for a in listing.articles] for listing in site.regions.values())
    assert all(list(listing.role_of) == [a.path for a in listing.articles] for listing in site.people.values())
    parents = {t.slug: t.parent for t in REGIONS}
    expected = plain_related(list(site.articles), parents, related)
    assert list(site.related) == list(expected) and site.related == expected


def test_related_articles_are_worked_out_again_only_where_new_articles_can_change_them(monkeypatch):
    """A memo kept between builds: the same articles again rework nothing (their terms are not even
    read); a new day reworks its own articles and those whose candidates take one of them in; a
    change to an earlier article reworks all. Each result is the plain one."""
    articles, edition_slugs, sources = corpus(6, 600)
    config = Config(topics=TOPICS, regions=REGIONS, related=3)
    parents = {t.slug: t.parent for t in REGIONS}
    last = max(s.date for s in sources)
    worked: list = []  # per build, how many articles were worked out (None: their terms not read)
    batched_map, terms = index.parallel.batched_map, index._terms
    monkeypatch.setattr(
        index.parallel,
        "batched_map",
        lambda work, items, *rest: worked.__setitem__(-1, len(items)) or batched_map(work, items, *rest),
    )
    monkeypatch.setattr(index, "_terms", lambda *args: worked.__setitem__(-1, 0) or terms(*args))
    memo: dict = {}

    def build(chosen):
        worked.append(None)
        site = index.build(
            chosen, edition_slugs, [s for s in sources if any(a.source is s for a in chosen)], config, memo=memo
        )
        assert site.related == plain_related(list(site.articles), parents, 3)

    earlier = [a for a in articles if a.date < last]
    build(earlier)
    build(earlier)  # nothing new: nothing worked out, nor the articles' terms read
    build(articles)  # a new day
    new = len(articles) - len(earlier)
    assert worked[:2] == [len(earlier), None] and new < worked[2] < len(articles) - 100
    changed = [dataclasses.replace(a, topics=("keji",)) if a is earlier[0] else a for a in articles]
    build(changed)
    assert worked[3] == len(articles)
