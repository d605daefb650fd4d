"""What each paragraph of an article is: the per-article rules of step 2, split (see split.py's list).

split.py reads a page into runs of lines and paragraphs (`Para`); this module says what each one is:
- `stands_apart`: a photo or a photo credit on a line of its own, never part of a paragraph (rule 2);
- `classify` (rule 4): photos, credits on their own line, captions (a short paragraph with a credit
  in brackets or after a wide space, or starting 图为 or 图①), cross-heads (a short line with no
  sentence punctuation), and the caption of a credit on its own line;
- `blocks` (rule 6): a photo takes the caption or credit under it and a caption the credit under it;
  a paragraph cut mid-sentence joins the next one; bylines on lines of their own under the headline
  and a signoff in brackets closing the story are read; the paragraphs become Blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import byline
from .model import Block

CREDIT_WORDS = re.compile(r"供图|摄|资料图|图片|制图|截图|提供")
TRAILING_CREDIT_RE = re.compile(r"^(?P<text>.*?)\s*[(（](?P<credit>[^()（）]{1,40})[)）]\s*$")
CAPTION_START_RE = re.compile(r"^(图为|上图|下图|左图|右图|图[①-⑩\d]|[①-⑩])")
IMAGE_RE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+"[^"]*")?\s*\)$')
CONTINUES = ("，", "、", "；", "：", ",", ";", ":", "—")  # a paragraph ending so goes on (—— too)
SENTENCE_MARK_RE = re.compile(r"[。，！？；：,.!?;:…]")  # what a cross-head never holds (quotes it may)
CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")
CREDIT_ALONE_RE = re.compile(r"[(（]([^()（）]{1,40})[)）]")  # a whole paragraph in brackets
SPACED_CREDIT_RE = re.compile(r"^(?P<text>.*\S)(?:[ \t]{2,}|\u3000{2,}|[ \t]*\u3000[ \t\u3000]+)(?P<credit>\S.{0,39})$")

MAX_CAPTION = 120  # characters; longer paragraphs are body text whatever they end with
MAX_LINE = 20  # a cross-head or round-up item headline is short


@dataclass
class Para:
    """A run of lines as read, then a paragraph of an article, until it becomes a Block."""

    text: str
    lines: tuple[int, ...]
    gap: int  # blank lines before it
    kind: str = "para"  # para | caption | credit | byline | line | image | signoff (apart: while reading)
    credit: str = ""
    credit_lines: tuple[int, ...] = ()
    image: str = ""  # a photo's path as written, for an image or a caption with its photo
    alt: str = ""
    parts: list[tuple[str, bool]] = field(default_factory=list)  # its lines as read: (text, indented)


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


def join(a: str, b: str) -> str:
    """Join two pieces of one paragraph: no space between Chinese characters."""
    if CJK_END.search(a) or CJK_START.search(b):
        return a + b
    return a + " " + b


def stands_apart(text: str) -> str:
    """The kind of a line that is never part of a paragraph: a photo, a photo credit, else ''."""
    if text.startswith("![") and IMAGE_RE.match(text):
        return "image"
    if len(text) <= 40 and not CREDIT_ALONE_RE.fullmatch(text) and byline.parse_credit(text):
        return "credit"
    return ""


def is_figure(para: Para) -> bool:
    return para.kind in ("caption", "credit", "image")


def classify(paras: list[Para]) -> None:
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
        if len(para.lines) == 1 and stands_apart(text) == "credit":
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


def _merge(paras: list[Para]) -> list[Para]:
    """Attach credits to their captions, and join paragraphs cut in two mid-sentence."""
    out: list[Para] = []
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
            previous.text = join(previous.text, para.text)
            previous.lines += para.lines
            previous.kind = "para"
            continue
        out.append(para)
    for para in out:
        if para.kind == "image":
            para.kind = "caption"  # a photo with no caption
    return out


def _find_bylines(paras: list[Para]) -> None:
    """Bylines on lines of their own are the first text under the headline (captions may come
    first); a last paragraph that is a byline in brackets is the story's signoff."""
    for para in paras:
        if is_figure(para) or para.kind == "byline":
            continue
        if para.kind in ("para", "line") and len(para.lines) == 1 and byline.parse_byline_line(para.text) is not None:
            para.kind = "byline"
            continue
        break
    text = [p for p in paras if p.kind in ("para", "line")]
    if len(text) > 1 and CREDIT_ALONE_RE.fullmatch(text[-1].text) and byline.parse_signoff(text[-1].text):
        text[-1].kind = "signoff"


def _to_block(para: Para) -> Block:
    return Block(para.kind, para.text, para.lines, para.credit, para.credit_lines, para.image, para.alt)


def blocks(paras: list[Para]) -> tuple[Block, ...]:
    """An article's classified paragraphs (its text once moved across headings) -> its Blocks: figures
    put together, cut paragraphs joined, bylines and the signoff read."""
    merged = _merge(paras)
    _find_bylines(merged)
    return tuple(_to_block(p) for p in merged)
