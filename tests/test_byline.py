"""Bylines, datelines and credits (newsdigest/byline.py): the forms file case for case, then families
beyond it."""

from pathlib import Path

import pytest
import yaml

from newsdigest.byline import parse_byline_line, parse_credit, parse_dateline, parse_people, parse_signoff
from newsdigest.model import Person

FORMS = yaml.safe_load((Path(__file__).parent / "forms" / "bylines.yaml").read_text(encoding="utf-8"))
READERS = {"dateline": parse_dateline, "own_line": parse_byline_line, "last": parse_signoff, "credit": parse_credit}


@pytest.mark.parametrize("case", FORMS, ids=[f"{c['where']}:{c['text']}" for c in FORMS])
def test_every_form_of_the_forms_file(case):
    """tests/forms/bylines.yaml is ../shared/forms/bylines.yaml as it stands: people and roles in
    printed order, the agency, place and date; `none` names nobody (and is no byline at all, but
    for a credit naming a source)."""
    found = READERS[case["where"]](case["text"])
    if case.get("none"):
        if case["where"] == "credit":
            assert found is None or found.people == ()
        else:
            assert found is None
            return
    else:
        assert found is not None
        assert [[p.name, p.role] for p in found.people] == case["people"]
    if found is not None:
        assert (found.agency, found.place, found.date) == (
            case.get("source", ""),
            case.get("place", ""),
            case.get("date", ""),
        )


def test_a_dateline_says_where_the_story_starts():
    text = "本报杭州3月18日电　3月18日，全省推进新型工业化大会在杭州召开。"
    assert text[parse_dateline(text).end :].startswith("3月18日，全省")
    text = "据新华社宁海3月18日电　（记者欧阳明远、扎西次仁）记者18日从江东港集团获悉，"
    assert text[parse_dateline(text).end :] == "记者18日从江东港集团获悉，"
    text = "本报讯(记者沈孙晖 通讯员张超梁 顾伟)近日，记者来到"
    dateline = parse_dateline(text)
    assert dateline.people == (Person("沈孙晖", "记者"), Person("张超梁", "通讯员"), Person("顾伟", "通讯员"))
    assert text[dateline.end :] == "近日，记者来到"


def test_a_dateline_without_people_still_ends_where_the_story_starts():
    dateline = parse_dateline("本报讯 近日，记者来到")
    assert (dateline.people, dateline.agency, dateline.end) == ((), "本报", 4)


@pytest.mark.parametrize(
    "text, agency, place, date",
    [
        ("人民日报北京10月14日电  （记者王比学）", "人民日报", "北京", "10月14日"),
        ("光明日报杭州5日电（记者陆健）", "光明日报", "杭州", "5日"),
        ("浙江日报讯（记者 张  三）", "浙江日报", "", ""),
        ("新华社华盛顿10月20日电（记者 熊茂伶 徐剑梅）", "新华社", "华盛顿", "10月20日"),
        ("中新网北京3月5日电 (记者 李四)", "中新网", "北京", "3月5日"),
    ],
)
def test_datelines_of_other_agencies_and_papers(text, agency, place, date):
    dateline = parse_dateline(text + "正文。")
    assert (dateline.agency, dateline.place, dateline.date) == (agency, place, date)
    assert dateline.people and text[dateline.end :] == ""


@pytest.mark.parametrize(
    "text",
    [
        "本报电视台记者近日来到",
        "新华社消息，",
        "据报道，记者近日从市政府获悉，",
        "本报记者近日从市政府获悉，",
        "记者手记：",
        "新华社北京电视台",
    ],
)
def test_sentences_that_start_like_datelines_are_not(text):
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    "text, people",
    [
        ("见习记者 金宇涵", [("金宇涵", "见习记者")]),
        ("本报记者  刘  毅", [("刘毅", "记者")]),
        ("■本报记者 张 伟", [("张伟", "记者")]),
        (
            "记者 李明 王芳 通讯员 赵一 钱二",
            [("李明", "记者"), ("王芳", "记者"), ("赵一", "通讯员"), ("钱二", "通讯员")],
        ),
        ("本报首席记者 诸葛青", [("诸葛青", "首席记者")]),
        ("摄影 黄小明", [("黄小明", "摄影")]),
        ("新华社记者 热依拉·买买提", [("热依拉·买买提", "记者")]),
        ("本报评论员 李斌", [("李斌", "评论员")]),
        ("人民日报特约评论员 张强", [("张强", "特约评论员")]),
        ("本报驻美国记者 张强", [("张强", "记者")]),
        ("光明日报记者 张强 光明日报通讯员 李四", [("张强", "记者"), ("李四", "通讯员")]),
    ],
)
def test_byline_lines_beyond_the_forms_file(text, people):
    assert [(p.name, p.role) for p in parse_byline_line(text).people] == people


@pytest.mark.parametrize(
    "text, people, agency, place",
    [
        ("记者 刘 毅 发自北京", [("刘毅", "记者")], "", "北京"),
        ("本报驻美国记者 张强 发自华盛顿", [("张强", "记者")], "", "华盛顿"),
        ("央视记者 张强", [("张强", "记者")], "央视", ""),
    ],
)
def test_a_byline_line_names_the_agency_and_where_it_was_written(text, people, agency, place):
    found = parse_byline_line(text)
    assert ([(p.name, p.role) for p in found.people], found.agency, found.place) == (people, agency, place)


@pytest.mark.parametrize(
    "text",
    [
        "春耕进行时",
        "记者日前来到凯福莱公司的生产车间，工人们正忙着组装",
        "记者手记",
        "编辑部的故事",
        "三个“加快”",
        "核心阅读",
        "专家观点",
        "数说",
        "文化自信 代代相传",
    ],
)
def test_lines_that_are_not_bylines(text):
    assert parse_byline_line(text) is None


def test_people_are_read_the_same_in_every_family():
    assert parse_people("记者林晓峰、周文静") == (Person("林晓峰", "记者"), Person("周文静", "记者"))
    assert parse_people("王文") == (Person("王文", ""),)  # a name ending in 文 is not a role
    assert parse_credit("王文摄").people == (Person("王文", "摄影"),)
    assert parse_people("这是一句话") is None


@pytest.mark.parametrize(
    "text, people",
    [
        ("廖业强 王晨辉 周鼎立 文/摄", [("廖业强", "文/摄"), ("王晨辉", "文/摄"), ("周鼎立", "文/摄")]),
        ("记者 王珂 摄", [("王珂", "摄影")]),
        ("(张明 摄)", [("张明", "摄影")]),
        ("人民日报记者 徐  亮摄", [("徐亮", "摄影")]),
    ],
)
def test_photo_credits(text, people):
    assert [(p.name, p.role) for p in parse_credit(text).people] == people


@pytest.mark.parametrize("text", ["企业供图", "资料图片", "受访者供图", "图片由主办方提供", "新华社发"])
def test_source_credits_name_nobody(text):
    assert parse_credit(text).people == ()


@pytest.mark.parametrize("text", ["游客在古镇老街参观非遗展示。", "夜景", "（完）", "上图：宁波舟山港"])
def test_text_is_no_credit(text):
    found = parse_credit(text)
    assert found is None or found.people == ()


@pytest.mark.parametrize(
    "text", ["（完）", "（上接第一版）", "（下转第四版）", "（待续）", "（图片由受访者提供）", "（据新华社）"]
)
def test_notes_in_brackets_are_no_signoff(text):
    found = parse_signoff(text)
    assert found is None or found.people == ()
