"""Feeds: Atom for the site and for every topic, region and person, and a JSON Feed 1.1 for the site.

The site's feeds carry each article's summary, categories and (with feed_full_content) its text; the
topic, region and person feeds, one per listing page and so many, carry summaries only.

Entry ids are tag: URIs from the configured domain and the article's date and slug, so they stay
the same across builds and across a move of the site to another base URL.
"""

from __future__ import annotations

import json
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

from .model import Card, Feed, Story, timestamp
from .views import Presenter

ATOM_NS = "http://www.w3.org/2005/Atom"


def entry_id(domain: str, card: Card) -> str:
    return f"tag:{domain},{card.date.isoformat()}:{card.slug}"


class FeedWriter:
    """Writes a feed (model.Feed) from its entries' cards, and their text (body_html) when it has it."""

    def __init__(self, presenter: Presenter, body_html: Callable[[Story], str]):
        self.presenter = presenter
        self.config = presenter.config
        self.body_html = body_html  # a story -> HTML of its text, for full-content feeds

    def file(self, feed: Feed) -> bytes:
        return self.json_feed(feed) if feed.format == "json" else self.atom(feed)

    def atom(self, feed: Feed) -> bytes:
        """An Atom feed. A lean one (a topic's, a region's or a person's) gives each entry its title,
        link, id, dates, authors and summary only: no categories and no full text, which the site's
        main feed carries."""
        p, config = self.presenter, self.config
        updated = timestamp(feed.entries[0].date) if feed.entries else "2000-01-01T00:00:00+08:00"
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            f'<feed xmlns="{ATOM_NS}" xml:lang={quoteattr(config.language)}>',
            f"<title>{escape(feed.title)}</title>",
            f"<id>{escape(p.url(feed.path))}</id>",
            f"<updated>{updated}</updated>",
            f'<link rel="self" type="application/atom+xml" href={quoteattr(p.url(feed.path))}/>',
            f'<link rel="alternate" type="text/html" href={quoteattr(p.url(feed.home))}/>',
            f"<author><name>{escape(config.publication)}</name></author>",
            "<generator>newsdigest</generator>",
        ]
        for n, entry in enumerate(feed.entries):
            card = p.card(entry)
            when = card["published"]
            parts = [
                f"<entry><title>{escape(entry.title)}</title>",
                f'<link rel="alternate" href={quoteattr(card["url"])}/>',
                f"<id>{escape(entry_id(config.domain, entry))}</id>",
                f"<published>{when}</published><updated>{when}</updated>",
            ]
            parts += [f"<author><name>{escape(person.name)}</name></author>" for person in entry.authors]
            if not feed.lean:
                parts += [
                    f"<category term={quoteattr(term['slug'])} label={quoteattr(term['name'])}/>"
                    for term in card["topics"] + card["regions"]
                ]
            parts.append(f"<summary>{escape(card['summary'])}</summary>")
            if feed.stories:
                parts.append(f'<content type="html">{escape(self.body_html(feed.stories[n]))}</content>')
            out.append("".join(parts) + "</entry>")
        out.append("</feed>")
        return ("\n".join(out) + "\n").encode()

    def json_feed(self, feed: Feed) -> bytes:
        p, config = self.presenter, self.config
        items = []
        for n, entry in enumerate(feed.entries):
            card = p.card(entry)
            item = {
                "id": entry_id(config.domain, entry),
                "url": card["url"],
                "title": entry.title,
                "summary": card["summary"],
                "date_published": card["published"],
                "authors": [{"name": person.name} for person in entry.authors],
                "tags": [t["name"] for t in card["topics"] + card["regions"]],
            }
            if feed.stories:
                item["content_html"] = self.body_html(feed.stories[n])
            else:
                item["content_text"] = card["summary"]
            items.append(item)
        data = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": config.title,
            "home_page_url": p.url(feed.home),
            "feed_url": p.url(feed.path),
            "language": config.language,
            "authors": [{"name": config.publication}],
            "items": items,
        }
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
