"""A seeded corpus for the site benchmark: N articles written three ways, so three tools build the same work.

    python bench/site/corpus.py --articles 1000 --out /tmp/corpus-1000 [--seed 1]

writes
    OUT/newsdigest/content/YYYY/MM/YYYY-MM-DD-a3.md   digest pages in our content format, 6-8 articles a page
    OUT/newsdigest/site.yaml, topics.yaml, regions.yaml
    OUT/hugo/      a Hugo site: hugo.toml, one markdown file per article, the minimal theme of themes/hugo/
    OUT/pelican/   a Pelican site: pelicanconf.py, one markdown file per article, the theme of themes/pelican/
    OUT/manifest.json  counts, and where the article edited by the rebuild benchmark is

The articles' words, headlines, places and topics come from the search benchmark's generator
(bench/search/corpus.py: a Zipf-like draw from pypinyin's phrase dictionary); this module lays
them out as printed pages: a staff of reporters and correspondents, bylines on their own line
(`见习记者 金宇涵`, `记者 王珂 通讯员 张超梁 顾伟`) or datelines (`本报讯(记者沈孙晖 通讯员张超梁 顾伟)…`,
`本报北京2月2日电（记者王珂）…`), photo captions with credits (`…(企业供图)`, a credit on its own line,
`(记者 王珂 摄)`), cross-heads, photo stories credited `(… 文/摄)`.

Every article names its topics and regions in a headline override (`{topics=… regions=…}`), so
our tool files it where the Hugo and Pelican sites do. Those get the same terms as taxonomies:
topics, regions (with their ancestors, as our region pages roll up: a 镇海 story is on the 宁波,
浙江, 中国 and 亚洲 pages too), people (everyone in a byline or credit) and the printed page
(edition: our edition pages; a Hugo taxonomy, a Pelican category). The same seed always gives
the same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import multiprocessing
import os
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
THEMES = HERE / "themes"

SECTIONS = [
    ("A1", "要闻"),
    ("A2", "要闻"),
    ("A3", "综合"),
    ("A4", "经济"),
    ("A5", "经济"),
    ("A6", "城市"),
    ("A7", "区县"),
    ("A8", "民生"),
    ("A9", "文体"),
    ("A10", "国际"),
]
DATELINE_CITIES = ["北京", "杭州", "上海", "深圳", "广州", "南京"]
CREDITS = ["企业供图", "受访者供图", "资料图片", "通讯员供图"]


def _search_generator():
    """The search benchmark's seeded article generator (bench/search/corpus.py), imported by path."""
    path = ROOT / "bench" / "search" / "corpus.py"
    spec = importlib.util.spec_from_file_location("bench_search_corpus", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass
class Story:
    number: int
    date: dt.date
    edition: str  # "A5"
    section: str  # "经济"
    title: str
    topics: list[str]  # slugs
    regions: list[str]  # slugs, most specific
    people: list[str]  # everyone named in the byline and credits, in order
    body: list[str]  # markdown paragraphs, as printed (byline line or dateline included)

    @property
    def slug(self) -> str:
        return f"a{self.number:06d}"


class Taxonomy:
    def __init__(self, topics_file: Path, regions_file: Path):
        self.topic_name = {t["slug"]: t["name"] for t in yaml.safe_load(topics_file.read_text(encoding="utf-8"))}
        self.region_name: dict[str, str] = {}
        self.parent: dict[str, str] = {}

        def walk(items, parent):
            for item in items or []:
                self.region_name[item["slug"]] = item["name"]
                self.parent[item["slug"]] = parent
                walk(item.get("children"), item["slug"])

        walk(yaml.safe_load(regions_file.read_text(encoding="utf-8")), "")

    def rolled_up(self, slugs: list[str]) -> list[str]:
        """The regions and all their ancestors, as our region pages list them."""
        out: list[str] = []
        for slug in slugs:
            while slug and slug not in out:
                out.append(slug)
                slug = self.parent[slug]
        return out


class Writer:
    """Lays the search generator's articles out as newspaper pages."""

    def __init__(self, seed: int):
        corpus = _search_generator()
        self.gen = corpus.Generator(seed)
        self.rng = random.Random(seed * 7919 + 1)
        names: list[str] = []
        seen = set()
        while len(names) < 1300:  # a daily's staff: reporters, trainees, correspondents, photographers
            name = self.gen.name()
            if name not in seen:
                seen.add(name)
                names.append(name)
        self.reporters = names[:260]
        self.trainees = names[260:300]
        self.correspondents = names[300:1240]
        self.photographers = names[1240:]

    def _pick(self, pool: list[str], k: int) -> list[str]:
        # a few names write most stories (Zipf-like), as on a real paper
        out: list[str] = []
        while len(out) < k:
            name = pool[min(int(len(pool) * self.rng.random() ** 2.2), len(pool) - 1)]
            if name not in out:
                out.append(name)
        return out

    def _layout_name(self, name: str) -> str:
        """Two-character names are often printed with a space inside: `刘  毅`."""
        return f"{name[0]}  {name[1]}" if len(name) == 2 and self.rng.random() < 0.3 else name

    def story(self, number: int, date: dt.date, edition: str, section: str) -> Story:
        rng = self.rng
        art = self.gen.article(number, date)
        paragraphs = list(art.paragraphs)
        people: list[str] = []
        style = rng.random()
        reporters = self._pick(self.trainees if rng.random() < 0.12 else self.reporters, rng.choice((1, 1, 1, 2)))
        role = "见习记者" if reporters[0] in self.trainees else rng.choice(("记者", "记者", "本报记者"))
        helpers = self._pick(self.correspondents, rng.choice((0, 1, 1, 2, 3)))
        body: list[str] = []
        if style < 0.45:  # a byline on its own line
            # spaces inside a lone name are layout (`本报记者  刘  毅`); beside another name they would join them
            shown = [self._layout_name(reporters[0])] if len(reporters) == 1 else reporters
            line = f"{role} " + " ".join(shown)
            if helpers:
                line += " 通讯员 " + " ".join(helpers)
            body.append(line)
            people += reporters + helpers
        elif style < 0.9:  # a dateline opening the first paragraph
            inner = "记者" + " ".join(reporters) + (" 通讯员" + " ".join(helpers) if helpers else "")
            if rng.random() < 0.75:
                opener = f"本报讯({inner})"
            else:
                opener = f"本报{rng.choice(DATELINE_CITIES)}{date.month}月{date.day}日电（{inner}）"
            paragraphs[0] = opener + paragraphs[0]
            people += reporters + helpers
        # else: no byline; a photo credited `文/摄` names the authors (below)
        captions = []
        for text, _credit in art.captions:
            if rng.random() < 0.3:
                shooter = self._pick(self.photographers, 1)[0]
                captions.append((text, f"记者 {shooter} 摄"))
                if shooter not in people:
                    people.append(shooter)
            else:
                captions.append((text, rng.choice(CREDITS)))
        if style >= 0.9:
            credited = self._pick(self.photographers + self.reporters, rng.choice((1, 2, 3)))
            captions.append(("图为" + art.title.replace(" ", "") + "现场。", " ".join(credited) + " 文/摄"))
            people += [n for n in credited if n not in people]
        for i, paragraph in enumerate(paragraphs):
            body.append(paragraph)
            if i == 1 and len(paragraphs) > 4 and rng.random() < 0.3:  # a cross-head
                body.append("".join(self.gen.word() for _ in range(2)).strip()[:10] or "新闻")
            if i < len(paragraphs) - 1 and captions and (i == 0 or rng.random() < 0.4):
                text, credit = captions.pop(0)
                if rng.random() < 0.3:
                    body.append(text)
                    body.append(f"({credit})")  # a credit on its own line belongs to the caption above
                else:
                    body.append(f"{text}({credit})")
        for text, credit in captions:  # never the last paragraph: it would pass to the next headline
            body.insert(len(body) - 1, f"{text}({credit})")
        return Story(number, date, edition, section, art.title, list(art.topics), list(art.regions), people, body)


def stories(count: int, seed: int = 1):
    """(date, edition, section, [Story…]) for each printed page, oldest first: 6-8 stories a page,
    3-8 pages a day from 2020-01-01."""
    writer = Writer(seed)
    rng = random.Random(seed * 104729 + 3)
    number, day = 0, dt.date(2020, 1, 1)
    while number < count:
        for edition, section in SECTIONS[: rng.randint(3, 8)]:
            if number >= count:
                break
            size = min(rng.randint(6, 8), count - number)
            page = [writer.story(number + i, day, edition, section) for i in range(size)]
            number += size
            yield day, edition, section, page
        day += dt.timedelta(days=1)


# --- the three renderings -------------------------------------------------------------------


def digest_text(date: dt.date, edition: str, section: str, page: list[Story]) -> str:
    out = [f"---\ndate: {date.isoformat()}\npublication: 宁波日报\npage: {edition}\ntitle: {section}\n---\n"]
    for i, story in enumerate(page):
        overrides = f"topics={','.join(story.topics)} regions={','.join(story.regions)}"
        out.append(f"{'#' if i == 0 else '##'} {story.title} {{{overrides}}}\n")
        out += [p + "\n" for p in story.body]
    return "\n".join(out)


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def hugo_text(story: Story, tax: Taxonomy) -> str:
    regions = [tax.region_name[r] for r in tax.rolled_up(story.regions)]
    topics = [tax.topic_name[t] for t in story.topics]
    edition = f"{story.date.isoformat()} {story.edition} {story.section}"
    front = [
        "---",
        f"title: {json.dumps(story.title, ensure_ascii=False)}",
        f"date: {story.date.isoformat()}T06:00:00+08:00",
        f"url: /{story.date:%Y/%m/%d}/{story.slug}/",
        f"topics: {_yaml_list(topics)}",
        f"regions: {_yaml_list(regions)}",
        f"places: {_yaml_list([tax.region_name[r] for r in story.regions])}",  # most specific: for related
        f"people: {_yaml_list(story.people)}",
        f"editions: {_yaml_list([edition])}",
        f"page: {story.edition}",
        "---",
        "",
    ]
    return "\n".join(front) + "\n\n".join(story.body) + "\n"


def pelican_text(story: Story, tax: Taxonomy) -> str:
    regions = [tax.region_name[r] for r in tax.rolled_up(story.regions)]
    topics = [tax.topic_name[t] for t in story.topics]
    front = [
        f"Title: {story.title}",
        f"Date: {story.date.isoformat()} 06:00",
        f"Slug: {story.slug}",
        f"Category: {story.date.isoformat()} {story.edition} {story.section}",
        f"Tags: {', '.join(topics + regions)}",
        f"Authors: {', '.join(story.people) if story.people else '宁波日报'}",
        f"Printpage: {story.edition}",
        "",
    ]
    return "\n".join(front) + "\n" + "\n\n".join(story.body) + "\n"


SITE_YAML = """\
title: 宁波新闻摘要
publication: 宁波日报
description: 宁波日报版面新闻，按版面、专题与地区浏览。
base_url: https://example.org/
tag_domain: example.org
page_size: 20
home_recent: 20
related: 3
feed_size: 20
size_budget_mb: 100000
topics: topics.yaml
regions: regions.yaml
people: people.yaml
"""

HUGO_TOML = """\
baseURL = "https://example.org/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "宁波新闻摘要"
theme = "newsbench"
hasCJKLanguage = true
summaryLength = 40
enableRobotsTXT = true
disableKinds = ["section"]
timeZone = "Asia/Shanghai"

[pagination]
  pagerSize = 20

[taxonomies]
  topic = "topics"
  region = "regions"
  person = "people"
  edition = "editions"

[outputs]
  home = ["html", "rss"]
  page = ["html"]
  taxonomy = ["html"]
  term = ["html", "rss"]

[services.rss]
  limit = 20

[related]
  # Related by the most specific places only. Hugo's related search over topics or rolled-up
  # regions (terms each shared by thousands of articles) took over 5 minutes at 10,000 articles
  # (375 s for topics + regions even with cardinalityThreshold = 20), against under a minute for
  # the rest of the build; ours looks at the 50 nearest articles in time per shared term.
  includeNewer = true
  threshold = 0
  toLower = false
  [[related.indices]]
    name = "places"
    weight = 100
"""

PELICAN_CONF = """\
# Pelican settings of the site benchmark: the same pages as the newsdigest and Hugo sites, as near as
# Pelican goes without plugins: topics and regions are tags, people are authors, printed pages are categories.
AUTHOR = "宁波日报"
SITENAME = "宁波新闻摘要"
SITEURL = "https://example.org"
PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE_FORMAT = "%Y年%m月%d日"
SLUGIFY_USE_UNICODE = True       # Chinese term names keep their characters in URLs (as Hugo's do), so 山西/陕西 differ
SUMMARY_MAX_LENGTH = 12          # "words": for Chinese text, runs between punctuation
DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"tag": None, "author": None, "category": None}  # the home page shows the 20 newest, as ours
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_SAVE_AS = "tags/index.html"
AUTHOR_URL = "people/{slug}/"
AUTHOR_SAVE_AS = "people/{slug}/index.html"
AUTHORS_SAVE_AS = "people/index.html"
CATEGORY_URL = "editions/{slug}/"
CATEGORY_SAVE_AS = "editions/{slug}/index.html"
CATEGORIES_SAVE_AS = "editions/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
FEED_DOMAIN = SITEURL
FEED_MAX_ITEMS = 20
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "tags/{slug}/feed.xml"
AUTHOR_FEED_ATOM = "people/{slug}/feed.xml"
AUTHOR_FEED_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
RSS_FEED_SUMMARY_ONLY = True
PAGE_PATHS = []
STATIC_PATHS = []
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False
RELATIVE_URLS = False
"""

PEOPLE_YAML = "[]\n"


SITES = ("newsdigest", "hugo", "pelican")


def _write(path: str, text: str) -> None:
    """The file's bytes as `Path.write_text(text, encoding="utf-8")` writes them, in three system calls."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)


class _Files:
    """Writes the printed pages' files: the digest for our site, one file per article for Hugo's and Pelican's."""

    def __init__(self, out: Path, sites: tuple[str, ...], tax: Taxonomy):
        self.out, self.sites, self.tax = str(out), sites, tax
        self.folders: set[str] = set()

    def folder(self, path: str) -> str:
        if path not in self.folders:
            os.makedirs(path, exist_ok=True)
            self.folders.add(path)
        return path

    def page(self, date: dt.date, edition: str, section: str, page: list[Story]) -> None:
        month = f"{date:%Y}/{date:%m}"
        if "newsdigest" in self.sites:
            folder = self.folder(f"{self.out}/newsdigest/content/{month}")
            _write(f"{folder}/{date.isoformat()}-{edition.lower()}.md", digest_text(date, edition, section, page))
        for site, render in (("hugo", hugo_text), ("pelican", pelican_text)):
            if site in self.sites:
                folder = self.folder(f"{self.out}/{site}/content/{month}")
                for story in page:
                    _write(f"{folder}/{story.slug}.md", render(story, self.tax))

    def serve(self, conn) -> None:
        """In the writer process: batches of pages from the pipe until None."""
        while (batch := conn.recv()) is not None:
            for page in batch:
                self.page(*page)


def _writer_main(files: _Files, conn) -> None:
    files.serve(conn)
    conn.close()


def _lay_out(out: Path, sites: tuple[str, ...]) -> None:
    """Each site's files but its articles: configuration, taxonomy files, theme."""
    ours, hugo, pelican = out / "newsdigest", out / "hugo", out / "pelican"
    if "newsdigest" in sites:
        (ours / "content").mkdir(parents=True)
        shutil.copy(ROOT / "content" / "topics.yaml", ours / "topics.yaml")
        shutil.copy(ROOT / "content" / "regions.yaml", ours / "regions.yaml")
        (ours / "people.yaml").write_text(PEOPLE_YAML, encoding="utf-8")
        (ours / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    if "hugo" in sites:
        (hugo / "content").mkdir(parents=True)
        (hugo / "hugo.toml").write_text(HUGO_TOML, encoding="utf-8")
        shutil.copytree(THEMES / "hugo", hugo / "themes" / "newsbench")
    if "pelican" in sites:
        (pelican / "content").mkdir(parents=True)
        (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
        shutil.copytree(THEMES / "pelican", pelican / "theme")
    for site, static in (("hugo", hugo / "themes" / "newsbench" / "static"), ("pelican", pelican / "theme" / "static")):
        if site in sites:  # our stylesheet
            static.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / "theme" / "static" / "style.css", static / "style.css")
    if "hugo" in sites:
        # editions list only: no feed per printed page (ours has none)
        (hugo / "content" / "editions").mkdir()
        (hugo / "content" / "editions" / "_index.md").write_text(
            "---\ntitle: 版面\ncascade:\n  - target:\n      kind: term\n    outputs: [html]\n---\n", encoding="utf-8"
        )


def generate(count: int, out: Path, seed: int = 1, sites: tuple[str, ...] = SITES, jobs: int = 2) -> dict:
    """Write the corpus of `count` articles under `out` (replaced if it is a corpus already), for `sites`
    (the manifest is the same whichever are written). With `jobs` > 1 the articles are drawn in this
    process and the files are made and written in another (the draws are one seeded sequence: they
    cannot be shared out without changing the corpus)."""
    if out.exists():
        if not (out / "manifest.json").exists():
            raise SystemExit(f"{out} exists and is not a corpus: refusing to replace it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    tax = Taxonomy(ROOT / "content" / "topics.yaml", ROOT / "content" / "regions.yaml")
    _lay_out(out, sites)
    files = _Files(out, sites, tax)
    writer = conn = None
    if jobs > 1:
        conn, child = multiprocessing.get_context("fork").Pipe()
        writer = multiprocessing.get_context("fork").Process(target=_writer_main, args=(files, child), daemon=True)
        writer.start()
        child.close()
    pages = articles = 0
    people: set[str] = set()
    edit = None
    middle = count // 2
    batch: list = []
    try:
        for date, edition, section, page in stories(count, seed):
            if writer is None:
                files.page(date, edition, section, page)
            else:
                batch.append((date, edition, section, page))
                if len(batch) == 20:
                    conn.send(batch)  # waits while the writer is behind: at most a few batches in flight
                    batch = []
            for story in page:
                people.update(story.people)
                if edit is None and story.number >= middle and len(story.body) > 2:
                    # the rebuild benchmark edits this paragraph: the article's last one
                    rel = f"{date:%Y}/{date:%m}/{date.isoformat()}-{edition.lower()}.md"
                    edit = {"digest": rel, "paragraph": story.body[-1], "title": story.title}
            pages += 1
            articles += len(page)
        if writer is not None:
            conn.send(batch)
            conn.send(None)
            writer.join()
            if writer.exitcode != 0:
                raise SystemExit(f"the corpus's writer process failed (exit code {writer.exitcode})")
    finally:
        if writer is not None and writer.is_alive():
            writer.kill()
            writer.join()
    manifest = {"articles": articles, "pages": pages, "people": len(people), "seed": seed, "edit": edit}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sites",
        nargs="+",
        choices=SITES,
        default=list(SITES),
        help="the sites to write (default: all three; the others' files are the same either way)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="1: write the files in this process too (default 2: in another one)"
    )
    args = parser.parse_args(argv)
    manifest = generate(args.articles, args.out, args.seed, tuple(args.sites), args.jobs)
    print(json.dumps(manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
