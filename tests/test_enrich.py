"""Bylines, topics, regions and slugs of the seed's articles, and editor overrides."""

import pytest
from helpers import source

from newsdigest.enrich import enrich
from newsdigest.split import split


@pytest.fixture(scope="module")
def articles(sample_source, sample_config):
    drafts, _ = split(sample_source)
    articles, editions, problems = enrich([(sample_source, drafts)], sample_config)
    assert problems == []
    return articles


def people(*pairs):
    return tuple(pairs)


def test_bylines_of_the_seed(articles):
    assert [tuple((p.name, p.role) for p in a.authors) for a in articles] == [
        people(("金宇涵", "见习记者")),
        people(("沈孙晖", "记者"), ("张超梁", "通讯员"), ("顾伟", "通讯员")),
        people(("王佳辉", "记者"), ("陈冰曲", "通讯员"), ("王越铭", "通讯员")),
        people(("孙肖", "记者")),
        (),
        people(("廖业强", "文/摄"), ("王晨辉", "文/摄"), ("周鼎立", "文/摄")),
    ]


def test_every_seed_article_has_a_topic(articles):
    assert all(a.topics for a in articles)
    assert "nongye-nongcun" in articles[4].topics
    assert "duikou-zhiyuan" in articles[5].topics


def with_ancestors(article, config):
    parents = {t.slug: t.parent for t in config.regions}
    found = set()
    for slug in article.regions:
        while slug:
            found.add(slug)
            slug = parents[slug]
    return found


def test_regions_of_the_seed(articles, sample_config):
    regions = [with_ancestors(a, sample_config) for a in articles]
    assert articles[0].regions == ("ningbo",)  # names 北上广深杭 and 杭州 in passing: not about them
    assert articles[1].regions == ("zhenhai",) and "ningbo" in regions[1]
    assert "ningbo" in regions[2]  # 甬 in the headline
    assert "moxige" in regions[3] and "saerdiyue" in articles[3].regions
    assert "kuche" in articles[5].regions and {"akesu", "xinjiang"} <= regions[5]
    assert not any("beijing" in r or "hangzhou" in r for r in regions)


def test_slugs_are_pinyin(articles):
    assert articles[0].path == "2025/03/18/chanye-conglin-jiqun-pangao/"
    assert articles[5].slug == "ningbo-yuanjian-yakexi"


def test_overrides_replace_topics_and_regions_and_slug(sample_config):
    src = source("## 标题 {topics=农业农村 regions=镇海区,舟山 slug=chun-geng}\n\n宁波的企业。")
    drafts, _ = split(src)
    [article], _, problems = enrich([(src, drafts)], sample_config)
    assert problems == []
    assert (article.topics, article.regions, article.slug) == (
        ("nongye-nongcun",),
        ("zhenhai", "zhoushan"),
        "chun-geng",
    )


def test_unknown_override_is_an_error_with_its_line(sample_config):
    src = source("正文前。\n\n## 标题 {regions=火星}\n\n正文。")
    drafts, _ = split(src)
    _, _, problems = enrich([(src, drafts)], sample_config)
    assert [(p.line, p.level) for p in problems] == [(3, "error")]
    assert "火星" in problems[0].message


def test_slug_collisions_are_resolved_in_order_and_reported(sample_config):
    src = source("## 宁波新闻\n\n一。\n\n## 宁波新闻\n\n二。")
    drafts, _ = split(src)
    articles, _, problems = enrich([(src, drafts)], sample_config)
    assert [a.slug for a in articles] == ["ningbo-xinwen", "ningbo-xinwen-2"]
    assert problems[0].level == "warning" and problems[0].line == 5
