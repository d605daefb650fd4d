"""Page views by kind: what each kind of page record adds to its template's context.

Presenter.view (views.py) starts a page's context with what every page has, then calls the function
VIEWS holds for the record's type: it sets the page's title and description and its own parts (its
cards, breadcrumbs, pager, feeds, Open Graph fields and JSON-LD) with the Presenter's shared pieces.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from .model import (
    ArchivePage,
    ArticlePage,
    DayPage,
    EditionPage,
    Figure,
    HomePage,
    NotFoundPage,
    Page,
    Pager,
    PeoplePage,
    PersonPage,
    RegionNode,
    RegionsPage,
    SearchPage,
    TermPage,
    TopicsPage,
)

if TYPE_CHECKING:
    from .views import Presenter


def home(presenter: Presenter, page: HomePage, view: dict) -> None:
    config = presenter.config
    date = presenter.date(page.date) if page.date else ""
    view.update(
        title=config.title,
        description=config.description or config.title,
        date=date,
        edition_date=date,
        front=presenter.edition_link(page.front) if page.front else None,
        leads=[presenter.card(c) for c in page.leads],
        pages=[dict(presenter.edition_link(link), lead=presenter.card(c) if c else None) for link, c in page.pages],
        recent=[presenter.card(c) for c in page.recent],
    )


def article(presenter: Presenter, page: ArticlePage, view: dict) -> None:
    news = page.story.article
    card = presenter.card(page.story.card)
    link = presenter.edition_link(page.edition)
    view.update(
        title=news.title,
        description=card["summary"],
        article=card,
        blocks=presenter.blocks(page.story),
        edition_href=link["href"],
        edition_date=presenter.date(news.date),
        previous=presenter.card(page.previous) if page.previous else None,
        next=presenter.card(page.next) if page.next else None,
        related=[presenter.card(c) for c in page.related],
        json_ld=presenter.article_json_ld(news, card),
        breadcrumbs=_printed_crumbs(presenter, link, page.edition.date),
    )
    view["og"].update(
        type="article",
        published=card["published"],
        image=card["photo"]["url"] if card["photo"] else "",
        sections=[t["name"] for t in card["topics"]],
        tags=[t["name"] for t in card["regions"]],
    )


def edition(presenter: Presenter, page: EditionPage, view: dict) -> None:
    printed = presenter.edition(page.edition, page.cards)
    going_on = {id(c) for c in page.continued}  # stories of other pages going on here: where they start
    printed["articles"] = [
        dict(item, note=presenter.strings["continued_from"].format(page=item["page"])) if id(card) in going_on else item
        for card, item in zip(page.cards, printed["articles"])
    ]
    title = " ".join(x for x in (printed["date"], printed["page"], printed["title"]) if x)
    here = page.edition.path
    view.update(
        title=title,
        description=title,
        edition=printed,
        edition_date=printed["date"],
        day_href=presenter.href(f"{page.edition.date:%Y/%m/%d}/"),
        pages=[dict(presenter.edition_link(link), current=link.path == here) for link in page.day],
        page_nav=_page_nav(presenter, page),
        issue_nav=_issue_nav(presenter, page.previous_day, page.next_day),
        scan=_scan(presenter, page, printed["name"]),
        breadcrumbs=_printed_crumbs(presenter, printed, page.edition.date),
    )
    view["json_ld"] = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": printed["name"],
        "url": printed["url"],
        "inLanguage": presenter.config.language,
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {"@type": "ListItem", "position": n, "url": a["url"]} for n, a in enumerate(printed["articles"], 1)
            ],
        },
    }


def _printed_crumbs(presenter: Presenter, link: dict, day: dt.date) -> list[dict]:
    """首页 › 日期 › 版次: the trail of a printed page, and of an article on it (`link`: its view)."""
    return [
        presenter.crumb(presenter.strings["home"], ""),
        presenter.crumb(presenter.date(day, weekday=False), f"{day:%Y/%m/%d}/"),
        {"name": link["page"], "href": link["href"], "url": link["url"]},
    ]


def _page_nav(presenter: Presenter, page: EditionPage) -> list[dict]:
    """上一版 and 下一版: the neighbouring printed pages (another day's named with its date), each
    with the key that follows it (the arrow keys, and a swipe on a phone, in reader.js)."""
    strings, out = presenter.strings, []
    for link, word, rel, key in (
        (page.previous, strings["previous_edition"], "prev", "ArrowLeft"),
        (page.next, strings["next_edition"], "next", "ArrowRight"),
    ):
        if link:
            shown = presenter.edition_link(link)
            other_day = link.date != page.edition.date
            name = shown["name"] if other_day else " ".join(x for x in (shown["page"], shown["title"]) if x)
            out.append({"word": word, "rel": rel, "key": key, "href": shown["href"], "name": name})
    return out


def _issue_nav(presenter: Presenter, previous, following) -> list[dict]:
    """上一期 and 下一期: the days before and after that have an issue."""
    strings = presenter.strings
    days = ((previous, strings["previous_issue"], "prev"), (following, strings["next_issue"], "next"))
    return [
        {"word": word, "rel": rel, "href": presenter.href(f"{day:%Y/%m/%d}/"), "name": presenter.date(day, False)}
        for day, word, rel in days
        if day
    ]


def _scan(presenter: Presenter, page: EditionPage, name: str) -> dict | None:
    """The page's scan: an image (with a map of its articles' areas when there are any), or a PDF."""
    scan = page.scan
    if scan is None:
        return None
    if scan.photo is None:
        return {"pdf": presenter.href(scan.file), "image": None, "areas": []}
    image = presenter.photo(Figure(scan.photo, presenter.strings["scan_alt"].format(name=name)), eager=True)
    return {
        "pdf": "",
        "image": image,
        "width": scan.width,
        "height": scan.height,
        "areas": [
            {"href": presenter.href(a.card.path), "title": a.card.title, "box": (a.x, a.y, a.width, a.height)}
            for a in page.areas
        ],
    }


def day(presenter: Presenter, page: DayPage, view: dict) -> None:
    title = presenter.date(page.date)
    view.update(
        title=title,
        description=title,
        edition_date=title,
        editions=[presenter.edition(link, cards) for link, cards in page.editions],
        issue_nav=_issue_nav(presenter, page.previous_day, page.next_day),
    )


def archive(presenter: Presenter, page: ArchivePage, view: dict) -> None:
    strings = presenter.strings
    months = [_month(presenter, first, days) for first, days in page.months]
    years: dict[str, list[dict]] = {}
    for month in months:
        years.setdefault(month["year"], []).append(month)
    view.update(
        title=strings["archive"],
        description=strings["archive"],
        months=months,
        years=[{"name": year, "months": shown} for year, shown in years.items()],
        weekdays=strings["weekdays_short"],
    )


def _month(presenter: Presenter, first: dt.date, days: tuple[tuple[dt.date, int], ...]) -> dict:
    """A month's calendar: weeks of seven cells (Monday first), a day with an issue a link to it with
    its number of printed pages; blank cells before the first and after the last day."""
    strings, issues = presenter.strings, dict(days)
    length = calendar.monthrange(first.year, first.month)[1]
    cells: list[dict | None] = [None] * first.weekday()
    for n in range(1, length + 1):
        day = first.replace(day=n)
        count = issues.get(day, 0)
        cells.append(
            {
                "day": n,
                "href": presenter.href(f"{day:%Y/%m/%d}/") if count else "",
                "label": f"{presenter.date(day)}，{strings['pages_count'].format(count=count)}" if count else "",
                "count": strings["pages_count"].format(count=count) if count else "",
            }
        )
    cells += [None] * (-len(cells) % 7)
    return {
        "id": f"m{first:%Y-%m}",
        "year": strings["year"].format(year=first.year),
        "short": strings["month_short"].format(month=first.month),
        "name": strings["month"].format(year=first.year, month=first.month),
        "weeks": [cells[i : i + 7] for i in range(0, len(cells), 7)],
        "issues": len(days),
    }


def topics(presenter: Presenter, page: TopicsPage, view: dict) -> None:
    view.update(
        title=presenter.strings["topics"],
        description=presenter.strings["all_topics"],
        terms=[presenter.term(t, count) for t, count in page.terms],
    )


def regions(presenter: Presenter, page: RegionsPage, view: dict) -> None:
    view.update(
        title=presenter.strings["regions"],
        description=presenter.strings["all_regions"],
        roots=[_region_tree(presenter, node) for node in page.roots],
    )


def _region_tree(presenter: Presenter, node: RegionNode) -> dict:
    return dict(presenter.term(node.term, node.count), children=[_region_tree(presenter, c) for c in node.children])


def term(presenter: Presenter, page: TermPage, view: dict) -> None:
    strings, subject, pager = presenter.strings, page.term, page.pager
    section = "topics" if subject.kind == "topic" else "regions"
    items = [dict(presenter.card(card), note=strings["from_region"] + via if via else "") for card, via in page.items]
    crumbs = [
        presenter.crumb(strings["home"], ""),
        presenter.crumb(strings[section], f"{section}/"),
        presenter.crumb(subject.name, f"{section}/{subject.slug}/"),
    ]
    view.update(
        title=_numbered(presenter, subject.name, pager),
        description=f"{subject.name}：{strings['articles_count'].format(count=page.count)}"
        if page.count
        else _numbered(presenter, subject.name, pager),
        term=presenter.term(subject, page.count),
        items=items,
        trail=" › ".join(page.trail),
        children=[presenter.term(t, count) for t, count in page.children],
        pager=_pager(presenter, pager),
        breadcrumbs=crumbs,
        json_ld=_breadcrumb_list(crumbs, pager),
    )
    _own_feed(presenter, view, subject.name, f"{section}/{subject.slug}/")


def people(presenter: Presenter, page: PeoplePage, view: dict) -> None:
    view.update(
        title=presenter.strings["people"],
        description=presenter.strings["all_people"],
        groups=[
            {
                "role": role,
                "people": [
                    {"name": name, "count": count, "href": presenter.href(f"people/{slug}/")}
                    for name, slug, count in group
                ],
            }
            for role, group in page.groups
        ],
    )


def person(presenter: Presenter, page: PersonPage, view: dict) -> None:
    strings, pager = presenter.strings, page.pager
    items = [dict(presenter.card(card), note=roles) for card, roles in page.items]
    crumbs = [
        presenter.crumb(strings["home"], ""),
        presenter.crumb(strings["people"], "people/"),
        presenter.crumb(page.name, f"people/{page.slug}/"),
    ]
    view.update(
        title=_numbered(presenter, page.name, pager),
        description=f"{page.name}（{'、'.join(page.roles)}）：{strings['articles_count'].format(count=page.count)}"
        if page.count
        else _numbered(presenter, page.name, pager),
        person={"name": page.name, "roles": page.roles, "count": page.count},
        items=items,
        pager=_pager(presenter, pager),
        breadcrumbs=crumbs,
        json_ld=_breadcrumb_list(crumbs, pager),
    )
    _own_feed(presenter, view, page.name, f"people/{page.slug}/")


def _own_feed(presenter: Presenter, view: dict, name: str, path: str) -> None:
    """A listing's own Atom feed, linked from its pages besides the site's."""
    view["feeds"].append(
        {
            "type": "application/atom+xml",
            "title": f"{name} - {presenter.config.title}",
            "href": presenter.href(f"{path}feed.xml"),
        }
    )


def _numbered(presenter: Presenter, name: str, pager: Pager) -> str:
    """A listing's title: its name, and a numbered page's number."""
    if pager.number == 0:
        return name
    return f"{name} · {presenter.strings['page_number'].format(number=pager.number)}"


def _pager(presenter: Presenter, pager: Pager) -> dict:
    return {
        "number": pager.number,
        "count": pager.count,
        "newer": presenter.href(pager.newer) if pager.newer else "",
        "older": presenter.href(pager.older) if pager.older else "",
    }


def _breadcrumb_list(crumbs: list[dict], pager: Pager) -> dict | None:
    """The trail for search engines, on a listing's first page (its later pages share it)."""
    if pager.number != 0:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": c["name"], "item": c["url"]} for n, c in enumerate(crumbs, 1)
        ],
    }


def search(presenter: Presenter, page: SearchPage, view: dict) -> None:
    view.update(
        title=presenter.strings["search"],
        description=presenter.strings["search_placeholder"],
        search_script=presenter.href("search/page.js"),
        search_topics=[presenter.term(t) for t in page.topics],
        search_regions=[dict(presenter.term(t), indent="\u3000" * depth) for t, depth in page.regions],
    )


def not_found(presenter: Presenter, page: NotFoundPage, view: dict) -> None:
    view.update(title=presenter.strings["not_found_title"], description=presenter.strings["not_found_text"])


# A record's type -> the function adding its page's own parts to the view (a record of that type).
PageView = Callable[["Presenter", Any, dict], None]
VIEWS: dict[type[Page], PageView] = {
    HomePage: home,
    ArticlePage: article,
    EditionPage: edition,
    DayPage: day,
    ArchivePage: archive,
    TopicsPage: topics,
    RegionsPage: regions,
    TermPage: term,
    PeoplePage: people,
    PersonPage: person,
    SearchPage: search,
    NotFoundPage: not_found,
}
