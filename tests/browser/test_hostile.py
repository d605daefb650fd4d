"""Hostile content: a site whose every editor-written text is an XSS payload, built from a copy of
the sample project, served under /repo/ and opened page by page in headless Debian chromium.

Raw HTML in markdown is shown as text, never rendered; javascript:, vbscript: and data: links and
images are dropped; titles survive exactly (never mangled, never executed) in the pages, their
meta tags and JSON-LD, the feeds, the sitemaps and the search.

Every payload calls alert/confirm/prompt: an init script records any such call in window.__pwned,
and a dialog handler records any dialog. No page may record either.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import feedparser
import pytest
from conftest import serve
from helpers import SAMPLE_TITLES as PRINTED
from lxml import etree
from test_robustness import build as run_cli
from test_sample_pages import EXPECTED as PASTED

from newsdigest import pipeline

from .conftest import url_of

BASE_URL = "https://example.org/repo/"
SITE_TITLE = '宁波新闻摘要"><svg onload=alert("site")>'
PUBLICATION = '宁波日报"><script>alert("publication")</script>'
PAGE = "B1'\"><img src=x onerror=alert('page')>"
SECTION = '</script><script>alert("section")</script><!--'

# (headline, override after it): the headlines' text must come out exactly as written.
HEADLINES = [
    (
        "</script><script>alert(1)</script> 标题一 \"双引号\" '单引号'",
        ' {topics="科技创新,产业经济" regions="宁波" slug="hostile-one"}',
    ),
    ("\"><img src=x onerror=alert(2)>' onmouseover='alert(3)' autofocus onfocus='alert(4)", ' {topics="医疗健康"}'),
    ("<svg onload=alert(5)> {{7*7}} ${alert(6)} <!-- 注释", ""),
    ('<iframe src="javascript:alert(7)"></iframe><a href="javascript:alert(8)">点我</a>', ""),
    ('&lt;b&gt;实体&lt;/b&gt; &amp; &#106;avascript:alert(9) \\u003c/script\\u003e \\"反斜杠\\', ""),
    ("标题六 图片说明与链接", " {slug=hostile-six}"),
]
TITLES = [headline for headline, _ in HEADLINES]
# The headlines of the copied sample content: its printed page and its pasted page (their golden lists).
SAMPLE_TITLES = [*PRINTED, *(article["title"] for article in PASTED)]

# Body lines of article one, and the text each must show in the article's body (markdown
# decodes entities and collapses spaces; nothing else may change).
BODY = [
    ("本报讯(记者沈孙晖 通讯员张超梁)<script>alert(10)</script>正文开始。", "<script>alert(10)</script>正文开始。"),
    (
        '<img src=x onerror=alert(11)>和<svg onload=alert(12)>和<iframe src="javascript:alert(13)"></iframe>。',
        '<img src=x onerror=alert(11)>和<svg onload=alert(12)>和<iframe src="javascript:alert(13)"></iframe>。',
    ),
    (
        "\"><script>alert(14)</script>'><body onload=alert(15)><details open ontoggle=alert(16)>。",
        "\"><script>alert(14)</script>'><body onload=alert(15)><details open ontoggle=alert(16)>。",
    ),
    (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(17)></style></mglyph></table></mtext></math>。",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(17)></style></mglyph></table></mtext></math>。",
    ),
    (
        "链接[x](javascript:alert(18))和[y](JaVaScRiPt:alert(19))和[z](  javascript:alert(20))。",
        "链接[x](javascript:alert(18))和[y](JaVaScRiPt:alert(19))和[z]( javascript:alert(20))。",
    ),
    (
        "实体[e](&#106;avascript:alert(21))和[f](&#x6A;avascript&colon;alert(22))和[t](java&#x09;script:alert(23))。",
        "实体[e](javascript:alert(21))和[f](javascript:alert(22))和[t](java script:alert(23))。",
    ),
    (
        "其他[v](vbscript:msgbox(24))和[d](data:text/html,<script>alert(25)</script>)和[b](data:text/html;base64,"
        "PHNjcmlwdD5hbGVydCgyNik8L3NjcmlwdD4=)。",
        "其他[v](vbscript:msgbox(24))和[d](data:text/html,<script>alert(25)</script>)和[b](data:text/html;base64,"
        "PHNjcmlwdD5hbGVydCgyNik8L3NjcmlwdD4=)。",
    ),
    (
        "图像![i](data:image/svg+xml,<svg onload=alert(27)>)和![j](javascript:alert(28))和![k](vbscript:x)。",
        "图像![i](data:image/svg+xml,<svg onload=alert(27)>)和![j](javascript:alert(28))和![k](vbscript:x)。",
    ),
    (
        "自动链接<javascript:alert(29)>和<vbscript:msgbox(30)>和<data:text/html,alert(31)>。",
        "自动链接<javascript:alert(29)>和<vbscript:msgbox(30)>和<data:text/html,alert(31)>。",
    ),
    (
        '<a href="javascript:alert(32)">a</a><form action="javascript:alert(33)"><button>b</button></form>。',
        '<a href="javascript:alert(32)">a</a><form action="javascript:alert(33)"><button>b</button></form>。',
    ),
    ('参考[r]和[安全链接](https://example.org/ "标题")。\n\n[r]: javascript:alert(34)', "参考[r]和安全链接。"),
    # no `;`: markdown leaves the entity alone and the browser decodes it once, to a relative URL
    ("无分号实体[相对链接](javascript&#0058alert(39))。", "无分号实体相对链接。"),
]
# A credit holds no brackets: its payloads call alert`n`.
CAPTION = (
    "工厂一角<img src=x onerror=alert(35)>。(<svg onload=alert`36`>供图)",
    "工厂一角<img src=x onerror=alert(35)>。",
    "<svg onload=alert`36`>供图",
)
TU_WEI = (
    "图为<script>alert(37)</script>现场。",
    "(<img src=x onerror=alert`38`> 摄)",
    "图为<script>alert(37)</script>现场。",
    "<img src=x onerror=alert`38`> 摄",
)


def front_matter(**values) -> str:
    """YAML front matter; JSON strings are YAML double-quoted scalars, so any text fits."""
    return (
        "---\n"
        + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())
        + "---\n"
    )


def hostile_page() -> str:
    parts = [
        front_matter(publication=PUBLICATION, page=PAGE, title=SECTION).replace("---\n", "---\ndate: 2025-03-19\n", 1)
    ]
    (first, first_override), *others = HEADLINES
    parts.append(f"# {first}{first_override}\n\n见习记者 金宇涵\n\n")
    parts += [line + "\n\n" for line, _ in BODY]
    parts.append(CAPTION[0] + "\n\n正文继续。\n\n")
    for n, (headline, override) in enumerate(others, 2):
        parts.append(f"## {headline}{override}\n\n")
        parts.append(
            f"本报记者 <script>alert({100 + n})</script>\n\n第{n}篇正文<img src=x onerror=alert({200 + n})>。\n\n"
        )
    parts.append(f"{TU_WEI[0]}\n\n{TU_WEI[1]}\n")
    return "".join(parts)


def build(project: Path) -> Path:
    """Builds `project` into project/site, published at BASE_URL; fails the test on any error."""
    options = pipeline.Options(
        content=project / "content",
        output=project / "site",
        config=project / "site.yaml",
        theme=project / "theme",
        base_url=BASE_URL,
    )
    try:
        result = pipeline.build(options)
    except pipeline.BuildFailed as exc:
        pytest.fail(f"the hostile site does not build:\n{exc}", pytrace=False)
    assert result.ok, [d.format() for d in result.diagnostics]
    return project / "site"


@pytest.fixture
def hostile_site(project) -> Path:
    """The sample project plus a page of payloads, and a site.yaml with payloads, built."""
    config = (project / "site.yaml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^title: .*$", f"title: {json.dumps(SITE_TITLE, ensure_ascii=False)}", config)
    config = re.sub(r"(?m)^description: .*$", 'description: "<script>alert(\\"description\\")</script>"', config)
    config = re.sub(r"(?m)^feed_full_content:.*\n", "", config) + "feed_full_content: true\n"
    (project / "site.yaml").write_text(config, encoding="utf-8")
    (project / "content" / "2025-03-19-hostile.md").write_text(hostile_page(), encoding="utf-8")
    return build(project)


# ---------------------------------------------------------------------------------------------
# The browser: every page, no script of the payloads runs

RECORD_CALLS = """
window.__pwned = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__pwned.push(name + "(" + args.map(String).join(",") + ")");
    if (window.top !== window) try { window.top.__pwned.push("frame: " + name); } catch (e) {}
    return original.apply(this, args);
  };
}
"""

# Elements and attributes no page of this site may hold, whatever its text; URLs must be http(s),
# mailto or tel once the browser has parsed them (the theme's icon too: a file, not a data: URL).
PAGE_FACTS = """() => {
  const SAFE = new Set(["http:", "https:", "mailto:", "tel:"]);
  const URLS = new Set(["href", "src", "action", "formaction", "xlink:href", "poster", "background", "data",
                        "srcset", "srcdoc", "ping", "cite", "longdesc", "manifest", "icon"]);
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base", "math"].includes(tag))
      bad.push("element <" + tag + ">");
    if (tag === "meta" && el.httpEquiv) bad.push("meta http-equiv=" + el.httpEquiv);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) bad.push("<" + tag + " " + name + "=" + attr.value + ">");
      if (name === "srcdoc") bad.push("<" + tag + " srcdoc>");
      if (URLS.has(name)) {
        for (const part of name === "srcset" ? attr.value.split(",") : [attr.value]) {
          let protocol = "unparsable:";
          try { protocol = new URL(part.trim().split(/\\s+/)[0], document.baseURI).protocol; } catch (e) {}
          if (!SAFE.has(protocol)) bad.push("<" + tag + " " + name + "=" + JSON.stringify(attr.value) + ">");
        }
      }
    }
  }
  for (const script of document.scripts) {
    if (script.src && new URL(script.src).origin !== location.origin) bad.push("foreign script " + script.src);
  }
  return {
    bad,
    pwned: window.__pwned || ["the init script did not run"],
    jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].map(s => s.textContent),
    h1: [...document.querySelectorAll("h1")].map(h => h.innerText),
    title: document.title,
    og: (document.querySelector('meta[property="og:title"]') || {}).content,
    body: (document.querySelector("article .body") || {}).innerText || "",
    links: [...document.querySelectorAll("article .body a")].map(a => a.href),
    images: [...document.querySelectorAll("article .body img")].map(img => img.src),
    captions: [...document.querySelectorAll("figcaption")].map(f => f.innerText),
    credits: [...document.querySelectorAll("figcaption .credit")].map(c => c.innerText),
    main: (document.querySelector("main") || document.body).innerText,
  };
}"""


class Watcher:
    """One browser page that records dialogs, uncaught errors and payload-made requests."""

    def __init__(self, context):
        self.events: list[str] = []
        self.page = page = context.new_page()
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda exc: self.events.append(f"uncaught error: {exc}"))
        page.on("request", self._request)
        page.on("popup", lambda popup: self.events.append(f"popup: {popup.url}"))

    def _dialog(self, dialog):
        self.events.append(f"{dialog.type} dialog: {dialog.message!r}")
        dialog.dismiss()

    def _request(self, request):
        url = request.url
        if urlsplit(url).path.rsplit("/", 1)[-1] == "x" or url.startswith(("javascript:", "vbscript:")):
            self.events.append(f"request made by a payload: {url}")

    def visit(self, url: str, settle: int = 20, until: str = "load") -> dict:
        self.events = []
        self.page.goto(url, wait_until=until)
        return self.facts(settle)

    def facts(self, settle: int = 20) -> dict:
        """What the page holds now, after `settle` ms for an onload/onerror/ontoggle to run, were there one."""
        self.page.wait_for_timeout(settle)
        facts = self.page.evaluate(PAGE_FACTS)
        facts["problems"] = self.events + facts["bad"] + [f"payload ran: {call}" for call in facts["pwned"]]
        return facts


@pytest.fixture
def hostile_context(browser, hostile_site):
    """(site folder, base URL, browser context) of the hostile site served at /repo/."""
    server, site_url = serve(hostile_site)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    context.add_init_script(RECORD_CALLS)
    context.route(lambda url: not url.startswith(origin + "/"), lambda route: route.abort())
    try:
        yield hostile_site, site_url, context
    finally:
        context.close()
        server.shutdown()


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_watcher_sees_a_payload_that_runs(hostile_context):
    """The test's own alarm works: a payload that does run is recorded twice over."""
    _, site_url, context = hostile_context
    watcher = Watcher(context)
    watcher.page.goto(site_url)
    watcher.page.evaluate("""() => { const img = document.createElement("img");
                                     img.setAttribute("onerror", "alert(99)"); img.src = "x";
                                     document.body.append(img); }""")
    watcher.page.wait_for_timeout(200)
    pwned = watcher.page.evaluate("window.__pwned")
    assert pwned == ["alert(99)"] and "alert dialog: '99'" in watcher.events, (pwned, watcher.events)
    assert any("request made by a payload" in e for e in watcher.events), watcher.events


def test_no_payload_runs_on_any_page_and_all_show_as_text(hostile_context):
    folder, site_url, context = hostile_context
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    watcher = Watcher(context)
    problems, articles = [], {}
    for rel in files:
        facts = watcher.visit(url_of(site_url, rel))
        problems += [f"{rel}: {item}" for item in facts["problems"]]
        for text in facts["jsonLd"]:
            try:
                data = json.loads(text)  # the browser's view of it parses
            except ValueError as exc:
                problems.append(f"{rel}: JSON-LD that is not JSON ({exc}): {text[:200]}")
                continue
            if data.get("@type") == "NewsArticle":
                articles[data["headline"]] = facts
        if SITE_TITLE not in facts["title"]:
            problems.append(f"{rel}: the site's name is mangled in <title>: {facts['title']!r}")
    assert not problems, "\n".join(problems)
    assert len(files) >= 20, files

    assert set(TITLES) <= set(articles), sorted(articles)
    for title in TITLES:
        facts = articles[title]
        assert facts["h1"] == [title]
        assert facts["title"] == f"{title} - {SITE_TITLE}" and facts["og"] == title

    first = articles[TITLES[0]]
    body = squash(first["body"])
    for _, shown in BODY:
        assert squash(shown) in body, shown
    assert first["images"] == [] and len(first["links"]) == 2, first  # the safe link and the relative one
    assert first["links"][0] == "https://example.org/" and first["links"][1].startswith(site_url), first["links"]
    assert (squash(CAPTION[1]) + " （" + CAPTION[2] + "）") in [squash(c) for c in first["captions"]], first["captions"]
    last = articles[TITLES[-1]]
    assert (TU_WEI[2] + " （" + TU_WEI[3] + "）") in [squash(c) for c in last["captions"]], last["captions"]
    for n, title in enumerate(TITLES[1:], 2):
        assert f"本报记者 <script>alert({100 + n})</script>" in articles[title]["body"]
        assert f"第{n}篇正文<img src=x onerror=alert({200 + n})>。" in articles[title]["body"]


def test_searching_for_payloads_runs_no_script(hostile_context):
    folder, site_url, context = hostile_context
    search = folder / "search"
    assert (search / "meta.bin").is_file() and (search / "search.js").is_file(), "the site has no search index"
    watcher = Watcher(context)
    queries = [*TITLES, "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "alert", "标题", "javascript:"]
    problems = []
    for query in queries:
        facts = watcher.visit(f"{site_url}search/?q={quote(query)}", settle=300, until="networkidle")
        problems += [f"search {query!r} (in the URL): {p}" for p in facts["problems"]]
        box = watcher.page.locator("main input[type=search]")
        if box.count():  # typed (a search as you type); submitting the form is the ?q= above
            box.first.fill("")
            box.first.fill(query)
            problems += [f"search {query!r} (typed): {p}" for p in watcher.facts(settle=800)["problems"]]
    assert not problems, "\n".join(problems)
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    watcher.visit(f"{site_url}search/?q={quote('标题一')}", until="networkidle")
    try:
        watcher.page.wait_for_function(
            "title => document.querySelector('main').innerText.includes(title)", arg=TITLES[0], timeout=5_000
        )
    except PlaywrightTimeout:
        pytest.fail(
            "searching 标题一 does not show the payload title as text:\n" + watcher.page.locator("main").inner_text()
        )


# ---------------------------------------------------------------------------------------------
# JSON-LD, feeds and sitemaps: parsed by real parsers, titles exact

LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def test_json_ld_gives_back_every_text_exactly(hostile_site):
    headlines, editions = {}, []
    for path in sorted(hostile_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        blocks = LD_JSON.findall(html)
        for text in blocks:
            data = json.loads(text)
            if data.get("@type") == "NewsArticle":
                headlines[data["headline"]] = data
            elif data.get("@type") == "CollectionPage":
                editions.append(data)
    assert set(TITLES) <= set(headlines), sorted(headlines)
    data = headlines[TITLES[0]]
    assert data["publisher"]["name"] == PUBLICATION
    assert data["printPage"] == PAGE and data["printSection"] == SECTION
    [edition] = [e for e in editions if PAGE in e["name"]]  # its printed page's record names page and section
    assert SECTION in edition["name"] and edition["url"].startswith(BASE_URL + "2025/03/19/")


MARKERS = [
    "<script>alert",
    "</script><script>",
    "<img src=x",
    "<svg onload",
    "<iframe",
    "<body onload",
    "<details open",
    "<math>",
    '<a href="javascript:',
    "<form action",
    "<style><img",
    "<!-- 注释",
]


def test_no_payload_lands_as_markup_in_any_page_or_xml_file(hostile_site):
    """Every payload is escaped wherever it lands: as text in HTML and XML, \\u003c in JSON-LD."""
    files = sorted([*hostile_site.rglob("*.html"), *hostile_site.rglob("*.xml")])
    found = [
        f"{path.relative_to(hostile_site)}: {marker}"
        for path in files
        for marker in MARKERS
        if marker in path.read_text(encoding="utf-8")
    ]
    assert not found, "\n".join(found)
    article = (hostile_site / "2025/03/19/hostile-one/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(10)&lt;/script&gt;" in article


class Markup(HTMLParser):
    """Element names and attributes of an HTML fragment (a feed entry's content)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list]] = []
        self.text = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))

    def handle_data(self, data):
        self.text += data


BODY_TAGS = {
    "p",
    "figure",
    "figcaption",
    "span",
    "a",
    "img",
    "em",
    "strong",
    "code",
    "pre",
    "br",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
}


def check_body_html(html: str, where: str) -> str:
    """A feed's article HTML holds only the article's own elements and safe URLs; returns its text."""
    markup = Markup(html)
    for tag, attrs in markup.found:
        assert tag in BODY_TAGS, (where, tag)
        for name, value in attrs:
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src"):
                url = re.sub(r"[\s\x00-\x20]+", "", value or "").casefold()
                scheme = re.match(r"([a-z][a-z0-9+.\-]*):", url)
                assert not scheme or scheme.group(1) in ("http", "https", "mailto", "tel"), (where, tag, name, value)
    return markup.text


def test_feeds_parse_and_give_back_titles_exactly(hostile_site):
    known = set(TITLES) | set(SAMPLE_TITLES)
    atom_feeds = sorted(hostile_site.rglob("feed.xml"))
    assert len(atom_feeds) > 3
    for path in atom_feeds:
        data = path.read_bytes()
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        titles = [entry.title for entry in parsed.entries]
        assert titles and set(titles) <= known, (path, titles)
        root = etree.fromstring(data)
        for content in root.iter("{http://www.w3.org/2005/Atom}content"):
            check_body_html(content.text or "", str(path))
    main = feedparser.parse((hostile_site / "feed.xml").read_bytes())
    assert main.feed.title == SITE_TITLE
    assert set(TITLES) <= {entry.title for entry in main.entries}
    first = next(entry for entry in main.entries if entry.title == TITLES[0])
    # the byline line's 见习记者 金宇涵, then the dateline's 记者沈孙晖 通讯员张超梁 (BODY's first line): an
    # article's authors are the people of its byline lines, dateline and signoff (README)
    assert [a.name for a in first.authors] == ["金宇涵", "沈孙晖", "张超梁"]

    feed = json.loads((hostile_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["title"] == SITE_TITLE
    items = {item["title"]: item for item in feed["items"]}
    assert set(TITLES) <= set(items) and set(items) <= known
    text = squash(check_body_html(items[TITLES[0]]["content_html"], "feed.json"))
    assert all(squash(shown) in text for _, shown in BODY)


def test_sitemaps_parse_and_give_back_titles_exactly(hostile_site):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    sitemap = etree.fromstring((hostile_site / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in sitemap.iterfind(".//s:loc", ns)]
    assert locs and all(loc.startswith(BASE_URL) and not re.search(r"[\s<>\"']", loc) for loc in locs), locs
    news = etree.fromstring((hostile_site / "news-sitemap.xml").read_bytes())
    titles = [t.text for t in news.iterfind(".//n:title", ns)]
    assert set(TITLES) <= set(titles) and set(titles) <= set(TITLES) | set(SAMPLE_TITLES), titles
    names = {n.text for n in news.iterfind(".//n:publication/n:name", ns)}
    assert PUBLICATION in names, names


def test_control_characters_in_text_keep_feeds_and_sitemaps_parseable(project):
    """Invisible control characters (text copied out of a PDF) are dropped, with a warning: XML may not hold them."""
    (project / "content" / "2025-03-19-c.md").write_text(
        "---\ndate: 2025-03-19\n---\n# 控制\x08字符\x1b标题\n\n正文\x01一句。\n\n\x0e\n\n"
        "图为现场\x7f。(企业供图\x02)\n",
        encoding="utf-8",
    )
    site = build(project)
    for path in sorted(site.rglob("*.xml")):
        etree.fromstring(path.read_bytes())  # raises on a character XML forbids
        assert not feedparser.parse(path.read_bytes()).bozo or "sitemap" in path.name, path
    assert "<title>控制字符标题</title>" in (site / "feed.xml").read_text(encoding="utf-8")


def test_control_characters_in_front_matter_keep_the_news_sitemap_parseable(project):
    (project / "content" / "2025-03-19-c.md").write_text(
        '---\ndate: 2025-03-19\npublication: "日报\\b\\e"\n---\n# 标题\n\n正文。\n', encoding="utf-8"
    )
    site = build(project)
    etree.fromstring((site / "news-sitemap.xml").read_bytes())


@pytest.mark.parametrize(
    "override",
    [
        '{topics="<script>alert(1)</script>"}',
        '{slug="\\"><svg onload=alert(1)>"}',
        "{regions=<img/src=x/onerror=alert(1)>}",
        "{onload=alert(1)}",
    ],
)
def test_a_hostile_override_is_a_clear_error(project, capsys, override):
    (project / "content" / "2025-03-19-o.md").write_text(f"# 标题 {override}\n\n正文。\n", encoding="utf-8")
    code = run_cli(project)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "content/2025-03-19-o.md:1: error:" in err and "Traceback" not in err, err
    assert not (project / "site").exists()


@pytest.mark.parametrize(
    "photo",
    [
        "![x](javascript:alert(1))",
        "![x](JaVaScRiPt:alert(1))",
        "![x](vbscript:msgbox(1))",
        "![x](data:image/svg+xml,<svg onload=alert(1)>)",
        "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '![" onerror="alert(1)](<javascript:alert(1)>)',
        "![x](javascript:alert`1`)",  # no brackets in the URL: a photo line as the splitter sees it
        "![x](<JavaScript:alert`1`>)",
        "![x](vbscript:msgbox)",
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+ "t")',
    ],
)
def test_a_photo_line_with_a_hostile_url_is_refused(project, capsys, photo):
    """A photo stands on a line of its own (`![说明](photo.jpg)`) and must be a file beside the page:
    a script or data URL is no such file. Either the build refuses it naming the line, or it builds
    (the line shown as text) and no page links to it."""
    (project / "content" / "2025-03-19-p.md").write_text(
        f"# 标题\n\n正文。\n\n{photo}\n\n(企业供图)\n", encoding="utf-8"
    )
    code = run_cli(project)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    if code == 0:
        for path in (project / "site").rglob("*.html"):
            html = path.read_text(encoding="utf-8")  # no data: URL at all, the theme's icon being a file
            assert not re.search(r'(?:href|src|srcset)="\s*(?:javascript|vbscript|data):', html, re.I), path
    else:
        assert code == 1 and "content/2025-03-19-p.md:5: error:" in err, err
