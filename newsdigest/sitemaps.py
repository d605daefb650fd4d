"""Sitemaps and robots.txt: what search engines and news aggregators read.

- sitemap.xml: every page with its lastmod; past 50,000 URLs (the protocol's limit) it becomes a
  sitemap index of sitemap-1.xml, sitemap-2.xml ...
- news-sitemap.xml: Google News, the articles of the newest two days (counted back from the newest
  article, not from the clock, so builds stay reproducible), at most 1,000.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable
from xml.sax.saxutils import escape

from .index import newest_first
from .model import Article, Page, Site, timestamp

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000
MAX_NEWS = 1_000
NEWS_DAYS = 2
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def _lastmod(day: dt.date | None) -> str:
    return f"<lastmod>{day.isoformat()}</lastmod>" if day else ""


def _urlset(entries: list[str], extra_ns: str = "") -> bytes:
    return "\n".join([HEAD, f'<urlset xmlns="{SITEMAP_NS}"{extra_ns}>', *entries, "</urlset>", ""]).encode()


def sitemaps(pages: list[Page], url: Callable[[str], str], max_urls: int = MAX_URLS) -> dict[str, bytes]:
    """sitemap.xml (and sitemap-N.xml when there are more than max_urls pages)."""
    entries = [
        f"  <url><loc>{escape(url(p.path))}</loc>{_lastmod(p.lastmod)}</url>" for p in pages if p.path != "404.html"
    ]
    if len(entries) <= max_urls:
        return {"sitemap.xml": _urlset(entries)}
    files: dict[str, bytes] = {}
    index = [HEAD, f'<sitemapindex xmlns="{SITEMAP_NS}">']
    dated = [p for p in pages if p.path != "404.html"]
    for n, start in enumerate(range(0, len(entries), max_urls), 1):
        name = f"sitemap-{n}.xml"
        files[name] = _urlset(entries[start : start + max_urls])
        newest = max((p.lastmod for p in dated[start : start + max_urls] if p.lastmod), default=None)
        index.append(f"  <sitemap><loc>{escape(url(name))}</loc>{_lastmod(newest)}</sitemap>")
    files["sitemap.xml"] = "\n".join(index + ["</sitemapindex>", ""]).encode()
    return files


def news_sitemap(articles: list[Article], url: Callable[[str], str], language: str) -> bytes:
    """Google News sitemap of the articles of the newest NEWS_DAYS days."""
    newest = max((a.date for a in articles), default=None)
    recent = [a for a in articles if newest and (newest - a.date).days < NEWS_DAYS]
    recent = newest_first(recent)[:MAX_NEWS]
    lang = language.lower() if language.lower() in ("zh-cn", "zh-tw") else language.split("-")[0].lower()
    entries = [
        f"  <url><loc>{escape(url(a.path))}</loc><news:news><news:publication>"
        f"<news:name>{escape(a.source.publication)}</news:name><news:language>{lang}</news:language>"
        f"</news:publication><news:publication_date>{timestamp(a.date)}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>"
        for a in recent
    ]
    return _urlset(entries, f' xmlns:news="{NEWS_NS}"')


def robots(url: Callable[[str], str], sitemap_names: list[str]) -> bytes:
    lines = ["User-agent: *", "Allow: /", ""] + [f"Sitemap: {url(name)}" for name in sitemap_names]
    return ("\n".join(lines) + "\n").encode()


def files(site: Site, pages: list[Page], url: Callable[[str], str]) -> dict[str, bytes]:
    """sitemap.xml (or its index and parts), news-sitemap.xml and robots.txt, which names them."""
    out = sitemaps(pages, url)
    out["news-sitemap.xml"] = news_sitemap(list(site.articles), url, site.config.language)
    out["robots.txt"] = robots(url, ["sitemap.xml", "news-sitemap.xml"])
    return out
