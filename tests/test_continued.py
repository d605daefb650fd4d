"""Stories continued on another page (continued.py): one story, shown whole, listed on both pages."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from newsdigest import pipeline
from newsdigest.continued import page_of

FRONT = """---
date: 2025-03-20
page: "{page}"
title: {title}
---

"""
STORY = "## 全市重点项目集中开工 总投资超千亿元\n\n本报记者 林晓峰\n\n昨天，全市重点项目集中开工。{mark}\n"
PART = (
    "## {title}\n\n{mark}项目涉及先进制造、城市更新和交通基础设施，预计年内完成投资三百亿元。\n\n"
    "## 其他新闻二则\n\n正文。\n"
)


def write(project: Path, story_mark: str, part_title: str, part_mark: str) -> None:
    content = project / "content"
    (content / "2025-03-20-01.md").write_text(
        FRONT.format(page="01", title="要闻") + STORY.format(mark=story_mark) + "\n## 头版另一篇\n\n正文。\n", "utf-8"
    )
    (content / "2025-03-20-03.md").write_text(
        FRONT.format(page="03", title="综合")
        + "## 三版头条\n\n正文。\n\n"
        + PART.format(title=part_title, mark=part_mark),
        "utf-8",
    )


def build(project: Path, out: Path) -> pipeline.Result:
    result = pipeline.build(
        pipeline.Options(content=project / "content", output=out, config=project / "site.yaml", theme=project / "theme")
    )
    assert result.ok, [d.format() for d in result.diagnostics]
    return result


def story_page(out: Path) -> str:
    return (out / "2025/03/20/quanshi-zhongdian-xiangmu-jizhong/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "story_mark, part_title, part_mark",
    [
        ("（下转第3版）", "全市重点项目集中开工 总投资超千亿元", "（上接第1版）"),  # both marks
        ("(下转3版)", "重点项目开工", "(上接1版)"),  # marks, another headline
        ("（转第三版）", "全市重点项目集中开工 总投资超千亿元", ""),  # a mark and the headline
        ("", "全市重点项目集中开工 总投资超千亿元", ""),  # the same long headline alone
        ("", "全市重点项目集中开工 总投资超千亿元", "（上接第一版）"),  # the continuation's mark and the headline
    ],
)
def test_a_continued_story_is_one_story_listed_on_both_pages(project, tmp_path, story_mark, part_title, part_mark):
    write(project, story_mark, part_title, part_mark)
    out = tmp_path / "out"
    result = build(project, out)
    assert not [d for d in result.diagnostics if "continues" in d.message]
    html = story_page(out)
    body = html[html.index('<div class="body">') : html.index("</div>", html.index('<div class="body">'))]
    assert (
        body.index("昨天，全市重点项目集中开工。") < body.index("（以下刊于第03版）") < body.index("项目涉及先进制造")
    )
    assert "其他新闻二则" not in body  # the next article of page 3 is its own
    pages = sorted(p.parent.name for p in (out / "2025/03/20").glob("*/index.html"))
    assert len(pages) == 2 + 5 - 1  # two printed pages, five articles, one of them a continuation
    third = (out / "2025/03/20/03/index.html").read_text(encoding="utf-8")
    titles = [t.split("</a>")[0].rsplit(">", 1)[1] for t in third.split("<h2>")[1:]]
    assert titles == ["三版头条", "全市重点项目集中开工 总投资超千亿元", "其他新闻二则"]  # where the part was printed
    assert "上接第01版" in third
    rows = [row for f in (out / "search/m").glob("*.bin") for row in json.loads(zlib.decompress(f.read_bytes(), -15))]
    assert sorted(r[0] for r in rows if r[0].startswith("2025/03/20/")) == sorted(f"2025/03/20/{p}/" for p in pages[2:])


def test_a_short_recurring_headline_on_two_pages_is_two_articles(project, tmp_path):
    write(project, "", "图片新闻", "")
    (project / "content/2025-03-20-01.md").write_text(
        FRONT.format(page="01", title="要闻") + "## 图片新闻\n\n头版的图片。\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    build(project, out)
    assert len(list((out / "2025/03/20").glob("tupian-xinwen*/index.html"))) == 2


def test_a_story_that_says_it_goes_on_and_does_not_is_a_warning_at_its_headline(project, tmp_path):
    write(project, "（下转第5版）", "别的新闻", "")
    result = build(project, tmp_path / "out")
    [warning] = [d for d in result.diagnostics if "continues" in d.message]
    assert warning.level == "warning" and warning.line == 7 and warning.path.endswith("2025-03-20-01.md")
    assert "continues on page 5 (下转)" in warning.message


def test_an_edit_to_the_continuation_rebuilds_the_story(project, tmp_path):
    write(project, "（下转第3版）", "重点项目开工", "（上接第1版）")
    out = tmp_path / "out"
    build(project, out)
    third = project / "content/2025-03-20-03.md"
    third.write_text(third.read_text(encoding="utf-8").replace("三百亿元", "三百五十亿元"), encoding="utf-8")
    build(project, out)
    assert "三百五十亿元" in story_page(out)
    build(project, tmp_path / "cold")
    assert story_page(out) == story_page(tmp_path / "cold")


@pytest.mark.parametrize(
    "printed, key", [("3", "3"), ("03", "3"), ("三", "3"), ("十二", "12"), ("二十", "20"), ("a5", "A5")]
)
def test_a_page_as_a_mark_prints_it(printed, key):
    assert page_of(printed) == key


def test_a_continued_parts_photo_is_found_beside_its_own_page(project, tmp_path):
    """The part's photo is looked up in the folder of the page it was printed on, and a missing one
    is reported at that page's line."""
    from PIL import Image

    write(project, "（下转第3版）", "全市重点项目集中开工 总投资超千亿元", "（上接第1版）")
    third = project / "content" / "2025-03-20-03.md"
    (project / "content" / "p3").mkdir()
    third.rename(project / "content" / "p3" / third.name)  # the part's page in a folder of its own
    page = project / "content" / "p3" / third.name
    text = page.read_text(encoding="utf-8")
    at = text.index("## 其他新闻二则")
    page.write_text(text[:at] + "![开工现场](site.jpg)\n\n" + text[at:], encoding="utf-8")
    Image.new("RGB", (800, 500), (90, 120, 160)).save(project / "content" / "p3" / "site.jpg", "JPEG")
    build(project, tmp_path / "out")
    figure = story_page(tmp_path / "out").split("<figure", 1)[1].split("</figure>", 1)[0]
    assert "<img" in figure and "开工现场" in figure
    (project / "content" / "p3" / "site.jpg").unlink()
    with pytest.raises(pipeline.BuildFailed) as failed:
        build(project, tmp_path / "out2")
    missing = [d for d in failed.value.diagnostics if "site.jpg" in d.message]
    assert [(Path(d.path).as_posix().endswith("p3/2025-03-20-03.md"), d.line) for d in missing] == [(True, 15)]


def test_a_day_where_no_article_may_continue_another_is_not_looked_into(project, monkeypatch):
    """No 上接/下转 and no headline printed twice: nothing can join, and the day's pages and
    headlines are not indexed (a rebuild joins every day of the archive again)."""
    from newsdigest import continued

    write(project, "", "重点项目开工", "")
    options = pipeline.Options(
        content=project / "content", config=project / "site.yaml", theme=project / "theme", cache=False
    )
    monkeypatch.setattr(continued, "_Day", lambda articles: pytest.fail("the day was looked into"))
    articles = pipeline.analyse(options, pipeline.Result()).articles
    assert len([a for a in articles if a.date.isoformat() == "2025-03-20"]) == 5  # none joined
    write(project, "", "全市重点项目集中开工 总投资超千亿元", "")  # the same headline twice: looked into
    with pytest.raises(pytest.fail.Exception):
        pipeline.analyse(options, pipeline.Result())
