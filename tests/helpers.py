"""Small builders shared by the unit tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsdigest.model import Source
from newsdigest.split import split


def source(text: str, path: str = "content/page.md") -> Source:
    """A Source holding `text` as its body (no front matter), dated 2025-03-18."""
    return Source(
        path=path,
        date=dt.date(2025, 3, 18),
        publication="宁波日报",
        page="A5",
        title="经济",
        lines=tuple(text.split("\n")),
        body_start=0,
    )


SAMPLE_PAGE = Path(__file__).resolve().parent.parent / "content" / "2025" / "03" / "2025-03-18-a5.md"


def sample_page_without_scan() -> str:
    """The sample page's text without its scan (the front matter's `scan:` and `areas:`), for tests
    that copy it under other dates and names, where its image is not."""
    lines = SAMPLE_PAGE.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    kept = [line for line in lines[:end] if not line.startswith(("scan:", "areas:", "  "))]
    return "\n".join(kept + lines[end:])


def drafts_of(text: str):
    drafts, problems = split(source(text))
    return drafts, problems
