"""`build.py check`: how each page was split, and every doubt, without building anything."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TypedDict

from . import byline, classify, images, load, pipeline, scans
from .model import Article, Diagnostic, Source, shown_path

# Text decoded with the wrong codec: GBK bytes read as UTF-8 leave U+FFFD or 锟斤拷; UTF-8 read as
# Latin-1 or cp1252 leaves runs like "å®æ³¢" (宁波).
MOJIBAKE_RE = re.compile(r"\ufffd|锟斤拷|烫烫烫|屯屯屯|[\u00c0-\u00ff][\u0080-\u00ff\u2018-\u203a\u0152-\u017e]")


def _mojibake(source: Source) -> list[Diagnostic]:
    for number in range(source.body_start, len(source.lines)):
        if MOJIBAKE_RE.search(source.lines[number]):
            return [
                Diagnostic(
                    source.path,
                    number + 1,
                    "this text looks mis-decoded (mojibake)",
                    "the file was probably converted with the wrong encoding: take the text "
                    "again from the original, saved as UTF-8",
                    level="warning",
                )
            ]
    return []


# What a byline, a dateline or a credit holds: a line that has one of these and was read as text is a doubt.
ROLE_WORDS = re.compile(r"记者|通讯员|评论员|实习生|执笔|整理|摄影?$|文/|图/|[电讯][(（]")
LOOKS_LIKE_DATELINE = re.compile(r"^据?[\u4e00-\u9fff]{2,12}?(?:\d{1,2}月)?\d{0,2}日?(?:专)?[电讯]")


def _unread_bylines(article: Article) -> list[Diagnostic]:
    """Lines that look like a byline, a dateline or a credit but were read as text (or a dateline
    whose bracketed people could not be read)."""
    found = []
    text = [b for b in article.blocks if b.kind in ("para", "line")]
    for n, block in enumerate(text):
        words = block.text[:40]
        if n == 0 and article.dateline and not article.dateline.people and ROLE_WORDS.search(words):
            what = "its dateline names people who could not be read"
        elif n == 0 and not article.dateline and LOOKS_LIKE_DATELINE.match(words):
            what = "this looks like a dateline that was not read as one"
        elif len(block.text) <= 40 and ROLE_WORDS.search(block.text) and not byline.SENTENCE_RE.search(block.text):
            what = "this looks like a byline or a credit that was not read as one"
        else:
            continue
        found.append(
            Diagnostic(
                article.source.path,
                block.lines[0],
                f"«{article.title}»: {what}: «{words}»",
                "write it in one of the forms of the README's «Bylines, datelines and credits», "
                "or ignore this if it is text",
                level="warning",
            )
        )
    return found


def _blank_lines_above(source: Source, line: int) -> int:
    count, index = 0, line - 2
    while index >= source.body_start and not source.lines[index].strip():
        count, index = count + 1, index - 1
    return count


def _shared_captions(analysis: pipeline.Analysis) -> list[Diagnostic]:
    """Captions closing an article right above the next one: they could be either article's."""
    found: list[Diagnostic] = []
    by_source: defaultdict[str, list[Article]] = defaultdict(list)
    for article in analysis.articles:
        by_source[article.source.path].append(article)
    for source, _ in analysis.pages:
        articles = by_source[source.path]
        for article, following in zip(articles, articles[1:]):
            last = article.blocks[-1] if article.blocks else None
            if last and last.kind == "caption" and _blank_lines_above(source, last.lines[0]) < 2:
                found.append(
                    Diagnostic(
                        source.path,
                        last.lines[0],
                        f"this caption could belong to «{article.title}» above it "
                        f"or to «{following.title}» below it; it stays with the one above",
                        "to give it to the article below, put two blank lines above it",
                        level="warning",
                    )
                )
    return found


# What names a place: a name (two characters or more, no function word) before a place suffix, or
# one or two before 国 (美国, 意大利国 is rare); not the common words built on the same suffixes.
PLACE_RE = re.compile(r"(?=([\u4e00-\u9fff]{2}(?:街道|省|市|县|区|州|镇|乡|村)|[\u4e00-\u9fff]国))")
FUNCTION_CHARS = set("的了在和与及是对把被从到向为这那各全本该我你他她它们个等每某此其之于以就都也还又将已并或而但")
GENERIC = set(
    "城市 超市 都市 上市 门市 股市 楼市 车市 夜市 菜市 集市 开市 休市 闭市 社区 地区 小区 园区 景区 城区 市区 辖区 "
    "山区 郊区 片区 街区 校区 专区 误区 灾区 牧区 厂区 矿区 院区 营区 战区 禁区 盲区 分区 展区 老区 库区 "
    "农村 乡村 山村 渔村 城乡 家乡 下乡 老乡 故乡 他乡 异乡 同乡 返乡 城镇 乡镇 小镇 古镇 集镇 重镇 坐镇 "
    "外省 外县 外市 中国 外国 祖国 强国 大国 出国 回国 爱国 建国 治国 报国 王国 帝国 两国 万国 邻国 归国 "
    "举国 开国 护国 卫国 兴国 亡国 民国 一国 小国 诸国 盟国 敌国 报国 入国 三国 多国 他国 异国".split()
)
NOT_AFTER = {
    "市": "场值面容民井政",
    "区": "域别分间块位",
    "国": "家际内外产货企有营务旗歌庆力情资道",
    "乡": "村镇亲愁土音",
}
NOT_AFTER.update({"村": "民庄落委", "镇": "定静压", "县": "城委", "省": "份委力钱事心"})


def places(text: str) -> list[str]:
    """The places a text names by their form (宁波市, 海曙区, 美国…), whether known or not."""
    found = []
    for match in PLACE_RE.finditer(text):
        word = match.group(1)
        suffix = "街道" if word.endswith("街道") else word[-1]
        name, after = word[: -len(suffix)], text[match.start() + len(word) : match.start() + len(word) + 1]
        if set(name) & FUNCTION_CHARS or name[-1] + suffix[0] in GENERIC or after in NOT_AFTER.get(suffix, ""):
            continue
        found.append(word)
    return list(dict.fromkeys(found))


def _no_region(article: Article, known: classify.Matcher) -> list[Diagnostic]:
    """«has no region», only for an article that names places none of which the regions file knows
    (one it knows but names only in passing is not chosen, by design: no doubt)."""
    if article.regions:
        return []
    text = "\n".join([article.title, article.kicker, article.subtitle, *(b.text for b in article.blocks)])
    named = places(text)
    if not named or (known.pattern and known.pattern.search(text)):
        return []
    shown = "、".join(f"«{w}»" for w in named[:3])
    return [
        Diagnostic(
            article.source.path,
            article.line,
            f"«{article.title}» has no region: it names {shown}, which the regions file does not know",
            "add the place to the regions file, or `{regions=…}` after the headline",
            level="warning",
        )
    ]


def doubts(analysis: pipeline.Analysis) -> list[Diagnostic]:
    """What the splitter and the classifier could not be sure of, beyond their own warnings."""
    found: list[Diagnostic] = []
    for source, _ in analysis.pages:
        found += _mojibake(source)
    found += _shared_captions(analysis)
    seen: dict[tuple[dt.date, str], Article] = {}
    regions = classify.Matcher.build(analysis.config.regions, include_name=True)
    for article in analysis.articles:
        found += _unread_bylines(article)
        if not article.topics:
            found.append(
                Diagnostic(
                    article.source.path,
                    article.line,
                    f"«{article.title}» has no topic",
                    "add keywords to the topics file, or `{topics=…}` after the headline",
                    level="warning",
                )
            )
        found += _no_region(article, regions)
        key = (article.date, article.title)
        if key in seen:
            other = seen[key]
            found.append(
                Diagnostic(
                    article.source.path,
                    article.line,
                    f"two articles of {article.date} have the title «{article.title}»",
                    f"the other is {other.source.path}:{other.line}",
                    level="warning",
                )
            )
        seen.setdefault(key, article)
    return found


class ArticleSummary(TypedDict):
    """One article as `check` reports it (an entry of a page's `articles` in the JSON)."""

    title: str
    line: int
    kicker: str
    subtitle: str
    paragraphs: str  # the paragraph form
    byline: list[dict[str, str]]  # {"name", "role"}
    dateline: dict[str, str] | None  # {"source", "place", "date"}
    source: str  # the agency
    credits: list[str]
    captions: int
    topics: list[str]  # names
    regions: list[str]  # names


class PageSummary(TypedDict):
    """One page as `check` reports it (an entry of `pages` in the JSON)."""

    path: str
    date: str
    page: str
    title: str
    articles: list[ArticleSummary]


def _summary(article: Article, analysis: pipeline.Analysis) -> ArticleSummary:
    topics, regions = analysis.config.topic, analysis.config.region
    dateline = article.dateline
    return {
        "title": article.title,
        "line": article.line,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "paragraphs": article.form,
        "byline": [{"name": p.name, "role": p.role} for p in article.authors],
        "dateline": {"source": dateline.agency, "place": dateline.place, "date": dateline.date} if dateline else None,
        "source": article.agency,
        "credits": [b.credit for b in article.blocks if b.kind == "caption" and b.credit],
        "captions": sum(b.kind == "caption" for b in article.blocks),
        "topics": [topics[s].name for s in article.topics],
        "regions": [regions[s].name for s in article.regions],
    }


def _print_article(n: int, article: ArticleSummary) -> None:
    people = " ".join(f"{p['role']} {p['name']}".strip() for p in article["byline"]) or "none"
    dateline = article["dateline"]
    if article["line"]:
        print(f"  {n}. {article['title']} (line {article['line']})")
    else:  # split.py's headless page: one article titled after the page
        print(
            f"  this page has no headline: its text is kept as one article, titled «{article['title']}» after the page"
        )
    for part in ("kicker", "subtitle"):
        if article[part]:
            print(f"     {part}: {article[part]}")
    print(
        f"     paragraphs: {article['paragraphs']} · source: {article['source'] or 'none'} · dateline: "
        + (" ".join(x for x in dateline.values() if x) if dateline else "none")
        + f" · credits: {'; '.join(article['credits']) or 'none'}"
    )
    print(
        f"     byline: {people} · captions: {article['captions']} · "
        f"topics: {', '.join(article['topics']) or 'none'} · "
        f"regions: {', '.join(article['regions']) or 'none'}"
    )


def _print_text(pages: list[PageSummary], found: list[Diagnostic]) -> None:
    for page in pages:
        label = " ".join(x for x in (page["date"], page["page"], page["title"]) if x)
        print(f"{page['path']}: {label}, {len(page['articles'])} article(s)")
        for n, article in enumerate(page["articles"], 1):
            _print_article(n, article)
    for diagnostic in found:
        print(diagnostic.format())
    print(f"{len(pages)} page(s), {sum(len(p['articles']) for p in pages)} article(s), {len(found)} doubt(s)")


def _files(given: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The files to check, a folder standing for every *.md under it (as a build finds them), and
    the folders holding none."""
    files: list[Path] = []
    empty: list[Path] = []
    for path in given:
        found = load.find_files(path) if path.is_dir() else [path]
        files += found
        if not found:
            empty.append(path)
    return list(dict.fromkeys(files)), empty


def _images(options: pipeline.Options, analysis: pipeline.Analysis) -> list[Diagnostic]:
    """The problems of the pages' photos and scans (missing, too big, unreadable, areas naming no
    article), as a build finds them, without resizing anything."""
    publisher = images.Publisher(options.content, analysis.config.image_max_mb, None, check_only=True)
    *_, scan_problems = scans.publish(analysis.sources, analysis.articles, publisher)
    return images.process(analysis.articles, publisher)[1] + scan_problems


def run(options: pipeline.Options, given: Iterable[Path], strict: bool, fmt: str) -> int:
    """Exit status 1 when there is an error (with `strict`, any doubt), else 0."""
    files, empty = _files(given)
    for folder in empty:
        print(f"{shown_path(folder)}: error: no *.md file in this folder", file=sys.stderr)
    if empty and not files:
        return 1
    options.files, options.drafts, options.future = tuple(files), True, True
    result = pipeline.Result()
    try:
        analysis = pipeline.analyse(options, result, lines=True)
    except pipeline.BuildFailed as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        return 1
    found = result.diagnostics + doubts(analysis) + _images(options, analysis)
    found.sort(key=lambda d: (d.path, d.line))
    by_source: defaultdict[str, list[ArticleSummary]] = defaultdict(list)
    for article in analysis.articles:
        by_source[article.source.path].append(_summary(article, analysis))
    pages: list[PageSummary] = [
        {"path": s.path, "date": s.date.isoformat(), "page": s.page, "title": s.title, "articles": by_source[s.path]}
        for s, _ in sorted(analysis.pages, key=lambda p: p[0].path)
    ]
    if fmt == "json":
        print(json.dumps({"pages": pages, "doubts": [asdict(d) for d in found]}, ensure_ascii=False, indent=1))
    else:
        _print_text(pages, found)
    errors = empty or any(d.level == "error" for d in found)
    return 1 if errors or (strict and found) else 0
