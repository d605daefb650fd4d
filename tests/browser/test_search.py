"""Search in headless Chromium: the real search/search.js over the sample site (the issue's seven
queries, each checked against the article pages' own text), the search page (query in the URL,
highlights, filters, paging, the keyboard alone, no console error, accessibility), and a property
test: on a generated corpus, any 1-4 character substring finds exactly the articles holding it."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdigest import pipeline, search

from .reader_support import AXE, PHONE, ROOT, require

sys.path.insert(0, str(ROOT / "bench" / "search"))
import corpus  # noqa: E402
from helpers import SAMPLE_TITLES as PRINTED  # noqa: E402  (tests/: the printed page's golden headlines)
from test_sample_pages import EXPECTED as PASTED  # noqa: E402  (tests/: the pasted page's golden articles)

SAMPLE_TITLES = [*PRINTED, *(article["title"] for article in PASTED)]  # the sample site's two days

QUERIES = ["独角兽", "负压救护车", "库车", "金宇涵", "萨尔蒂约", "小巨人", "甬"]
SEARCH = """async ([query, options]) => {
    const module = await import(new URL("search/search.js", document.baseURI.replace(/search\\/.*$/, "")).href);
    const found = await module.search(query, options || {});
    return {total: found.total, more: found.more, items: found.map(m => ({path: m.path, url: m.url, title: m.title,
            excerpt: m.excerpt, highlights: m.highlights, titleHighlights: m.titleHighlights,
            topics: m.topics.map(t => t.slug), regions: m.regions.map(t => t.slug)}))};
}"""


def article_texts(folder: Path) -> dict[str, list[str]]:
    """Site-relative path of every article page -> the texts a reader sees on it: headline, kicker
    and subtitle, byline names, paragraphs and figure captions (read from the built HTML, not from
    the index)."""
    out = {}
    for page in sorted(folder.rglob("index.html")):
        tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        article = tree.xpath("//article[contains(concat(' ', @class, ' '), ' article ')]")
        if not article:
            continue
        article = article[0]
        texts = [article.xpath(".//h1")[0].text_content()]
        texts += [
            e.text_content()
            for e in article.xpath(
                ".//header/*[contains(concat(' ', @class, ' '), ' kicker ')"
                " or contains(concat(' ', @class, ' '), ' subtitle ')]"
            )
        ]
        for byline in article.xpath(".//*[contains(concat(' ', @class, ' '), ' byline ')]"):
            for role in byline.xpath(".//*[contains(concat(' ', @class, ' '), ' role ')]"):
                role.drop_tree()
            texts.append(byline.text_content())
        body = "//*[contains(concat(' ', @class, ' '), ' body ')]"
        texts += [e.text_content() for e in article.xpath(f".{body}//p | .{body}//figcaption")]
        out[page.parent.relative_to(folder).as_posix() + "/"] = texts
    return out


def holding(texts: dict[str, list[str]], query: str) -> set[str]:
    return {path for path, parts in texts.items() if any(query in part for part in parts)}


@pytest.fixture(scope="module")
def sample_texts(served_site):
    """The sample site's article texts: one article page for each headline of its two printed pages."""
    texts = article_texts(served_site[0])
    assert sorted(parts[0] for parts in texts.values()) == sorted(SAMPLE_TITLES)
    return texts


@pytest.fixture
def errors(phone):
    seen = []
    phone.on("console", lambda msg: msg.type in ("error", "warning") and seen.append(f"{msg.type}: {msg.text}"))
    phone.on("pageerror", lambda exc: seen.append(f"uncaught: {exc}"))
    phone.on("requestfailed", lambda req: seen.append(f"failed: {req.url}"))
    phone.on("response", lambda r: r.status >= 400 and seen.append(f"HTTP {r.status}: {r.url}"))
    return seen


def run(page, query, **options):
    return page.evaluate(SEARCH, [query, options])


# ---------------------------------------------------------------- the module on the sample site


def test_the_seven_queries_find_exactly_the_articles_holding_them(phone, site_url, sample_texts, errors):
    phone.goto(site_url + "search/")
    for query in QUERIES:
        expected = holding(sample_texts, query)
        assert expected, f"{query} is in no article: the sample changed?"
        found = run(phone, query)
        paths = [m["path"] for m in found["items"]]
        assert set(paths) == expected and len(paths) == len(expected) == found["total"], query
        for match in found["items"]:
            assert match["url"] == site_url + match["path"]  # under the sub-path
            marked = [match["excerpt"][s:e] for s, e in match["highlights"]] + [
                match["title"][s:e] for s, e in match["titleHighlights"]
            ]
            assert marked and set(marked) == {query}, (query, match)
    assert not errors, errors


def test_title_hits_rank_first(phone, site_url):
    phone.goto(site_url + "search/")
    found = run(phone, "小巨人")["items"]
    assert [m["path"] for m in found] == [
        "2025/03/18/tisheng-chuangxin-nengli-hezhuan/",
        "2025/03/18/chanye-conglin-jiqun-pangao/",
    ]
    assert found[0]["titleHighlights"] and not found[1]["titleHighlights"]


def test_terms_are_anded_latin_is_whole_words_and_width_and_case_fold(phone, site_url, sample_texts):
    phone.goto(site_url + "search/")
    both = holding(sample_texts, "小巨人") & holding(sample_texts, "镇海")
    assert {m["path"] for m in run(phone, "小巨人 镇海")["items"]} == both and len(both) == 1
    iso = {m["path"] for m in run(phone, "ｉｓｏ")["items"]}
    assert iso == holding(sample_texts, "ISO") and len(iso) == 1
    assert run(phone, "IS")["total"] == 0  # not a whole word
    assert run(phone, "，")["total"] == 0  # punctuation alone
    quoted = [m["path"] for m in run(phone, "小巨人 “")["items"]]  # a punctuation term is checked in the text
    assert quoted == ["2025/03/18/tisheng-chuangxin-nengli-hezhuan/", "2025/03/18/chanye-conglin-jiqun-pangao/"]


def test_filters_by_topic_and_by_region_rolled_up(phone, site_url):
    phone.goto(site_url + "search/")
    everything = run(phone, "企业")["items"]
    topic = run(phone, "企业", topics=["keji-chuangxin"])["items"]
    assert topic and all("keji-chuangxin" in m["topics"] for m in topic)
    assert {m["path"] for m in topic} == {m["path"] for m in everything if "keji-chuangxin" in m["topics"]}
    ningbo = {m["path"] for m in run(phone, "企业", regions=["ningbo"])["items"]}
    assert "2025/03/18/tisheng-chuangxin-nengli-hezhuan/" in ningbo  # filed under 镇海, a district of 宁波
    assert run(phone, "企业", regions=["moxige"], topics=["nongye-nongcun"])["total"] == 0


def test_paging_slices_the_ranked_matches(phone, site_url, sample_texts):
    phone.goto(site_url + "search/")
    full = run(phone, "的")
    paths = [m["path"] for m in full["items"]]
    expected = holding(sample_texts, "的")
    count = len(expected)
    assert count > 4, f"的 is in only {count} articles: too few to page through (the sample changed?)"
    assert set(paths) == expected and full["total"] == len(paths) == count and not full["more"]
    for offset in range(0, count, 2):
        part = run(phone, "的", offset=offset, limit=2)
        assert [m["path"] for m in part["items"]] == paths[offset : offset + 2]
        assert part["more"] == (offset + 2 < count) and part["total"] == count


# ---------------------------------------------------------------- the search page


def test_the_search_page_shows_the_query_from_its_url_with_highlights(phone, site_url, sample_texts, errors):
    phone.goto(site_url + "search/?q=" + quote("负压救护车"))
    phone.wait_for_selector("#search-results .result")
    assert phone.input_value("#search-q") == "负压救护车"
    links = phone.locator("#search-results .result h2 a")
    expected = holding(sample_texts, "负压救护车")
    assert {urlsplit(links.nth(i).get_attribute("href")).path for i in range(links.count())} == {
        urlsplit(site_url).path + p for p in expected
    }
    marks = phone.locator("#search-results mark").all_inner_texts()
    assert marks and set(marks) == {"负压救护车"}
    assert phone.locator("#search-status").inner_text() == f"找到{len(expected)}篇文章"
    assert phone.locator("#search-status").get_attribute("aria-live") == "polite"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert not errors, errors


def tab_to(page, selector: str, what: str) -> None:
    """Press Tab until the focused element matches `selector` (at most 30 times)."""
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {what}")


def test_keyboard_alone_from_the_masthead_box_to_an_article(phone, special, site_url, errors):
    page = phone
    page.goto(special["article"])
    tab_to(page, ".search-box input", "the masthead search box")
    page.keyboard.type("萨尔蒂约")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "search/?q=" + quote("萨尔蒂约"))
    page.wait_for_selector("#search-results .result")
    tab_to(page, "#search-results .result a", "a search result")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "2025/03/18/25-mingji-shugu-ganfu-moxi/")
    assert not errors, errors


def test_the_page_filters_and_keeps_them_in_the_url(phone, site_url, errors):
    phone.goto(site_url + "search/?q=" + quote("企业") + "&topic=keji-chuangxin&region=zhenhai")
    phone.wait_for_selector("#search-results .result")
    assert phone.input_value("#search-topic") == "keji-chuangxin"
    assert phone.input_value("#search-region") == "zhenhai"
    hrefs = phone.locator("#search-results .result h2 a").evaluate_all("as => as.map(a => a.pathname)")
    assert hrefs == [urlsplit(site_url).path + "2025/03/18/tisheng-chuangxin-nengli-hezhuan/"]
    phone.select_option("#search-region", "")
    phone.locator("form.search-page button").click()
    phone.wait_for_url(lambda url: "region=&" in url or url.endswith("region="))
    phone.wait_for_selector("#search-results .result")
    assert phone.locator("#search-results .result").count() > 1
    assert not errors, errors


def test_a_query_with_no_match_says_so(phone, site_url, errors):
    phone.goto(site_url + "search/?q=" + quote("没有这个词组"))
    phone.wait_for_function("document.querySelector('#search-status').textContent.includes('没有找到')")
    assert phone.locator("#search-results .result").count() == 0
    assert not errors, errors


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_the_results(phone, site_url, scheme):
    require(AXE, "axe-core")
    phone.emulate_media(color_scheme=scheme)
    phone.goto(site_url + "search/?q=" + quote("小巨人"))
    phone.wait_for_selector("#search-results .result")
    phone.add_script_tag(path=str(AXE))
    results = phone.evaluate("() => axe.run()")
    bad = [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert results["passes"] and not bad, bad


def test_article_pages_do_not_load_the_search_scripts(phone, special):
    scripts = []
    phone.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    phone.goto(special["article"], wait_until="load")
    assert not [u for u in scripts if "/search/" in u], scripts


# ---------------------------------------------------------------- a generated corpus site


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    """A 60-article site built from generated pages through the whole pipeline, served under /repo/,
    and the articles' texts as the index was given them (for the truth). Its index keeps the newest
    12 articles' shards apart (a big site's newest NEWEST_DOCS), so a query reads both segments."""
    from conftest import serve  # tests/conftest.py

    folder = tmp_path_factory.mktemp("corpus")
    items = list(corpus.articles(60, seed=11, per_day=6))
    corpus.write_content(folder / "content", items)
    output = folder / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search.build, "NEWEST_DOCS", 16)
        result = pipeline.build(
            pipeline.Options(
                content=folder / "content",
                output=output,
                config=ROOT / "site.yaml",
                theme=ROOT / "theme",
                base_url="https://example.org/repo/",
                cache=False,
            )
        )
    assert result.ok and result.articles == 60, [d.format() for d in result.diagnostics]
    assert list((output / "search" / "k").iterdir()) and list((output / "search" / "nk").iterdir())
    server, url = serve(output)
    yield output, url, article_texts(output)
    server.shutdown()


@pytest.fixture(scope="module")
def corpus_page(browser, corpus_site):
    """A page of its own context (the corpus site has its own origin), recording console errors."""
    _, url, _ = corpus_site
    context = browser.new_context(viewport={"width": PHONE, "height": 800}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.seen = []
    page.on("console", lambda msg: msg.type == "error" and page.seen.append(msg.text))
    page.on("pageerror", lambda exc: page.seen.append(f"uncaught: {exc}"))
    page.goto(url + "search/")
    yield page
    context.close()


def test_the_search_page_pages_through_many_matches(corpus_site, corpus_page):
    _, url, texts = corpus_site
    page = corpus_page
    page.goto(url + "search/")
    everything = run(page, "的")
    assert everything["total"] > 20
    page.goto(url + "search/?q=" + quote("的") + "&page=2")
    page.wait_for_selector("#search-results .result")
    shown = page.locator("#search-results .result h2 a").evaluate_all("as => as.map(a => a.href)")
    assert shown == [m["url"] for m in everything["items"][10:20]]
    assert page.locator("#search-results ol").get_attribute("start") == "11"
    page.get_by_role("link", name="下一页").click()
    page.wait_for_url(lambda u: u.endswith("page=3"))
    page.wait_for_selector("#search-results .result")
    page.get_by_role("link", name="上一页").click()
    page.wait_for_url(lambda u: u.endswith("page=2"))
    page.wait_for_selector("#search-results .result")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert not page.seen, page.seen
    page.goto(url + "search/")


def folded(texts: dict[str, list[str]]) -> dict[str, list[str]]:
    return {path: [search.fold(unicodedata.normalize("NFC", t)) for t in parts] for path, parts in texts.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_substring_finds_exactly_the_articles_holding_it(corpus_site, corpus_page, data):
    """Exact recall and precision of the real search.js: a random 1-4 character substring of an
    article (or random characters of the corpus), against every article's text checked directly."""
    _, _, texts = corpus_site
    folds = folded(texts)
    paths = sorted(folds)
    parts = folds[paths[data.draw(st.integers(0, len(paths) - 1))]]
    part = parts[data.draw(st.integers(0, len(parts) - 1))]
    length = data.draw(st.integers(1, 4))
    start = data.draw(st.integers(0, max(0, len(part) - length)))
    query = part[start : start + length]
    if data.draw(st.integers(0, 3)) == 0:
        alphabet = sorted({ch for p in parts for ch in p if "\u4e00" <= ch <= "\u9fff"})
        query = "".join(data.draw(st.sampled_from(alphabet)) for _ in range(length))
    if any(ch.isspace() for ch in query) or not all("\u4e00" <= ch <= "\u9fff" for ch in query):
        query = "".join(ch for ch in query if "\u4e00" <= ch <= "\u9fff") or parts[0][:1]
    expected = {p for p, fs in folds.items() if any(query in f for f in fs)}
    found = run(corpus_page, query)
    got = [m["path"] for m in found["items"]]
    assert set(got) == expected and len(got) == found["total"] == len(expected), query
