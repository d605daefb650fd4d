"""Golden tests of the sample site's two printed pages: the Ningbo page as extracted from print and
the page pasted from an e-paper (content/2025/03/2025-03-19-03.md, a copy of
../shared/forms/pasted-page.md), whose articles must be what tests/forms/pasted-page.expected.yaml says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from newsdigest import enrich, load
from newsdigest.split import accounted_lines, split
from newsdigest.text import story_text, summary

PASTED = ROOT / "content" / "2025" / "03" / "2025-03-19-03.md"
EXPECTED = yaml.safe_load((ROOT / "tests" / "forms" / "pasted-page.expected.yaml").read_text(encoding="utf-8"))
BODY = ("para", "line", "signoff")  # what the expected file counts as paragraphs


def articles_of(path: Path, config):
    rel = path.relative_to(ROOT / "content").as_posix()
    source, problems = load.parse(path.read_bytes(), rel, f"content/{rel}", config.publication)
    assert source is not None, problems
    drafts, problems = split(source)
    assert not [p for p in problems if p.level == "error"]
    articles, _, _ = enrich.enrich([(source, drafts)], config)
    return source, drafts, articles


@pytest.mark.parametrize(
    "copy, shared", [(PASTED, "pasted-page.md"), ("pasted-page.expected.yaml",) * 2, ("bylines.yaml",) * 2]
)
def test_the_copies_are_the_shared_files_as_they_stand(copy, shared):
    original = ROOT.parent / "shared" / "forms" / shared
    if not original.exists():
        pytest.skip("../shared/ is not beside this checkout")
    copy = copy if isinstance(copy, Path) else ROOT / "tests" / "forms" / copy
    assert copy.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("n", range(len(EXPECTED)))
def test_the_pasted_page_gives_what_its_expected_file_says(n, sample_config):
    _, _, articles = articles_of(PASTED, sample_config)
    assert len(articles) == len(EXPECTED)
    article, expected = articles[n], EXPECTED[n]
    assert (article.kicker, article.title, article.subtitle) == (
        expected.get("kicker", ""),
        expected["title"],
        expected.get("subtitle", ""),
    )
    assert [[p.name, p.role] for p in article.contributors] == expected["people"]
    dateline = article.dateline
    if "dateline" in expected:
        assert {"source": dateline.agency, "place": dateline.place, "date": dateline.date} == expected["dateline"]
    else:
        assert dateline is None
    if "source" in expected:
        assert article.agency == expected["source"]
    if "paragraphs" in expected:
        assert sum(b.kind in BODY for b in article.blocks) == expected["paragraphs"]
    assert [b.text for b in article.blocks if b.kind == "line"] == expected.get("cross_heads", [])
    if "caption" in expected:
        assert [b.text for b in article.blocks if b.kind == "caption"] == [expected["caption"]]
    if "description_starts" in expected:
        assert summary(story_text(article.blocks, article.dateline)).startswith(expected["description_starts"])


def test_every_line_of_both_pages_is_in_exactly_one_article(sample_config, sample_source):
    for path in (PASTED, ROOT / "content" / "2025" / "03" / "2025-03-18-a5.md"):
        source, drafts, _ = articles_of(path, sample_config)
        lines = [n + 1 for n in range(source.body_start, len(source.lines)) if source.lines[n].strip()]
        assert sorted(accounted_lines(drafts)) == lines


def test_the_printed_page_keeps_its_six_articles_bylines_and_captions(sample_config):
    _, _, articles = articles_of(ROOT / "content" / "2025" / "03" / "2025-03-18-a5.md", sample_config)
    got = [
        (
            a.title,
            [(p.role, p.name) for p in a.authors],
            [(b.text[:8], b.credit) for b in a.blocks if b.kind == "caption"],
        )
        for a in articles
    ]
    assert got == [
        ("产业丛林集群攀高 宁波如何 孵出更多“独角兽”", [("见习记者", "金宇涵")], []),
        (
            "提升创新能力和专业化水平 镇海砥砺锻造 “小巨人”企业",
            [("记者", "沈孙晖"), ("通讯员", "张超梁"), ("通讯员", "顾伟")],
            [("国家级重点“小巨", "企业供图")],
        ),
        (
            "甬企联合牵头 填补负压救护车标准国际空白",
            [("记者", "王佳辉"), ("通讯员", "陈冰曲"), ("通讯员", "王越铭")],
            [("凯福莱生产的负压", "受访者供图")],
        ),
        (
            "25名技术骨干赴墨西哥建设生产线 旭升集团“技术出海” 与“本土共生”双轨并行",
            [("记者", "孙肖")],
            [("旭升集团位于墨西", "受访者供图")],
        ),
        ("“慧耕慧种”绘就科技春耕图 春耕进行时", [], []),
        (
            "宁波援建，“亚克西”!",
            [("文/摄", "廖业强"), ("文/摄", "王晨辉"), ("文/摄", "周鼎立")],
            [("图为宁波援建的位", "廖业强 王晨辉 周鼎立 文/摄")],
        ),
    ]
    assert all(a.form == "blank" and not a.kicker and not a.subtitle for a in articles)


def test_the_built_pages_show_the_headline_parts_and_start_descriptions_with_the_story(sample_site):
    page = (sample_site / "2025/03/19").rglob("index.html")
    html = {p.parent.name: p.read_text(encoding="utf-8") for p in page}
    [lead] = [h for h in html.values() if "<h1>以科技创新引领产业升级</h1>" in h]
    assert (
        '<p class="kicker">全省推进新型工业化大会召开——</p>\n<h1>以科技创新引领产业升级</h1>\n'
        '<p class="subtitle">——写在新春开工之际</p>' in lead
    )
    assert '<meta name="description" content="3月18日，全省推进新型工业化大会在杭州召开。' in lead
    assert "<title>以科技创新引领产业升级" in lead
    [signed] = [h for h in html.values() if "<h1>社区食堂 香飘邻里</h1>" in h]
    body = re.search(r'<div class="body">(.*?)</div>', signed, re.S).group(1)
    assert body.rstrip().endswith('<p class="signoff">（本报记者  周文静整理）</p>')


def test_the_headline_parts_reach_cards_json_ld_feeds_slug_and_search(sample_site):
    """The headline alone is the <title>, og:title, feed title and slug; the subtitle is the JSON-LD's
    alternativeHeadline; the day's page shows the kicker and subtitle around the headline; search
    finds words that only the kicker or the subtitle holds."""
    from test_publish import head, parse_feed
    from test_search import Reader

    url = "2025/03/19/yike-jichuang-xinyin-lingchan/"  # the slug of the headline alone
    page = head(sample_site / url / "index.html")
    [record] = [r for r in page.json_ld() if r.get("@type") == "NewsArticle"]
    assert (record["headline"], record["alternativeHeadline"]) == ("以科技创新引领产业升级", "——写在新春开工之际")
    assert page.meta["og:title"] == ["以科技创新引领产业升级"]
    titles = {e.link.split("/repo/", 1)[1]: e.title for e in parse_feed(sample_site / "feed.xml").entries}
    assert titles[url] == "以科技创新引领产业升级"
    day = (sample_site / "2025/03/19/03/index.html").read_text(encoding="utf-8")
    card = day[day.index("全省推进新型工业化大会召开——") :]
    assert card.index("以科技创新引领产业升级") < card.index("——写在新春开工之际") < card.index("江东港")
    folder = sample_site / "search"
    reader = Reader({f"search/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in folder.rglob("*.bin")})
    assert reader.search("新型工业化大会") == reader.search("新春开工之际") == [url]
