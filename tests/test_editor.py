"""The editor's loop on the command line: check, new, drafts and future, -q/-v, help, progress."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT
from test_robustness import build, write

from newsdigest import cli


def check(project, *args, capsys):
    code = build(project, "check", *args)
    return code, capsys.readouterr()


def test_check_prints_how_each_page_was_split(project, capsys):
    code, out = check(project, capsys=capsys)
    assert code == 0
    lines = out.out.splitlines()
    assert lines[0] == "content/2025/03/2025-03-18-a5.md: 2025-03-18 A5 经济, 6 article(s)"
    assert lines[1] == "  1. 产业丛林集群攀高 宁波如何 孵出更多“独角兽” (line 17)"
    assert lines[2] == "     paragraphs: blank · source: none · dateline: none · credits: none"
    assert lines[3].startswith("     byline: 见习记者 金宇涵 · captions: 0 · topics: ") and lines[3].endswith(
        "regions: 宁波"
    )
    assert "     byline: 记者 沈孙晖 通讯员 张超梁 通讯员 顾伟 · captions: 1 · " in out.out
    assert "     byline: none · captions: 0 · topics: 农业农村" in out.out
    # the pasted page: headline parts, the paragraph form, the dateline's source, place and date, credits
    assert (
        "  1. 以科技创新引领产业升级 (line 8)\n     kicker: 全省推进新型工业化大会召开——\n"
        "     subtitle: ——写在新春开工之际\n     paragraphs: line · source: 本报 · dateline: 本报 杭州 3月18日 · "
        "credits: none\n     byline: 记者 林晓峰 记者 周文静 · " in out.out
    )
    assert (
        "     paragraphs: blank · source: 新华社 · dateline: none · credits: 新华社记者  林晓峰摄\n"
        "     byline: 摄影 林晓峰 · captions: 1 · " in out.out
    )
    assert lines[-1].startswith("2 page(s), 10 article(s), ")
    assert not (project / "site").exists()  # check builds nothing


DOUBTS = [
    ("headline with no text", "# 一\n\n文。\n## 二\n", "content/2025-03-19-a.md:4: warning: this headline has no text"),
    (
        "text before the first headline",
        "前文。\n\n# 一\n\n宁波文。\n",
        "content/2025-03-19-a.md:1: warning: text before the first headline",
    ),
    (
        "caption between two articles",
        "# 一\n\n宁波的文。\n\n工厂一角。(企业供图)\n\n# 二\n\n宁波的文。\n",
        "content/2025-03-19-a.md:5: warning: this caption could belong to «一» above it or to «二» below it",
    ),
    ("no topic or region", "# 一\n\n今天天气很好。\n", "content/2025-03-19-a.md:1: warning: «一» has no topic"),
    ("unknown override", "# 一 {regions=火星}\n\n文。\n", "content/2025-03-19-a.md:1: error: unknown region «火星»"),
    (
        "same title twice",
        "# 宁波新闻\n\n一。\n\n# 宁波新闻\n\n二。\n",
        "content/2025-03-19-a.md:5: warning: two articles of 2025-03-19 have the title «宁波新闻»",
    ),
    (
        "mojibake",
        "# 一\n\n宁波 å®æ³¢ 新闻。\n",
        "content/2025-03-19-a.md:3: warning: this text looks mis-decoded (mojibake)",
    ),
    ("GBK decoded", "# 一\n\n锟斤拷新闻。\n", "content/2025-03-19-a.md:3: warning: this text looks mis-decoded"),
    ("empty page", "", "content/2025-03-19-a.md:1: warning: this page is empty"),
    (
        "byline not read",
        "# 一\n\n记者 John Smith\n\n宁波的文。\n",
        "content/2025-03-19-a.md:3: warning: «一»: this looks like a byline or a credit that was not read as one",
    ),
    (
        "dateline not read",
        "# 一\n\n本报宁波电 宁波的文。\n",
        "content/2025-03-19-a.md:3: warning: «一»: this looks like a dateline that was not read as one",
    ),
    (
        "dateline's people not read",
        "# 一\n\n新华社北京3月5日电（记者 John Smith）宁波的文。\n",
        "content/2025-03-19-a.md:3: warning: «一»: its dateline names people who could not be read",
    ),
]


@pytest.mark.parametrize("what,text,message", DOUBTS, ids=[d[0] for d in DOUBTS])
def test_check_names_every_doubt_with_file_and_line(project, capsys, what, text, message):
    write(project, "2025-03-19-a.md", text)
    code, out = check(project, "content/2025-03-19-a.md", capsys=capsys)
    assert code == (1 if ": error:" in message else 0) and message in out.out  # 1 on any error
    code, out = check(project, "--strict", "content/2025-03-19-a.md", capsys=capsys)
    assert code == 1


def test_check_json(project, capsys):
    write(project, "2025-03-19-a.md", "# 一\n\n今天天气很好。\n")
    code, out = check(project, "--format", "json", capsys=capsys)
    data = json.loads(out.out)
    assert code == 0 and [p["path"] for p in data["pages"]] == [
        "content/2025-03-19-a.md",
        "content/2025/03/2025-03-18-a5.md",
        "content/2025/03/2025-03-19-03.md",
    ]
    assert data["pages"][1]["articles"][1]["byline"][0] == {"name": "沈孙晖", "role": "记者"}
    assert {
        "path": "content/2025-03-19-a.md",
        "line": 1,
        "message": "«一» has no topic",
        "hint": "add keywords to the topics file, or `{topics=…}` after the headline",
        "level": "warning",
    } in data["doubts"]


def test_new_writes_a_digest_and_refuses_to_overwrite(project, capsys):
    assert build(project, "new", "--date", "2025-03-20", "--page", "A3") == 0
    path = capsys.readouterr().out.strip()
    assert path == "content/2025/03/2025-03-20-a3.md"
    assert (project / path).read_text(encoding="utf-8").startswith("---\ndate: 2025-03-20\npage: A3\n")
    assert build(project, "new", "--date", "2025-03-20", "--page", "A3") == 1
    assert "already exists; not overwritten" in capsys.readouterr().err
    assert build(project) == 0  # the new page builds
    assert (project / "site/2025/03/20/a3/index.html").exists()


def test_drafts_and_future_are_left_out_unless_asked(project, capsys):
    write(project, "2025-03-19-d.md", "---\ndraft: true\npage: D1\n---\n# 草稿\n\n宁波文。\n")
    write(project, "2025-03-25-f.md", "---\npage: F1\n---\n# 未来\n\n宁波文。\n")
    assert build(project, "--now", "2025-03-20") == 0
    out = capsys.readouterr().out
    assert "built 2 digest(s) (2 draft or future page(s) left out)" in out
    assert not (project / "site/2025/03/19/d1").exists() and not (project / "site/2025/03/25").exists()
    assert build(project, "--now", "2025-03-20", "--drafts", "--future") == 0
    assert (project / "site/2025/03/19/d1/index.html").exists() and (project / "site/2025/03/25/f1/index.html").exists()


def test_quiet_and_verbose(project, capsys):
    write(project, "2025-03-19-a.md", "前文。\n\n# 一\n\n宁波文。\n")
    assert build(project, "-q") == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    write(project, "2025-03-19-a.md", "前文。\n\n# 一改\n\n宁波文。\n")
    assert build(project, "-v") == 0
    out = capsys.readouterr().out
    assert "wrote site/2025/03/19/yigai/index.html" in out
    assert "wrote site/2025/03/18/a5/index.html" not in out  # unchanged: not written again
    assert "changed, " in out and " unchanged)" in out


def test_help_lists_every_option_with_its_default():
    for command, options in {
        "build": [
            "--content",
            "--output",
            "--config",
            "--theme",
            "--base-url",
            "--drafts",
            "--future",
            "--now",
            "--strict",
            "--force",
            "--quiet",
            "--verbose",
            "--debug",
        ],
        "serve": ["--port", "--host", "--content", "--base-url"],
        "check": ["--strict", "--format", "FILES"],
        "new": ["--date", "--page", "--content"],
    }.items():
        done = subprocess.run(
            [sys.executable, str(ROOT / "build.py"), command, "--help"], capture_output=True, text=True
        )
        assert done.returncode == 0
        help_text = " ".join(done.stdout.split())
        for option in options:
            assert option in help_text or option.lower() in help_text, (command, option)
        assert "(default:" in help_text
        # each default said once, and none for a flag: `--no-search … (default: True)` read as on
        for block in re.split(r"\s(?=-{1,2}[a-z])", help_text):
            assert block.count("(default") <= 1, (command, block)
            assert not re.search(r"\(default: (True|False|None)\)", block), (command, block)
    assert "(default: 8000)" in " ".join(
        subprocess.run(
            [sys.executable, str(ROOT / "build.py"), "serve", "--help"], capture_output=True, text=True
        ).stdout.split()
    )


def test_debug_shows_the_traceback_of_an_internal_error(project, monkeypatch, capsys):
    from newsdigest import index

    def broken(*args):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(index, "build", broken)
    assert build(project) == 1
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: boom" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(ZeroDivisionError):
        build(project, "--debug")


def test_progress_bar_only_on_a_terminal_and_only_after_a_second():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = cli.Progress(stream)
        progress("rendering", 1, 10)  # under a second: nothing
        progress.started -= 2
        progress("rendering", 5, 10)
        progress.clear()
    assert "rendering  [###############               ] 5/10" in terminal.getvalue()
    assert "1/10" not in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_check_takes_folders_and_exits_1_on_errors(project, capsys):
    write(project, "2025/03/2025-03-21-g.md", "# 宁波新闻\n\n正文。\n".encode("gb18030"))
    code, out = check(project, "content/2025", capsys=capsys)
    assert code == 1
    assert "content/2025/03/2025-03-21-g.md:1: error: this file is GBK/GB18030-encoded" in out.out
    assert "content/2025/03/2025-03-18-a5.md: 2025-03-18 A5 经济, 6 article(s)" in out.out
    (project / "content/2025/03/2025-03-21-g.md").unlink()
    code, out = check(project, "content/2025", capsys=capsys)
    assert code == 0 and "2 page(s), 10 article(s)" in out.out
    write(project, "2025-03-19-a.md", "---\ndate: 2025-03-19\npage: [A1\n---\n# 题\n")
    code, out = check(project, "content/2025-03-19-a.md", capsys=capsys)
    assert code == 1 and "error: this is not valid YAML" in out.out
    (project / "content" / "empty").mkdir()
    code, out = check(project, "content/empty", capsys=capsys)
    assert code == 1 and "content/empty: error: no *.md file in this folder" in out.err


def test_check_says_a_page_has_no_headline(project, capsys):
    write(project, "2025-03-20-a1.md", "---\ndate: 2025-03-20\npage: A1\ntitle: 要闻\n---\n今天天气很好。\n")
    code, out = check(project, "content/2025-03-20-a1.md", capsys=capsys)
    assert code == 0
    assert "  this page has no headline: its text is kept as one article, titled «要闻» after the page" in out.out
    assert "(line 0)" not in out.out and "1. 要闻" not in out.out


PLACES = [
    ("宁波市海曙区召开会议。", ["宁波市", "海曙区"]),
    ("记者从绍兴市柯桥区获悉，项目已开工。", ["绍兴市", "柯桥区"]),
    ("他在美国留学三年后回国创业。", ["美国"]),
    ("白沙街道组织志愿者清扫道路。", ["白沙街道"]),
    ("加强市场监管，保障城市运行和社区服务。", []),
    ("全省各市县要做好乡村振兴和城乡融合工作。", []),
    ("国家出台政策，国际合作不断深入，我国经济稳中向好。", []),
    ("今天天气很好，市民纷纷出门踏青。", []),
]


@pytest.mark.parametrize("text,named", PLACES)
def test_what_names_a_place(text, named):
    from newsdigest.check import places

    assert places(text) == named


def test_no_region_only_for_an_article_naming_unknown_places(project, capsys):
    write(project, "2025-03-19-a.md", "# 一\n\n今天天气很好，大家出门踏青。\n")
    code, out = check(project, "content/2025-03-19-a.md", capsys=capsys)
    assert "has no region" not in out.out  # it names no place at all
    write(project, "2025-03-19-a.md", "# 一\n\n记者从火星市乌有区获悉，乌有区新建一座公园。\n")
    code, out = check(project, "content/2025-03-19-a.md", capsys=capsys)
    assert "«一» has no region: it names «火星市»、«乌有区», which the regions file does not know" in out.out


def test_new_quotes_a_label_yaml_would_read_as_a_number(project, capsys):
    assert build(project, "new", "--date", "2025-03-20", "--page", "01") == 0
    path = project / capsys.readouterr().out.strip()
    assert path.name == "2025-03-20-01.md"
    assert path.read_text(encoding="utf-8").startswith('---\ndate: 2025-03-20\npage: "01"\n')
    assert build(project) == 0 and "第01版" in (project / "site/2025/03/20/01/index.html").read_text(encoding="utf-8")


def test_new_where_it_cannot_write_is_a_plain_error(project, capsys):
    (project / "content" / "2025").mkdir(exist_ok=True)
    (project / "content" / "2025" / "04").write_text("a file where the month's folder should be", encoding="utf-8")
    assert build(project, "new", "--date", "2025-04-01", "--page", "A1") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot write content/2025/04/2025-04-01-a1.md: ") and "internal error" not in err
    assert "hint: free some space, or check that content/ is a folder you can write to" in err


def test_serve_on_a_port_in_use_is_a_plain_error(project, capsys):
    import socket

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        port = str(taken.getsockname()[1])
        assert build(project, "serve", "--port", port, "--quiet") == 1
    finally:
        taken.close()
    err = capsys.readouterr().err
    assert f"error: cannot serve on 127.0.0.1:{port}: " in err and "pass --port 8001" in err
    assert "internal error" not in err


def test_check_finds_a_missing_photo_or_scan_and_an_area_naming_no_article(project, capsys):
    (project / "content/2025/03/2025-03-18-a5.jpg").unlink()
    page = project / "content/2025/03/2025-03-19-03.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![港口](port.jpg)\n\n港口一角。\n", encoding="utf-8")
    code, out = check(project, capsys=capsys)
    assert code == 1
    assert "content/2025/03/2025-03-18-a5.md:6: error: the image `2025-03-18-a5.jpg` is missing" in out.out
    assert "2025-03-19-03.md:" in out.out and "the image `port.jpg` is missing" in out.out
    assert not list(project.rglob("media"))  # nothing resized or written
