"""Views: a page record (model.Page) -> the plain dict its template lays out.

A view is made from its record alone, and the theme's strings and the configuration (which every
page's fingerprint holds): the Presenter has no Site to reach into. Links, Chinese dates, the
body's HTML and the JSON-LD are worked out here; templates only lay them out.

This module holds what pages share (links, dates, cards, article blocks, photos, edition links and
the context every template has); each kind of page adds its own parts in pageviews.py, whose
function for the record's type Presenter.view calls.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Callable

from markupsafe import Markup, escape

from .config import Config
from .model import (
    Article,
    Card,
    EditionLink,
    Figure,
    Page,
    Person,
    Photo,
    Story,
    Term,
    timestamp,
)
from .pageviews import VIEWS
from .text import markdown, paragraph_html


def json_for_script(data) -> Markup:
    """JSON that cannot close its <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class Presenter:
    """Page records -> view dicts for templates. Caches each card's view."""

    def __init__(self, config: Config, strings: dict, assets: dict):
        self.config = config
        self.strings = strings
        self.assets = assets
        self.md = markdown()
        self._cards: dict[int, dict] = {}  # id() of a Card (alive as long as its records) -> its view
        self._shown: dict[tuple, Any] = {}  # what many cards show alike (a date, a byline, terms): made once
        # the icon: a file of its own, cached once, not inlined in every page
        self.icon = self.href(self.assets["favicon.svg"][0])
        self.common = self._common()  # what every page's template has, made once

    # links and words
    def href(self, path: str) -> str:
        return self.config.base_path + path

    def url(self, path: str) -> str:
        """Absolute URL when the site's base_url is absolute, else the site-relative link."""
        site_url = self.config.site_url
        return (site_url if site_url.endswith("/") else site_url + "/") + path if site_url else self.href(path)

    def date(self, day: dt.date, weekday: bool = True) -> str:
        text = self.strings["date"].format(year=day.year, month=day.month, day=day.day)
        return f"{text} {self.strings['weekdays'][day.weekday()]}" if weekday else text

    def page_label(self, page: str) -> str:
        if not page:
            return ""
        return page if "版" in page else self.strings["page_label"].format(page=page)

    def term(self, term: Term, count: int = 0) -> dict:
        base = "topics" if term.kind == "topic" else "regions"
        return {"name": term.name, "slug": term.slug, "href": self.href(f"{base}/{term.slug}/"), "count": count}

    def crumb(self, name: str, path: str) -> dict:
        """One step of a breadcrumb trail: its name, link and absolute URL."""
        return {"name": name, "href": self.href(path), "url": self.url(path)}

    # articles
    def byline(self, authors: tuple[Person, ...]) -> list[dict]:
        """Authors grouped by role, in printed order: [{role, people: [{name, href}]}]."""
        groups: list[dict] = []
        for person in authors:
            if not groups or groups[-1]["role"] != person.role:
                groups.append({"role": person.role, "people": []})
            groups[-1]["people"].append(self._once(self._person, person.name, person.slug))
        return groups

    def _person(self, name: str, slug: str) -> dict:
        return {"name": name, "href": self.href(f"people/{slug}/")}

    def card(self, card: Card) -> dict:
        """What lists show of an article."""
        key = id(card)
        if key not in self._cards:
            self._cards[key] = {
                "title": card.title,
                "kicker": card.kicker,
                "subtitle": card.subtitle,
                "note": "",
                "photo": self.photo(card.photo) if card.photo else None,
                "href": self.href(card.path),
                "url": self.url(card.path),
                "date": self._once(self.date, card.date),
                "day": self._once(self.date, card.date, False),
                "date_iso": card.date.isoformat(),
                "published": timestamp(card.date),
                "publication": card.publication,
                "page": self.page_label(card.page),
                "summary": card.summary,
                "byline": self._once(self.byline, card.authors),
                "topics": self._once(self._terms, card.topics),
                "regions": self._once(self._terms, card.regions),
            }
        return self._cards[key]

    def _terms(self, terms: tuple[Term, ...]) -> list[dict]:
        return [self.term(t) for t in terms]

    def _once(self, make: Callable, *args):
        """make(*args), made once for the same arguments: views only read it."""
        key = (make, *args)
        found = self._shown.get(key)
        if found is None:
            found = self._shown[key] = make(*args)
        return found

    def blocks(self, story: Story) -> list[dict]:
        """An article's text: paragraphs, cross-heads, the signoff and figures with their photos."""
        photos = dict(story.photos)
        out: list[dict] = []
        for block in story.article.blocks:
            if block.kind == "para":
                out.append({"kind": "para", "html": Markup(paragraph_html(self.md, block.text))})
            elif block.kind in ("line", "signoff"):
                out.append({"kind": block.kind, "html": escape(block.text)})
            elif block.kind == "continued":  # where the story goes on another page: the page's label
                note = self.strings["continued"].format(page=self.page_label(block.text))
                out.append({"kind": "continued", "html": escape(note)})
            elif block.kind == "caption":
                photo = photos.get(block.image) if block.image else None
                shown = (
                    self.photo(Figure(photo, block.alt or block.text), eager=not any(b.get("photo") for b in out))
                    if photo
                    else None
                )
                out.append(
                    {
                        "kind": "caption",
                        "html": Markup(self.md.renderInline(block.text)),
                        "credit": block.credit,
                        "photo": shown,
                    }
                )
        return out

    def photo(self, figure: Figure, eager: bool = False) -> dict:
        """A figure's picture: WebP and fallback srcsets, its size (no layout shift), lazy unless first."""
        found: Photo = figure.photo
        versions = found.versions
        return {
            "src": self.href(found.largest.fallback),
            "url": self.url(found.largest.fallback),
            "thumb": self.href(versions[0].fallback),
            "webp": ", ".join(f"{self.href(v.webp)} {v.width}w" for v in versions),
            "srcset": ", ".join(f"{self.href(v.fallback)} {v.width}w" for v in versions),
            "width": found.width,
            "height": found.height,
            "alt": figure.alt,
            "loading": "eager" if eager else "lazy",
        }

    def article_json_ld(self, article: Article, card: dict) -> dict:
        """NewsArticle with what Google's article docs recommend (headline, datePublished, author with
        name and url, image) plus the subtitle (alternativeHeadline), the publisher, the agency the story
        comes from (sourceOrganization), the print edition, page and section, the topics (articleSection)
        and the regions (contentLocation). The URL (canonical), description and language (lang) are
        said by the page elsewhere."""
        source = article.source
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "datePublished": card["published"],
            "author": [
                {
                    "@type": "Person",
                    "name": p.name,
                    **({"jobTitle": p.role} if p.role else {}),
                    "url": self.url(f"people/{p.slug}/"),
                }
                for p in article.authors
            ],
            "publisher": {"@type": "Organization", "name": source.publication},
            "printEdition": self.date(source.date, weekday=False),
            "articleSection": [t["name"] for t in card["topics"]],
            "contentLocation": [{"@type": "Place", "name": t["name"]} for t in card["regions"]],
        }
        if article.subtitle:
            data["alternativeHeadline"] = article.subtitle
        if article.agency and article.agency != "本报":
            data["sourceOrganization"] = {"@type": "Organization", "name": article.agency}
        if card["photo"]:
            data["image"] = card["photo"]["url"]
        if source.page:
            data["printPage"] = source.page
        if source.title:
            data["printSection"] = source.title
        return data

    def edition_link(self, link: EditionLink) -> dict:
        """What a link to a printed page shows: not its articles."""
        page = self.page_label(link.page) or link.file  # the file's name, for a page with no label
        return {
            "href": self.href(link.path),
            "url": self.url(link.path),
            "date": self.date(link.date),
            "page": page,
            "title": link.title,
            "publication": link.publication,
            "name": " ".join(x for x in (self.date(link.date, weekday=False), page, link.title) if x),
        }

    def edition(self, link: EditionLink, cards: tuple[Card, ...]) -> dict:
        """A printed page with its articles' cards."""
        return {**self.edition_link(link), "articles": [self.card(c) for c in cards]}

    # pages
    def _common(self) -> dict:
        """What every page's template has: language, UI strings and the site's links and names."""
        config = self.config
        return {
            "lang": self.strings.get("lang", config.language),
            "t": self.strings,
            "site": {
                "title": config.title,
                "publication": config.publication,
                "description": config.description,
                "home": self.href(""),
                "topics": self.href("topics/"),
                "regions": self.href("regions/"),
                "archive": self.href("archive/"),
                "search": self.href("search/") if config.search else "",
                "people": self.href("people/"),
                "css": self.href(self.assets["style.css"][0]),
                "js": self.href(self.assets["reader.js"][0]),
                "icon": self.icon,
                "feeds": [
                    {"type": "application/atom+xml", "title": config.title, "href": self.href("feed.xml")},
                    {"type": "application/feed+json", "title": config.title, "href": self.href("feed.json")},
                ],
            },
        }

    def view(self, page: Page) -> dict:
        """The whole context of one page's template: what every page has, then its own parts
        (pageviews.VIEWS, by the record's type)."""
        view = {
            **self.common,
            "canonical": self.url(page.path) if page.path != "404.html" else "",
            "breadcrumbs": [],
            "feeds": [],  # the page's own feeds, besides the site's (site.feeds)
            "og": {"type": "website", "sections": [], "tags": [], "published": "", "image": ""},
            "json_ld": None,
            "edition_date": "",  # the masthead's date: that of the day a page shows (none on listings)
        }
        VIEWS[type(page)](self, page, view)
        view["og"].update(title=view["title"], description=view["description"], url=view["canonical"])
        if view["json_ld"] is not None:
            view["json_ld"] = json_for_script(view["json_ld"])
        return view
