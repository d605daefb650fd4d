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

from .editors import label_key
from .model import Article, Block, Continuation, Diagnostic

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


def _mark(article: Article, pattern: re.Pattern, last: bool) -> str:
    """The page a story's mark names (its last paragraph's 下转, or its first paragraph's 上接); "" when none."""
    paras = [b for b in article.blocks if b.kind == "para"]
    if not paras:
        return ""
    found = pattern.search(paras[-1 if last else 0].text)
    return page_of(found.group(1)) if found else ""


def _key(title: str) -> str:
    return re.sub(r"\W", "", title)


def join(articles: list[Article]) -> tuple[list[Article], list[Diagnostic]]:
    """Each story continued on another page of its day joined with its continuation(s), in order."""
    by_day: dict = defaultdict(list)
    for article in articles:
        by_day[article.source.date, article.source.publication].append(article)
    parts: dict[str, list[Article]] = {}  # a story's path -> its continuations, in reading order
    taken: set[str] = set()
    problems: list[Diagnostic] = []
    for day in by_day.values():
        for story in day:
            if story.path in taken:
                continue
            found = _continuation(story, day, taken)
            while found is not None:
                parts.setdefault(story.path, []).append(found)
                taken.add(found.path)
                found = _continuation(found, day, taken, story)
            last = parts[story.path][-1] if story.path in parts else story
            target = _mark(last, GOES_ON, last=True)
            if target:  # it says it goes on, and nothing did
                problems.append(_lost(last, target))
    joined = [_joined(a, parts[a.path]) if a.path in parts else a for a in articles if a.path not in taken]
    return joined, problems


def _continuation(part: Article, day: list[Article], taken: set[str], story: Article | None = None) -> Article | None:
    """The article that continues `part` (the story itself, or its last continuation) on another page."""
    story = story or part
    here, title = label_key(part.source.page), _key(story.title)
    target = _mark(part, GOES_ON, last=True)
    others = [a for a in day if a.source.path != part.source.path and a.path not in taken and a is not story]
    if target:
        there = [a for a in others if label_key(a.source.page) == target]
        marked = [a for a in there if _mark(a, GOES_ON_FROM, last=False) == here]
        same = [a for a in there if _key(a.title) == title]
        return next(iter(marked or same), None)
    marked = [a for a in others if _mark(a, GOES_ON_FROM, last=False) == here and _key(a.title) == title]
    if marked:
        return marked[0]
    if len(title) >= CONTINUED_TITLE and part is story:
        later = [a for a in others if _key(a.title) == title and a.source.page != part.source.page]
        return later[0] if len(later) == 1 else None
    return None


def _joined(story: Article, continuations: list[Article]) -> Article:
    """The story with each continuation's text after a note naming the page it goes on."""
    blocks = list(story.blocks)
    authors, contributors = list(story.authors), list(story.contributors)
    topics, regions = list(story.topics), list(story.regions)
    for part in continuations:
        blocks.append(Block("continued", part.source.page, (part.line,)))  # its headline, printed again
        blocks += part.blocks
        authors += [p for p in part.authors if p not in authors]
        contributors += [p for p in part.contributors if p not in contributors]
        topics += [t for t in part.topics if t not in topics]
        regions += [r for r in part.regions if r not in regions]
    return dataclasses.replace(
        story,
        blocks=tuple(blocks),
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
