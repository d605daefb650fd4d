"""The built sample site as a reader sees it, in headless Debian chromium: navigation by clicking,
clean loads of every page, layout at phone and desktop widths, accessibility (axe-core), valid HTML
(Nu HTML Checker), page weight and the theme's typography, dark mode, print and keyboard focus.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from .reader_support import ARTIFACTS, AXE, CHROMIUM, DESKTOP, INSTALL, PHONE, WIDTHS, nu_errors, require

BUDGET = 30 * 1024  # bytes of HTML + CSS + JS per article page, beyond the article's own text
CJK_STACK = ('"PingFang SC"', '"Noto Sans CJK SC"')


def h1(page) -> str:
    return page.locator("h1").inner_text().strip()


def click_and_check(page, link, heading=None):
    """Clicks `link`, waits for the page it points at and checks the URL and (part of) the h1."""
    href = link.get_attribute("href")
    text = link.inner_text().strip()
    target = urljoin(page.url, href)
    assert target != page.url, f"the link {text!r} points at the page it is on"
    link.click()
    page.wait_for_url(target)
    assert page.url == target
    assert (heading or text) in h1(page), f"after clicking {text!r}: h1 is {h1(page)!r}"
    return text


# 1. the browser


def test_chromium_is_installed():
    assert CHROMIUM.exists(), f"Debian's chromium is missing at {CHROMIUM}: {INSTALL}"


# 2. navigation by clicking


def test_reader_reaches_a_topic_a_region_and_an_article_by_clicking(phone, site_url):
    page = phone
    page.goto(site_url)
    assert page.url == site_url
    home_title = h1(page)
    assert home_title, "the home page has an empty h1"
    nav = page.locator(".masthead nav")

    click_and_check(page, nav.get_by_role("link", name="专题", exact=True), heading="专题")
    assert page.url == site_url + "topics/"
    topic = click_and_check(page, page.locator("main a[href*='/topics/']").first)
    assert re.fullmatch(re.escape(site_url) + r"topics/[a-z0-9-]+/", page.url), page.url
    # a compact list: (kicker,) headline, (subtitle,) then the date and printed page, the <small> holding a <time>
    items = page.locator("main .items li")
    assert items.count() >= 1, f"the topic {topic} lists no article"
    assert items.first.locator("a").inner_text().strip(), f"the topic {topic} lists an article with no headline"
    meta = items.first.locator("small:has(> time)").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d 第[A-Z]?\d+版", meta), f"the topic {topic} lists an article as {meta!r}"

    click_and_check(page, nav.get_by_role("link", name="地区", exact=True), heading="地区")
    assert page.url == site_url + "regions/"
    click_and_check(page, page.locator("main a[href*='/regions/']").first)
    assert re.fullmatch(re.escape(site_url) + r"regions/[a-z0-9-]+/", page.url), page.url

    click_and_check(page, nav.get_by_role("link", name="首页", exact=True), heading=home_title)
    assert page.url == site_url
    title = click_and_check(page, page.locator("main .cards a").first)
    assert re.fullmatch(re.escape(site_url) + r"\d{4}/\d\d/\d\d/[a-z0-9-]+/", page.url), page.url
    assert page.locator("article h1").inner_text().strip() == title


# 3. every page loads cleanly


def test_every_page_loads_without_errors_or_failed_requests(crawl, pages):
    assert all(set(crawl[width]) == set(pages) for width in WIDTHS)
    problems = sorted(
        {f"{rel}: {msg}" for width in WIDTHS for rel, v in crawl[width].items() for msg in v.console_errors + v.failed}
    )
    assert not problems, "\n".join(problems)


def test_every_page_requests_only_its_own_server(crawl):
    foreign = [f"{rel}: {url}" for width in WIDTHS for rel, v in crawl[width].items() for url in v.foreign]
    assert not foreign, "requests to other origins:\n" + "\n".join(foreign)


def test_every_page_is_chinese_with_exactly_one_h1(crawl):
    visits = crawl[PHONE]
    wrong = [
        f"{rel}: lang={v.lang!r}, {v.h1_count} h1" for rel, v in visits.items() if v.lang != "zh-CN" or v.h1_count != 1
    ]
    assert not wrong, "\n".join(wrong)


def test_a_missing_page_gets_the_styled_404_page(phone, site_url):
    failed = []
    phone.on("requestfailed", lambda req: failed.append(req.url))
    phone.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document" and failed.append(r.url))
    response = phone.goto(site_url + "no/such/page/")
    assert response.status == 404
    assert h1(phone) == "页面不存在"
    assert not failed, failed
    # its stylesheet (linked from a deeper folder than 404.html's own) applied
    assert phone.evaluate("getComputedStyle(document.querySelector('.masthead')).borderBottomStyle") != "none"
    phone.get_by_role("link", name="返回首页").click()
    phone.wait_for_url(site_url)


# 4. layout at phone and desktop widths


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_overflows_horizontally(crawl, width):
    wide = [
        f"{rel}: scrollWidth {v.scroll_width} > innerWidth {v.inner_width}"
        for rel, v in crawl[width].items()
        if v.scroll_width > v.inner_width
    ]
    assert all(v.inner_width == width for v in crawl[width].values())
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_home_and_article(contexts, special, width):
    ARTIFACTS.mkdir(exist_ok=True)
    page = contexts[width].new_page()
    try:
        for name in ("home", "article"):
            path = ARTIFACTS / f"{name}-{width}.png"
            path.unlink(missing_ok=True)
            page.goto(special[name])
            page.screenshot(path=str(path), full_page=True)
            assert path.is_file() and path.stat().st_size > 0, path
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    finally:
        page.close()


# 5. accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["home", "article", "topic", "region", "edition"])
def test_axe_finds_no_serious_violation(phone, special, kind, scheme):
    require(AXE, "axe-core")
    page = phone
    page.emulate_media(color_scheme=scheme)
    page.goto(special[kind])
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run()")
    assert results["passes"], "axe ran no rule"
    bad = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(f"{n['target']} {n.get('failureSummary', '')}".replace("\n", " ") for n in v["nodes"])
        for v in bad
    ]
    assert not bad, f"{special[kind]} ({scheme}):\n" + "\n".join(report)


# 6. valid HTML


def test_nu_html_checker_finds_no_error(served_site, html_files):
    folder = served_site[0]
    errors = nu_errors([str(folder / rel) for rel in html_files], folder)
    assert not errors, f"{len(errors)} error(s):\n" + "\n".join(errors)


# 7. page weight


def test_article_pages_weigh_at_most_30_kb_beyond_their_text(browser, special):
    for url in special["articles"]:
        context = browser.new_context(viewport={"width": PHONE, "height": 800})  # an empty cache
        try:
            page = context.new_page()
            responses = []
            page.on("response", lambda response, responses=responses: responses.append(response))
            page.goto(url, wait_until="load")
            fetched = {
                r.url: len(r.body())
                for r in responses
                if r.request.resource_type in ("document", "stylesheet", "script")
            }
            assert url in fetched and any(u.endswith(".css") for u in fetched), fetched
            text = page.evaluate("""() => ["article h1", "article .byline", "article .body"]
                .map(s => document.querySelector(s)).filter(Boolean).map(e => e.innerText).join("")""")
        finally:
            context.close()
        own = len(text.encode("utf-8"))
        assert own > 100, f"{url}: found no article text"
        overhead = sum(fetched.values()) - own
        assert overhead <= BUDGET, (
            f"{url}: {sum(fetched.values())} bytes fetched {fetched}, "
            f"{own} of them the article's text: {overhead} > {BUDGET}"
        )


# 8. the theme


def test_body_uses_the_system_cjk_fonts_and_no_web_font(phone, special):
    page = phone
    fonts = []
    page.on("response", lambda r: r.request.resource_type == "font" and fonts.append(r.url))
    page.goto(special["article"])
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith(CJK_STACK[0]) and CJK_STACK[1] in family and family.endswith("sans-serif"), family
    face_rules = page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
        .filter(r => r instanceof CSSFontFaceRule).length""")
    assert face_rules == 0 and page.evaluate("document.fonts.size") == 0 and not fonts, (face_rules, fonts)
    # and the CJK text is drawn with a real CJK font, not a fallback
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "article h1"})["nodeId"]
    used = [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    cdp.detach()
    assert any("CJK" in name or name in ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei") for name in used), used


def test_body_text_size_and_line_height_on_a_phone(phone, special):
    phone.goto(special["article"])
    for selector in ("body", ".body p"):
        size, line = phone.evaluate(
            """s => { const c = getComputedStyle(document.querySelector(s));
            return [parseFloat(c.fontSize), parseFloat(c.lineHeight)] }""",
            selector,
        )
        assert 16 <= size <= 18, (selector, size)
        assert 1.75 <= line / size <= 1.85, (selector, line, size)


def test_dark_color_scheme_changes_the_background(phone, special):
    def colors():
        return phone.evaluate("""() => { const s = getComputedStyle(document.body);
            return [s.backgroundColor, s.color] }""")

    phone.emulate_media(color_scheme="light")
    phone.goto(special["article"])
    light = colors()
    phone.emulate_media(color_scheme="dark")
    dark = colors()
    assert light[0] != dark[0], (light, dark)
    assert light[1] != dark[1], (light, dark)
    channels = [int(x) for x in re.findall(r"\d+", dark[0])[:3]]
    assert max(channels) < 64, f"the dark background is not dark: {dark[0]}"


def test_print_hides_the_masthead_nav(phone, special):
    phone.goto(special["article"])
    nav = phone.locator(".masthead nav")
    assert nav.is_visible()
    phone.emulate_media(media="print")
    assert not nav.is_visible()
    assert phone.locator("article h1").is_visible()


def test_skip_link_is_first_and_shows_on_focus(phone, special):
    page = phone
    page.goto(special["article"])
    skip = page.locator("a.skip")
    box = skip.bounding_box()
    assert box is None or box["x"] + box["width"] <= 0 or box["y"] + box["height"] <= 0, (
        f"the skip link shows before it is focused: {box}"
    )
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement;
        return [e.tagName, e.getAttribute("href"), e.textContent.trim()] }""")
    assert focused == ["A", "#main", "跳到正文"], focused
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0 and box["height"] > 0, box
    assert box["x"] + box["width"] <= PHONE, box
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))  # waits: the jump lands after the key press returns


def test_focused_links_show_an_outline(phone, special):
    page = phone
    page.goto(special["article"])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style, width, color, name = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, e.className] }""")
    assert name == "brand", f"the second focusable element is {name!r}, not the brand link"
    assert style not in ("none", "hidden") and width >= 2, (style, width)
    assert color not in ("transparent", "rgba(0, 0, 0, 0)"), color


def test_article_shows_the_date_with_weekday(phone, special):
    phone.goto(special["article"])
    date = phone.locator("article header time")
    assert date.inner_text().strip() == "2025年3月18日 星期二"
    assert date.get_attribute("datetime") == "2025-03-18"


def test_desktop_width_uses_a_readable_measure(desktop, special):
    desktop.goto(special["article"])
    width = desktop.evaluate("document.querySelector('.body').getBoundingClientRect().width")
    size = desktop.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    assert width <= 45 * size, f"lines of {width / size:.0f} characters are too long to read"
    assert width <= DESKTOP
