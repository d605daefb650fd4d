"""The printed edition online, as a reader of a paper's 数字报 uses it: stepping through the printed
pages (links, arrow keys, a swipe), the neighbouring days, the page scan's map of articles, the
archive's calendars, the home page as the front page, the article's reading tools, the masthead's
size, and screenshots of it all (test-artifacts/)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from helpers import SAMPLE_TITLES

from .reader_support import ARTIFACTS, AXE, DESKTOP, require

FIRST, LAST = "2025/03/18/a5/", "2025/03/19/03/"  # the sample site's printed pages, in reading order
SCAN_TITLES = list(SAMPLE_TITLES)  # the A5 page's articles in printed order, each an area on its scan


def path_of(page) -> str:
    return urlsplit(page.url).path


def follow(page, selector: str) -> None:
    """Click a link and wait for the page it opens."""
    with page.expect_navigation():
        page.click(selector)


@pytest.fixture
def base(site_url) -> str:
    return urlsplit(site_url).path  # /repo/


def test_the_next_and_previous_page_links_step_through_every_printed_page(phone, site_url, base):
    phone.goto(site_url + FIRST)
    assert phone.locator(".page-nav a[rel=prev]").count() == 0  # the first page of the first day
    seen = [path_of(phone)]
    while phone.locator(".page-nav a[rel=next]").count():
        follow(phone, ".page-nav a[rel=next]")
        seen.append(path_of(phone))
    assert seen == [base + FIRST, base + LAST]
    assert "下一版" not in phone.locator("main").inner_text()
    back = [path_of(phone)]
    while phone.locator(".page-nav a[rel=prev]").count():
        follow(phone, ".page-nav a[rel=prev]")
        back.append(path_of(phone))
    assert back == list(reversed(seen))


def test_a_page_names_its_day_and_its_pages_and_marks_itself(phone, site_url, base):
    phone.goto(site_url + FIRST)
    assert phone.locator("h1").inner_text().startswith("第A5版 经济")
    tabs = phone.locator(".edition-list a")
    assert tabs.count() == 1 and tabs.first.get_attribute("aria-current") == "page"
    assert phone.locator(".page-nav a[rel=next]").inner_text().split("\n") == ["下一版", "2025年3月19日 第03版 要闻"]
    crumbs = phone.locator(".breadcrumbs a").all_inner_texts()
    assert crumbs == ["首页", "2025年3月18日", "第A5版"]
    titles = phone.locator(".printed h2 a").all_inner_texts()
    assert titles == SCAN_TITLES  # printed order
    assert phone.locator(".printed .byline").first.inner_text() == "见习记者 金宇涵"


def test_the_arrow_keys_turn_the_pages_but_not_while_typing(phone, site_url, base):
    phone.goto(site_url + FIRST)
    phone.keyboard.press("ArrowRight")
    phone.wait_for_url(f"**{base}{LAST}")
    phone.keyboard.press("ArrowRight")  # the last page: nothing follows
    phone.wait_for_timeout(300)
    assert path_of(phone) == base + LAST
    phone.keyboard.press("ArrowLeft")
    phone.wait_for_url(f"**{base}{FIRST}")
    phone.focus(".masthead input[type=search]")
    phone.keyboard.press("ArrowRight")  # moves the caret, not the page
    phone.wait_for_timeout(300)
    assert path_of(phone) == base + FIRST


def test_a_swipe_on_a_touch_screen_turns_the_page(browser, site_url, base):
    context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(site_url + FIRST)
        swipe = """(dx) => {
            const at = (x) => [new Touch({identifier: 1, target: document.body, clientX: x, clientY: 300})];
            document.dispatchEvent(new TouchEvent("touchstart", {touches: at(300), changedTouches: at(300)}));
            document.dispatchEvent(new TouchEvent("touchend", {touches: [], changedTouches: at(300 + dx)}));
        }"""
        page.evaluate(swipe, -200)  # right to left: the next page
        page.wait_for_url(f"**{base}{LAST}")
        page.evaluate(swipe, 40)  # too short to be a swipe
        page.wait_for_timeout(300)
        assert path_of(page) == base + LAST
        page.evaluate(swipe, 200)
        page.wait_for_url(f"**{base}{FIRST}")
    finally:
        context.close()


def test_the_neighbouring_days_are_linked_from_pages_and_days(phone, site_url, base):
    phone.goto(site_url + FIRST)
    assert phone.locator(".issue-nav a[rel=prev]").count() == 0
    follow(phone, ".issue-nav a[rel=next]")
    assert path_of(phone) == base + "2025/03/19/"
    assert phone.locator("h1").inner_text() == "2025年3月19日 星期三"
    assert phone.locator(".issue-nav a[rel=next]").count() == 0
    follow(phone, ".issue-nav a[rel=prev]")
    assert path_of(phone) == base + "2025/03/18/"
    assert phone.locator(".edition h3 a").all_inner_texts() == ["第A5版 经济"]


def test_each_area_of_the_scan_is_a_link_to_its_article_by_click_and_by_enter(phone, site_url):
    phone.goto(site_url + FIRST)
    areas = phone.locator("svg.scan-map a")
    assert areas.count() == len(SCAN_TITLES)
    for n, title in enumerate(SCAN_TITLES):
        area = phone.get_by_role("link", name=title, exact=True).and_(areas)
        assert area.count() == 1, title  # the article's title is the area's accessible name
        assert area.get_attribute("href") == phone.locator(".printed h2 a").nth(n).get_attribute("href")
    image = phone.locator(".scan img").bounding_box()
    first = areas.first.locator("rect").bounding_box()
    # the areas scale with the picture: 1,104 of 1,200 pixels wide, from x = 48
    assert first["width"] == pytest.approx(image["width"] * 1104 / 1200, rel=0.02)
    assert first["x"] - image["x"] == pytest.approx(image["width"] * 48 / 1200, abs=2)
    with phone.expect_navigation():
        areas.nth(2).click()
    assert phone.locator("h1").inner_text() == SCAN_TITLES[2]
    phone.go_back()
    for _ in range(60):  # the keyboard alone: Tab to the fourth area, then Enter
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.getAttribute('aria-label')") == SCAN_TITLES[3]:
            break
    else:
        pytest.fail("Tab never reached the scan's fourth area")
    outline = phone.evaluate("getComputedStyle(document.activeElement.querySelector('rect')).stroke")
    assert outline not in ("none", "transparent", "rgba(0, 0, 0, 0)")  # outlined on focus
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/25-mingji-shugu-ganfu-moxi/")
    assert phone.locator("h1").inner_text() == SCAN_TITLES[3]


def test_a_page_without_a_scan_shows_no_map(phone, site_url):
    phone.goto(site_url + LAST)
    assert phone.locator(".scan, svg").count() == 0


def test_the_archive_is_a_calendar_of_months_whose_days_link_to_their_issues(phone, site_url, origin, base):
    phone.goto(site_url + "archive/")
    months = phone.locator("section.month")
    assert months.count() == 1 and months.locator("h2").inner_text() == "2025年3月"
    assert phone.locator(".calendar thead th").all_inner_texts() == list("一二三四五六日")
    cells = phone.locator(".calendar tbody td")
    assert cells.count() % 7 == 0 and cells.nth(5).inner_text() == "1"  # 2025-03-01 was a Saturday
    links = phone.locator(".calendar a")
    assert links.count() == 2
    assert links.first.text_content() == "18日1个版"  # its name: the day and how many printed pages
    assert links.first.get_attribute("title") == "2025年3月18日 星期二，1个版"
    assert phone.locator(".archive-jump a").get_attribute("href") == "#m2025-03"
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [base + "2025/03/18/", base + "2025/03/19/"]
    for href, day in zip(hrefs, ("2025年3月18日 星期二", "2025年3月19日 星期三")):
        phone.goto(origin + href)
        assert phone.locator("h1").inner_text() == day


def test_the_home_page_leads_with_the_newest_front_page_in_printed_order(phone, site_url):
    phone.goto(site_url + LAST)
    printed = phone.locator(".printed h2 a").all_inner_texts()
    phone.goto(site_url)
    assert phone.locator("#leads").inner_text() == "第03版 要闻"
    assert phone.locator(".front h3 a").all_inner_texts() == printed
    recent = phone.locator("section[aria-labelledby=recent] h3 a").all_inner_texts()
    assert not set(recent) & set(printed) and recent[0] == SCAN_TITLES[0]


def test_the_font_size_control_is_remembered_across_a_reload_without_layout_shift(contexts, special):
    page = contexts[DESKTOP].new_page()
    try:
        page.goto(special["article"])
        size = "parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)"
        medium = page.evaluate(size)
        assert page.locator(".reading-tools [aria-pressed=true]").inner_text() == "中"
        page.click(".reading-tools button[data-size=large]")
        large = page.evaluate(size)
        assert large > medium * 1.1
        page.reload()
        assert page.evaluate(size) == large
        assert page.locator(".reading-tools [aria-pressed=true]").inner_text() == "大"
        shift = page.evaluate("""() => new Promise((done) => {
            let total = 0;
            new PerformanceObserver((list) => { for (const e of list.getEntries()) total += e.value; })
                .observe({type: "layout-shift", buffered: true});
            setTimeout(() => done(total), 500);
        })""")
        assert shift == 0
        page.click(".reading-tools button[data-size=small]")
        assert page.evaluate(size) < medium
        page.click(".reading-tools button[data-size=medium]")
        assert page.evaluate(size) == medium
    finally:
        page.close()


def test_without_script_the_article_is_at_the_default_size_and_shows_no_dead_buttons(browser, special):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(special["article"])
        assert not page.locator(".reading-tools").is_visible()
        assert page.locator(".body p").first.evaluate("p => getComputedStyle(p).fontSize") == "18px"  # the default
    finally:
        context.close()


def test_print_and_copy_link(browser, special):
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(special["article"]))
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    try:
        page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
        page.goto(special["article"])
        page.click(".reading-tools button[data-action=print]")
        assert page.evaluate("window.printed") == 1
        page.click(".reading-tools button[data-action=copy]")
        page.wait_for_selector(".tool-status:has-text('链接已复制')")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("link[rel=canonical]").get_attribute("href")
        assert page.evaluate("matchMedia('print').matches") is False
    finally:
        context.close()


def test_the_article_breadcrumb_is_day_then_printed_page(phone, special, site_url, base):
    phone.goto(site_url + FIRST)
    follow(phone, ".printed h2 a >> nth=0")
    crumbs = phone.locator(".breadcrumbs a")
    assert crumbs.all_inner_texts() == ["首页", "2025年3月18日", "第A5版"]
    assert [crumbs.nth(i).get_attribute("href") for i in range(3)] == [base, base + "2025/03/18/", base + FIRST]


def test_search_results_show_the_date_and_printed_page(phone, site_url):
    phone.goto(site_url + "search/?q=" + quote("负压救护车"))
    phone.wait_for_selector("#search-results .result")
    meta = phone.locator("#search-results .result .meta").first.inner_text()
    assert meta.startswith("2025年3月18日") and "第A5版" in meta


PAGES = ["", "archive/", "topics/", FIRST, "2025/03/18/", "2025/03/18/chanye-conglin-jiqun-pangao/", "search/"]


def test_the_masthead_is_at_most_96_px_on_a_phone_and_one_row_on_a_desktop(browser, site_url):
    for width in (390, DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        page = context.new_page()
        try:
            for path in PAGES:
                page.goto(site_url + path)
                box = page.locator(".masthead").bounding_box()
                tops = page.evaluate(
                    """() => [...document.querySelectorAll('.masthead > *')]
                        .filter((e) => getComputedStyle(e).display !== 'none')
                        .map((e) => [e.className || e.tagName, e.getBoundingClientRect().top,
                                     e.getBoundingClientRect().bottom])"""
                )
                if width == 390:
                    assert box["height"] <= 96, (path, box)
                else:  # one row: every part's box overlaps every other's vertically
                    assert max(t for _, t, _ in tops) < min(b for _, _, b in tops), (path, tops)
                    assert box["height"] <= 64, (path, box)
                assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        finally:
            context.close()


@pytest.mark.parametrize("width", [390, DESKTOP])
def test_screenshots_of_the_printed_page_the_archive_and_the_home_page(browser, site_url, width):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        for name, path in (("printed-page", FIRST), ("archive", "archive/"), ("front-page", "")):
            shot = ARTIFACTS / f"{name}-{width}.png"
            shot.unlink(missing_ok=True)
            page.goto(site_url + path)
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
    finally:
        context.close()


@pytest.mark.parametrize("path", ["archive/", "2025/03/18/", FIRST])
def test_axe_finds_no_serious_violation_on_the_edition_pages(phone, site_url, path):
    require(AXE, "axe-core")
    phone.goto(site_url + path)
    phone.add_script_tag(path=str(AXE))
    results = phone.evaluate("() => axe.run()")
    assert results["passes"], "axe ran no rule"
    bad = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not bad, bad
