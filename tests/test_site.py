"""The whole sample site: golden summary, determinism, sub-path links, atomic output."""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from conftest import ROOT, sample_options

from newsdigest import pipeline

GOLDEN = ROOT / "tests" / "golden" / "sample-site.json"


class Page(HTMLParser):
    """The parts of a page the tests read: links, h1s, the article, JSON-LD, its share card's topics and regions."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.h1: list[str] = []
        self.json_ld: list[dict] = []
        self.meta: dict[str, list[str]] = {}
        self.lang = ""
        self._in_h1 = self._in_ld = False
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag == "meta" and attrs.get("property"):
            self.meta.setdefault(attrs["property"], []).append(attrs.get("content", ""))
        for name in ("href", "src"):
            if (
                attrs.get(name)
                and tag != "link"
                or (tag == "link" and attrs.get("rel") == "stylesheet" and name == "href")
            ):
                if attrs.get(name):
                    self.links.append(attrs[name])
        self._in_h1 = tag == "h1" or self._in_h1
        self._in_ld = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "h1":
            self.h1.append("".join(self._text).strip())
            self._in_h1, self._text = False, []
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_h1:
            self._text.append(data)
        if self._in_ld:
            self.json_ld.append(json.loads(data))


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def summary(site: Path) -> dict:
    """What the golden file pins: every file, and what each article page says."""
    articles = {}
    for path in html_files(site):
        page = Page(path.read_text(encoding="utf-8"))
        for record in page.json_ld:
            if record.get("@type") == "NewsArticle":
                articles[path.parent.relative_to(site).as_posix()] = {
                    "headline": record["headline"],
                    "authors": [f"{a['jobTitle']} {a['name']}" for a in record["author"]],
                    "topics": page.meta.get("article:section", []),
                    "regions": page.meta.get("article:tag", []),
                    "date": record["datePublished"],
                }
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    return {"files": [re.sub(r"\.[0-9a-f]{10}\.", ".HASH.", f) for f in files], "articles": articles}


def test_sample_site_matches_the_golden_summary(sample_site):
    """UPDATE_GOLDEN=1 python -m pytest tests/test_site.py rewrites the golden file after a deliberate change."""
    actual = summary(sample_site)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert actual == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_every_page_is_chinese_with_one_h1(sample_site):
    for path in html_files(sample_site):
        page = Page(path.read_text(encoding="utf-8"))
        assert page.lang == "zh-CN", path
        assert len(page.h1) == 1, (path, page.h1)


def test_article_page_parts(sample_site):
    html = (sample_site / "2025/03/18/ningbo-yuanjian-yakexi/index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert "<h1>宁波援建，“亚克西”!</h1>" in article
    assert (
        '文/摄</span> <a href="/repo/people/liao-yeqiang/">廖业强</a> <a href="/repo/people/wang-chenhui/">王晨辉</a> '
        '<a href="/repo/people/zhou-dingli/">周鼎立</a>'
    ) in article
    assert re.search(
        r"<figure>\s*<figcaption>图为宁波援建的位于该街区的库车农特产品展销中心。 "
        r"<span class=\"credit\">（廖业强 王晨辉 周鼎立 文/摄）</span></figcaption>",
        article,
    )
    assert "2025年3月18日 星期二" in article
    assert 'href="/repo/regions/kuche/"' in article
    assert 'rel="prev" href="/repo/2025/03/18/huigeng-huizhong-huijiu-keji/"' in html
    [record] = Page(html).json_ld
    assert record["datePublished"] == "2025-03-18T00:00:00+08:00"
    assert record["publisher"]["name"] == "宁波日报"


def test_region_pages_roll_up_and_say_where_from(sample_site):
    html = (sample_site / "regions/ningbo/index.html").read_text(encoding="utf-8")
    assert "提升创新能力和专业化水平 镇海砥砺锻造 “小巨人”企业" in html
    assert "来自镇海" in html
    assert "亚克西" in (sample_site / "regions/xinjiang/index.html").read_text(encoding="utf-8")


def listed(html: str) -> list[str]:
    """The headlines of a listing page's items."""
    part = html[html.index('<ul class="items">') :]
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', part[: part.index("</ul>")])


def test_pagination(tmp_path, project):
    config = project / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("page_size: 20", "page_size: 2"), encoding="utf-8")
    options = pipeline.Options(project / "content", tmp_path / "out", project / "site.yaml", project / "theme")
    pipeline.build(options)
    ningbo = tmp_path / "out/regions/ningbo"
    # 6 articles under 宁波 (with 镇海 and 江东), 2 a page: the front page shows the newest two; the
    # numbered pages hold them from the oldest (1: the oldest two, 2: the next two, 3: the newest two)
    assert [(ningbo / f"page/{n}/index.html").exists() for n in (1, 2, 3, 4)] == [True, True, True, False]
    first, second = ((ningbo / f).read_text(encoding="utf-8") for f in ("index.html", "page/2/index.html"))
    titles = [
        listed((ningbo / f).read_text(encoding="utf-8"))
        for f in ("index.html", *(f"page/{n}/index.html" for n in (1, 2, 3)))
    ]
    front, *numbered = titles
    assert [len(t) for t in titles] == [2, 2, 2, 2]
    assert front == numbered[2]  # newest first
    assert sorted(sum(numbered, [])) == sorted(set(sum(numbered, [])))  # each article on one numbered page
    assert 'rel="next" href="/regions/ningbo/page/2/"' in first and "最新（共3页）" in first
    assert (
        'rel="prev" href="/regions/ningbo/page/3/"' in second and 'rel="next" href="/regions/ningbo/page/1/"' in second
    )
    assert "第2页" in second and "6篇" not in second  # no count: a new day would change it
    # one more: the newest page holds it alone, the front page shows it and the newest of page 3
    (project / "content/2025-03-20-x.md").write_text("# 宁波新闻一则\n\n宁波的消息。\n", encoding="utf-8")
    pipeline.build(options)
    titles = [
        listed((ningbo / f).read_text(encoding="utf-8"))
        for f in ("index.html", "page/3/index.html", "page/4/index.html")
    ]
    assert titles == [["宁波新闻一则", numbered[2][0]], numbered[2], ["宁波新闻一则"]]
    # the sub-regions and the BreadcrumbList record are on the first page; every page shows the breadcrumbs
    assert '<p class="children"><a href="/regions/zhenhai/">镇海</a>' in first and 'class="children"' not in second
    assert '"@type":"BreadcrumbList"' in first and "application/ld+json" not in second
    assert (
        '<nav class="breadcrumbs wrap" aria-label="当前位置"><ol><li><a href="/">首页</a></li>'
        '<li><a href="/regions/">地区</a>'
        '</li><li><a href="/regions/ningbo/">宁波</a></li></ol></nav>' in second
    )


def digest(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(tmp_path, sample_site):
    pipeline.build(sample_options(tmp_path / "again", base_url="https://example.org/repo/"))
    assert digest(tmp_path / "again") == digest(sample_site)


def test_every_internal_link_works_under_a_sub_path(served_site):
    site, base = served_site
    origin = urlparse(base)
    checked: set[str] = set()
    for path in html_files(site):
        page_url = base + path.relative_to(site).as_posix().removesuffix("index.html")
        for link in Page(path.read_text(encoding="utf-8")).links:
            url = urldefrag(urljoin(page_url, link)).url
            if urlparse(url).netloc != origin.netloc or url in checked:
                continue
            checked.add(url)
            assert urlparse(url).path.startswith("/repo/"), (path, link)
            try:
                with urllib.request.urlopen(url) as response:
                    assert response.status == 200, (path, link)
            except urllib.error.HTTPError as exc:
                pytest.fail(f"{path.relative_to(site)} links to {link}: HTTP {exc.code}")
    assert len(checked) > 30  # the crawl really followed the site's links


def test_a_failed_build_leaves_the_site_as_it_was(tmp_path, project):
    output = tmp_path / "out"
    options = pipeline.Options(project / "content", output, project / "site.yaml", project / "theme")
    pipeline.build(options)
    before = digest(output)
    (project / "content" / "bad.md").write_text("---\ndate: nope\n---\n# 标题\n", encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed):
        pipeline.build(options)
    assert digest(output) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no staging folder left


def test_sitemap_lists_every_page_and_nojekyll_and_404_exist(sample_site):
    from lxml import etree

    tree = etree.parse(str(sample_site / "sitemap.xml"))
    locs = {loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    pages = {
        "https://example.org/repo/" + p.relative_to(sample_site).as_posix().removesuffix("index.html")
        for p in html_files(sample_site)
        if p.name != "404.html"
    }
    assert locs == pages
    assert (sample_site / ".nojekyll").exists() and (sample_site / "404.html").exists()


def test_masthead_names_the_publication_and_the_date_of_the_day_a_page_shows(sample_site):
    """The day's pages (home, day, printed page, article) carry its date; listings, which span days,
    carry none: a new day then leaves the pages of earlier days as they are."""
    dated = {"18": 0, "19": 0}
    for path in html_files(sample_site):
        html = path.read_text(encoding="utf-8")
        masthead = html[html.index('<header class="masthead">') : html.index("</header>")]
        rel = path.relative_to(sample_site).as_posix()
        if rel == "index.html" or rel.startswith("2025/"):
            day = "19" if rel == "index.html" else rel.split("/")[2]  # the home page: the newest day
            weekday = {"18": "星期二", "19": "星期三"}[day]
            shown = f'<span class="publication">宁波日报 · </span>2025年3月{int(day)}日 {weekday}</span>'
            assert f'<span class="edition-date">{shown}' in masthead, path
            dated[day] += 1
        else:
            assert "edition-date" not in masthead, path
        assert all(f'href="/repo/{section}/"' in masthead for section in ("topics", "regions", "archive", "people"))
        assert 'role="search"' in masthead
    assert dated == {"18": 8, "19": 7}  # each day, its printed page and its articles; the home page the newest


def test_without_search_there_is_no_index_page_or_box(tmp_path):
    output = tmp_path / "out"
    options = sample_options(output)
    options.search = False
    pipeline.build(options)
    assert not (output / "search").exists()
    assert 'role="search"' not in (output / "index.html").read_text(encoding="utf-8")
    assert "/search/" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert (output / "topics" / "index.html").exists()
