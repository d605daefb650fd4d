"""What editors' tools do to text: front matter a word processor or input method mistyped, page
labels typed many ways, the same page twice (two files, or one text pasted twice)."""

from __future__ import annotations

import pytest
from test_robustness import build, write

from newsdigest import editors
from newsdigest.load import parse


def load(text: str, rel: str = "2025/03/2025-03-20-a1.md"):
    return parse(text.encode(), rel, f"content/{rel}", "宁波日报")


BODY = "# 宁波港吞吐量创新高\n\n宁波舟山港今年货物吞吐量再创新高。\n"


@pytest.mark.parametrize("fence", ["——", "—", "–", "－－－", "———", "----", "- - -"])
def test_front_matter_fenced_by_dashes_is_an_error_saying_what_to_retype(fence):
    source, problems = load(f"{fence}\ndate: 2025-03-20\npage: A1\ntitle: 要闻\n{fence}\n{BODY}")
    assert source is None
    assert [(p.line, p.level) for p in problems] == [(1, "error"), (5, "error")]
    assert problems[0].message.startswith(f"the front matter starts with `{fence}`, which ")
    assert problems[1].message.startswith(f"the front matter ends with `{fence}`, which ")
    assert "retype that line as three hyphens `---`" in problems[0].hint
    assert not any("YAML" in p.message or "indentation" in p.hint for p in problems)


def test_a_word_processor_fence_on_one_side_only():
    source, problems = load(f"---\ndate: 2025-03-20\npage: A1\n——\n{BODY}")
    assert source is None and [p.line for p in problems] == [4]
    assert "ends with `——`, which a word processor or input method made of `---`" in problems[0].message
    source, problems = load(f"——\ndate: 2025-03-20\n---\n{BODY}")
    assert source is None and [p.line for p in problems] == [1]
    _, problems = load(f"——\ndate: 2025-03-20\n{BODY}")  # never closed: both said
    assert [p.line for p in problems] == [1, 1] and "never closed" in problems[1].message


def test_a_dash_line_that_opens_no_front_matter_is_text():
    source, problems = load("——\n# 标题\n\n正文。\n")
    assert problems == [] and source.body_start == 0


@pytest.mark.parametrize("value", ["“要闻”", "‘要闻’", "「要闻」", "『要闻』", '"要闻”', "“要闻”  # 版名", "＂要闻＂"])
def test_smart_quotes_around_a_value_are_an_error(value):
    source, problems = load(f"---\ndate: 2025-03-20\ntitle: {value}\n---\n{BODY}")
    assert source is None and [(p.line, p.level) for p in problems] == [(3, "error")]
    assert problems[0].message.startswith("the value of `title` is between `")
    assert problems[0].hint == 'retype them as straight quotes `"`: `title: "要闻"`, or leave them out'


def test_quotes_inside_a_value_or_straight_quotes_are_fine():
    source, problems = load(f"---\ndate: 2025-03-20\ntitle: “两会”特刊\n---\n{BODY}")
    assert problems == [] and source.title == "“两会”特刊"
    source, problems = load(f"---\ndate: 2025-03-20\ntitle: '“两会”'\n---\n{BODY}")
    assert problems == [] and source.title == "“两会”"


@pytest.mark.parametrize(
    "line,message,hint",
    [
        ("title：要闻", "the `：` after `title` is a full-width colon", "retype it as `:` and a space: `title: 要闻`"),
        (
            "title ： 要闻",
            "the `：` after `title` is a full-width colon",
            "retype it as `:` and a space: `title: 要闻`",
        ),
        (
            "title:\u3000要闻",
            "after `title:` comes a full-width space",
            "retype it as an ordinary space: `title: 要闻`",
        ),
        ("title:要闻", "there is no space after `title:`", "type a space after the colon: `title: 要闻`"),
    ],
)
def test_a_full_width_colon_or_space_is_an_error(line, message, hint):
    source, problems = load(f"---\ndate: 2025-03-20\n{line}\npage: A1\n---\n{BODY}")
    assert source is None
    assert [(p.line, p.message, p.hint) for p in problems] == [(3, message, hint)]


def test_every_mistyping_is_reported_at_once():
    _, problems = load("——\ndate：2025-03-20\ntitle: “要闻”\n——\n" + BODY)
    assert [p.line for p in problems] == [1, 4, 2, 3]


def test_mistyped_front_matter_never_reaches_the_site(project, capsys):
    write(project, "2025-03-20-a1.md", f"——\ndate: 2025-03-20\npage: A1\ntitle: “要闻”\n——\n{BODY}")
    assert build(project) == 1
    err = capsys.readouterr().err
    assert "content/2025-03-20-a1.md:1: error: the front matter starts with `——`" in err
    assert "content/2025-03-20-a1.md:4: error: the value of `title` is between `“` and `”`" in err
    assert "not valid YAML" not in err and not (project / "site").exists()
    write(project, "2025-03-20-a1.md", f"---\ndate: 2025-03-20\npage: A1\ntitle: 要闻\n---\n{BODY}")
    assert build(project) == 0
    html = (project / "site/2025/03/20/a1/index.html").read_text(encoding="utf-8")
    assert "宁波港吞吐量创新高" in html and "date: 2025" not in html and "——" not in html


@pytest.mark.parametrize(
    "typed,label",
    [("01", "01"), ('"01"', "01"), ("1", "1"), ("08", "08"), ("010", "010"), ("A5", "A5"), ("第3版", "第3版")],
)
def test_a_page_label_is_the_text_as_typed(typed, label):
    source, problems = load(f"---\ndate: 2025-03-20\npage: {typed}\n---\n{BODY}")
    assert problems == [] and source.page == label


@pytest.mark.parametrize(
    "rel,label",
    [
        ("2019/10/2019-10-17-05.md", "05"),
        ("2025/03/2025-03-18-a5.md", "A5"),
        ("2025/03/18/b12.md", "B12"),
        ("2025/03/2025-03-18-第3版.md", "第3版"),
        ("2025/03/2025-03-18-jingji.md", ""),  # not shaped like a page label
        ("2025/03/2025-03-18.md", ""),
    ],
)
def test_with_no_page_key_the_label_comes_from_the_file_name(rel, label):
    source, problems = load(BODY, rel=rel)
    assert problems == [] and source.page == label


def test_labels_that_are_the_same_page():
    keys = {editors.label_key(x) for x in ("1", "01", "第1版", "第01版", "１")}
    assert keys == {"1"} and editors.label_key("a5") == editors.label_key("A05") != editors.label_key("B5")


def test_built_labels_keep_their_digits_and_are_never_a_path(project):
    write(project, "2025-03-20-x.md", f"---\npage: 01\ntitle: 要闻\n---\n{BODY}")
    write(project, "2025-03-20-08.md", BODY.replace("宁波港", "舟山港"))
    assert build(project) == 0
    first = (project / "site/2025/03/20/01/index.html").read_text(encoding="utf-8")
    eighth = (project / "site/2025/03/20/08/index.html").read_text(encoding="utf-8")
    assert "第01版" in first and "第1版" not in first
    assert "第08版" in eighth and "content/" not in eighth
    assert not (project / "site/2025/03/20/1").exists()


def test_a_page_with_no_label_is_named_by_its_file_not_its_path(project):
    write(project, "2025-03-20-jingji.md", BODY)
    assert build(project) == 0
    [page] = [p for p in (project / "site/2025/03/20").glob("*/index.html") if "jingji" in p.parent.name]
    html = page.read_text(encoding="utf-8")
    assert "content/" not in html and ".md" not in html and "jingji" in html


def test_two_files_of_one_page_are_an_error_naming_both(project, capsys):
    write(project, "2025-03-20-a.md", f"---\npage: 1\n---\n{BODY}")
    write(project, "2025-03-20-b.md", f'---\npage: "01"\n---\n{BODY.replace("宁波港", "北仑港")}')
    assert build(project) == 1
    err = capsys.readouterr().err
    assert (
        "content/2025-03-20-b.md: error: this file and content/2025-03-20-a.md are both page 1 (`01`) "
        "of 宁波日报 of 2025-03-20: the same page twice" in err
    )
    assert "another page of" not in err


def test_the_same_label_in_another_publication_or_day_is_another_page(project):
    write(project, "2025-03-20-a.md", f"---\npage: A1\n---\n{BODY}")
    write(project, "2025-03-20-b.md", f"---\npage: A1\npublication: 宁波晚报\n---\n{BODY.replace('宁波港', '北仑港')}")
    write(project, "2025-03-21-a1.md", BODY.replace("宁波港", "镇海港"))
    assert build(project) == 0


PARAGRAPH = "宁波舟山港今年货物吞吐量再创新高，连续多年位居全球第一，集装箱吞吐量也稳居世界前三。"


def test_a_text_pasted_twice_is_an_error_with_both_places():
    story = f"# 宁波港吞吐量创新高\n\n{PARAGRAPH}\n\n记者 张三\n"
    source, problems = load(f"---\ndate: 2025-03-20\n---\n{story}\n# 另一篇\n\n别的文字。\n\n{story}")
    assert source is not None  # the page is read, but the build stops on the error
    assert [(p.line, p.level) for p in problems] == [(14, "error")]
    assert problems[0].message == "lines 14–18 repeat lines 4–8: the same text pasted twice"
    assert problems[0].hint == "delete one of the two copies (lines 4–8 or 14–18)"


def test_spacing_does_not_hide_a_paste():
    first = f"# 宁波港吞吐量创新高\n{PARAGRAPH}\n"
    again = f"#  宁波港吞吐量创新高\n\n\n\u3000{PARAGRAPH} \n"
    _, problems = load(f"{first}\n{again}")
    assert [p.line for p in problems] == [4]


@pytest.mark.parametrize(
    "text",
    [
        "# 一\n\n记者 张三\n通讯员 李四\n\n文。\n\n# 二\n\n记者 张三\n通讯员 李四\n\n文。\n",  # repeated bylines
        "# 一\n\n图为现场。\n\n（完）\n\n# 二\n\n图为现场。\n\n（完）\n",  # short lines
        f"# 一\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n",  # one paragraph again and again
        f"# 一\n\n{PARAGRAPH}\n\n# 二\n\n{PARAGRAPH}\n",  # one paragraph under two headlines
    ],
)
def test_a_repeated_short_run_or_one_paragraph_is_no_paste(text):
    _, problems = load(text)
    assert problems == []


def test_a_pasted_page_never_builds(project, capsys):
    story = f"# 宁波港吞吐量创新高\n\n{PARAGRAPH}\n\n第二段文字。\n"
    write(project, "2025-03-20-a1.md", story + "\n" + story)
    assert build(project) == 1
    assert "content/2025-03-20-a1.md:7: error: lines 7–11 repeat lines 1–5" in capsys.readouterr().err
