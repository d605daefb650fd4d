"""Step 3, enrich: Drafts -> Articles, with bylines, topics, regions and unique slugs."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

from . import byline, classify, continued, editors
from . import people as people_module
from . import slug as slugs
from . import text as texts
from .config import SLUG_RE, Config
from .model import Article, Byline, Diagnostic, Draft, Person, Source, Term


class Taxonomy:
    """The configured topics and regions, compiled once for matching and lookup."""

    def __init__(self, config: Config):
        self.parents = config.parents
        self.topic_matcher = classify.Matcher.build(config.topics, include_name=True)
        self.region_matcher = classify.Matcher.build(config.regions, include_name=True)
        self.by_name = {
            "topics": _names(config.topics),
            "regions": _names(config.regions),
        }


def _names(terms: tuple[Term, ...]) -> dict[str, str]:
    """Every way an editor may name a term in an override: slug, name, or (a region's) alias."""
    names: dict[str, str] = {}
    for term in terms:
        aliases = term.keywords if term.kind == "region" else ()  # a topic's keywords are not its names
        for word in (term.slug, term.name, *aliases):
            names.setdefault(word, term.slug)
    return names


def _merged(*groups: tuple[Person, ...]) -> tuple[Person, ...]:
    """People of several bylines, each name once (its first role)."""
    out: list[Person] = []
    for group in groups:
        out += [p for p in group if all(o.name != p.name for o in out)]
    return tuple(out)


def credits(draft: Draft) -> tuple[Byline | None, tuple[Person, ...], tuple[Person, ...], str]:
    """(dateline, authors, everyone named, agency) of a draft, read from its bylines, dateline,
    signoff and photo credits (byline.py). Authors are those of the byline lines, the dateline and
    the signoff; else those a credit names for the text (`文/摄`); in a photo story with no text,
    its photographers. The agency is the dateline's, else the signoff's or a byline's (新华社记者…),
    else, in a photo story, its credits'."""
    lines: list[Byline] = []
    dateline = signoff = None
    shot: list[Byline] = []
    has_text = False
    for block in draft.blocks:
        if block.kind == "byline":
            lines.append(byline.parse_byline_line(block.text) or Byline())
        elif block.kind == "signoff":
            signoff = byline.parse_signoff(block.text)
        elif block.kind == "caption" and block.credit:
            shot.append(byline.parse_credit(block.credit) or Byline())
        elif block.kind == "para" and not has_text:
            dateline = byline.parse_dateline(block.text)
        has_text = has_text or block.kind in ("para", "line")
    credited = _merged(*(c.people for c in shot))
    written = [b for b in (*lines, dateline, signoff) if b]
    authors = _merged(*(b.people for b in written))
    if not authors:
        authors = tuple(p for p in credited if "文" in p.role) or (() if has_text else credited)
    agency = next((b.agency for b in (dateline, signoff, *lines) if b and b.agency), "")
    if not agency and not has_text:
        agency = next((c.agency for c in shot if c.agency), "")
    return dateline, authors, _merged(authors, credited), agency


def text_of(draft: Draft) -> str:
    """The text topics and regions are read from: the headline's other parts, the body, the captions."""
    parts = [p.text for p in (draft.kicker, draft.subtitle) if p]
    return "\n".join(parts + [b.text for b in draft.blocks if b.kind not in ("byline", "signoff")])


def _override(draft: Draft, key: str, taxonomy: Taxonomy, path: str, problems: list[Diagnostic]):
    for name, values in draft.overrides:
        if name != key:
            continue
        if key == "slug":
            value = values[0] if len(values) == 1 else ""
            if not SLUG_RE.match(value) or len(value) > slugs.MAX_LENGTH:
                problems.append(
                    Diagnostic(
                        path,
                        draft.title.lines[0],
                        f"`slug={' '.join(values)}` is not a slug",
                        "use lowercase letters, digits and hyphens, e.g. slug=ningbo-chuntian",
                    )
                )
                return None
            return slugs.safe(value)
        known = taxonomy.by_name[key]
        chosen = []
        for value in values:
            if value not in known:
                kind = key[:-1]
                problems.append(
                    Diagnostic(
                        path,
                        draft.title.lines[0],
                        f"unknown {kind} «{value}» in the headline's `{{…}}`",
                        f"name a {kind} from the {key} file (by name or slug), or add it there",
                    )
                )
            elif known[value] not in chosen:
                chosen.append(known[value])
        return tuple(chosen)
    return None


def edition_slugs(sources: list[Source]) -> tuple[dict[str, str], dict, list[Diagnostic]]:
    """A slug for each printed page (from its page label, else its file name), unique per day.

    Two pages of one publication, one date and one page label (1, 01 and 第1版 are one label) are
    an error naming both files. Returns (slug by source path, the slugs taken on each day, problems)."""
    taken: dict = {}
    result: dict[str, str] = {}
    problems: list[Diagnostic] = []
    pages: dict[tuple, Source] = {}  # (date, publication, label_key) -> the first page of that label
    for source in sorted(sources, key=lambda s: (s.date, s.rel, s.path)):
        day = taken.setdefault(source.date, set())
        stem = source.path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        wanted = slugs.slugify(source.page or stem.replace(source.date.isoformat(), ""), fallback="ban")
        result[source.path] = slugs.unique(wanted, day)
        first = pages.setdefault((source.date, source.publication, editors.label_key(source.page)), source)
        if source.page and first is not source:
            problems.append(_same_page(first, source))
        elif result[source.path] != wanted:
            problems.append(
                Diagnostic(
                    source.path,
                    0,
                    f"another page of {source.date} is also `{wanted}`; this one's URL uses `{result[source.path]}`",
                    "give each page of a day its own `page:` label",
                    level="warning",
                )
            )
    return result, taken, problems


def _same_page(first: Source, again: Source) -> Diagnostic:
    """The error for a page given twice: two files of one date and one page label."""
    same = f"page {again.page}" if again.page == first.page else f"page {first.page} (`{again.page}`)"
    return Diagnostic(
        again.path,
        0,
        f"this file and {first.path} are both {same} of {first.publication} of {again.date}: the same page twice",
        "delete one of the two files, or correct the `page:` label (or the date) of the one that is another page",
    )


@dataclass(frozen=True, slots=True)
class Found:
    """What enrich finds in one draft on its own: everything but what depends on other articles
    (a slug unique in its day, people's pages). A function of the draft and the config, so the
    build cache keeps it with the file's parse."""

    topics: tuple[str, ...]
    regions: tuple[str, ...]
    wanted: str  # the slug it asks for
    dateline: Byline | None
    authors: tuple[Person, ...]
    everyone: tuple[Person, ...]
    agency: str
    summary: str
    problems: tuple[Diagnostic, ...]
    marks: tuple[str, str]  # continued.marks()


def find(source: Source, drafts: list[Draft], taxonomy: Taxonomy, memo: MutableMapping) -> tuple[Found, ...]:
    """Found for each draft; `memo` keeps slugify()'s results between builds."""
    found = []
    for draft in drafts:
        problems: list[Diagnostic] = []
        title, text = draft.title.text, text_of(draft)
        topics = _override(draft, "topics", taxonomy, source.path, problems)
        if topics is None:
            topics = classify.topics(taxonomy.topic_matcher, title, text)
        dateline, authors, everyone, agency = credits(draft)
        regions = _override(draft, "regions", taxonomy, source.path, problems)
        if regions is None:  # the place a dateline names counts as the headline's
            where = f"{title}\n{dateline.place}" if dateline and dateline.place else title
            regions = classify.regions(taxonomy.region_matcher, taxonomy.parents, where, text)
        wanted = _override(draft, "slug", taxonomy, source.path, problems)
        if not wanted:
            if ("title", title) not in memo:
                memo["title", title] = slugs.slugify(title)
            wanted = memo["title", title]
        found.append(
            Found(
                tuple(topics),
                tuple(regions),
                wanted,
                dateline,
                authors,
                everyone,
                agency,
                texts.summary(texts.story_text(draft.blocks, dateline)),
                tuple(problems),
                continued.marks(draft.blocks),
            )
        )
    return tuple(found)


def enrich(
    pages: list[tuple[Source, list[Draft]]], config: Config, found: dict | None = None, memo: dict | None = None
) -> tuple[list[Article], dict, list[Diagnostic]]:
    """Drafts of every page -> Articles, and each page's edition slug.

    `found` may hold find()'s result for some pages (by Source.path), from the cache; it is
    completed with the others'. `memo` keeps pinyin slugs of titles and names between builds.
    Slugs are unique per day (editions first, then articles in page and printed order)."""
    found = {} if found is None else found
    memo = {} if memo is None else memo
    taxonomy = None
    editions, taken, problems = edition_slugs([source for source, _ in pages])
    made = []  # (source, index, draft, found, slug, line) of every article, in order
    for source, drafts in sorted(pages, key=lambda item: (item[0].date, item[0].rel, item[0].path)):
        if source.path not in found:
            taxonomy = taxonomy or Taxonomy(config)
            found[source.path] = find(source, drafts, taxonomy, memo)
        day = taken[source.date]
        for index, (draft, item) in enumerate(zip(drafts, found[source.path])):
            line = draft.title.lines[0] if draft.title.lines else 0
            problems += item.problems
            slug = slugs.unique(item.wanted, day)
            if slug != item.wanted:
                problems.append(
                    Diagnostic(
                        source.path,
                        line,
                        f"another article of {source.date} has the URL slug `{item.wanted}`; this one gets `{slug}`",
                        "set one with `{slug=…}` after the headline",
                        level="warning",
                    )
                )
            made.append((source, index, draft, item, slug, line))
    person = people_module.resolver({p for *_, item, _, _ in made for p in item.everyone}, config.people, memo)
    articles = [
        Article(
            source,
            index,
            draft.title.text,
            draft.blocks,
            tuple(map(person, item.authors)),
            tuple(map(person, item.everyone)),
            item.topics,
            item.regions,
            slug,
            line,
            draft.kicker.text if draft.kicker else "",
            draft.subtitle.text if draft.subtitle else "",
            draft.form,
            item.dateline,
            item.agency,
            item.summary,
            marks=item.marks,
        )
        for source, index, draft, item, slug, line in made
    ]
    return articles, editions, problems
