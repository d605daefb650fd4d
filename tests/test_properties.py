"""Property tests (Hypothesis) of the splitter and of the markdown renderer, and the fuzz run's findings.

The splitter, over generated pages mixing the seed's quirks (headings with and without `{…}`
overrides, bylines, datelines, captions and credits, photos, cut paragraphs, cross-heads, wide gaps, text
before the first heading, CRLF, tabs, full-width spaces, random unicode): it never raises, holds
every non-blank line exactly once, holds each line's text in the block that claims it, and gives
the same result twice.

The renderer (`text.markdown()`), over generated markdown full of raw HTML, attributes, entities
and obfuscated link schemes: no element but markdown's own comes out, no `on*` attribute, no link
or image to a javascript:, vbscript: or data: URL (nor to any scheme but http(s), mailto and tel);
a raw tag shows as the very text written; the plain-paragraph shortcut gives markdown's HTML.

Examples per property: FUZZ_EXAMPLES (default 150: about 10 s for the file). The fuzz run (README):
    FUZZ_EXAMPLES=5000 python -m pytest tests/test_properties.py -p no:cacheprovider   # ~10 min
A failure prints its smallest input and a @reproduce_failure blob; it becomes a plain regression
test at the end of this file, and a fix.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from html.parser import HTMLParser

import yaml
from conftest import ROOT, SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdigest import load
from newsdigest.model import Source
from newsdigest.split import accounted_lines, split
from newsdigest.text import markdown, paragraph_html

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# Characters no XML document may hold (XML 1.0 `Char`): the splitter drops them from the text it
# keeps, since they would make the feeds and the news sitemap unparseable. A line holding only
# these (and spaces) is blank.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def visible(line: str) -> str:
    return NOT_XML.sub("", line).strip()


def bare(text: str) -> str:
    """Text without brackets and spaces: a credit's brackets and the joins of lines are layout."""
    return re.sub(r"[()（）\s]", "", NOT_XML.sub("", text))


# ---------------------------------------------------------------------------------------------
# Pages mixing the seed's quirks

SEED_LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines()[6:] if line.strip()]

hanzi = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=12)
latin = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=12)
anything = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
words = st.lists(
    st.one_of(hanzi, hanzi, latin, st.sampled_from(["2025年", "(准独角兽)", "“小巨人”", "——", "ISO"])),
    min_size=1,
    max_size=5,
).map("".join)
sentence = st.builds(lambda w, end: w + end, words, st.sampled_from(["。", "！", "？", "”", "。”", "!", ""]))
space = st.sampled_from(["", "", "", " ", "  ", "\t", "\u3000", " \u3000"])
NAMES = ["金宇涵", "刘  毅", "沈孙晖", "张超梁 顾伟", "王佳辉", "廖业强 王晨辉 周鼎立", "孙肖", "王 珂"]
ROLES = ["见习记者", "本报记者", "记者", "通讯员", "本报通讯员", "实习生", "摄影记者"]
CREDITS = [
    "企业供图",
    "受访者供图",
    "资料图片",
    "廖业强 王晨辉 周鼎立 文/摄",
    "记者 王珂 摄",
    "张三/文 李四/摄",
    "新华社发",
]
OVERRIDES = [
    "{topics=科技创新,产业经济 regions=镇海 slug=my-slug}",
    "{slug=fuya-jiuhuche}",
    "{topics=医疗健康}",
    '{topics="科技创新，产业经济" regions="宁波"}',
    "{tags=x}",
    '{slug="a b"}',
    "{regions=}",
    "{=}",
    "{x}",
    "{topics=科技创新",
    "{slug=<script>}",
    '{topics=""}',
]


@st.composite
def heading(draw) -> list[str]:
    level = draw(st.integers(1, 3))
    title = draw(st.one_of(words, sentence, anything, st.sampled_from(SEED_LINES)))
    override = draw(st.one_of(st.just(""), st.sampled_from(OVERRIDES).map(lambda o: " " + o)))
    closing = draw(st.sampled_from(["", "", " #", " ###", "\t##"]))
    gap = draw(st.sampled_from([" ", " ", "\t", "  "]))
    return [draw(space) + "#" * level + gap + title + override + closing]


byline_line = st.one_of(
    st.sampled_from(["见习记者 金宇涵", "本报记者  刘  毅", "本报记者　刘　毅", "记者 王佳辉 通讯员 陈冰曲 王越铭"]),
    st.builds(lambda role, sep, name: role + sep + name, st.sampled_from(ROLES), space, st.sampled_from(NAMES)),
)
dateline = st.builds(
    lambda opening, open_, inner, close, text: f"{opening}{open_}{inner}{close}{text}",
    st.sampled_from(["本报讯", "本报北京2月2日电", "新华社杭州3月1日电", "本报讯 "]),
    st.sampled_from("(（"),
    st.sampled_from(["记者沈孙晖 通讯员张超梁 顾伟", "记者王珂", "记者孙肖", "记者 王佳辉", "通讯员"]),
    st.sampled_from(")）"),
    sentence,
)
credit = st.builds(lambda o, c, e: o + c + e, st.sampled_from("(（"), st.sampled_from(CREDITS), st.sampled_from(")）"))
caption = st.one_of(
    st.builds(lambda text, s, c: text + s + c, sentence, space, credit),
    st.builds(lambda text: "图为" + text, sentence),
    st.sampled_from(
        [
            "国家级重点“小巨人”企业源钻科技生产现场(资料图片)。(企业供图)",
            "凯福莱生产的负压救护车内部。",
            "图为宁波援建的位于该街区的库车农特产品展销中心。",
        ]
    ),
)
cut = st.builds(
    lambda text, mark: text + mark, words, st.sampled_from(["，", "、", "；", "：", "——", ",", ";", ":", "—"])
)
cross_head = st.one_of(hanzi, st.sampled_from(["春耕进行时", "记者观察", "AI赋能"]))
html_payload = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "#### 小标题",
        "> 引文",
        "- 列表",
        "1. 一",
        "```",
        "    缩进",
        "---",
        "***",
        "<!-- -->",
    ]
)
photo = st.builds(
    lambda alt, src, title: f"![{alt}]({src}{title})",
    st.sampled_from(["", "工厂一角", "a]b", "<script>alert(1)</script>", "图"]),
    st.sampled_from(
        [
            "photo.jpg",
            "<photo 1.jpg>",
            "images/a.png",
            "javascript:alert(1)",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "../../etc/passwd",
            "x)",
            " b.jpg ",
        ]
    ),
    st.sampled_from(["", ' "题"', " 't'"]),
)
# The byline families as papers print them (tests/forms/bylines.yaml: own lines, datelines, signoffs,
# credits, and lines that only look like them), kickers and subtitles, and the pasted page's lines.
FORMS = ROOT / "tests" / "forms"
BYLINE_FORMS = [case["text"] for case in yaml.safe_load((FORMS / "bylines.yaml").read_text(encoding="utf-8"))]
PASTED_LINES = [
    line
    for line in (ROOT / "content/2025/03/2025-03-19-03.md").read_text(encoding="utf-8").splitlines()[5:]
    if line.strip()
]
family = st.one_of(
    st.sampled_from(BYLINE_FORMS),
    st.builds(lambda opening, text: opening + text, st.sampled_from(BYLINE_FORMS), sentence),
)
kicker = st.builds(lambda w, end: w + end, words, st.sampled_from(["——", "", "：", "（今日谈）"]))
subtitle = st.one_of(st.builds(lambda dash, w: dash + w, st.sampled_from(["——", "—", "──", "--"]), words), words)
line_text = st.one_of(
    sentence,
    sentence,
    byline_line,
    dateline,
    credit,
    caption,
    cut,
    cross_head,
    html_payload,
    photo,
    anything,
    st.sampled_from(SEED_LINES),
    st.sampled_from(SEED_LINES),
    family,
    family,
    kicker,
    subtitle,
    st.sampled_from(PASTED_LINES),
)
paragraph = st.one_of(  # lines with no blank line between them, as printed or pasted one paragraph a line
    st.lists(line_text, min_size=1, max_size=3),
    st.lists(
        st.builds(
            lambda indent, text: indent + text, st.sampled_from(["\u3000\u3000", "\u3000\u3000", "  ", ""]), line_text
        ),
        min_size=1,
        max_size=6,
    ),
)


@st.composite
def headline(draw) -> list[str]:
    """A heading with, maybe, its kicker right above it and its subtitle and byline lines right below."""
    lines = draw(heading())
    if draw(st.booleans()):
        lines = [draw(kicker)] + lines
    if draw(st.booleans()):
        lines.append(draw(subtitle))
    return lines + draw(st.lists(st.one_of(byline_line, family), max_size=2))


@st.composite
def page_lines(draw) -> list[str]:
    """A page's body lines: paragraphs and headings, separated by 0 to 4 (not quite) blank lines."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 14))):
        gap = draw(st.sampled_from([0, 1, 1, 1, 2, 2, 3, 4]))
        lines += [draw(st.sampled_from(["", "", " ", "\t", "\u3000"])) for _ in range(gap)]
        part = draw(st.one_of(heading(), headline(), paragraph, paragraph))
        lines += [draw(space) + line + draw(space) for line in part]
    lines += [""] * draw(st.integers(0, 2))
    return lines


def source_of(lines: list[str], body_start: int = 0, form: str = "") -> Source:
    return Source(
        path="content/page.md",
        date=dt.date(2025, 3, 18),
        publication="宁波日报",
        page="A5",
        title="经济",
        lines=tuple(lines),
        body_start=body_start,
        form=form,
    )


@st.composite
def sources(draw) -> Source:
    """A Source as load.parse makes it: the page joined with \\n, \\r\\n or \\r and split again by
    str.splitlines (or, as the unit tests' helper does, by \\n alone), maybe after front matter."""
    body = draw(page_lines())
    head = draw(st.sampled_from([[], ["---", "date: 2025-03-18", "page: A5", "---"]]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(head + body)
    lines = text.splitlines() if draw(st.booleans()) else text.split("\n")
    form = draw(st.sampled_from(["", "", "line", "blank"]))  # read from the text, or forced by the front matter
    return source_of(lines, body_start=len(head) if lines[: len(head)] == head else 0, form=form)


def check_split(source: Source):
    drafts, problems = split(source)
    # every non-blank body line is held exactly once
    body = range(source.body_start, len(source.lines))
    non_blank = [i + 1 for i in body if visible(source.lines[i])]
    assert sorted(accounted_lines(drafts)) == non_blank
    # each held line's text is in the block that holds it
    for draft in drafts:
        for n in draft.title.lines:
            assert NOT_XML.sub("", draft.title.text) == draft.title.text
            assert draft.title.text in NOT_XML.sub("", source.lines[n - 1]), (n, draft.title)
        for part in (draft.kicker, draft.subtitle):  # a kicker's or subtitle's line holds its text
            for n in part.lines if part else ():
                assert part.text and part.text in NOT_XML.sub("", source.lines[n - 1]), (n, part)
        assert draft.form in ("blank", "line") and source.form in ("", draft.form)
        for block in draft.blocks:
            assert not NOT_XML.search(block.text + block.credit), block
            held = bare(block.text + block.credit)
            photo = getattr(block, "image", "")  # a photo's line `![alt](photo.jpg)` is held as image and alt
            for n in block.lines + block.credit_lines:
                line = source.lines[n - 1]
                assert bare(line) in held or (photo and photo in line and getattr(block, "alt", "") in line), (
                    n,
                    line,
                    block,
                )
            assert block.kind in ("byline", "para", "line", "caption", "signoff"), block
    # problems point at lines of the page
    for problem in problems:
        assert problem.level in ("error", "warning") and 0 <= problem.line <= len(source.lines) + 1, problem
    # and the same page splits the same way again
    assert split(source) == (drafts, problems)
    return drafts, problems


@PROPERTY
@given(sources())
def test_split_keeps_every_line_once_in_its_block_and_is_deterministic(source):
    check_split(source)


@PROPERTY
@given(st.lists(st.one_of(anything, line_text, st.sampled_from(["", " ", "#", "# ", "## x", "{a=b}"])), max_size=25))
def test_split_survives_any_lines(lines):
    check_split(source_of(lines))


@PROPERTY
@given(page_lines(), st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from([b"", b"\xef\xbb\xbf"]))
def test_split_of_a_loaded_file(body, newline, bom):
    """Through load.parse as the build reads a file: BOM, front matter, any line ends."""
    text = newline.join(["---", "date: 2025-03-18", "publication: 宁波日报", "page: A5", "---", *body])
    source, problems = load.parse(
        bom + text.replace("\x00", "").encode("utf-8"),
        "2025/03/2025-03-18-a5.md",
        "content/2025/03/2025-03-18-a5.md",
        "宁波日报",
    )
    assert source is not None, problems
    check_split(source)


# ---------------------------------------------------------------------------------------------
# Markdown with raw HTML and hostile links

MARKDOWN_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "pre",
    "code",
    "hr",
    "br",
    "em",
    "strong",
    "a",
    "img",
}
INLINE_TAGS = {"em", "strong", "code", "a", "img", "br"}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}, "code": {"class"}}
SAFE_URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset", "data"}


class Elements(HTMLParser):
    """Every element, attribute, text and markup declaration of an HTML fragment."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []  # comments, declarations, processing instructions
        self.text = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.other.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.other.append(f"<![{data}]>")


def url_scheme(value: str) -> str:
    """The scheme a browser would see in an attribute value, entity-decoded once by the parser as a
    browser decodes it (decoding twice would see `&amp;#58;` as a colon, which no browser does),
    with every space and control character dropped (browsers strip them at the ends and drop tabs
    and newlines inside), case-folded. '' for a relative URL."""
    url = re.sub(r"[\s\x00-\x20\x7f-\x9f]+", "", value).casefold()
    match = re.match(r"([a-z][a-z0-9+.\-]*):", url)
    return match.group(1) if match else ""


def check_safe_html(out: str, allowed: set[str]) -> Elements:
    parsed = Elements(out)
    assert not parsed.other, (parsed.other, out)
    for tag, attrs in parsed.tags:
        assert tag in allowed, (tag, out)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, out)
            assert name in ATTRIBUTES.get(tag, set()), (tag, name, out)
            if name in URL_ATTRIBUTES and value:
                scheme = url_scheme(value)
                assert scheme not in ("javascript", "vbscript", "data"), (tag, name, value, out)
                assert not scheme or scheme in SAFE_URL_SCHEMES, (tag, name, value, out)
    return parsed


def case_mix(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flips: "".join(c.upper() if f else c for c, f in zip(word, flips))
    )


@st.composite
def obfuscated(draw, word: str) -> str:
    """`word` with its letters maybe entity-encoded, percent-encoded, or split by tabs and newlines."""
    out = ""
    for char in draw(case_mix(word)):
        out += draw(
            st.sampled_from(
                [
                    char,
                    char,
                    char,
                    f"&#{ord(char)};",
                    f"&#x{ord(char):x};",
                    f"&#X{ord(char):X};",
                    f"&#00{ord(char)};",
                    f"%{ord(char):02x}",
                    char + "&Tab;",
                    char + "&NewLine;",
                    char + "\t",
                    char + "\\",
                    char + "&#x0;",
                ]
            )
        )
    return out


@st.composite
def hostile_url(draw) -> str:
    scheme = draw(st.sampled_from(["javascript", "vbscript", "data", "livescript", "jar", "file", "java"]))
    prefix = draw(
        st.sampled_from(
            [
                "",
                "",
                " ",
                "  ",
                "\t",
                "\x01",
                "\x7f",
                "\u3000",
                "&#x20;",
                "&#0;",
                "&Tab;",
                "&NewLine;",
                "%20",
                "&#1;",
                "\ufeff",
                "\u200b",
                "./",
                "//",
                "https:",
                "#",
            ]
        )
    )
    colon = draw(st.sampled_from([":", ":", ":", "&colon;", "&#58;", "&#x3a;", "&#X3A;", "%3a", "&#0058", "\\:"]))
    body = draw(
        st.sampled_from(
            [
                "alert(1)",
                "alert`1`",
                "msgbox(1)",
                "text/html,<script>alert(1)</script>",
                "image/svg+xml,<svg onload=alert(1)>",
                "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "//%0aalert(1)",
                "",
                "x",
            ]
        )
    )
    return prefix + draw(obfuscated(scheme)) + colon + body


@st.composite
def link(draw) -> str:
    url = draw(
        st.one_of(
            hostile_url(),
            hostile_url(),
            st.sampled_from(
                [
                    "https://example.org/",
                    "/repo/x",
                    "#top",
                    "mailto:a@b.c",
                    "tel:123",
                    "x.html",
                    "http://例子.中国/路径",
                ]
            ),
        )
    )
    text = draw(st.sampled_from(["x", "链接", "", "<b>x</b>", "![i](javascript:alert(1))", "`c`"]))
    title = draw(st.sampled_from(["", ' "t"', " 't'", ' "\\"><script>alert(1)</script>"', " (javascript:alert(1))"]))
    form = draw(
        st.sampled_from(
            [
                "[{t}]({u}{ti})",
                "[{t}](<{u}>{ti})",
                "![{t}]({u}{ti})",
                "![{t}](<{u}>)",
                "<{u}>",
                "[{t}]\n\n[{t}]: {u}{ti}",
                "[{t}][r]\n\n[r]: <{u}>{ti}",
                "![{t}][r]\n\n[r]: {u}",
                "[{t}](({u}))",
                "[{t}]( {u} )",
            ]
        )
    )
    return form.format(t=text, u=url, ti=title)


TAG_NAMES = [
    "script",
    "img",
    "svg",
    "iframe",
    "a",
    "div",
    "style",
    "object",
    "embed",
    "math",
    "details",
    "body",
    "input",
    "marquee",
    "video",
    "audio",
    "form",
    "button",
    "base",
    "meta",
    "link",
    "frameset",
    "template",
    "textarea",
    "title",
    "noscript",
    "xmp",
    "plaintext",
    "SCRIPT",
    "ScRiPt",
    "svg:script",
    "image",
]
ATTR_NAMES = [
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "onfocus",
    "ontoggle",
    "ONERROR",
    "href",
    "src",
    "xlink:href",
    "style",
    "srcdoc",
    "formaction",
    "action",
    "autofocus",
    "open",
    "data",
    "x",
]
ATTR_VALUES = [
    "alert(1)",
    "javascript:alert(1)",
    "x",
    "",
    "&#106;avascript:alert(1)",
    '"',
    "'",
    "><script>alert(1)</script>",
]


@st.composite
def raw_tag(draw) -> str:
    name = draw(st.one_of(st.sampled_from(TAG_NAMES), st.text(st.sampled_from("abcxyz-:"), min_size=1, max_size=6)))
    if draw(st.integers(0, 4)) == 0:
        return f"</{name}{draw(st.sampled_from(['', ' ', ' x']))}>"
    attrs = ""
    for _ in range(draw(st.integers(0, 3))):
        attr, value = draw(st.sampled_from(ATTR_NAMES)), draw(st.sampled_from(ATTR_VALUES))
        quote = draw(st.sampled_from(['"', "'", "", "`"]))
        attrs += draw(st.sampled_from([" ", "/", "\t", "\n"])) + attr
        attrs += "" if draw(st.integers(0, 5)) == 0 else f"={quote}{value}{quote}"
    return f"<{name}{attrs}{draw(st.sampled_from(['>', '/>', ' >', '', '>x</' + name + '>']))}"


markdown_piece = st.one_of(
    raw_tag(),
    raw_tag(),
    link(),
    link(),
    st.sampled_from(
        [
            "<!-- c -->",
            "<![CDATA[x]]>",
            "<?php x ?>",
            "<!DOCTYPE html>",
            "&lt;script&gt;",
            "&#60;script&#62;",
            "&amp;",
            "&#0;",
            "&#x110000;",
            "&nbsp;",
            "&unknown;",
            "\n",
            "\n\n",
            "\n\n",
            "*",
            "**",
            "_",
            "`",
            "```js\n",
            "\n```\n",
            "> ",
            "- ",
            "1. ",
            "# ",
            "\n    ",
            "\\",
            "[",
            "]",
            "(",
            ")",
            "!",
            "<",
            ">",
            '"',
            "'",
            "=",
            "&",
            ";",
            ":",
            "|",
            "~~~",
            "\n---\n",
            "  \n",
            "![",
            "](",
            "<http://a>",
            "<a@b.c>",
        ]
    ),
    anything,
    hanzi,
)
hostile_markdown = st.lists(markdown_piece, min_size=1, max_size=12).map("".join)


@PROPERTY
@given(hostile_markdown)
def test_rendered_markdown_holds_only_markdown_elements_and_safe_links(text):
    md = markdown()
    check_safe_html(md.render(text), MARKDOWN_TAGS)
    check_safe_html(md.renderInline(text), INLINE_TAGS)


@PROPERTY
@given(raw_tag(), hanzi)
def test_raw_html_is_shown_as_text(tag, words_around):
    """A raw tag in a paragraph or a caption comes out as the very text written."""
    if any(c in tag for c in "\\`*_[]!&\t\n") or (":" in tag and " " not in tag):
        tag = re.sub(r"[\\`*_\[\]!&\t\n:]", "", tag)  # markdown syntax of its own, or an autolink
    text = words_around + tag + words_around
    md = markdown()
    assert check_safe_html(md.renderInline(text), INLINE_TAGS).text == text
    assert check_safe_html(md.render(text), MARKDOWN_TAGS).text.strip() == text.strip()


@PROPERTY
@given(st.one_of(hostile_markdown, anything, sentence, st.sampled_from(SEED_LINES)))
def test_the_plain_paragraph_shortcut_renders_as_markdown_does(text):
    """text.paragraph_html skips the parser for text with no markdown in it: same HTML, as safe."""
    text = NOT_XML.sub("", text)  # as the splitter hands text on
    md = markdown()
    out = paragraph_html(md, text)
    assert out == md.render(text)
    check_safe_html(out, MARKDOWN_TAGS)


# ---------------------------------------------------------------------------------------------
# Regressions: each a failure a fuzz run found, as a plain test with its minimal input.


def test_control_characters_are_dropped_with_a_warning():
    """Fuzz: `0\\x08` kept U+0008 in a block, `\\x08` alone was a block of its own, `# \\x1b` a title of
    U+001B: the Atom feed and the news sitemap then were not XML (feedparser: bozo; lxml: refused)."""
    drafts, problems = split(source_of(["# 标题\x1b", "", "0\x08", "", "\x08", "", "正文\x01。\x0e"]))
    assert drafts[0].title.text == "标题"
    assert [(b.text, b.lines) for b in drafts[0].blocks] == [("0", (3,)), ("正文。", (7,))]
    assert [(p.line, p.level) for p in problems] == [(1, "warning"), (3, "warning"), (5, "warning"), (7, "warning")]
    assert "(U+001B)" in problems[0].message and "(U+0001, U+000E)" in problems[3].message
    drafts, problems = split(source_of(["\x08", " \x1b\t"]))
    assert drafts == [] and problems[-1].message == "this page is empty: no article"


def test_an_empty_headline_is_kept_with_a_warning():
    """Fuzz: `# \\x1b` gave an article titled U+001B, so with it dropped, '' (as `## {slug=abc}` does):
    an empty <h1> and <title>, with no warning. (`# \\x1b` is now the text `#`.)"""
    drafts, problems = split(source_of(["# {topics=科技创新}", "", "正文。", "", "## {slug=abc}", "", "正文二。"]))
    assert [d.title.text for d in drafts] == ["", ""] and [len(d.blocks) for d in drafts] == [1, 1]
    assert [(p.line, p.message) for p in problems if "empty" in p.message] == [
        (1, "this headline is empty"),
        (5, "this headline is empty"),
    ]


def test_an_entity_without_semicolon_stays_in_a_relative_url():
    """Fuzz (of this file's own oracle, which decoded entities twice): `[x](vbscript&#0058alert(1))` is a
    link to the relative URL `vbscript&#0058alert(1)`; markdown does not decode `&#0058` (no `;`), its
    `&` is written `&amp;`, and a browser decodes the attribute once: no colon, no scheme."""
    out = markdown().renderInline("[x](vbscript&#0058alert(1))")
    assert out == '<a href="vbscript&amp;#0058alert(1)">x</a>'
    ((tag, attrs),) = Elements(out).tags
    assert attrs == [("href", "vbscript&#0058alert(1)")] and url_scheme(attrs[0][1]) == ""
