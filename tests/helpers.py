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


SAMPLE_TITLES = (
    "产业丛林集群攀高 宁波如何 孵出更多“独角兽”",
    "提升创新能力和专业化水平 镇海砥砺锻造 “小巨人”企业",
    "甬企联合牵头 填补负压救护车标准国际空白",
    "25名技术骨干赴墨西哥建设生产线 旭升集团“技术出海” 与“本土共生”双轨并行",
    "“慧耕慧种”绘就科技春耕图 春耕进行时",
    "宁波援建，“亚克西”!",
)  # the sample page's headlines, in printed order
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
