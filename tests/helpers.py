"""Small builders shared by the unit tests."""

from __future__ import annotations

import datetime as dt

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


def drafts_of(text: str):
    drafts, problems = split(source(text))
    return drafts, problems
