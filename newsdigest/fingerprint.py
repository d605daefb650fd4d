"""Fingerprints: a digest of everything an output page is made from.

A page is a function of its template's data (`Page.data`), a few facts about the whole site that
the Presenter looks up (listed in `_site_facts`), and the build's constants (code, theme, config).
A rebuild renders again only the pages whose fingerprint changed; the others keep their bytes. An
article enters a fingerprint as the digest of its source file's bytes plus what enrich decided for
it (slug, people, topics, regions, photos) on the page that shows it whole, and as the digest of
its card (what lists show) everywhere else: so editing an article's text re-renders its own page,
and the lists only when its card changed. No page shows the newest edition's date but the home
page, so a new day leaves the pages of earlier days as they are.
"""
from __future__ import annotations

import datetime as dt
import json

from . import parallel
from .write import digest
from .index import Listing, PersonListing, Site
from .model import Article, Edition, Page, Term


PLAIN = {str, int, float, bool, type(None)}


def _digest(text: str) -> str:
    return digest(text.encode("utf-8", "surrogatepass"))


class Fingerprints:
    def __init__(self, site: Site, source_digests: dict[str, str], constants: str, card, known_cards: dict):
        self.site = site
        self.sources = source_digests  # Source.path -> digest of the file's bytes
        self._card = card  # Article -> what lists show of it (Presenter.card)
        self.cards = {}  # an article's digest -> its card's, this build's (and given the last build's)
        self._known_cards = known_cards
        self.constants = constants
        self._memo: dict[int, str] = {}  # id() of an Article or a listing -> its digest
        self._card_of: dict[int, str] = {}  # id() of an Article -> its card's digest
        self._editions = {e.source.path: e for e in site.editions}
        self._taxonomy = ""

    def pages(self, pages: list[Page], jobs: int = 1) -> list[str]:
        """Every page's fingerprint, worked out on `jobs` processes: the articles' digests first."""
        articles = list(self.site.articles)
        digests = parallel.batched_map(lambda chunk: [(self.article(a), self.card(a)) for a in chunk],
                                       articles, jobs, 1000)
        for article, (whole, card) in zip(articles, digests):
            self._memo[id(article)] = whole
            self.cards[whole] = self._card_of[id(article)] = card
        return parallel.batched_map(lambda chunk: [self.page(p) for p in chunk], pages, jobs, 1000)

    def page(self, page: Page) -> str:
        shown_whole = self.article(page.data["article"]) if page.template == "article.html" else None
        data = self._archive(page.data) if page.template == "archive.html" else self._walk(page.data)
        parts = (self.constants, page.path, page.template, shown_whole, data, self._site_facts(page))
        return _digest(repr(parts))

    def feed(self, feed) -> str:
        """A feed (render.Feed): its entries as cards show them, or whole when it carries their text."""
        entries = tuple(self.article(a) if feed.whole else self.card(a) for a in feed.articles)
        return _digest(repr((self.constants, feed.path, feed.title, entries)))

    def articles(self) -> str:
        """All articles, whole, in order (not the build's constants)."""
        return _digest(repr([self.article(a) for a in self.site.articles]))

    def article(self, article: Article) -> str:
        key = id(article)
        if key not in self._memo:
            source = article.source
            photos = tuple(self.site.photos.get((source.path, b.image)) for b in article.blocks if b.image)
            self._memo[key] = _digest(repr((
                self.sources[source.path], source.path, source.rel, source.date, source.publication, source.page,
                source.title, article.index, article.slug, article.line, article.authors, article.contributors,
                article.topics, article.regions, photos)))
        return self._memo[key]

    def card(self, article: Article) -> str:
        """The digest of an article as lists show it: most edits of its text leave it unchanged."""
        found = self._card_of.get(id(article))
        if found is None:
            whole = self.article(article)
            found = self._known_cards.get(whole) or \
                _digest(json.dumps(self._card(article), ensure_ascii=False, sort_keys=True))
            self.cards[whole] = self._card_of[id(article)] = found
        return found

    def _site_facts(self, page: Page):
        """What the Presenter reads from the Site for this page, beyond the page's own data."""
        site = self.site
        if page.template == "article.html":  # the printed page the article is on
            return self._walk(self._editions[page.data["article"].source.path])
        if page.template == "term.html" and page.data["term"].kind == "region":  # sub-regions, counted
            return tuple((c, len(site.regions[c].articles)) for c in site.region_children.get(page.data["term"].slug, ()))
        if page.template in ("topics.html", "regions.html", "search.html"):
            if not self._taxonomy:
                self._taxonomy = _digest(repr((
                    [(s, len(listing.articles)) for s, listing in site.topics.items()],
                    [(s, len(listing.articles)) for s, listing in site.regions.items()], site.region_children)))
            return self._taxonomy
        return None

    def _walk(self, value):
        """A value -> nested tuples of plain values, articles and listings replaced by digests."""
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is Article:  # in a list (a page showing one article whole says so in page())
            return self.card(value)
        if kind is tuple or kind is list:
            return tuple(map(self._walk, value))
        if kind is dict:
            return tuple((k, self._walk(v)) for k, v in value.items())
        if kind is dt.date:
            return value.isoformat()
        if kind is Term:
            return repr(value)
        if kind is Edition:  # what an edition's page or list entry shows of it: not the text
            return self._memoized(value, lambda: (self.edition_link(value), tuple(map(self.card, value.articles))))
        if kind is Listing:  # a term page shows the count, and `via` for its own items
            return self._memoized(value, lambda: (value.slug, len(value.articles), sorted(value.via.items())))
        if kind is PersonListing:
            return self._memoized(value, lambda: (value.slug, value.name, value.roles, len(value.articles),
                                                  sorted(value.role_of.items())))
        raise TypeError(f"cannot fingerprint {kind.__name__}: teach fingerprint.py what it shows")

    @staticmethod
    def edition_link(edition: Edition) -> tuple:
        """What a link to a printed page shows (render.Presenter.edition_link): not its articles."""
        source = edition.source
        return edition.slug, source.path, source.date, source.publication, source.page, source.title

    def _archive(self, data: dict) -> tuple:
        """The archive page's data: months of days of links to printed pages (none of their articles)."""
        return tuple((month.isoformat(), tuple((day.isoformat(), tuple(map(self.edition_link, editions)))
                                               for day, editions in days)) for month, days in data["months"])

    def _memoized(self, value, parts) -> str:
        key = id(value)
        if key not in self._memo:
            self._memo[key] = _digest(repr(parts()))
        return self._memo[key]
