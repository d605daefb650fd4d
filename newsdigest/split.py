"""Step 2, split: a Source (one printed page) -> Drafts (its articles), losing no line.

The rules, in the order they run (each is a unit test in tests/test_split.py):
1. Markdown headings of level 1-3 start articles; everything else is text. A headline's parts are
   read around it: the line right above it (no blank line between) is its kicker (引题) when it is
   short and ends no sentence; the line right below it is its subtitle (副题) when it starts with a
   dash (`——…`), or is short, ends no sentence and is no byline or dateline; a headline written
   `main title ——subtitle` splits at the dash after a space. Byline lines right under the
   headline (or its subtitle) stand apart.
2. Text is read as runs of lines between blank lines, each remembering how many blank lines stood
   before it (its gap). A photo credit or a photo on a line of its own stands apart.
3. The paragraph form is decided per article from its text (FORMS): "line" when most of the lines
   that have another line under them are indented (e-paper text pasted with `　　`) or end a
   sentence, else "blank"; `paragraphs:` in the front matter forces it. In the blank form a run of
   lines is one paragraph; in the line form every line is one. Indents never reach the page.
4. A page's layout noise is undone across headings:
   - a heading with no text under it takes the text above it, back to the last wide gap
     (two or more blank lines): a photo story printed with its headline underneath;
   - captions standing after a wide gap right before a heading belong to the article under it.
5. Inside an article: a byline on its own line right under the headline; captions (a short
   paragraph with a credit in brackets, or starting 图为) and credits on their own line;
   a paragraph ending in ，、；： or —— continues in the next one (a page-break cut);
   a line starting 图为 or 图① starts a caption; a credit after a wide space (`…景区。　　李明摄`) closes
   its caption; a short line with no sentence punctuation stays a line of its own (a cross-head); a last
   paragraph that is a byline in brackets (`（本报记者甲、乙）`) is the story's signoff.
Where a rule is unsure, the text is kept and a warning names the line. Control characters that XML
forbids (invisible noise of text extraction) are dropped from the text, with a warning; an empty
headline is kept, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import byline
from .model import NOT_XML, Block, Diagnostic, Draft, Source

HEADING_RE = re.compile(r"^(#{1,3})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
OVERRIDE_RE = re.compile(r"\s*\{([^{}]*=[^{}]*)\}\s*$")
OVERRIDE_KEYS = ("topics", "regions", "slug")
CREDIT_WORDS = re.compile(r"供图|摄|资料图|图片|制图|截图|提供")
TRAILING_CREDIT_RE = re.compile(r"^(?P<text>.*?)\s*[(（](?P<credit>[^()（）]{1,40})[)）]\s*$")
CAPTION_START_RE = re.compile(r"^(图为|上图|下图|左图|右图|图[①-⑩\d]|[①-⑩])")
IMAGE_RE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+"[^"]*")?\s*\)$')
CONTINUES = ("，", "、", "；", "：", ",", ";", ":", "—")  # a paragraph ending so goes on (—— too)
SENTENCE_MARK_RE = re.compile(r"[。，！？；：,.!?;:…]")  # what a cross-head never holds (quotes it may)
SENTENCE_END = ("。", "！", "？", "!", "?", "…", "”", "」", "』", "；", ";")  # a line ending so ends a sentence
CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")
CREDIT_ALONE_RE = re.compile(r"[(（]([^()（）]{1,40})[)）]")  # a whole paragraph in brackets
OVERRIDE_PAIR_RE = re.compile(r'(\w+)\s*=\s*("[^"]*"|\S+)')
OVERRIDE_VALUES_SEP = re.compile(r"[,，、\s]+")
DASH_START_RE = re.compile(r"^(?:——|—|──|--|－－|――)")
TITLE_SUBTITLE_RE = re.compile(r"^(?P<title>.+?)[ \t\u3000]+(?P<subtitle>(?:——|──|--|－－|――)\S.*)$")
INDENT_RE = re.compile(r"^(?:\u3000|[ \t]{2,}|\t)")
SPACED_CREDIT_RE = re.compile(r"^(?P<text>.*\S)(?:[ \t]{2,}|\u3000{2,}|[ \t]*\u3000[ \t\u3000]+)(?P<credit>\S.{0,39})$")

MAX_CAPTION = 120  # characters; longer paragraphs are body text whatever they end with
MAX_LINE = 20  # a cross-head or round-up item headline is short
MAX_HEAD_PART = 40  # a kicker or subtitle without a dash is short
WIDE_GAP = 2  # blank lines
FORMS = ("blank", "line")  # paragraphs between blank lines; one paragraph a line


@dataclass
class _Para:
    text: str
    lines: tuple[int, ...]
    gap: int  # blank lines before it
    kind: str = "para"  # para | caption | credit | byline | line | image | signoff
    credit: str = ""
    credit_lines: tuple[int, ...] = ()
    image: str = ""  # a photo's path as written, for an image or a caption with its photo
    alt: str = ""
    parts: list[tuple[str, bool]] = field(default_factory=list)  # its lines as read: (text, indented)


@dataclass
class _Heading:
    text: str
    line: int
    overrides: tuple = ()
    body: list[_Para] = field(default_factory=list)
    kicker: Block | None = None
    subtitle: Block | None = None
    form: str = "blank"


def credit_of(text: str) -> tuple[str, str] | None:
    """'…生产现场(资料图片)。(企业供图)' -> ('…生产现场(资料图片)。', '企业供图'); None without a credit."""
    if not text.rstrip().endswith((")", "）")):
        return None  # the quick answer for most paragraphs
    match = TRAILING_CREDIT_RE.match(text)
    if not match:
        return None
    credit = match.group("credit").strip()
    if not CREDIT_WORDS.search(credit) and not byline.parse_credit(credit):
        return None
    return match.group("text"), credit


def spaced_credit(text: str) -> tuple[str, str] | None:
    """A caption whose photo credit follows a wide space, as pages set it without brackets:
    '图②：喀纳斯湖景区。　　李　明摄' -> ('图②：喀纳斯湖景区。', '李　明摄'); None without one."""
    match = SPACED_CREDIT_RE.match(text)
    if not match or not byline.parse_credit(match.group("credit")):
        return None
    return match.group("text"), match.group("credit")


def _continues(text: str) -> bool:
    """Whether a paragraph ends mid-sentence (in ，、；： or a dash): the page cut it."""
    return text.rstrip().endswith(CONTINUES)


def _join(a: str, b: str) -> str:
    """Join two pieces of one paragraph: no space between Chinese characters."""
    if CJK_END.search(a) or CJK_START.search(b):
        return a + b
    return a + " " + b


def _parse_override(text: str, path: str, line: int, problems: list[Diagnostic]) -> tuple[str, tuple]:
    """'标题 {topics=科技创新,产业 regions=镇海}' -> ('标题', (('topics', (...)), ...))."""
    match = OVERRIDE_RE.search(text)
    if not match:
        return text, ()
    pairs = []
    for item in OVERRIDE_PAIR_RE.findall(match.group(1)):
        key, value = item[0], item[1].strip('"')
        if key not in OVERRIDE_KEYS:
            problems.append(
                Diagnostic(
                    path,
                    line,
                    f"unknown key `{key}` in the headline's `{{…}}`",
                    f"use {', '.join(k + '=…' for k in OVERRIDE_KEYS)}",
                )
            )
            continue
        values = tuple(v for v in OVERRIDE_VALUES_SEP.split(value) if v)
        pairs.append((key, values))
    return text[: match.start()].rstrip(), tuple(pairs)


def _stands_apart(text: str) -> str:
    """The kind of a line that is never part of a paragraph: a photo, a photo credit, else ''."""
    if text.startswith("![") and IMAGE_RE.match(text):
        return "image"
    if len(text) <= 40 and not CREDIT_ALONE_RE.fullmatch(text) and byline.parse_credit(text):
        return "credit"
    return ""


def _head_part(text: str) -> bool:
    """Whether a line can be a kicker or a subtitle by its text alone: short, no sentence ended, and no
    byline, dateline, caption, credit, photo or bracketed note."""
    return (
        len(text) <= MAX_HEAD_PART
        and not text.endswith(SENTENCE_END)
        and text[0] not in "(（#!["
        and "。" not in text
        and not CAPTION_START_RE.match(text)
        and not _stands_apart(text)
        and byline.parse_byline_line(text) is None
        and byline.parse_dateline(text) is None
    )


class _Lines:
    """A page's body lines, stripped, with control characters dropped (and warned about)."""

    def __init__(self, source: Source, problems: list[Diagnostic]):
        self.texts: list[str] = []
        self.indented: list[bool] = []
        noisy = bool(NOT_XML.search("\n".join(source.lines[source.body_start :])))  # one look for the whole page
        for index in range(source.body_start, len(source.lines)):
            raw = source.lines[index]
            text = raw.strip()
            if noisy and NOT_XML.search(text):
                found = ", ".join(sorted({f"U+{ord(c):04X}" for c in NOT_XML.findall(text)}))
                problems.append(
                    Diagnostic(
                        source.path,
                        index + 1,
                        f"this line holds control characters ({found}): dropped",
                        "they are invisible noise, e.g. from copying text out of a PDF",
                        level="warning",
                    )
                )
                text = NOT_XML.sub("", text).strip()
            self.texts.append(text)
            self.indented.append(bool(text) and bool(INDENT_RE.match(raw)))
        self.first = source.body_start + 1  # the line number of texts[0]

    def text(self, number: int) -> str:
        index = number - self.first
        return self.texts[index] if 0 <= index < len(self.texts) else ""

    def is_heading(self, number: int) -> bool:
        text = self.text(number)
        return text.startswith("#") and bool(HEADING_RE.match(text))


def _kicker(lines: _Lines, current: _Para | None, number: int) -> bool:
    """Whether the line right above a heading (the last of `current`) is the heading's kicker."""
    if current is None or lines.indented[number - lines.first] or not _head_part(current.parts[-1][0]):
        return False
    if len(current.parts) > 1:  # the end of a run of lines: a kicker when the line above it ends a sentence
        above = current.parts[-2][0]
        return above.endswith(SENTENCE_END) or bool(_stands_apart(above))
    return True


def _subtitle(lines: _Lines, number: int) -> bool:
    """Whether the line right below a heading is its subtitle."""
    text = lines.text(number)
    if DASH_START_RE.match(text) and len(text) <= 2 * MAX_HEAD_PART:
        return True
    if lines.indented[number - lines.first] or not _head_part(text):
        return False
    below = lines.text(number + 1)  # a subtitle stands apart from what follows it; a wrapped line does not
    return (
        not below
        or lines.indented[number + 1 - lines.first]
        or lines.is_heading(number + 1)
        or byline.parse_byline_line(below) is not None
        or byline.parse_dateline(below) is not None
    )


def _heading(text: str, number: int, path: str, problems: list[Diagnostic]) -> _Heading:
    title, overrides = _parse_override(text, path, number, problems)
    if not title:
        problems.append(
            Diagnostic(
                path, number, "this headline is empty", "write the headline's text after the `#`", level="warning"
            )
        )
    heading = _Heading(title, number, overrides)
    both = TITLE_SUBTITLE_RE.match(title)
    if both:  # 主题 ——副题 on one line: the subtitle's line is the headline's
        heading.text = both.group("title")
        heading.subtitle = Block("subtitle", both.group("subtitle"), ())
    return heading


def _read(source: Source, problems: list[Diagnostic]) -> tuple[list[_Para], list[_Heading]]:
    """Lines -> runs of lines before the first heading, and headings with the runs under them.

    Kickers, subtitles and byline lines are taken out around each heading; photos and credits on
    lines of their own stand apart."""
    lines = _Lines(source, problems)
    preamble: list[_Para] = []
    headings: list[_Heading] = []
    target = preamble
    gap = 0
    current: _Para | None = None
    header = False  # the lines right under a heading, before any text: subtitle, bylines
    for offset, text in enumerate(lines.texts):
        number = offset + lines.first
        if not text:
            gap += 1
            current, header = None, False
            continue
        heading = HEADING_RE.match(text) if text[0] == "#" else None
        if heading:
            made = _heading(heading.group(2).strip(), number, source.path, problems)
            if _kicker(lines, current, number - 1) and current is not None:
                kicker, _ = current.parts.pop()
                made.kicker = Block("kicker", kicker, (current.lines[-1],))
                current.lines = current.lines[:-1]
                if not current.parts:
                    target.remove(current)
            headings.append(made)
            target = made.body
            current, gap, header = None, 0, True
            continue
        if header:
            made = headings[-1]
            if made.subtitle is None and number == made.line + 1 and _subtitle(lines, number):
                made.subtitle = Block("subtitle", text, (number,))
                continue
            if byline.parse_byline_line(text) is not None:
                target.append(_Para(text, (number,), gap, kind="byline", parts=[(text, False)]))
                gap = 0
                continue
            header = False
        apart = _stands_apart(text)
        if apart or current is None or current.kind != "para" or CAPTION_START_RE.match(text):  # 图①… starts one
            current = _Para(text, (number,), gap, parts=[(text, lines.indented[offset])])
            target.append(current)
            gap = 0
            if apart:
                current.kind = "apart"
            continue
        current.parts.append((text, lines.indented[offset]))
        current.lines += (number,)
    return preamble, headings


def _form(paras: list[_Para], forced: str) -> str:
    """The paragraph form of an article's text (see FORMS): forced, else read from its runs of lines."""
    if forced in FORMS:
        return forced
    inner = [part for para in paras for part in para.parts[:-1]]  # lines with another line under them
    if not inner:
        return "blank"
    indented = sum(1 for p in paras for _, indent in p.parts if indent)
    ended = sum(1 for text, _ in inner if text.endswith(SENTENCE_END))
    return "line" if indented * 2 >= len(inner) or ended * 2 >= len(inner) else "blank"


def _paragraphs(paras: list[_Para], form: str) -> list[_Para]:
    """Runs of lines -> paragraphs in the given form: a run is one, or each of its lines is one."""
    out: list[_Para] = []
    for para in paras:
        if para.kind == "apart":
            para.kind = "para"
        if form == "line" and len(para.parts) > 1:
            out += [
                _Para(text, (number,), para.gap if i == 0 else 0, parts=[(text, indent)])
                for i, ((text, indent), number) in enumerate(zip(para.parts, para.lines))
            ]
            continue
        if len(para.parts) > 1:
            text = para.parts[0][0]
            for piece, _ in para.parts[1:]:
                text = _join(text, piece)
            para.text = text
        out.append(para)
    return out


def _classify(paras: list[_Para]) -> None:
    """Mark captions, credits on their own line, and cross-head lines."""
    for para in paras:
        if para.kind != "para":
            continue
        text = para.text
        image = IMAGE_RE.match(text) if len(para.lines) == 1 else None
        if image:
            para.kind, para.image, para.alt, para.text = "image", image.group("src"), image.group("alt").strip(), ""
            continue
        whole = CREDIT_ALONE_RE.fullmatch(text)
        if whole and credit_of(text):
            para.kind, para.credit, para.credit_lines, para.text = "credit", whole.group(1).strip(), para.lines, ""
            continue
        if len(para.lines) == 1 and _stands_apart(text) == "credit":
            para.kind, para.credit, para.credit_lines, para.text = "credit", text, para.lines, ""
            continue
        if len(text) <= MAX_CAPTION:
            found = credit_of(text)
            found = found or spaced_credit(text)
            if found and found[0]:
                para.kind, para.text, para.credit, para.credit_lines = "caption", found[0], found[1], ()
                continue
            if CAPTION_START_RE.match(text):
                para.kind = "caption"
                continue
        if (
            len(para.lines) == 1
            and len(text) <= MAX_LINE
            and not SENTENCE_MARK_RE.search(text)
            and not _continues(text)
            and text[0] not in "(（"
        ):
            para.kind = "line"
    # A short paragraph followed by a credit on its own line is that credit's caption.
    for para, following in zip(paras, paras[1:]):
        if (
            following.kind == "credit"
            and para.kind in ("para", "line")
            and len(para.text) <= 80
            and not _continues(para.text)
        ):
            para.kind = "caption"


def _is_figure(para: _Para) -> bool:
    return para.kind in ("caption", "credit", "image")


def _tail(paras: list[_Para]) -> int | None:
    """Index where the text after the last wide gap starts (never 0: that is the whole text)."""
    for i in range(len(paras) - 1, 0, -1):
        if paras[i].gap >= WIDE_GAP:
            return i
    return None


def _relocate(preamble: list[_Para], headings: list[_Heading], path: str, problems: list[Diagnostic]) -> None:
    """Move text across headings where the page's layout put it on the wrong side."""
    for i, heading in enumerate(headings):
        above = headings[i - 1].body if i else preamble
        if not heading.body:
            start = _tail(above)
            if start is None and i == 0 and above:
                start = 0  # a photo story printed above the page's first headline
            if start is not None:
                heading.body[:0] = above[start:]
                del above[start:]
                continue
            problems.append(
                Diagnostic(
                    path,
                    heading.line,
                    "this headline has no text under it or above it",
                    "add the story's text under the headline, or delete the headline",
                    level="warning",
                )
            )
        elif i:
            start = _tail(above)
            if start is not None and all(_is_figure(p) for p in above[start:]):
                heading.body[:0] = above[start:]
                del above[start:]


def _merge(paras: list[_Para]) -> list[_Para]:
    """Attach credits to their captions, and join paragraphs cut in two mid-sentence."""
    out: list[_Para] = []
    for para in paras:
        previous = out[-1] if out else None
        if para.kind in ("caption", "credit") and previous and previous.kind == "image":
            # the caption (or the credit) right under a photo is that photo's
            previous.kind, previous.text, previous.lines = "caption", para.text, previous.lines + para.lines
            previous.credit, previous.credit_lines = para.credit, para.credit_lines
            continue
        if para.kind == "credit" and previous and previous.kind == "caption" and not previous.credit:
            previous.credit, previous.credit_lines = para.credit, para.lines
            continue
        if para.kind == "credit":
            para.kind = "caption"  # a credit alone: a photo with no caption text
        if previous and previous.kind == "para" and para.kind in ("para", "line") and _continues(previous.text):
            previous.text = _join(previous.text, para.text)
            previous.lines += para.lines
            previous.kind = "para"
            continue
        out.append(para)
    for para in out:
        if para.kind == "image":
            para.kind = "caption"  # a photo with no caption
    return out


def _find_bylines(paras: list[_Para]) -> None:
    """Bylines on lines of their own are the first text under the headline (captions may come
    first); a last paragraph that is a byline in brackets is the story's signoff."""
    for para in paras:
        if _is_figure(para) or para.kind == "byline":
            continue
        if para.kind in ("para", "line") and len(para.lines) == 1 and byline.parse_byline_line(para.text) is not None:
            para.kind = "byline"
            continue
        break
    text = [p for p in paras if p.kind in ("para", "line")]
    if len(text) > 1 and CREDIT_ALONE_RE.fullmatch(text[-1].text) and byline.parse_signoff(text[-1].text):
        text[-1].kind = "signoff"


def _to_block(para: _Para) -> Block:
    return Block(para.kind, para.text, para.lines, para.credit, para.credit_lines, para.image, para.alt)


def split(source: Source) -> tuple[list[Draft], list[Diagnostic]]:
    """Split one page into articles. Every non-blank body line lands in exactly one Draft."""
    problems: list[Diagnostic] = []
    preamble, headings = _read(source, problems)
    sections = [preamble, *(h.body for h in headings)]
    forms = [_form(part, source.form) for part in sections]
    preamble, *bodies = [_paragraphs(part, form) for part, form in zip(sections, forms)]
    for heading, body, form in zip(headings, bodies, forms[1:]):
        heading.body, heading.form = body, form
    for part in [preamble, *bodies]:
        _classify(part)
    if not headings:
        if not preamble:
            problems.append(
                Diagnostic(
                    source.path,
                    source.body_start + 1 if source.body_start else 1,
                    "this page is empty: no article",
                    "add its text, or delete the file",
                    level="warning",
                )
            )
            return [], problems
        first = preamble[0]
        problems.append(
            Diagnostic(
                source.path,
                first.lines[0],
                "this page has no headline: all its text is kept as one article",
                "start each story with a `# ` or `## ` headline",
                level="warning",
            )
        )
        headings = [
            _Heading(source.title or f"{source.page or source.date.isoformat()}", 0, (), preamble, form=forms[0])
        ]
        preamble = []
    _relocate(preamble, headings, source.path, problems)
    if preamble:
        problems.append(
            Diagnostic(
                source.path,
                preamble[0].lines[0],
                f"text before the first headline is kept in the first article «{headings[0].text}»",
                "if it is a story of its own, give it a `# ` headline",
                level="warning",
            )
        )
        headings[0].body[:0] = preamble
    drafts = []
    for heading in headings:
        paras = _merge(heading.body)
        _find_bylines(paras)
        title = Block("title", heading.text, (heading.line,) if heading.line else ())
        drafts.append(
            Draft(
                title,
                tuple(_to_block(p) for p in paras),
                heading.overrides,
                heading.kicker,
                heading.subtitle,
                heading.form,
            )
        )
    return drafts, problems


def accounted_lines(drafts: list[Draft]) -> list[int]:
    """Every source line the drafts hold, once per time it is held (for the nothing-lost check)."""
    lines: list[int] = []
    for draft in drafts:
        lines += draft.title.lines
        for part in (draft.kicker, draft.subtitle):
            lines += part.lines if part else ()
        for block in draft.blocks:
            lines += block.lines
            lines += [n for n in block.credit_lines if n not in block.lines]
    return lines
