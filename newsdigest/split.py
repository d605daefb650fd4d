"""Step 2, split: a Source (one printed page) -> Drafts (its articles), losing no line.

The rules, in the order they run (each is a unit test in tests/test_split.py). This module reads the
page (rules 1-3 and 5); paragraphs.py says what each paragraph of an article is (rules 4 and 6).
1. Markdown headings of level 1-3 start articles; everything else is text. A headline's parts are
   read around it: the line right above it (no blank line between) is its kicker (引题) when it is
   short and ends no sentence; the line right below it is its subtitle (副题) when it starts with a
   dash (`——…`), or is short, ends no sentence and is no byline or dateline; a headline written
   `main title ——subtitle` splits at the dash after a space. Byline lines right under the
   headline (or its subtitle) stand apart.
2. Text is read as runs of lines between blank lines, each remembering how many blank lines stood
   before it (its gap). A photo credit or a photo on a line of its own (paragraphs.stands_apart)
   stands apart; a line starting 图为 or 图① starts a run of its own (a caption's start).
3. The paragraph form is decided per article from its text (FORMS): "line" when most of the lines
   that have another line under them are indented (e-paper text pasted with `　　`) or end a
   sentence, else "blank"; `paragraphs:` in the front matter forces it. In the blank form a run of
   lines is one paragraph; in the line form every line is one. Indents never reach the page.
4. What each paragraph is (paragraphs.classify): a photo or a credit on its own line; a caption (a
   short paragraph with a credit in brackets, or a credit after a wide space (`…景区。　　李明摄`),
   or starting 图为 or 图①); a short line with no sentence punctuation stays a line of its own (a
   cross-head); a short paragraph followed by a credit on its own line is that credit's caption.
5. A page's layout noise is undone across headings:
   - a heading with no text under it takes the text above it, back to the last wide gap
     (two or more blank lines): a photo story printed with its headline underneath;
   - captions standing after a wide gap right before a heading belong to the article under it.
6. Inside an article (paragraphs.blocks): the caption or the credit right under a photo is that
   photo's, a credit on its own line closes the caption above it, and a photo or a credit left
   alone is a figure with no caption text; a paragraph ending in ，、；： or —— continues in the
   next one (a page-break cut); a byline on its own line is the first text under the headline
   (captions may come first); a last paragraph that is a byline in brackets (`（本报记者甲、乙）`)
   is the story's signoff.
Where a rule is unsure, the text is kept and a warning names the line. Control characters that XML
forbids (invisible noise of text extraction) are dropped from the text, with a warning; an empty
headline is kept, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import byline
from .model import NOT_XML, Block, Blocks, Diagnostic, Draft, Source
from .paragraphs import CAPTION_START_RE, Para, blocks, classify, is_figure, join, stands_apart

# Moved to paragraphs.py with the rules they serve; still importable from here.
from .paragraphs import TRAILING_CREDIT_RE as TRAILING_CREDIT_RE
from .paragraphs import _continues as _continues
from .paragraphs import credit_of as credit_of
from .paragraphs import spaced_credit as spaced_credit

HEADING_RE = re.compile(r"^(#{1,3})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
OVERRIDE_RE = re.compile(r"\s*\{([^{}]*=[^{}]*)\}\s*$")
OVERRIDE_KEYS = ("topics", "regions", "slug")
SENTENCE_END = ("。", "！", "？", "!", "?", "…", "”", "」", "』", "；", ";")  # a line ending so ends a sentence
OVERRIDE_PAIR_RE = re.compile(r'(\w+)\s*=\s*("[^"]*"|\S+)')
OVERRIDE_VALUES_SEP = re.compile(r"[,，、\s]+")
DASH_START_RE = re.compile(r"^(?:——|—|──|--|－－|――)")
TITLE_SUBTITLE_RE = re.compile(r"^(?P<title>.+?)[ \t\u3000]+(?P<subtitle>(?:——|──|--|－－|――)\S.*)$")
INDENT_RE = re.compile(r"^(?:\u3000|[ \t]{2,}|\t)")

MAX_HEAD_PART = 40  # a kicker or subtitle without a dash is short
WIDE_GAP = 2  # blank lines
FORMS = ("blank", "line")  # paragraphs between blank lines; one paragraph a line


@dataclass
class _Heading:
    text: str
    line: int
    overrides: tuple = ()
    body: list[Para] = field(default_factory=list)
    kicker: Block | None = None
    subtitle: Block | None = None
    form: str = "blank"


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


def _head_part(text: str) -> bool:
    """Whether a line can be a kicker or a subtitle by its text alone: short, no sentence ended, and no
    byline, dateline, caption, credit, photo or bracketed note."""
    return (
        len(text) <= MAX_HEAD_PART
        and not text.endswith(SENTENCE_END)
        and text[0] not in "(（#!["
        and "。" not in text
        and not CAPTION_START_RE.match(text)
        and not stands_apart(text)
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


def _kicker(lines: _Lines, current: Para | None, number: int) -> bool:
    """Whether the line right above a heading (the last of `current`) is the heading's kicker."""
    if current is None or lines.indented[number - lines.first] or not _head_part(current.parts[-1][0]):
        return False
    if len(current.parts) > 1:  # the end of a run of lines: a kicker when the line above it ends a sentence
        above = current.parts[-2][0]
        return above.endswith(SENTENCE_END) or bool(stands_apart(above))
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


def _read(source: Source, problems: list[Diagnostic]) -> tuple[list[Para], list[_Heading]]:
    """Lines -> runs of lines before the first heading, and headings with the runs under them.

    Kickers, subtitles and byline lines are taken out around each heading; photos and credits on
    lines of their own stand apart."""
    lines = _Lines(source, problems)
    preamble: list[Para] = []
    headings: list[_Heading] = []
    target = preamble
    gap = 0
    current: Para | None = None
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
                target.append(Para(text, (number,), gap, kind="byline", parts=[(text, False)]))
                gap = 0
                continue
            header = False
        apart = stands_apart(text)
        if apart or current is None or current.kind != "para" or CAPTION_START_RE.match(text):  # 图①… starts one
            current = Para(text, (number,), gap, parts=[(text, lines.indented[offset])])
            target.append(current)
            gap = 0
            if apart:
                current.kind = "apart"
            continue
        current.parts.append((text, lines.indented[offset]))
        current.lines += (number,)
    return preamble, headings


def _form(paras: list[Para], forced: str) -> str:
    """The paragraph form of an article's text (see FORMS): forced, else read from its runs of lines."""
    if forced in FORMS:
        return forced
    inner = [part for para in paras for part in para.parts[:-1]]  # lines with another line under them
    if not inner:
        return "blank"
    indented = sum(1 for p in paras for _, indent in p.parts if indent)
    ended = sum(1 for text, _ in inner if text.endswith(SENTENCE_END))
    return "line" if indented * 2 >= len(inner) or ended * 2 >= len(inner) else "blank"


def _paragraphs(paras: list[Para], form: str) -> list[Para]:
    """Runs of lines -> paragraphs in the given form: a run is one, or each of its lines is one."""
    out: list[Para] = []
    for para in paras:
        if para.kind == "apart":
            para.kind = "para"
        if form == "line" and len(para.parts) > 1:
            out += [
                Para(text, (number,), para.gap if i == 0 else 0, parts=[(text, indent)])
                for i, ((text, indent), number) in enumerate(zip(para.parts, para.lines))
            ]
            continue
        if len(para.parts) > 1:
            text = para.parts[0][0]
            for piece, _ in para.parts[1:]:
                text = join(text, piece)
            para.text = text
        out.append(para)
    return out


def _tail(paras: list[Para]) -> int | None:
    """Index where the text after the last wide gap starts (never 0: that is the whole text)."""
    for i in range(len(paras) - 1, 0, -1):
        if paras[i].gap >= WIDE_GAP:
            return i
    return None


def _relocate(preamble: list[Para], headings: list[_Heading], path: str, problems: list[Diagnostic]) -> None:
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
            if start is not None and all(is_figure(p) for p in above[start:]):
                heading.body[:0] = above[start:]
                del above[start:]


def _to_paragraphs(preamble: list[Para], headings: list[_Heading], forced: str) -> tuple[list[Para], str]:
    """Each section's runs of lines -> its paragraphs in its form (rule 3), each paragraph classified
    (rule 4). The headings take their paragraphs and form; the preamble's are returned."""
    sections = [preamble, *(h.body for h in headings)]
    forms = [_form(part, forced) for part in sections]
    preamble, *bodies = [_paragraphs(part, form) for part, form in zip(sections, forms)]
    for heading, body, form in zip(headings, bodies, forms[1:]):
        heading.body, heading.form = body, form
    for part in [preamble, *bodies]:
        classify(part)
    return preamble, forms[0]


def _headless(source: Source, text: list[Para], form: str, problems: list[Diagnostic]) -> _Heading | None:
    """A page with no headline: one article holding all its text, titled after the page; None when the
    page has no text either."""
    if not text:
        problems.append(
            Diagnostic(
                source.path,
                source.body_start + 1 if source.body_start else 1,
                "this page is empty: no article",
                "add its text, or delete the file",
                level="warning",
            )
        )
        return None
    problems.append(
        Diagnostic(
            source.path,
            text[0].lines[0],
            "this page has no headline: all its text is kept as one article",
            "start each story with a `# ` or `## ` headline",
            level="warning",
        )
    )
    return _Heading(source.title or f"{source.page or source.date.isoformat()}", 0, (), text, form=form)


def _draft(heading: _Heading) -> Draft:
    """A headline with its text under it -> the article's Draft (rule 6 runs here, in paragraphs.py)."""
    title = Block("title", heading.text, (heading.line,) if heading.line else ())
    return Draft(title, Blocks(blocks(heading.body)), heading.overrides, heading.kicker, heading.subtitle, heading.form)


def split(source: Source) -> tuple[list[Draft], list[Diagnostic]]:
    """Split one page into articles. Every non-blank body line lands in exactly one Draft."""
    problems: list[Diagnostic] = []
    preamble, headings = _read(source, problems)
    preamble, form = _to_paragraphs(preamble, headings, source.form)
    if not headings:
        only = _headless(source, preamble, form, problems)
        if only is None:
            return [], problems
        headings, preamble = [only], []
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
    return [_draft(heading) for heading in headings], problems


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
