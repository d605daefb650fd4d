"""People: normalised names, pages for everyone in a byline or credit, joins and splits by config."""

from __future__ import annotations

import re

import feedparser
from test_publish import SITE, build, head

from newsdigest.byline import parse_people
from newsdigest.people import name_slug


def listed(html: str) -> list[str]:
    """The items of a listing page's compact list of articles."""
    [items] = re.findall(r'<ul class="items">\n(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*)", items)


SEED_PEOPLE = {  # the printed page of 2025-03-18 (第A5版)
    "金宇涵": "见习记者",
    "沈孙晖": "记者",
    "张超梁": "通讯员",
    "顾伟": "通讯员",
    "王佳辉": "记者",
    "陈冰曲": "通讯员",
    "王越铭": "通讯员",
    "孙肖": "记者",
    "廖业强": "文/摄",
    "王晨辉": "文/摄",
    "周鼎立": "文/摄",
}
PASTED_PEOPLE = {  # the pasted page of 2025-03-19 (第03版): 林晓峰 signed one story and shot another
    "林晓峰": ("记者、摄影", 2),
    "周文静": ("记者、整理", 2),
    "欧阳明远": ("记者", 1),
    "扎西次仁": ("记者", 1),
}


def test_names_are_normalised():
    assert [p.name for p in parse_people("王　珂")] == ["王珂"]  # an ideographic space inside a name is layout
    assert [p.name for p in parse_people("刘  毅 张超梁")] == ["刘毅", "张超梁"]
    assert name_slug("金宇涵") == "jin-yuhan" and name_slug("欧阳修") == "ouyang-xiu"


def test_every_seed_name_has_a_page_with_its_article_and_role(sample_site):
    folders = sorted(p.name for p in (sample_site / "people").iterdir() if p.is_dir())
    assert folders == sorted(name_slug(n) for n in [*SEED_PEOPLE, *PASTED_PEOPLE])
    for name, role in SEED_PEOPLE.items():
        html = (sample_site / "people" / name_slug(name) / "index.html").read_text(encoding="utf-8")
        assert f'<h1 class="page-title">{name} <small>{role} · 1篇</small></h1>' in html
        [item] = listed(html)
        assert re.fullmatch(
            r'<a href="/repo/2025/03/18/[a-z0-9-]+/">[^<]+</a> '
            rf"<small><time>2025-03-18</time> 第A5版 · {re.escape(role)}</small>",
            item,
        ), item
        feed = feedparser.parse((sample_site / "people" / name_slug(name) / "feed.xml").read_bytes())
        assert not feed.bozo and len(feed.entries) == 1
    for name, (roles, count) in PASTED_PEOPLE.items():  # the pasted page's bylines, datelines, signoff and credit
        html = (sample_site / "people" / name_slug(name) / "index.html").read_text(encoding="utf-8")
        title = re.search(r'<h1 class="page-title">(.*?)</h1>', html).group(1)
        assert title.startswith(f"{name} <small>") and title.endswith(f" · {count}篇</small>"), title
        assert set(re.search(r"<small>(.*) · ", title).group(1).split("、")) == set(roles.split("、"))
        assert all("<time>2025-03-19</time> 第03版" in item for item in listed(html))


def test_people_index_is_grouped_by_role_with_counts(sample_site):
    html = (sample_site / "people/index.html").read_text(encoding="utf-8")
    roles = ["记者", "见习记者", "通讯员", "文/摄"]
    positions = [html.index(f'">{role} <small class="count">') for role in roles]
    assert positions == sorted(positions)
    assert '<a href="/repo/people/jin-yuhan/">金宇涵</a> <span class="count">1篇</span>' in html
    assert '<small class="count">4人</small>' in html  # 通讯员: 张超梁, 顾伟, 陈冰曲, 王越铭


def test_json_ld_author_carries_the_page_url(sample_site):
    [record] = head(sample_site / "2025/03/18/chanye-conglin-jiqun-pangao/index.html").json_ld()
    assert record["author"] == [
        {"@type": "Person", "name": "金宇涵", "jobTitle": "见习记者", "url": SITE + "people/jin-yuhan/"}
    ]


def test_config_joins_spellings_and_tells_apart_one_name(project, tmp_path):
    (project / "content/people.yaml").write_text(
        "- name: 金宇涵\n  slug: jin-yuhan-jingji\n  aliases: [金羽涵]\n"
        "- name: 王伟\n  slug: wang-wei-jizhe\n  roles: [记者]\n"
        "- name: 王伟\n  slug: wang-wei-tongxunyuan\n  roles: [通讯员]\n",
        encoding="utf-8",
    )
    (project / "content/2025-03-19-b.md").write_text(
        "# 一\n\n见习记者 金羽涵\n\n宁波文。\n\n# 二\n\n本报讯(记者王伟 通讯员王伟)宁波文。\n", encoding="utf-8"
    )
    build(project, tmp_path / "out")
    joined = (tmp_path / "out/people/jin-yuhan-jingji/index.html").read_text(encoding="utf-8")
    assert len(listed(joined)) == 2 and not (tmp_path / "out/people/jin-yuhan").exists()
    assert "记者 · 1篇" in (tmp_path / "out/people/wang-wei-jizhe/index.html").read_text(encoding="utf-8")
    assert "通讯员 · 1篇" in (tmp_path / "out/people/wang-wei-tongxunyuan/index.html").read_text(encoding="utf-8")
