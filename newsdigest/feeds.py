"""Feeds: Atom for the site and for every topic, region and person, and a JSON Feed 1.1 for the site.

The site's feeds carry each article's summary, categories and (with feed_full_content) its text; the
topic, region and person feeds, one per listing page and so many, carry summaries only.

Entry ids are tag: URIs from the configured domain and the article's date and slug, so they stay
the same across builds and across a move of the site to another base URL.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from .model import Article

ATOM_NS = "http://www.w3.org/2005/Atom"


def entry_id(domain: str, article: Article) -> str:
    return f"tag:{domain},{article.date.isoformat()}:{article.slug}"


def timestamp(article: Article) -> str:
    return f"{article.date.isoformat()}T00:00:00+08:00"


class FeedWriter:
    """Writes feeds from a Presenter's article cards (title, url, summary, byline, terms)."""

    def __init__(self, presenter, body_html):
        self.presenter = presenter
        self.config = presenter.config
        self.body_html = body_html  # article -> HTML of its text, for full-content feeds

    def latest(self, articles) -> list[Article]:
        return list(articles)[: self.config.feed_size]

    def atom(self, title: str, feed_path: str, page_path: str, articles, lean: bool = False) -> bytes:
        """An Atom feed. A lean one (a topic's, a region's or a person's) gives each entry its title,
        link, id, dates, authors and summary only: no categories and no full text, which the site's
        main feed carries."""
        p, config = self.presenter, self.config
        items = self.latest(articles)
        updated = timestamp(items[0]) if items else "2000-01-01T00:00:00+08:00"
        out = ['<?xml version="1.0" encoding="utf-8"?>',
               f'<feed xmlns="{ATOM_NS}" xml:lang={quoteattr(config.language)}>',
               f"<title>{escape(title)}</title>",
               f"<id>{escape(p.url(feed_path))}</id>",
               f"<updated>{updated}</updated>",
               f'<link rel="self" type="application/atom+xml" href={quoteattr(p.url(feed_path))}/>',
               f'<link rel="alternate" type="text/html" href={quoteattr(p.url(page_path))}/>',
               f"<author><name>{escape(config.publication)}</name></author>",
               "<generator>newsdigest</generator>"]
        for article in items:
            card = p.card(article)
            when = timestamp(article)
            entry = [f"<entry><title>{escape(article.title)}</title>",
                     f'<link rel="alternate" href={quoteattr(card["url"])}/>',
                     f"<id>{escape(entry_id(config.domain, article))}</id>",
                     f"<published>{when}</published><updated>{when}</updated>"]
            entry += [f"<author><name>{escape(person.name)}</name></author>" for person in article.authors]
            if not lean:
                entry += [f"<category term={quoteattr(term['slug'])} label={quoteattr(term['name'])}/>"
                          for term in card["topics"] + card["regions"]]
            entry.append(f"<summary>{escape(card['summary'])}</summary>")
            if config.feed_full_content and not lean:
                entry.append(f'<content type="html">{escape(self.body_html(article))}</content>')
            out.append("".join(entry) + "</entry>")
        out.append("</feed>")
        return ("\n".join(out) + "\n").encode()

    def json_feed(self, feed_path: str, articles) -> bytes:
        p, config = self.presenter, self.config
        items = []
        for article in self.latest(articles):
            card = p.card(article)
            item = {"id": entry_id(config.domain, article), "url": card["url"], "title": article.title,
                    "summary": card["summary"], "date_published": timestamp(article),
                    "authors": [{"name": person.name} for person in article.authors],
                    "tags": [t["name"] for t in card["topics"] + card["regions"]]}
            if config.feed_full_content:
                item["content_html"] = self.body_html(article)
            else:
                item["content_text"] = card["summary"]
            items.append(item)
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": config.title,
                "home_page_url": p.url(""), "feed_url": p.url(feed_path), "language": config.language,
                "authors": [{"name": config.publication}], "items": items}
        return (json.dumps(feed, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()
