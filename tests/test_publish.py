"""Publishing: feeds (read by feedparser), sitemaps (checked against XML schemas), robots.txt,
share cards and structured data, CNAME, the size budget and the GitHub Pages workflow."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import ROOT
from lxml import etree

from newsdigest import pipeline, sitemaps
from newsdigest.model import Page

SCHEMAS = ROOT / "tests" / "schemas"
SITE = "https://example.org/repo/"


def schema(*names: str) -> etree.XMLSchema:
    """One schema importing the named schema files (the sitemap schema lets extensions in)."""
    namespaces = {
        "sitemap.xsd": sitemaps.SITEMAP_NS,
        "siteindex.xsd": sitemaps.SITEMAP_NS,
        "news.xsd": sitemaps.NEWS_NS,
    }
    imports = "".join(
        f'<xs:import namespace="{namespaces[n]}" schemaLocation="{(SCHEMAS / n).as_uri()}"/>' for n in names
    )
    return etree.XMLSchema(
        etree.fromstring(f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'.encode())
    )


def validate(xsd: etree.XMLSchema, data: bytes) -> None:
    document = etree.fromstring(data)
    assert xsd.validate(document), xsd.error_log


def articles_by_path(site: Path) -> dict[str, dict]:
    """Each article page's NewsArticle record, with the topics and regions of its share card
    (article:section, article:tag), read from the built HTML."""
    found = {}
    for page in site.rglob("index.html"):
        parsed = head(page)
        for record in parsed.json_ld():
            if record.get("@type") == "NewsArticle":
                found[SITE + page.parent.relative_to(site).as_posix() + "/"] = {
                    "record": record,
                    "topics": parsed.meta.get("article:section", []),
                    "regions": parsed.meta.get("article:tag", []),
                }
    return found


def parse_feed(path: Path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.get("bozo_exception"))
    return feed


def test_every_feed_is_valid_with_the_right_entries_and_dates(sample_site, sample_config):
    articles = articles_by_path(sample_site)
    parents = {t.slug: t.parent for t in sample_config.regions}
    names = {t.name: t.slug for t in sample_config.regions}

    def rolled(found):
        slugs = set()
        for name in found["regions"]:
            slug = names[name]
            while slug:
                slugs.add(slug)
                slug = parents[slug]
        return slugs

    expected = {"feed.xml": set(articles)}
    for topic in sample_config.topics:
        expected[f"topics/{topic.slug}/feed.xml"] = {u for u, r in articles.items() if topic.name in r["topics"]}
    for region in sample_config.regions:
        expected[f"regions/{region.slug}/feed.xml"] = {u for u, r in articles.items() if region.slug in rolled(r)}
    for url, found in articles.items():
        for author in found["record"]["author"]:
            expected.setdefault(author["url"].removeprefix(SITE) + "feed.xml", set()).add(url)
    expected = {name: urls for name, urls in expected.items() if urls}
    written = {p.relative_to(sample_site).as_posix() for p in sample_site.rglob("feed.xml")}
    assert written == set(expected)
    for name, urls in expected.items():
        feed = parse_feed(sample_site / name)
        assert {e.link for e in feed.entries} == urls, name
        assert len(feed.entries) == len(urls)
        for entry in feed.entries:
            found, record = articles[entry.link], articles[entry.link]["record"]
            assert entry.published_parsed and entry.updated_parsed, (name, entry.link)
            day = "-".join(re.search(r"/(\d{4})/(\d\d)/(\d\d)/", entry.link).groups())  # the article's
            assert entry.published == record["datePublished"] == f"{day}T00:00:00+08:00"
            assert entry.id.startswith(f"tag:example.org,{day}:")
            assert entry.summary and len(entry.summary) <= 80 and entry.summary.endswith(("。", "！", "？", "…"))
            assert [a.name for a in entry.get("authors", []) if a.get("name")] == [
                a["name"] for a in record["author"]
            ] or not record["author"]
            assert "content" not in entry  # feed_full_content is off in the sample site
            if name == "feed.xml":  # the site's feed: every topic and region of each article, as categories
                assert {t.label for t in entry.tags} == set(found["topics"]) | set(found["regions"]), entry.link
            else:  # a topic's, region's or person's feed: lean, summaries only
                assert "tags" not in entry, (name, entry.link)


def test_json_feed_follows_json_feed_1_1(sample_site):
    """feedparser 6 reads no JSON Feed, so the spec's rules are checked here: a version URL, a title,
    items each with a unique string id and content_html or content_text, RFC 3339 dates."""
    data = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1" and data["title"]
    assert data["feed_url"] == SITE + "feed.json" and data["home_page_url"] == SITE and data["language"] == "zh-CN"
    items = data["items"]
    assert len(items) == 10 and len({item["id"] for item in items}) == 10
    atom = parse_feed(sample_site / "feed.xml")
    assert [item["id"] for item in items] == [entry.id for entry in atom.entries]
    for item in items:
        assert isinstance(item["id"], str) and (item.get("content_html") or item.get("content_text"))
        day = "-".join(re.search(r"/(\d{4})/(\d\d)/(\d\d)/", item["url"]).groups())
        assert item["date_published"] == f"{day}T00:00:00+08:00"
        assert dt.datetime.fromisoformat(item["date_published"]).utcoffset() == dt.timedelta(hours=8)
        assert item["url"].startswith(SITE) and all(a["name"] for a in item["authors"])


def build(project: Path, output: Path, extra: str = "", **options) -> pipeline.Result:
    config = project / "site.yaml"
    if extra:
        config.write_text(config.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return pipeline.build(pipeline.Options(project / "content", output, config, project / "theme", **options))


def test_feed_size_and_full_content_switch_and_stable_ids(project, tmp_path):
    build(project, tmp_path / "b", base_url="https://other.example.net/news/")
    build(project, tmp_path / "a", "feed_size: 2\nfeed_full_content: true\n")
    full, moved = parse_feed(tmp_path / "a/feed.xml"), parse_feed(tmp_path / "b/feed.xml")
    assert len(full.entries) == 2
    assert "<figure>" in full.entries[1].content[0].value or "<p>" in full.entries[0].content[0].value
    assert "content" not in moved.entries[0]
    assert [e.id for e in full.entries] == [e.id for e in moved.entries[:2]]  # ids survive a move
    assert moved.entries[0].link.startswith("https://other.example.net/news/")
    # a topic's, region's or person's feed stays lean: summaries, however the site's feeds are set
    for lean in ("topics/keji-chuangxin/feed.xml", "regions/ningbo/feed.xml", "people/jin-yuhan/feed.xml"):
        entries = parse_feed(tmp_path / "a" / lean).entries
        assert entries and all(e.summary and "content" not in e for e in entries), lean
    assert "content_html" in json.loads((tmp_path / "a/feed.json").read_text(encoding="utf-8"))["items"][0]


def test_sitemap_is_valid_and_has_lastmod(sample_site):
    data = (sample_site / "sitemap.xml").read_bytes()
    validate(schema("sitemap.xsd"), data)
    urls = etree.fromstring(data).findall(f"{{{sitemaps.SITEMAP_NS}}}url")
    lastmod = {
        u.find(f"{{{sitemaps.SITEMAP_NS}}}loc").text: u.find(f"{{{sitemaps.SITEMAP_NS}}}lastmod").text for u in urls
    }
    assert urls and set(lastmod.values()) == {"2025-03-18", "2025-03-19"}
    for loc, day in lastmod.items():  # a page of one day: that day; the home page: the newest
        found = re.search(r"/(\d{4})/(\d\d)/(\d\d)/", loc)
        assert day == ("-".join(found.groups()) if found else day), loc
    assert lastmod[SITE] == "2025-03-19"


def test_sitemap_becomes_an_index_past_50000_urls():
    pages = [Page(f"2025/01/01/a{n}/", dt.date(2025, 1, 1 + n % 28)) for n in range(50_001)]
    files = sitemaps.sitemaps(pages, lambda path: SITE + path)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    validate(schema("siteindex.xsd"), files["sitemap.xml"])
    for name in ("sitemap-1.xml", "sitemap-2.xml"):
        validate(schema("sitemap.xsd"), files[name])
    counts = [len(etree.fromstring(files[n])) for n in ("sitemap-1.xml", "sitemap-2.xml")]
    assert counts == [50_000, 1]
    assert b"<lastmod>2025-01-28</lastmod>" in files["sitemap.xml"]


def test_news_sitemap_holds_the_newest_two_days(project, tmp_path):
    for day in (16, 17, 19):
        (project / "content" / f"2025-03-{day}-b1.md").write_text(
            f"# 三月{day}日要闻\n\n宁波新闻正文。\n", encoding="utf-8"
        )
    build(project, tmp_path / "out")
    data = (tmp_path / "out/news-sitemap.xml").read_bytes()
    validate(schema("sitemap.xsd", "news.xsd"), data)
    dates = re.findall(rb"<news:publication_date>(\d{4}-\d\d-\d\d)", data)
    assert sorted(set(dates)) == [b"2025-03-18", b"2025-03-19"] and len(dates) == 6 + 4 + 1
    assert b"<news:language>zh-cn</news:language>" in data and "<news:name>宁波日报</news:name>".encode() in data


def test_robots_names_the_sitemaps(sample_site):
    assert (sample_site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {SITE}sitemap.xml\nSitemap: {SITE}news-sitemap.xml\n"
    )


def test_cname_and_root_site(project, tmp_path):
    build(project, tmp_path / "out", "cname: news.example.com\n", base_url="https://news.example.com/")
    assert (tmp_path / "out/CNAME").read_text() == "news.example.com\n"
    assert 'href="/topics/"' in (tmp_path / "out/index.html").read_text(encoding="utf-8")


def test_size_budget_warns_and_fails_under_strict(project, tmp_path):
    result = build(project, tmp_path / "out", "size_budget_mb: 0.01\n")
    [warning] = [d for d in result.diagnostics if "budget" in d.message]
    assert warning.level == "warning" and "over its budget of 0.01 MB" in warning.message
    with pytest.raises(pipeline.BuildFailed):
        build(project, tmp_path / "strict", strict=True)
    assert not (tmp_path / "strict").exists()


def test_github_pages_workflow():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"]["pages"] == "write" and workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"]
    assert set(workflow[True]) == {"push", "workflow_dispatch"}  # YAML 1.1 reads the key `on` as True
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
    ]
    build_step = next(s["run"] for s in steps if "build.py" in s.get("run", ""))
    assert "steps.pages.outputs.base_url" in build_step
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages@")
    # nothing is published unless the tests pass: the test workflow, run as the README says
    assert workflow["jobs"]["build"]["needs"] == "test"
    assert workflow["jobs"]["test"]["uses"] == "./.github/workflows/test.yml"
    tests = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    assert "workflow_call" in tests[True]
    runs = [s["run"] for s in tests["jobs"]["test"]["steps"] if "run" in s]
    assert "sh tests/install.sh && python -m pytest" in runs
    assert (ROOT / ".ci/run").read_text(encoding="utf-8").strip().endswith("sh tests/install.sh && python -m pytest")


class Head(HTMLParser):
    """meta, link and script elements of a page, as a browser's parser reads them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script":
            self._script = (attrs, [])

    def handle_data(self, data):
        if self._script:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None

    def json_ld(self) -> list[dict]:
        return [json.loads(text) for attrs, text in self.scripts if attrs.get("type") == "application/ld+json"]


def head(path: Path) -> Head:
    return Head(path.read_text(encoding="utf-8"))


def test_every_page_has_canonical_description_share_cards_and_feed_links(sample_site):
    for path in sample_site.rglob("*.html"):
        page = head(path)
        rel = path.relative_to(sample_site).as_posix()
        canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        if rel != "404.html":
            assert canonical == [SITE + rel.removesuffix("index.html")], rel
            assert page.meta["og:url"] == canonical
        for key in (
            "description",
            "og:type",
            "og:title",
            "og:description",
            "og:site_name",
            "og:locale",
            "twitter:card",
        ):
            assert page.meta.get(key) and page.meta[key][0], (rel, key)
        assert page.meta["og:locale"] == ["zh_CN"]
        assert page.meta["og:description"] == page.meta["description"], rel
        # Twitter falls back to og:title, og:description and og:image: its own copies are not repeated
        assert not {"twitter:title", "twitter:description", "twitter:image"} & set(page.meta), rel
        # the icon is one file under the site, not a data: URL repeated in every page
        [icon] = [link["href"] for link in page.links if link.get("rel") == "icon"]
        assert re.fullmatch(r"/repo/static/favicon\.[0-9a-f]{10}\.svg", icon), (rel, icon)
        assert (sample_site / icon.removeprefix("/repo/")).read_bytes().startswith(b"<svg"), icon
        feeds = {link["href"]: link["type"] for link in page.links if link.get("rel") == "alternate"}
        assert feeds["/repo/feed.xml"] == "application/atom+xml" and feeds["/repo/feed.json"] == "application/feed+json"
        if re.match(r"(topics|regions)/[a-z-]+/index.html", rel):
            assert feeds[f"/repo/{rel.removesuffix('index.html')}feed.xml"] == "application/atom+xml"


def test_article_share_cards_and_news_article_record(sample_site):
    page = head(sample_site / "2025/03/18/tisheng-chuangxin-nengli-hezhuan/index.html")
    assert page.meta["og:type"] == ["article"]
    assert page.meta["article:published_time"] == ["2025-03-18T00:00:00+08:00"]
    assert set(page.meta["article:section"]) == {"科技创新", "产业经济"} and page.meta["article:tag"] == ["镇海"]
    [record] = page.json_ld()
    # what Google's article docs recommend (headline, datePublished, author with name and url, image
    # when there is a photo), the publisher, the print edition, and the topics and regions
    assert set(record) == {
        "@context",
        "@type",
        "headline",
        "datePublished",
        "author",
        "publisher",
        "printEdition",
        "printPage",
        "printSection",
        "articleSection",
        "contentLocation",
    }
    assert set(record["articleSection"]) == {"科技创新", "产业经济"}
    assert record["contentLocation"] == [{"@type": "Place", "name": "镇海"}]
    assert (
        record["@type"] == "NewsArticle" and record["headline"] == "提升创新能力和专业化水平 镇海砥砺锻造 “小巨人”企业"
    )
    assert record["datePublished"] == "2025-03-18T00:00:00+08:00"
    assert record["publisher"] == {"@type": "Organization", "name": "宁波日报"}
    assert (record["printEdition"], record["printPage"], record["printSection"]) == ("2025年3月18日", "A5", "经济")
    assert [a["name"] for a in record["author"]] == ["沈孙晖", "张超梁", "顾伟"]
    assert all(a["@type"] == "Person" and a["url"].startswith(SITE + "people/") for a in record["author"])
    # its printed page: the last step of the breadcrumbs
    html = (sample_site / "2025/03/18/tisheng-chuangxin-nengli-hezhuan/index.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="breadcrumbs[^>]*>(.*?)</nav>', html).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/repo/", "首页"),
        ("/repo/2025/03/18/", "2025年3月18日"),
        ("/repo/2025/03/18/a5/", "第A5版"),
    ]


def test_edition_and_term_pages_carry_their_structured_data(sample_site):
    [edition] = head(sample_site / "2025/03/18/a5/index.html").json_ld()
    assert edition["@type"] == "CollectionPage" and edition["mainEntity"]["@type"] == "ItemList"
    assert edition["url"] == SITE + "2025/03/18/a5/" and edition["name"] == "2025年3月18日 第A5版 经济"
    listed = edition["mainEntity"]["itemListElement"]
    assert [i["position"] for i in listed] == [1, 2, 3, 4, 5, 6]
    assert {u for u in articles_by_path(sample_site) if "/2025/03/18/" in u} == {i["url"] for i in listed}
    for rel in ("topics/keji-chuangxin/index.html", "regions/ningbo/index.html"):
        [crumbs] = head(sample_site / rel).json_ld()
        assert crumbs["@type"] == "BreadcrumbList"
        assert [i["item"] for i in crumbs["itemListElement"]] == [
            SITE,
            SITE + rel.split("/")[0] + "/",
            SITE + rel.removesuffix("index.html"),
        ]


HOSTILE = "标题</script><script>alert(1)</script> \"引号\" '单' & <b>粗</b> </title>"


def test_titles_cannot_break_out_of_json_ld_meta_feeds_or_sitemaps(project, tmp_path):
    (project / "content" / "2025-03-20-x.md").write_text(f"## {HOSTILE}\n\n宁波新闻。\n", encoding="utf-8")
    build(project, tmp_path / "out")
    out = tmp_path / "out"
    [article] = [p for p in out.glob("2025/03/20/*/index.html") if p.parent.name != "x"]
    page = head(article)
    # the theme's two scripts (the reader's font size, reader.js) and the JSON-LD: no script got in
    assert [attrs.get("type") for attrs, _ in page.scripts] == [None, None, "application/ld+json"]
    assert not any("alert" in text for attrs, text in page.scripts if attrs.get("type") is None)
    assert page.json_ld()[0]["headline"] == HOSTILE
    assert page.meta["og:title"] == [HOSTILE] and "twitter:title" not in page.meta
    title = re.search(r"<title>(.*?)</title>", article.read_text(encoding="utf-8"), re.S).group(1)
    assert html.unescape(title).startswith(HOSTILE)
    assert parse_feed(out / "feed.xml").entries[0].title == HOSTILE
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == HOSTILE
    news = etree.fromstring((out / "news-sitemap.xml").read_bytes())
    assert HOSTILE in [t.text for t in news.iter(f"{{{sitemaps.NEWS_NS}}}title")]
