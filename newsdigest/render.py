"""Step 5, render: the indexed site -> file bytes (HTML through jinja2, plus sitemap and assets).

The Presenter turns model objects into plain view dicts (links, Chinese dates, HTML of the
body); templates only lay them out.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Callable, NamedTuple

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from . import feeds, parallel, sitemaps, yamlfile
from .index import Site, ancestors, newest_first
from .model import Article, Diagnostic, Edition, Page, Term

SAFE_SCHEMES = re.compile(r"^(https?:|mailto:|tel:|#|/|\.|[^:]*$)", re.I)
SENTENCE_END = re.compile(r"(?<=[。！？!?])")
SUMMARY_LENGTH = 80  # characters
SUMMARY_READ = 4  # a summary reads the first SUMMARY_READ * its length characters (more when most are spaces)
ROLE_ORDER = ("记者", "首席记者", "见习记者", "特约记者", "特派记者", "实习记者", "摄影记者", "通讯员", "特约通讯员",
              "文", "图", "文/摄", "文/图", "图/文", "摄影", "整理", "执笔", "采写", "参与采写", "实习生", "撰稿", "编辑")
# What a summary skips at the story's start: a box's label (核心阅读, 编者按 …), with its colon.
NOTE = re.compile(r"[(（][^()（）]*[)）]")  # a paragraph wholly in brackets: a note (相关报道见第四版), no story
BOX_LABEL = re.compile(r"^(?:核心阅读|编者按|编者的话|阅读提示|内容提要|提要|导读|导语)\s*[:：]?\s*")


class ThemeError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def markdown() -> MarkdownIt:
    """CommonMark with raw HTML off (shown as text) and only safe link schemes."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = lambda url: bool(SAFE_SCHEMES.match(url.strip()))
    md.disable("image")  # photos stand on lines of their own (split.py), where they are checked and resized
    return md


# Text with none of these characters, not starting like a list, quote, heading, rule or code block and
# not ending in a space renders as `<p>text</p>`: the plain-paragraph fast path of paragraph_html().
MARKDOWN_CHARACTERS = re.compile(r"[\\`*_\[\]<>&!#|~\n\r\t]")
MARKDOWN_START = re.compile(r" *(?:[-+=>]|\d+[.)])|\s")


def paragraph_html(md: MarkdownIt, text: str) -> str:
    """A body paragraph as HTML. Most news text holds no markdown at all: it skips the parser."""
    if MARKDOWN_CHARACTERS.search(text) or MARKDOWN_START.match(text) or text[-1:].isspace() or not text:
        return md.render(text)
    escaped = text.replace('"', "&quot;")
    return f"<p>{escaped}</p>\n"


def json_for_script(data) -> Markup:
    """JSON that cannot close its <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def story_text(article: Article) -> str:
    """The story's own text, as a summary starts it: its paragraphs and cross-heads without the dateline
    (and the credit inside it) or a box label (核心阅读, 编者按); not the subtitle, byline, signoff or
    a note in brackets. A photo story with no paragraph is told by its captions."""
    parts = []
    told = ("para", "line") if any(b.kind in ("para", "line") for b in article.blocks) else ("caption",)
    for block in article.blocks:
        if block.kind not in told or NOTE.fullmatch(block.text):
            continue
        text = block.text
        if not parts:
            if article.dateline and block.kind == "para":
                text = text[article.dateline.end:]
            text = BOX_LABEL.sub("", text) if BOX_LABEL.match(text) else text
            if not text:
                continue
        parts.append(text)
    return "".join(parts)


def summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first sentences, up to about `length` characters, cut at a sentence end when one is near.

    Only the text's beginning is read: what follows its first `length` + 1 characters (spaces
    collapsed) cannot change the summary."""
    whole = text
    text = re.sub(r"\s+", " ", whole[: SUMMARY_READ * length]).strip()
    if len(text) <= length:  # a short text, or a beginning mostly spaces: all of it
        text = re.sub(r"\s+", " ", whole).strip()
        if len(text) <= length:
            return text
    out = ""
    for sentence in SENTENCE_END.split(text):
        if out and len(out) + len(sentence) > length:
            break
        out += sentence
    return out if len(out) <= length else text[: length - 1] + "…"


class _Environment(jinja2.Environment):
    """jinja2's environment, with `a.b` looked up as a key first when `a` is a dict.

    Views are plain dicts. jinja2 tries the attribute first, which for a dict fails, raising and
    catching an AttributeError on nearly every lookup of every page: a fifth of the render time.
    A key that shadows one of dict's methods would hide it; templates call none of them."""

    def getattr(self, obj, attribute: str):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class Theme:
    """Templates, the UI strings table and static assets of one theme folder."""

    def __init__(self, folder: Path, language: str):
        self.folder = folder
        templates = folder / "templates"
        if not templates.is_dir():
            raise ThemeError(Diagnostic(str(templates), 0, "the theme has no templates folder",
                                        "point --theme at a folder holding templates/"))
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(str(templates)),
            autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True)
        strings_file = folder / "strings" / f"{language}.yaml"
        try:
            self.strings = yamlfile.parse(strings_file.read_text(encoding="utf-8"), str(strings_file)) or {}
        except FileNotFoundError:
            raise ThemeError(Diagnostic(str(strings_file), 0, f"the theme has no strings for language `{language}`",
                                        f"add {strings_file.name}, or set `language` in site.yaml to one it has"))
        icon = folder / "favicon.svg"  # published once under its hash (static/favicon.<hash>.svg), linked by every page
        self.icon = icon.read_bytes() if icon.exists() else b'<svg xmlns="http://www.w3.org/2000/svg"/>'
        self.assets = {}  # name -> (hashed name, bytes)
        files = [(p.relative_to(folder / "static").as_posix(), p.read_bytes())
                 for p in (sorted((folder / "static").rglob("*")) if (folder / "static").is_dir() else []) if p.is_file()]
        for rel, data in [("favicon.svg", self.icon), *files]:
            digest = hashlib.sha256(data).hexdigest()[:10]
            stem, dot, ext = rel.rpartition(".")
            self.assets[rel] = (f"static/{stem}.{digest}.{ext}" if dot else f"static/{rel}", data)

    def template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise ThemeError(Diagnostic(str(self.folder / "templates" / name), 0, f"template `{exc.name}` is missing",
                                        "restore it from the sample theme")) from None
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError(Diagnostic(exc.filename or name, exc.lineno or 0,
                                        f"template syntax error: {exc.message}")) from None


class Presenter:
    """Model objects -> view dicts for templates. Caches each article's view."""

    def __init__(self, site: Site, theme: Theme):
        self.site = site
        self.config = site.config
        self.strings = theme.strings
        self.assets = theme.assets
        self.md = markdown()
        self.topics = {t.slug: t for t in self.config.topics}
        self.regions = {t.slug: t for t in self.config.regions}
        self.parents = {t.slug: t.parent for t in self.config.regions}
        self._cards: dict[str, dict] = {}
        self.icon = self.href(self.assets["favicon.svg"][0])  # a file of its own, cached once, not inlined in every page
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

    def term(self, term: Term, listing=None) -> dict:
        base = "topics" if term.kind == "topic" else "regions"
        return {"name": term.name, "slug": term.slug, "href": self.href(f"{base}/{term.slug}/"),
                "count": len(listing.articles) if listing else 0}

    def region_trail(self, slug: str) -> str:
        chain = [slug, *ancestors(slug, self.parents)]
        return " › ".join(self.regions[s].name for s in reversed(chain))

    # articles
    def byline(self, article: Article) -> list[dict]:
        """Authors grouped by role, in printed order: [{role, people: [{name, href}]}]."""
        groups: list[dict] = []
        for person in article.authors:
            if not groups or groups[-1]["role"] != person.role:
                groups.append({"role": person.role, "people": []})
            groups[-1]["people"].append({"name": person.name, "href": self.href(f"people/{person.slug}/")})
        return groups

    def card(self, article: Article) -> dict:
        """What lists show of an article."""
        if article.path not in self._cards:
            self._cards[article.path] = {
                "title": article.title,
                "kicker": article.kicker,
                "subtitle": article.subtitle,
                "note": "",
                "photo": self.first_photo(article),
                "href": self.href(article.path),
                "url": self.url(article.path),
                "date": self.date(article.date),
                "day": self.date(article.date, weekday=False),
                "date_iso": article.date.isoformat(),
                "published": f"{article.date.isoformat()}T00:00:00+08:00",
                "publication": article.source.publication,
                "page": self.page_label(article.source.page),
                "summary": summary(story_text(article)),
                "byline": self.byline(article),
                "topics": [self.term(self.topics[s]) for s in article.topics],
                "regions": [self.term(self.regions[s]) for s in article.regions],
            }
        return self._cards[article.path]

    def blocks(self, article: Article) -> list[dict]:
        out = []
        for block in article.blocks:
            if block.kind == "para":
                out.append({"kind": "para", "html": Markup(paragraph_html(self.md, block.text))})
            elif block.kind in ("line", "signoff"):
                out.append({"kind": block.kind, "html": escape(block.text)})
            elif block.kind == "caption":
                photo = self.photo(article, block, eager=not any(b.get("photo") for b in out))
                out.append({"kind": "caption", "html": Markup(self.md.renderInline(block.text)),
                            "credit": block.credit, "photo": photo})
        return out

    def photo(self, article: Article, block, eager: bool = False) -> dict | None:
        """A figure's picture: WebP and fallback srcsets, its size (no layout shift), lazy unless first."""
        found = self.site.photos.get((article.source.path, block.image)) if block.image else None
        if not found:
            return None
        versions = found.versions
        return {"src": self.href(found.largest.fallback), "url": self.url(found.largest.fallback),
                "thumb": self.href(versions[0].fallback),
                "webp": ", ".join(f"{self.href(v.webp)} {v.width}w" for v in versions),
                "srcset": ", ".join(f"{self.href(v.fallback)} {v.width}w" for v in versions),
                "width": found.width, "height": found.height, "alt": block.alt or block.text,
                "loading": "eager" if eager else "lazy"}

    def first_photo(self, article: Article) -> dict | None:
        return next((self.photo(article, b) for b in article.blocks
                     if b.image and (article.source.path, b.image) in self.site.photos), None)

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
            "author": [{"@type": "Person", "name": p.name, **({"jobTitle": p.role} if p.role else {}),
                        "url": self.url(f"people/{p.slug}/")} for p in article.authors],
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

    def edition(self, edition: Edition) -> dict:
        """A printed page with its articles' cards."""
        return {**self.edition_link(edition), "articles": [self.card(a) for a in edition.articles]}

    def edition_link(self, edition: Edition) -> dict:
        """What a link to a printed page shows: not its articles (fingerprint.py's edition_link agrees)."""
        source = edition.source
        page = self.page_label(source.page) or source.path
        return {"href": self.href(edition.path), "url": self.url(edition.path), "date": self.date(source.date),
                "page": page, "title": source.title, "publication": source.publication,
                "name": " ".join(x for x in (self.date(source.date, weekday=False), page, source.title) if x)}

    # pages
    def _common(self) -> dict:
        """What every page's template has: language, UI strings and the site's links and names."""
        config = self.config
        return {
            "lang": self.strings.get("lang", config.language),
            "t": self.strings,
            "site": {"title": config.title, "publication": config.publication, "description": config.description,
                     "home": self.href(""), "topics": self.href("topics/"), "regions": self.href("regions/"),
                     "archive": self.href("archive/"), "search": self.href("search/") if config.search else "",
                     "people": self.href("people/"),
                     "css": self.href(self.assets["style.css"][0]), "icon": self.icon,
                     "feeds": [{"type": "application/atom+xml", "title": config.title, "href": self.href("feed.xml")},
                               {"type": "application/feed+json", "title": config.title, "href": self.href("feed.json")}]},
        }

    def view(self, page: Page) -> dict:
        """The whole context of one page's template: what every page has, then its own parts."""
        view = {
            **self.common,
            "canonical": self.url(page.path) if page.path != "404.html" else "",
            "breadcrumbs": [],
            "feeds": [],  # the page's own feeds, besides the site's (site.feeds)
            "og": {"type": "website", "sections": [], "tags": [], "published": "", "image": ""},
            "json_ld": None,
            "edition_date": "",  # the masthead's date: that of the day a page shows (none on listings)
        }
        getattr(self, "_" + page.template.removesuffix(".html").replace("404", "not_found"))(page.data, view)
        view["og"].update(title=view["title"], description=view["description"], url=view["canonical"])
        if view["json_ld"] is not None:
            view["json_ld"] = json_for_script(view["json_ld"])
        return view

    def _crumb(self, name: str, path: str) -> dict:
        return {"name": name, "href": self.href(path), "url": self.url(path)}

    def _home(self, data: dict, view: dict) -> None:
        date = self.date(data["date"]) if data["date"] else ""
        view.update(title=self.config.title, description=self.config.description or self.config.title,
                    date=date, edition_date=date,
                    leads=[self.card(a) for a in data["leads"]], recent=[self.card(a) for a in data["recent"]])

    def _article(self, data: dict, view: dict) -> None:
        article = data["article"]
        card = self.card(article)
        edition = self.edition_link(next(e for e in self.site.days[article.date] if e.source is article.source))
        view.update(
            title=article.title, description=card["summary"], article=card, blocks=self.blocks(article),
            edition_href=edition["href"], edition_date=self.date(article.date),
            previous=self.card(data["previous"]) if data["previous"] else None,
            next=self.card(data["next"]) if data["next"] else None,
            related=[self.card(a) for a in data["related"]],
            json_ld=self.article_json_ld(article, card),
            breadcrumbs=[self._crumb(self.strings["home"], ""),
                         self._crumb(self.date(article.date, weekday=False), f"{article.date:%Y/%m/%d}/"),
                         {"name": card["page"] or edition["page"], "href": edition["href"], "url": edition["url"]}],
        )
        view["og"].update(type="article", published=card["published"], image=card["photo"]["url"] if card["photo"] else "",
                          sections=[t["name"] for t in card["topics"]], tags=[t["name"] for t in card["regions"]])

    def _edition(self, data: dict, view: dict) -> None:
        edition = self.edition(data["edition"])
        title = " ".join(x for x in (edition["date"], edition["page"], edition["title"]) if x)
        view.update(title=title, description=title, edition=edition, edition_date=edition["date"],
                    day_href=self.href(f"{data['edition'].source.date:%Y/%m/%d}/"))
        view["json_ld"] = {
            "@context": "https://schema.org", "@type": "CollectionPage", "name": edition["name"],
            "url": edition["url"], "inLanguage": self.config.language,
            "mainEntity": {"@type": "ItemList", "itemListElement": [
                {"@type": "ListItem", "position": n, "url": a["url"]} for n, a in enumerate(edition["articles"], 1)]}}

    def _day(self, data: dict, view: dict) -> None:
        title = self.date(data["date"])
        view.update(title=title, description=title, edition_date=title, editions=[self.edition(e) for e in data["editions"]])

    def _archive(self, data: dict, view: dict) -> None:
        view.update(title=self.strings["archive"], description=self.strings["archive"], months=[
            {"name": self.strings["month"].format(year=m.year, month=m.month),
             "days": [{"name": self.date(d), "href": self.href(f"{d:%Y/%m/%d}/"),
                       "editions": [self.edition_link(e) for e in eds]} for d, eds in days]}
            for m, days in data["months"]])

    def _topics(self, data: dict, view: dict) -> None:
        view.update(title=self.strings["topics"], description=self.strings["all_topics"],
                    terms=[self.term(t, listing) for t, listing in data["terms"]])

    def _regions(self, data: dict, view: dict) -> None:
        view.update(title=self.strings["regions"], description=self.strings["all_regions"],
                    roots=[self.region_tree(t.slug) for t in data["roots"]])

    def _term(self, data: dict, view: dict) -> None:
        term, listing, pager = data["term"], data["listing"], data["pager"]
        section = "topics" if term.kind == "topic" else "regions"
        items = []
        for article in data["items"]:
            via = listing.via.get(article.path, "")
            items.append(dict(self.card(article),
                              note=self.strings["from_region"] + self.regions[via].name if via else ""))
        title = term.name if pager["number"] == 1 else f"{term.name} · {self.strings['page_of'].format(**pager)}"
        crumbs = [self._crumb(self.strings["home"], ""), self._crumb(self.strings[section], f"{section}/"),
                  self._crumb(term.name, f"{section}/{term.slug}/")]
        view.update(
            title=title,
            description=f"{term.name}：{self.strings['articles_count'].format(count=len(listing.articles))}",
            term=self.term(term, listing), items=items,
            trail=self.region_trail(term.slug) if term.kind == "region" else "",
            children=[self.term(self.regions[c], self.site.regions[c])  # on the first page only
                      for c in self.site.region_children.get(term.slug, [])]
            if term.kind == "region" and pager["number"] == 1 else [],
            pager=self._pager(pager), breadcrumbs=crumbs, json_ld=self._breadcrumb_list(crumbs, pager),
        )
        view["feeds"].append({"type": "application/atom+xml", "title": f"{term.name} - {self.config.title}",
                              "href": self.href(f"{section}/{term.slug}/feed.xml")})

    def _people(self, data: dict, view: dict) -> None:
        groups: dict[str, list] = {}
        for listing in data["people"].values():
            for role in listing.roles:
                count = sum(role in r.split("、") for r in listing.role_of.values())
                groups.setdefault(role, []).append({"name": listing.name, "count": count,
                                                    "href": self.href(f"people/{listing.slug}/")})
        order = list(ROLE_ORDER)
        view.update(title=self.strings["people"], description=self.strings["all_people"], groups=[
            {"role": role, "people": sorted(people, key=lambda p: (-p["count"], p["name"]))}
            for role, people in sorted(groups.items(), key=lambda g: (order.index(g[0]) if g[0] in order else 99, g[0]))])

    def _person(self, data: dict, view: dict) -> None:
        listing, pager = data["person"], data["pager"]
        items = [dict(self.card(a), note=listing.role_of[a.path]) for a in data["items"]]
        title = listing.name if pager["number"] == 1 else f"{listing.name} · {self.strings['page_of'].format(**pager)}"
        crumbs = [self._crumb(self.strings["home"], ""), self._crumb(self.strings["people"], "people/"),
                  self._crumb(listing.name, f"people/{listing.slug}/")]
        view.update(
            title=title, description=f"{listing.name}（{'、'.join(listing.roles)}）："
                                     f"{self.strings['articles_count'].format(count=len(listing.articles))}",
            person={"name": listing.name, "roles": listing.roles, "count": len(listing.articles)}, items=items,
            pager=self._pager(pager), breadcrumbs=crumbs, json_ld=self._breadcrumb_list(crumbs, pager))
        view["feeds"].append({"type": "application/atom+xml", "title": f"{listing.name} - {self.config.title}",
                              "href": self.href(f"people/{listing.slug}/feed.xml")})

    def _pager(self, pager: dict) -> dict:
        return {"number": pager["number"], "count": pager["count"],
                "previous": self.href(pager["previous"]) if pager["previous"] else "",
                "next": self.href(pager["next"]) if pager["next"] else ""}

    @staticmethod
    def _breadcrumb_list(crumbs: list[dict], pager: dict) -> dict | None:
        """The trail for search engines, on a listing's first page (its later pages share it)."""
        if pager["number"] != 1:
            return None
        return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
            {"@type": "ListItem", "position": n, "name": c["name"], "item": c["url"]} for n, c in enumerate(crumbs, 1)]}

    def _search(self, data: dict, view: dict) -> None:
        regions = []
        for term in self.config.regions:
            if term.slug in self.site.regions:
                depth = len(ancestors(term.slug, self.parents))
                regions.append(dict(self.term(term), indent="\u3000" * depth))
        view.update(title=self.strings["search"], description=self.strings["search_placeholder"],
                    search_script=self.href("search/page.js"),
                    search_topics=[self.term(t) for t in self.config.topics if t.slug in self.site.topics],
                    search_regions=regions)

    def _not_found(self, data: dict, view: dict) -> None:
        view.update(title=self.strings["not_found_title"], description=self.strings["not_found_text"])

    def region_tree(self, slug: str) -> dict:
        node = self.term(self.regions[slug], self.site.regions[slug])
        node["children"] = [self.region_tree(c) for c in self.site.region_children.get(slug, [])]
        return node


def _template_frame(exc: BaseException, default: str) -> tuple[str, int]:
    """The innermost template file and line in an exception's traceback."""
    found = (default, 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".html"):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def output_name(path: str) -> str:
    """A page's path -> the file it is written to."""
    return path if path.endswith(".html") else path + "index.html"


class Feed(NamedTuple):
    """One feed file, made on demand: a rebuild skips the feeds whose entries did not change."""

    path: str
    title: str
    articles: tuple  # its entries, newest first
    whole: bool  # whether the entries carry the articles' text (else only what their cards show)
    make: Callable[[], bytes]


def feeds_of(site: Site, presenter: Presenter, theme: Theme) -> list[Feed]:
    """The site's Atom and JSON feeds (full), and a lean Atom feed (summaries) per topic, region and person."""
    body = theme.template("_body.html")
    writer = feeds.FeedWriter(presenter, lambda article: body.render(blocks=presenter.blocks(article)))
    title, size, whole = site.config.title, site.config.feed_size, site.config.feed_full_content
    newest = tuple(newest_first(site.articles)[:size])
    out = [Feed("feed.xml", title, newest, whole, lambda: writer.atom(title, "feed.xml", "", newest)),
           Feed("feed.json", title, newest, whole, lambda: writer.json_feed("feed.json", newest))]

    def lean(path: str, name: str, articles: tuple) -> Feed:
        entries = articles[:size]
        return Feed(f"{path}feed.xml", f"{name} - {title}", entries, False,
                    lambda: writer.atom(f"{name} - {title}", f"{path}feed.xml", path, entries, lean=True))

    for section, terms, listings in (("topics", site.config.topics, site.topics),
                                     ("regions", site.config.regions, site.regions)):
        out += [lean(f"{section}/{term.slug}/", term.name, listings[term.slug].articles)
                for term in terms if term.slug in listings]
    out += [lean(f"people/{slug}/", listing.name, listing.articles) for slug, listing in site.people.items()]
    return out


class Renderer:
    """Pages -> HTML bytes, with one Presenter (and its cache of article cards) per process."""

    def __init__(self, site: Site, theme: Theme):
        self.theme = theme
        self.presenter = Presenter(site, theme)
        self.templates: dict[str, jinja2.Template] = {}
        self.parts: dict[tuple, Markup] = {}

    def cached(self, name: str, **keys) -> Markup:
        """A template that is the same on many pages, rendered once with what every page has
        (Presenter.common), as Hugo's partialCached: `{{ cached("_head.html") }}`. Keyword values
        are given to it too, and it is rendered once for each set of them: the masthead, once per
        date it shows, is `{{ cached("_masthead.html", date=edition_date) }}`."""
        key = (name, *sorted(keys.items()))
        if key not in self.parts:
            self.parts[key] = Markup(self.theme.template(name).render({**self.presenter.common, **keys}))
        return self.parts[key]

    def page(self, page: Page) -> bytes:
        if page.template not in self.templates:
            self.templates[page.template] = self.theme.template(page.template)
        try:
            html = self.templates[page.template].render(self.presenter.view(page), cached=self.cached)
        except Exception as exc:  # a theme's bug, reported with the template's file and line
            name, line = _template_frame(exc, page.template)
            raise ThemeError(Diagnostic(str(self.theme.folder / "templates" / name), line,
                                        f"template error while rendering {page.path or 'the home page'}: "
                                        f"{type(exc).__name__}: {exc}",
                                        "fix the template, or restore it from the sample theme")) from exc
        return html.encode("utf-8")


BATCH = 200  # pages a worker process renders at a time


def render_pages(renderer: Renderer, pages: list[Page], put, jobs: int = 1, progress=None) -> None:
    """Render `pages` and hand each file to `put(path, bytes)`, which returns a small picklable record.

    With jobs > 1 the work is shared with forked worker processes (parallel.py), each given whole
    batches; a worker calls `put` itself (it writes into the same staging folder), and the parent
    replays the records it sends back through `put.record(path, record)`."""
    parent = os.getpid()

    def work(batch: list[Page]) -> list:
        records = []
        for page in batch:
            path = output_name(page.path)
            try:
                records.append((path, put(path, renderer.page(page))))
            except ThemeError as exc:  # reported by the parent, whichever process met it
                return [(None, exc.diagnostic)]
        return records if os.getpid() != parent else []

    done = parallel.batched_map(work, pages, jobs, BATCH,
                                progress and (lambda n: progress("rendering", n, len(pages))))
    for path, record in done:
        if path is None:
            raise ThemeError(record)
        put.record(path, record)


def other_files(site: Site, pages: list[Page], renderer: Renderer) -> dict[str, bytes]:
    """Everything but the HTML pages, the feeds and the search index: assets, sitemaps, robots.txt."""
    presenter, theme = renderer.presenter, renderer.theme
    files = {name: data for name, data in theme.assets.values()}
    files.update(sitemaps.sitemaps(pages, presenter.url))
    files["news-sitemap.xml"] = sitemaps.news_sitemap(list(site.articles), presenter.url, site.config.language)
    files["robots.txt"] = sitemaps.robots(presenter.url, ["sitemap.xml", "news-sitemap.xml"])
    files[".nojekyll"] = b""
    if site.config.cname:
        files["CNAME"] = (site.config.cname + "\n").encode()
    return files


def render(site: Site, pages: list[Page], theme: Theme, progress=None) -> dict[str, bytes]:
    """Every output file of the site, in memory: relative path -> bytes (for `serve` and tests)."""
    renderer = Renderer(site, theme)
    files: dict[str, bytes] = {}

    def put(path: str, data: bytes) -> None:
        files[path] = data

    render_pages(renderer, pages, put, 1, progress)
    files.update((feed.path, feed.make()) for feed in feeds_of(site, renderer.presenter, theme))
    files.update(other_files(site, pages, renderer))
    if site.config.search:
        from .search import search_files  # here: numpy, which it needs, is loaded only for a search index

        search_files(site, renderer.presenter, theme, put)  # search/: the index and its scripts
    return files
