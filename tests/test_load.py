import datetime as dt

from newsdigest.load import parse


def load(text, rel="2025/03/page.md", data=None):
    return parse(data if data is not None else text.encode(), rel, f"content/{rel}", "宁波日报")


def test_front_matter_keys():
    source, problems = load("---\ndate: 2025-03-18\npublication: 宁波晚报\npage: A5\ntitle: 经济\n---\n# 标题\n")
    assert problems == []
    assert (source.date, source.publication, source.page, source.title) == (dt.date(2025, 3, 18), "宁波晚报", "A5", "经济")
    assert source.lines[source.body_start] == "# 标题"


def test_date_from_the_file_name_and_default_publication():
    source, problems = load("# 标题\n", rel="2025/03/2025-03-19-a1.md")
    assert problems == [] and source.date == dt.date(2025, 3, 19) and source.publication == "宁波日报"


def test_date_from_folders():
    source, _ = load("# 标题\n", rel="2025/03/19/a1.md")
    assert source.date == dt.date(2025, 3, 19)


def test_no_date_is_an_error_that_says_how_to_fix_it():
    source, problems = load("# 标题\n", rel="page.md")
    assert source is None
    assert problems[0].format() == (
        "content/page.md:1: error: this page has no date\n"
        "  hint: add front matter `date: YYYY-MM-DD` at the top (between `---` lines), "
        "or put the date in the file name, e.g. 2025-03-18-a5.md")


def test_a_date_that_is_not_a_date_names_its_line():
    _, problems = load("---\npage: A5\ndate: 明天\n---\n# 标题\n")
    assert (problems[0].line, problems[0].level) == (3, "error") and "not a date" in problems[0].message


def test_unclosed_front_matter():
    _, problems = load("---\ndate: 2025-03-18\n# 标题\n")
    assert problems[0].line == 1 and "never closed" in problems[0].message


def test_front_matter_that_is_not_yaml_names_its_line():
    _, problems = load("---\ndate: 2025-03-18\npage: [A5\n---\n# 标题\n")
    assert problems[0].line in (3, 4) and "not valid YAML" in problems[0].message


def test_unknown_front_matter_key_is_a_warning():
    source, problems = load("---\ndate: 2025-03-18\nauthor: 某人\n---\n# 标题\n")
    assert source is not None and (problems[0].line, problems[0].level) == (3, "warning")


def test_a_list_where_text_belongs():
    _, problems = load("---\ndate: 2025-03-18\npage: [A5, A6]\n---\n# 标题\n")
    assert problems[0].line == 3 and "must be text" in problems[0].message


def test_gbk_file_is_named_as_such():
    _, problems = load("", data="---\ndate: 2025-03-18\n---\n# 宁波新闻\n".encode("gb18030"))
    assert "GBK" in problems[0].message and problems[0].line == 4


def test_bom_utf16_and_line_ends_just_work():
    text = "---\ndate: 2025-03-18\n---\n# 标题\n\n正文。\n"
    for data in [b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16"), text.replace("\n", "\r\n").encode(),
                 text.replace("\n", "\r").encode()]:
        source, problems = load("", data=data)
        assert problems == [] and source.lines[source.body_start:] == ("# 标题", "", "正文。")


def test_nul_bytes_are_refused():
    _, problems = load("", data=b"# a\n\x00\x01")
    assert problems[0].line == 2 and "binary" in problems[0].message
