"""Article text as readers see it: markdown to HTML (safely), the story's own text, and summaries.

Shared by enrich (an article's summary), the views (body HTML) and the search index (what a
reader sees of a paragraph), so that all three read the text the same way.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from markdown_it import MarkdownIt

from .model import Block, Byline

SAFE_SCHEMES = re.compile(r"^(https?:|mailto:|tel:|#|/|\.|[^:]*$)", re.I)
SENTENCE_END = re.compile(r"(?<=[。！？!?])")
SUMMARY_LENGTH = 80  # characters
SUMMARY_READ = 4  # a summary reads the first SUMMARY_READ * its length characters (more when most are spaces)
NOTE = re.compile(r"[(（][^()（）]*[)）]")  # a paragraph wholly in brackets: a note (相关报道见第四版), no story
# What a summary skips at the story's start: a box's label (核心阅读, 编者按 …), with its colon.
BOX_LABEL = re.compile(r"^(?:核心阅读|编者按|编者的话|阅读提示|内容提要|提要|导读|导语)\s*[:：]?\s*")
# Text with none of these characters, not starting like a list, quote, heading, rule or code block and
# not ending in a space renders as `<p>text</p>`: the plain-paragraph fast path of paragraph_html().
MARKDOWN_CHARACTERS = re.compile(r"[\\`*_\[\]<>&!#|~\n\r\t]")
MARKDOWN_START = re.compile(r" *(?:[-+=>]|\d+[.)])|\s")
# Text with none of these renders as itself: what a reader sees of it needs no parser (visible()).
MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&!#~|]|^\s*(?:[-+>]|\d+[.)])\s|^\s{4}|^=+$|^-+$", re.M)
TAG = re.compile(r"<[^>]*>")


class _SafeLinks(MarkdownIt):
    """markdown-it with only the SAFE_SCHEMES links: any other is left as text."""

    def validateLink(self, url: str) -> bool:
        return bool(SAFE_SCHEMES.match(url.strip()))


def markdown() -> MarkdownIt:
    """CommonMark with raw HTML off (shown as text) and only safe link schemes."""
    md = _SafeLinks("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")  # photos stand on lines of their own (split.py), where they are checked and resized
    return md


def paragraph_html(md: MarkdownIt, text: str) -> str:
    """A body paragraph as HTML. Most news text holds no markdown at all: it skips the parser."""
    if MARKDOWN_CHARACTERS.search(text) or MARKDOWN_START.match(text) or text[-1:].isspace() or not text:
        return md.render(text)
    escaped = text.replace('"', "&quot;")
    return f"<p>{escaped}</p>\n"


def visible(markdown_text: str, render) -> str:
    """What a reader sees of a markdown paragraph (its text without the markup)."""
    if not MARKDOWN_SPECIAL.search(markdown_text):
        return markdown_text
    return html.unescape(TAG.sub("", render(markdown_text)))


def story_text(blocks: Sequence[Block], dateline: Byline | None) -> str:
    """The story's own text, as a summary starts it: its paragraphs and cross-heads without the dateline
    (and the credit inside it) or a box label (核心阅读, 编者按); not the subtitle, byline, signoff or
    a note in brackets. A photo story with no paragraph is told by its captions."""
    parts: list[str] = []
    told = ("para", "line") if any(b.kind in ("para", "line") for b in blocks) else ("caption",)
    for block in blocks:
        if block.kind not in told or NOTE.fullmatch(block.text):
            continue
        text = block.text
        if not parts:
            if dateline and block.kind == "para":
                text = text[dateline.end :]
            text = BOX_LABEL.sub("", text) if BOX_LABEL.match(text) else text
            if not text:
                continue
        parts.append(text)
    return "".join(parts)


def summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first sentences, up to about `length` characters, cut at a sentence end when one is near.

    Only the text's beginning is read: what follows its first `length` + 1 characters (spaces
    collapsed) cannot change the summary."""
    whole = text
    text = re.sub(r"\s+", " ", whole[: SUMMARY_READ * length]).strip()
    if len(text) <= length:  # a short text, or a beginning mostly spaces: all of it
        text = re.sub(r"\s+", " ", whole).strip()
        if len(text) <= length:
            return text
    out = ""
    for sentence in SENTENCE_END.split(text):
        if out and len(out) + len(sentence) > length:
            break
        out += sentence
    return out if len(out) <= length else text[: length - 1] + "…"
