"""Step 2, split: a Source (one printed page) -> Drafts (its articles), losing no line.

The rules, in the order they run (each is a unit test in tests/test_split.py):
1. Markdown headings of level 1-3 start articles; everything else is text.
2. Text is read as paragraphs, each remembering how many blank lines stood before it (its gap).
3. A page's layout noise is undone across headings:
   - a heading with no text under it takes the text above it, back to the last wide gap
     (two or more blank lines): a photo story printed with its headline underneath;
   - captions standing after a wide gap right before a heading belong to the article under it.
4. Inside an article: a byline on its own line right under the headline; captions (a short
   paragraph with a credit in brackets, or starting 图为) and credits on their own line;
   a paragraph ending in ，、；： or —— continues in the next one (a page-break cut);
   a short line with no punctuation stays a line of its own (a cross-head).
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
PUNCTUATION_RE = re.compile(r"[\s\u3000-\u303f\uff00-\uffef!-/:-@\[-`{-~“”‘’—…·]")
CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")
CREDIT_ALONE_RE = re.compile(r"[(（]([^()（）]{1,40})[)）]")  # a whole paragraph in brackets
OVERRIDE_PAIR_RE = re.compile(r'(\w+)\s*=\s*("[^"]*"|\S+)')
OVERRIDE_VALUES_SEP = re.compile(r"[,，、\s]+")

MAX_CAPTION = 120  # characters; longer paragraphs are body text whatever they end with
MAX_LINE = 20  # a cross-head, round-up item headline or kicker is short
WIDE_GAP = 2  # blank lines


@dataclass
class _Para:
    text: str
    lines: tuple[int, ...]
    gap: int  # blank lines before it
    kind: str = "para"  # para | caption | credit | byline | line | image
    credit: str = ""
    credit_lines: tuple[int, ...] = ()
    image: str = ""  # a photo's path as written, for an image or a caption with its photo
    alt: str = ""


@dataclass
class _Heading:
    text: str
    line: int
    overrides: tuple = ()
    body: list[_Para] = field(default_factory=list)


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
            problems.append(Diagnostic(path, line, f"unknown key `{key}` in the headline's `{{…}}`",
                                       f"use {', '.join(k + '=…' for k in OVERRIDE_KEYS)}"))
            continue
        values = tuple(v for v in OVERRIDE_VALUES_SEP.split(value) if v)
        pairs.append((key, values))
    return text[: match.start()].rstrip(), tuple(pairs)


def _read(source: Source, problems: list[Diagnostic]) -> tuple[list[_Para], list[_Heading]]:
    """Lines -> paragraphs before the first heading, and headings with the paragraphs under them."""
    preamble: list[_Para] = []
    headings: list[_Heading] = []
    target = preamble
    gap = 0
    current: _Para | None = None
    noisy = bool(NOT_XML.search("\n".join(source.lines[source.body_start:])))  # one look for the whole page
    for index in range(source.body_start, len(source.lines)):
        raw = source.lines[index]
        number = index + 1
        text = raw.strip()
        if noisy and NOT_XML.search(text):
            found = ", ".join(sorted({f"U+{ord(c):04X}" for c in NOT_XML.findall(text)}))
            problems.append(Diagnostic(source.path, number, f"this line holds control characters ({found}): dropped",
                                       "they are invisible noise, e.g. from copying text out of a PDF",
                                       level="warning"))
            text = NOT_XML.sub("", text).strip()
        if not text:
            gap += 1
            current = None
            continue
        heading = HEADING_RE.match(text) if text[0] == "#" else None
        if heading:
            title, overrides = _parse_override(heading.group(2).strip(), source.path, number, problems)
            if not title:
                problems.append(Diagnostic(source.path, number, "this headline is empty",
                                           "write the headline's text after the `#`", level="warning"))
            headings.append(_Heading(title, number, overrides))
            target = headings[-1].body
            current, gap = None, 0
            continue
        if current is None:
            current = _Para(text, (number,), gap)
            target.append(current)
            gap = 0
        else:
            current.text = _join(current.text, text)
            current.lines += (number,)
    return preamble, headings


def _classify(paras: list[_Para]) -> None:
    """Mark captions, credits on their own line, and cross-head lines."""
    for i, para in enumerate(paras):
        text = para.text
        image = IMAGE_RE.match(text) if len(para.lines) == 1 else None
        if image:
            para.kind, para.image, para.alt, para.text = "image", image.group("src"), image.group("alt").strip(), ""
            continue
        whole = CREDIT_ALONE_RE.fullmatch(text)
        if whole and credit_of(text):
            para.kind, para.credit, para.credit_lines, para.text = "credit", whole.group(1).strip(), para.lines, ""
            continue
        if len(text) <= MAX_CAPTION:
            found = credit_of(text)
            if found and found[0]:
                para.kind, para.text, para.credit, para.credit_lines = "caption", found[0], found[1], ()
                continue
            if CAPTION_START_RE.match(text):
                para.kind = "caption"
                continue
        if len(para.lines) == 1 and len(text) <= MAX_LINE and not PUNCTUATION_RE.search(text):
            para.kind = "line"
    # A short paragraph followed by a credit on its own line is that credit's caption.
    for para, following in zip(paras, paras[1:]):
        if following.kind == "credit" and para.kind in ("para", "line") and len(para.text) <= 80 \
                and not _continues(para.text):
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
            problems.append(Diagnostic(path, heading.line, "this headline has no text under it or above it",
                                       "add the story's text under the headline, or delete the headline",
                                       level="warning"))
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
        if previous and previous.kind == "para" and para.kind in ("para", "line") \
                and _continues(previous.text):
            previous.text = _join(previous.text, para.text)
            previous.lines += para.lines
            previous.kind = "para"
            continue
        out.append(para)
    for para in out:
        if para.kind == "image":
            para.kind = "caption"  # a photo with no caption
    return out


def _find_byline(paras: list[_Para]) -> None:
    """A byline on its own line is the first text under the headline (captions may come first)."""
    for para in paras:
        if _is_figure(para):
            continue
        if len(para.lines) == 1 and byline.parse_byline_line(para.text) is not None:
            para.kind = "byline"
        return


def _to_block(para: _Para) -> Block:
    return Block(para.kind, para.text, para.lines, para.credit, para.credit_lines, para.image, para.alt)


def split(source: Source) -> tuple[list[Draft], list[Diagnostic]]:
    """Split one page into articles. Every non-blank body line lands in exactly one Draft."""
    problems: list[Diagnostic] = []
    preamble, headings = _read(source, problems)
    for part in [preamble, *(h.body for h in headings)]:
        _classify(part)
    if not headings:
        if not preamble:
            problems.append(Diagnostic(source.path, source.body_start + 1 if source.body_start else 1,
                                       "this page is empty: no article", "add its text, or delete the file",
                                       level="warning"))
            return [], problems
        first = preamble[0]
        problems.append(Diagnostic(source.path, first.lines[0],
                                   "this page has no headline: all its text is kept as one article",
                                   "start each story with a `# ` or `## ` headline", level="warning"))
        headings = [_Heading(source.title or f"{source.page or source.date.isoformat()}", 0, (), preamble)]
        preamble = []
    _relocate(preamble, headings, source.path, problems)
    if preamble:
        problems.append(Diagnostic(source.path, preamble[0].lines[0],
                                   f"text before the first headline is kept in the first article «{headings[0].text}»",
                                   "if it is a story of its own, give it a `# ` headline", level="warning"))
        headings[0].body[:0] = preamble
    drafts = []
    for heading in headings:
        paras = _merge(heading.body)
        _find_byline(paras)
        title = Block("title", heading.text, (heading.line,) if heading.line else ())
        drafts.append(Draft(title, tuple(_to_block(p) for p in paras), heading.overrides))
    return drafts, problems


def accounted_lines(drafts: list[Draft]) -> list[int]:
    """Every source line the drafts hold, once per time it is held (for the nothing-lost check)."""
    lines: list[int] = []
    for draft in drafts:
        lines += draft.title.lines
        for block in draft.blocks:
            lines += block.lines
            lines += [n for n in block.credit_lines if n not in block.lines]
    return lines
