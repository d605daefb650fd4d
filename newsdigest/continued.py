"""Stories continued on another page: a story that starts on one printed page and goes on on another
of the same day is one story, shown whole on its page, not two articles.

A part is known as a continuation by what papers print:

- the story's last paragraph ends with `（下转第3版）` (下转 or 转, 第 and 版 as printed, the page in
  digits or Chinese numerals), and the other page has an article that opens with `（上接第1版）`
  (上接 or 接), or an article under the same headline;
- an article that opens with （上接第1版） under the headline of a story of that page;
- without a mark, an article of another page under the same headline, when the headline is long
  enough to be the story's own (CONTINUED_TITLE characters: short recurring heads such as 图片新闻 or
  简讯 stand on many pages and are no continuation).

An （上接…） under another headline, with no （下转…） on the page it names, cannot say which story it
goes on: it stays an article of its own.

The continuation's lines join the story as it was printed: its headline lines become a note where it
goes on (`Block` kind "continued"), then its text, so every line stays in exactly one article. The
story remembers the page it continues on (`Article.continued`): that page lists it where the part
stood, and a change to either file rebuilds it. A 下转 mark that finds no continuation is a warning.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Sequence

from .editors import label_key
from .model import Article, Block, Blocks, Continuation, Diagnostic

NUMERALS = {c: n for n, c in enumerate("零一二三四五六七八九十")}
PAGE = r"\s*第?\s*([A-Za-z]?[0-9０-９一二三四五六七八九十]{1,3})\s*版\s*"
GOES_ON = re.compile(rf"[（(]\s*(?:下转|转){PAGE}[）)]\s*$")
GOES_ON_FROM = re.compile(rf"^\s*[（(]\s*(?:上接|接){PAGE}[）)]")
CONTINUED_TITLE = 8  # characters a headline needs to join two pages without a mark


def page_of(text: str) -> str:
    """A page as a mark prints it -> its label key (二 -> 2, 第03版 -> 3, a5 -> A5)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        text = str(NUMERALS.get(tens, 1) * 10 + NUMERALS.get(ones, 0))
    elif any(c in NUMERALS for c in text):
        text = "".join(str(NUMERALS[c]) if c in NUMERALS else c for c in text)
    return label_key(text)


def marks(blocks: Sequence[Block]) -> tuple[str, str]:
    """The pages an article's marks name: its first paragraph's 上接 and its last paragraph's 下转
    ("" when none). Found with the rest of what enrich finds in a draft (and kept in the cache)."""
    paras = [b.text for b in blocks if b.kind == "para"]
    if not paras:
        return "", ""
    found = GOES_ON_FROM.search(paras[0]), GOES_ON.search(paras[-1])
    return page_of(found[0].group(1)) if found[0] else "", page_of(found[1].group(1)) if found[1] else ""


def _key(title: str) -> str:
    return re.sub(r"\W", "", title)


class _Day:
    """One day's articles (of one publication), with what joining reads of each worked out once:
    its page, its headline's key, its marks; and the articles by page and by headline."""

    def __init__(self, articles: list[Article]):
        self.articles = articles
        self.page = {a.path: label_key(a.source.page) for a in articles}
        self.title = {a.path: _key(a.title) for a in articles}
        self.goes_on = {a.path: a.marks[1] for a in articles}  # 下转: the page it names
        self.goes_on_from = {a.path: a.marks[0] for a in articles}  # 上接
        self.on_page: dict[str, list[Article]] = defaultdict(list)
        self.titled: dict[str, list[Article]] = defaultdict(list)
        for a in articles:
            self.on_page[self.page[a.path]].append(a)
            self.titled[self.title[a.path]].append(a)

    def continuation(self, part: Article, taken: set[str], story: Article) -> Article | None:
        """The article that continues `part` (the story itself, or its last continuation) on another page."""
        here, title, target = self.page[part.path], self.title[story.path], self.goes_on[part.path]

        def free(found: list[Article]) -> list[Article]:
            return [a for a in found if a.source.path != part.source.path and a.path not in taken and a is not story]

        if target:
            there = free(self.on_page.get(target, []))
            marked = [a for a in there if self.goes_on_from[a.path] == here]
            return next(iter(marked or [a for a in there if self.title[a.path] == title]), None)
        same = free(self.titled.get(title, []))
        marked = [a for a in same if self.goes_on_from[a.path] == here]
        if marked:
            return marked[0]
        if len(title) >= CONTINUED_TITLE and part is story:
            later = [a for a in same if self.page[a.path] != here]
            return later[0] if len(later) == 1 else None
        return None


def join(articles: list[Article]) -> tuple[list[Article], list[Diagnostic]]:
    """Each story continued on another page of its day joined with its continuation(s), in order."""
    by_day: dict = defaultdict(list)
    for article in articles:
        by_day[article.source.date, article.source.publication].append(article)
    parts: dict[str, list[Article]] = {}  # a story's path -> its continuations, in reading order
    taken: set[str] = set()
    problems: list[Diagnostic] = []
    for articles_of_day in by_day.values():
        if not _may_join(articles_of_day):
            continue
        day = _Day(articles_of_day)
        for story in articles_of_day:
            if story.path in taken:
                continue
            found = day.continuation(story, taken, story)
            while found is not None:
                parts.setdefault(story.path, []).append(found)
                taken.add(found.path)
                found = day.continuation(found, taken, story)
            last = parts[story.path][-1] if story.path in parts else story
            if day.goes_on[last.path]:  # it says it goes on, and nothing did
                problems.append(_lost(last, day.goes_on[last.path]))
    joined = [_joined(a, parts[a.path]) if a.path in parts else a for a in articles if a.path not in taken]
    return joined, problems


def _may_join(articles: list[Article]) -> bool:
    """Whether any of a day's articles may continue another: one names a page it goes on to or
    comes from (上接/下转), or two share a headline (all _Day.continuation joins without a mark)."""
    if any(a.marks[0] or a.marks[1] for a in articles):
        return True
    keys = [_key(a.title) for a in articles]
    return len(set(keys)) < len(keys)


def _joined(story: Article, continuations: list[Article]) -> Article:
    """The story with each continuation's text after a note naming the page it goes on."""
    blocks = [story.blocks]  # read when first read (model.Blocks)
    authors, contributors = list(story.authors), list(story.contributors)
    topics, regions = list(story.topics), list(story.regions)
    for part in continuations:
        blocks.append(Blocks([Block("continued", part.source.page, (part.line,))]))  # its headline, printed again
        blocks.append(part.blocks)
        authors += [p for p in part.authors if p not in authors]
        contributors += [p for p in part.contributors if p not in contributors]
        topics += [t for t in part.topics if t not in topics]
        regions += [r for r in part.regions if r not in regions]
    return dataclasses.replace(
        story,
        blocks=Blocks.joined(blocks),
        authors=tuple(authors),
        contributors=tuple(contributors),
        topics=tuple(topics),
        regions=tuple(regions),
        continued=tuple(Continuation(part.source, part.index, part.title) for part in continuations),
    )


def _lost(part: Article, target: str) -> Diagnostic:
    return Diagnostic(
        part.source.path,
        part.line,
        f"「{part.title}」 continues on page {target} (下转), but no article of that day's page {target} "
        "opens with （上接…） or has its headline",
        "add the continuation's page to content/, or give it the same headline",
        level="warning",
    )
