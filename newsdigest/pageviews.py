"""Page views by kind: what each kind of page record adds to its template's context.

Presenter.view (views.py) starts a page's context with what every page has, then calls the function
VIEWS holds for the record's type: it sets the page's title and description and its own parts (its
cards, breadcrumbs, pager, feeds, Open Graph fields and JSON-LD) with the Presenter's shared pieces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .model import (
    ArchivePage,
    ArticlePage,
    DayPage,
    EditionPage,
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
        leads=[presenter.card(c) for c in page.leads],
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
        breadcrumbs=[
            presenter.crumb(presenter.strings["home"], ""),
            presenter.crumb(presenter.date(news.date, weekday=False), f"{news.date:%Y/%m/%d}/"),
            {"name": card["page"] or link["page"], "href": link["href"], "url": link["url"]},
        ],
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
    title = " ".join(x for x in (printed["date"], printed["page"], printed["title"]) if x)
    view.update(
        title=title,
        description=title,
        edition=printed,
        edition_date=printed["date"],
        day_href=presenter.href(f"{page.edition.date:%Y/%m/%d}/"),
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


def day(presenter: Presenter, page: DayPage, view: dict) -> None:
    title = presenter.date(page.date)
    view.update(
        title=title,
        description=title,
        edition_date=title,
        editions=[presenter.edition(link, cards) for link, cards in page.editions],
    )


def archive(presenter: Presenter, page: ArchivePage, view: dict) -> None:
    strings = presenter.strings
    view.update(
        title=strings["archive"],
        description=strings["archive"],
        months=[
            {
                "name": strings["month"].format(year=m.year, month=m.month),
                "days": [
                    {
                        "name": presenter.date(d),
                        "href": presenter.href(f"{d:%Y/%m/%d}/"),
                        "editions": [presenter.edition_link(e) for e in links],
                    }
                    for d, links in days
                ],
            }
            for m, days in page.months
        ],
    )


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
        description=f"{subject.name}：{strings['articles_count'].format(count=page.count)}",
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
        description=f"{page.name}（{'、'.join(page.roles)}）：{strings['articles_count'].format(count=page.count)}",
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
    """A listing's title: its name, and the page's number after the first."""
    if pager.number == 1:
        return name
    return f"{name} · {presenter.strings['page_of'].format(number=pager.number, count=pager.count)}"


def _pager(presenter: Presenter, pager: Pager) -> dict:
    return {
        "number": pager.number,
        "count": pager.count,
        "previous": presenter.href(pager.previous) if pager.previous else "",
        "next": presenter.href(pager.next) if pager.next else "",
    }


def _breadcrumb_list(crumbs: list[dict], pager: Pager) -> dict | None:
    """The trail for search engines, on a listing's first page (its later pages share it)."""
    if pager.number != 1:
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
