"""What editors' tools do to text: a word processor's dashes and quotes in front matter, an input
method's full-width colon, a page label typed many ways, a page's text pasted twice."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .model import Diagnostic

# Lines a word processor or an input method makes of `---`: hyphens, dashes, minus signs, box lines.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\u30fc\ufe58\ufe63\uff0d"
KEY = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_-]*)\s*([:：])")
QUOTES = "“”‘’「」『』＂＇„‟‚‛"  # quotes that YAML reads as text, not as quotes
LABEL_SHAPE = re.compile(r"[A-Za-z]{0,2}\d{1,3}[A-Za-z]?")  # 05, A5, B12, 3a: what a file name may end with
DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
PASTED_MIN_CHARS = 40  # a repeated run of lines shorter than this (bylines, captions, 完) is no paste


def is_fence_like(line: str) -> bool:
    """A line of dashes that is not the `---` fencing front matter (`——`, `–`, `----`, `- - -`)."""
    text = line.strip()
    return bool(text) and text != "---" and all(c in DASHES or c == " " for c in text)


def opens_front_matter(lines: list[str]) -> bool:
    """Does the file start with a fence-like line followed by a `key:` line (front matter mistyped)?"""
    if not lines or not is_fence_like(lines[0]):
        return False
    following = next((line for line in lines[1:] if line.strip()), "")
    return bool(KEY.match(following)) and not following.startswith((" ", "\t"))


def fence_problem(shown: str, line: int, fence: str, where: str) -> Diagnostic:
    """The front matter `where` ("starts"/"ends") with `fence`, which is not `---`."""
    fence = fence.strip()
    if all(c in "- " for c in fence):
        why = "which is not exactly three hyphens"
    else:
        why = "which a word processor or input method made of `---`"
    return Diagnostic(
        shown,
        line,
        f"the front matter {where} with `{fence}`, {why}",
        "retype that line as three hyphens `---` (turn off the word processor's autocorrect of dashes)",
    )


def line_problems(lines: list[str], first_line: int, shown: str) -> list[Diagnostic]:
    """What a word processor or an input method did to front matter `key: value` lines: a full-width
    colon, no space after the colon, quotes that YAML does not read as quotes."""
    problems = []
    for number, line in enumerate(lines, first_line):
        match = KEY.match(line)
        if not match or line.startswith((" ", "\t")):
            continue
        key, colon = match.groups()
        value = re.sub(r"\s+#.*$", "", line[match.end() :]).strip()
        after, typed = line[match.end() : match.end() + 1], f"`{key}: {value}`"
        if colon == "：":
            what, fix = f"the `：` after `{key}` is a full-width colon", f"retype it as `:` and a space: {typed}"
        elif after in ("\u3000", "\u00a0"):
            what, fix = f"after `{key}:` comes a full-width space", f"retype it as an ordinary space: {typed}"
        elif after not in ("", " ", "\t"):
            what, fix = f"there is no space after `{key}:`", f"type a space after the colon: {typed}"
        elif _smart_quoted(value):
            what = f"the value of `{key}` is between `{value[0]}` and `{value[-1]}`, which YAML does not read as quotes"
            fix = f'retype them as straight quotes `"`: `{key}: "{value[1:-1]}"`, or leave them out'
        else:
            continue
        problems.append(Diagnostic(shown, number, what, fix))
    return problems


def _smart_quoted(value: str) -> bool:
    ends = QUOTES + "\"'"
    return len(value) >= 2 and value[0] in ends and value[-1] in ends and (value[0] in QUOTES or value[-1] in QUOTES)


def label_from_name(rel: str) -> str:
    """A page label from the file name: what follows the date, when it is shaped like one
    (2019-10-17-05.md -> 05, 2025-03-18-a5.md -> A5, 2025/03/18/b2.md -> B2); else ""."""
    rest = DATE.sub("", Path(rel.replace("\\", "/")).stem).strip("-_. ")
    if LABEL_SHAPE.fullmatch(rest):
        return rest.upper()
    return rest if rest.startswith("第") and rest.endswith("版") else ""


def label_key(label: str) -> str:
    """What makes two page labels the same page: 1, 01, "01" and 第1版; a5 and A5."""
    text = unicodedata.normalize("NFKC", label).strip().upper()
    text = re.sub(r"^第\s*(.*?)\s*版$", r"\1", text)
    return re.sub(r"\d+", lambda m: str(int(m.group())), text)


def pasted_twice(lines: tuple[str, ...] | list[str], start: int, shown: str) -> list[Diagnostic]:
    """An error for each run of body lines that appears twice: at least two different non-blank
    lines, PASTED_MIN_CHARS characters in all, the same (blank lines and spacing aside) in both places.
    A short line repeated (a byline, a caption, 完) or one paragraph repeated is no paste."""
    rows = [(n + 1, " ".join(line.split())) for n, line in enumerate(lines[start:], start) if line.strip()]
    texts = [text for _, text in rows]
    first: dict[tuple[str, str], int] = {}
    problems: list[Diagnostic] = []
    covered = 0
    for j in range(len(rows) - 1):
        if texts[j] == texts[j + 1]:
            continue
        i = first.setdefault((texts[j], texts[j + 1]), j)
        if i == j or j < covered:
            continue
        n = 0
        while j + n < len(rows) and i + n < j and texts[i + n] == texts[j + n]:
            n += 1
        if n >= 2 and sum(len(t.replace(" ", "")) for t in texts[j : j + n]) >= PASTED_MIN_CHARS:
            again, was = f"{rows[j][0]}–{rows[j + n - 1][0]}", f"{rows[i][0]}–{rows[i + n - 1][0]}"
            problems.append(
                Diagnostic(
                    shown,
                    rows[j][0],
                    f"lines {again} repeat lines {was}: the same text pasted twice",
                    f"delete one of the two copies (lines {was} or {again})",
                )
            )
            covered = j + n
    return problems
