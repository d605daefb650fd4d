"""Browser fixtures: one headless Debian chromium for the session, one context per viewport width,
the built sample site's pages as URLs, and one crawl of every page that several tests read.

The sample site is built and served once by `served_site` (tests/conftest.py) at
http://127.0.0.1:PORT/repo/. Nothing here downloads a browser: the tests use /usr/bin/chromium,
which `sh tests/install.sh` installs, and FAIL (never skip) when it is missing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from .reader_support import CHROMIUM, DESKTOP, INSTALL, LAUNCH_ARGS, PHONE, WIDTHS, require


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM, "Debian's chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Python playwright is not installed: {INSTALL}", pytrace=False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(served_site) -> str:
    """The served sample site's base URL, http://127.0.0.1:PORT/repo/."""
    return served_site[1]


@pytest.fixture(scope="session")
def origin(site_url) -> str:
    parts = urlsplit(site_url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def contexts(browser, origin):
    """width -> a browser context with a desktop-style viewport of that width (not is_mobile, so a
    page wider than the screen overflows instead of zooming out). Requests to any other origin are
    aborted, so a stray CDN link fails (requestfailed) instead of reaching the network."""
    made = {}
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(10_000)  # a local static site: anything slower is a failure
        context.route(lambda url: not url.startswith(origin + "/"), lambda route: route.abort())
        made[width] = context
    yield made
    for context in made.values():
        context.close()


@pytest.fixture
def phone(contexts):
    """A fresh page in the 360 px wide context."""
    page = contexts[PHONE].new_page()
    yield page
    page.close()


@pytest.fixture
def desktop(contexts):
    """A fresh page in the 1280 px wide context."""
    page = contexts[DESKTOP].new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def html_files(served_site) -> list[str]:
    """Every HTML file of the built site, relative to its folder, in POSIX form."""
    folder = served_site[0]
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    assert len(files) >= 10, f"the sample site has too few pages to test: {files}"
    return files


def url_of(site_url: str, rel: str) -> str:
    """A built file -> its URL under the site's base URL (index.html -> its folder)."""
    if rel == "index.html":
        return site_url
    if rel.endswith("/index.html"):
        return site_url + rel[: -len("index.html")]
    return site_url + rel


@pytest.fixture(scope="session")
def pages(site_url, html_files) -> dict[str, str]:
    """relative file -> URL, for every HTML page of the site."""
    return {rel: url_of(site_url, rel) for rel in html_files}


@pytest.fixture(scope="session")
def special(served_site, site_url, html_files) -> dict[str, str]:
    """URLs of one page of each kind: home, article, topic, region, edition."""
    folder = served_site[0]
    articles = [rel for rel in html_files if '"@type":"NewsArticle"' in (folder / rel).read_text(encoding="utf-8")]
    topics = [rel for rel in html_files if rel.startswith("topics/") and rel != "topics/index.html"]
    regions = [rel for rel in html_files if rel.startswith("regions/") and rel != "regions/index.html"]
    edition = "2025/03/18/a5/index.html"
    assert articles and topics and regions and edition in html_files, (articles, topics, regions, html_files)
    return {
        "home": site_url,
        "article": url_of(site_url, articles[0]),
        "topic": url_of(site_url, topics[0]),
        "region": url_of(site_url, regions[0]),
        "edition": url_of(site_url, edition),
        "articles": [url_of(site_url, rel) for rel in articles],
    }


@dataclass
class Visit:
    """What one load of one page showed."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    lang: str | None = None
    h1_count: int = 0
    scroll_width: int = 0
    inner_width: int = 0


class Visitor:
    """One page of a context, reused for many loads (a fresh page per load costs three times as
    much); records each load's console errors, failed requests and requests to other origins.

    The browser fetches a page's icon (<link rel="icon">) only after the load event: a load is
    over once that fetch is too (else the next load would cut it off), and an icon that does not
    load in time is a failure of its own."""

    ICON_TIMEOUT = 5.0  # seconds

    def __init__(self, context, origin: str):
        self.origin = origin
        self.seen = Visit("")
        self.allow_404 = False
        self.done: set[str] = set()  # URLs of this load's requests that finished or failed
        self.page = page = context.new_page()
        page.on(
            "console",
            lambda msg: msg.type == "error" and self.seen.console_errors.append(f"{msg.text} @ {msg.location}"),
        )
        page.on("pageerror", lambda exc: self.seen.console_errors.append(f"uncaught: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("requestfinished", lambda req: self.done.add(req.url))
        page.on("response", self._response)
        page.on("request", self._request)

    def _failed(self, request):
        self.done.add(request.url)
        self.seen.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400 and not (self.allow_404 and response.url == self.seen.url and response.status == 404):
            self.seen.failed.append(f"{response.url}: HTTP {response.status}")

    def _request(self, request):
        if not request.url.startswith(self.origin + "/") and not request.url.startswith(("data:", "about:")):
            self.seen.foreign.append(request.url)

    def visit(self, url: str, allow_404: bool = False) -> Visit:
        self.seen, self.allow_404, self.done = Visit(url), allow_404, set()
        self.page.goto(url, wait_until="load")
        facts = self.page.evaluate("""() => ({
            lang: document.documentElement.getAttribute("lang"),
            h1: document.querySelectorAll("h1").length,
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            icon: (document.querySelector('link[rel~="icon"]') || {}).href || "",
        })""")
        seen = self.seen
        seen.lang, seen.h1_count = facts["lang"], facts["h1"]
        seen.scroll_width, seen.inner_width = facts["scrollWidth"], facts["innerWidth"]
        if facts["icon"] and not facts["icon"].startswith("data:"):
            deadline = time.monotonic() + self.ICON_TIMEOUT
            while facts["icon"] not in self.done and time.monotonic() < deadline:
                self.page.wait_for_timeout(10)
            if facts["icon"] not in self.done:
                seen.failed.append(f"{facts['icon']}: the page's icon did not load in {self.ICON_TIMEOUT:g} s")
        return seen

    def close(self):
        self.page.close()


@pytest.fixture(scope="session")
def crawl(contexts, pages, origin) -> dict[int, dict[str, Visit]]:
    """width -> {relative file -> Visit}: every page of the site loaded once at each width."""
    result = {}
    for width in WIDTHS:
        visitor = Visitor(contexts[width], origin)
        try:
            result[width] = {rel: visitor.visit(url, allow_404=(rel == "404.html")) for rel, url in pages.items()}
        finally:
            visitor.close()
    return result
