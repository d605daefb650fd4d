import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest import yamlfile
from newsdigest.load import parse


def load(text, rel="2025/03/page.md", data=None):
    return parse(data if data is not None else text.encode(), rel, f"content/{rel}", "宁波日报")


def test_front_matter_keys():
    source, problems = load("---\ndate: 2025-03-18\npublication: 宁波晚报\npage: A5\ntitle: 经济\n---\n# 标题\n")
    assert problems == []
    assert (source.date, source.publication, source.page, source.title) == (
        dt.date(2025, 3, 18),
        "宁波晚报",
        "A5",
        "经济",
    )
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
        "or put the date in the file name, e.g. 2025-03-18-a5.md"
    )


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
    for data in [
        b"\xef\xbb\xbf" + text.encode(),
        text.encode("utf-16"),
        text.replace("\n", "\r\n").encode(),
        text.replace("\n", "\r").encode(),
    ]:
        source, problems = load("", data=data)
        assert problems == [] and source.lines[source.body_start :] == ("# 标题", "", "正文。")


def test_nul_bytes_are_refused():
    _, problems = load("", data=b"# a\n\x00\x01")
    assert problems[0].line == 2 and "binary" in problems[0].message


# The fast path for simple front matter (yamlfile._simple) must give exactly what YAML gives.


def _both(text):
    """(fast path, full parser) results with their lines, or None for the fast path's refusal."""

    def dump(value):
        if isinstance(value, dict):
            return ("map", value.line, value.lines, [(k, type(k), dump(v)) for k, v in value.items()])
        return (type(value), value)

    node = yamlfile._simple(text)
    try:
        composed = yamlfile._compose(text, "f.md", 2)
        full = dump(yamlfile._Converter("f.md", 2).convert(composed)) if composed else None
    except yamlfile.YamlError as exc:
        full = exc.diagnostic
    return (dump(yamlfile._Converter("f.md", 2).convert(node)) if node else None), full


SIMPLE_CASES = [
    "date: 2020-01-01\npublication: 宁波日报\npage: A1\ntitle: 经济",
    "date: 2025-03-18\n\npage: 第3版\n",
    "\n\ndate: 2025-03-18",
    "draft: true",
    "draft: false",
    "draft: yes",
    "draft: No",
    "draft: on",
    "page: null",
    "page: Null",
    "page: 5",
    "page: 05",
    "page: 0x1F",
    "page: 0o17",
    "page: 1e3",
    "page: 1.5",
    "page: 6.8e+5",
    "page: 190",
    "date: 2025-02-30",
    "date: 2025-3-1",
    "date: 20250318",
    "date: 2001-12-14t21",
    "title: 经济 要闻",
    "title: 经济   ",
    "title: “独角兽”—宁波",
    "title: A/B",
    "title: a.b-c/d+e",
    "yes: 1",
    "null: x",
    "true: false",
    "y: n",
    "Date: 2025-03-18",
    "date: 2025-03-18\ndate: 2025-03-19",
    "images: photos/0318",
    "key_2: ＡＢＣ",
    "title: 经济　要闻",
    "title: ½",
    "title: é",
]
REFUSED_CASES = [
    "",
    "\n",
    "date: 2025-03-18 # comment",
    "title: 'quoted'",
    'title: "quoted"',
    "title: a: b",
    "title: 10:30",
    "title:",
    "title: ",
    "  title: x",
    "title:\tx",
    "title: x\n  more",
    "title: -x",
    "title: .5",
    "title: [a]",
    "title: {a: b}",
    "title: &a x",
    "title: *a",
    "title: !!str 5",
    "title: |",
    "title: >",
    "- a",
    "title: %x",
    "title: @x",
    "title: `x",
    "title: x\x07",
    "title: x\u2028y",
    "title: x\x85y",
    "title: \ufeffx",
    "1: x",
    "-: x",
    "title: \U0001f600",
    "title: x\r",
    "title: a,b",
    "title: x?",
    "page: 1_000",
    "title: 经济  要闻",
]


@pytest.mark.parametrize("text", SIMPLE_CASES)
def test_simple_front_matter_takes_the_fast_path_and_agrees_with_yaml(text):
    fast, full = _both(text)
    assert fast is not None and fast == full


@pytest.mark.parametrize("text", REFUSED_CASES)
def test_other_front_matter_goes_to_the_full_parser(text):
    assert yamlfile._simple(text) is None


WORDS = [
    "a",
    "Z",
    "0",
    "9",
    "-",
    ".",
    "/",
    "+",
    "_",
    "宁波",
    "经济",
    "“",
    "—",
    "　",
    "½",
    "é",
    "true",
    "null",
    "yes",
    "No",
    "2025-03-18",
    "2025-02-30",
    "1e3",
    "0x1F",
    "5",
    "6.8",
    " ",
    " ",
]
SPECIALS = list(":#'\"\t,[]{}&*!|>%@`?~=") + [
    ": ",
    " #",
    "\n",
    "\n  ",
    "\u2028",
    "\x85",
    "\ufeff",
    "\x07",
    "\U0001f600",
]
PIECES = st.sampled_from(WORDS * 8 + SPECIALS)  # mostly what the fast path takes, sometimes what it must refuse


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["date", "page", "title", "draft", "yes", "null", "Key_1", "x"] * 4 + ["", " a"]),
            st.sampled_from([": "] * 8 + [":  ", ":", ": -"]),
            st.lists(PIECES, max_size=6).map("".join),
        ),
        max_size=5,
    )
)
def test_the_fast_path_never_disagrees_with_yaml(lines):
    fast, full = _both("\n".join(key + sep + value for key, sep, value in lines))
    assert fast is None or fast == full


def test_front_matter_types_and_lines_through_the_fast_path():
    source, problems = load("---\ndate: 2025-03-18\npage: 5\ndraft: true\n---\n# 标题\n", rel="a.md")
    assert problems == [] and source.page == "5" and source.draft is True and source.date == dt.date(2025, 3, 18)
    _, problems = load("---\npage: A5\ndate: 2025-02-30\n---\n# 标题\n")
    assert problems[0].line == 3 and "`date: 2025-02-30` is not a date" in problems[0].message


def test_scalars_keep_their_text_as_written():
    data = yamlfile.parse('page: 01\ntitle: "02"\nn: 0x1A\nok: yes\nlist: [1]\n', "f.md")
    assert data["page"] == 1 and data.texts["page"] == "01" and data.texts["title"] == "02"
    assert data.texts["n"] == "0x1A" and data.texts["ok"] == "yes" and "list" not in data.texts
    full = yamlfile.parse("page: 01\nextra:\n  - a\n", "f.md")  # the full parser keeps them too
    assert full.texts["page"] == "01"


def test_a_number_date_or_yes_as_text_value_is_its_text():
    source, problems = load("---\ndate: 2025-03-18\npage: 0010\ntitle: 2025-03-18\npublication: yes\n---\n# 标题\n")
    assert problems == [] and (source.page, source.title, source.publication) == ("0010", "2025-03-18", "yes")
    _, problems = load("---\ndate: 2025-03-18\npage: [A1]\n---\n# 标题\n")
    assert problems[0].message == "`page` must be text, not a list"


def _as_pathlib_finds(content, given=()):
    """What load.to_read gave when it used pathlib for every file (rglob, resolve, shown_path)."""
    from newsdigest.model import shown_path

    real = content.resolve()
    found = []
    for path in list(given) or sorted(p for p in content.rglob("*.md") if p.is_file() or p.is_symlink()):
        try:
            rel = path.resolve().relative_to(real).as_posix()
        except (ValueError, RuntimeError):
            rel = path.name
        found.append((str(path), rel, shown_path(path)))
    return found


def test_the_files_a_build_reads_are_found_and_named_as_pathlib_does(tmp_path, monkeypatch):
    """load.to_read walks the content folder with os.scandir and names each file by string work:
    the same files, in the same order, with the same rel and shown names as pathlib gives file by
    file, wherever the working folder is (inside the content folder too). Links (to a file inside,
    outside, nowhere, themselves, a folder), dotfiles, a folder named *.md, a name that sorts
    between a folder and the files in it."""
    import os

    from newsdigest import load as loading

    content, outside = tmp_path / "c", tmp_path / "out"
    for folder in ("a", "a-b", "x.md", "..y", "a/deep/er"):
        (content / folder).mkdir(parents=True)
    outside.mkdir()
    names = "a/1.md a-b/2.md .h.md .md A.MD a.md b.txt a/deep/er/3.md x.md/in.md ..z.md"
    for name in names.split():
        (content / name).write_text("# 题\n", encoding="utf-8")
    (outside / "o.md").write_text("# 题\n", encoding="utf-8")
    links = {"link.md": "a/1.md", "dangling.md": "nowhere.md", "loop.md": "loop.md", "up": "..", "dir.md": "a"}
    for name, target in {**links, "outside.md": str(outside / "o.md")}.items():
        os.symlink(target, content / name)
    places = [
        (tmp_path, "c"),
        (content, "."),
        (content, str(content)),
        (outside, "../c"),
        (content / "a", ".."),
        (content / "a" / "deep", "../../../c/"),
        (content / "..y", ".."),
    ]
    for cwd, named in places:
        monkeypatch.chdir(cwd)
        folder = Path(named)
        expected = _as_pathlib_finds(folder)
        assert [(str(path), rel, shown) for path, rel, shown in loading.to_read(folder)] == expected, (cwd, named)
        assert loading.find_files(folder) == [Path(path) for path, _, _ in expected]
    chosen = (content / "a" / "1.md", content / "link.md", outside / "o.md")
    assert [(str(p), r, s) for p, r, s in loading.to_read(content, chosen)] == _as_pathlib_finds(content, chosen)
