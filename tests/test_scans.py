"""Page scans (scans.py): front matter `scan:` and `areas:` read and checked, the scan published and
its areas matched to articles; and the printed edition's records (pages.py) that show them: a page's
neighbours across days, the front page, the archive's days."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from helpers import SAMPLE_PAGE, sample_page_without_scan
from PIL import Image

from newsdigest import load, pipeline
from newsdigest.model import EditionPage, HomePage
from newsdigest.pages import records

FRONT = (
    '---\ndate: 2025-03-19\npage: "{page}"\ntitle: {title}\n---\n\n'
    "# {page}版头条\n\n正文。\n\n## {page}版二条\n\n正文。\n"
)


def parse(front: str):
    text = f"---\ndate: 2025-03-18\npage: A5\n{front}---\n\n# 标题\n\n正文。\n"
    return load.parse(text.encode(), "p.md", "content/p.md", "宁波日报")


@pytest.mark.parametrize(
    "front, message, line",
    [
        ("scan: page.gif\n", "`scan: page.gif` is not the name of a JPG, PNG or PDF file", 4),
        ("areas:\n  1: [0, 0, 10, 10]\n", "`areas:` needs a `scan:`", 4),
        ("scan: a.jpg\nareas: [1, 2]\n", "`areas:` must be a mapping", 5),
        ("scan: a.jpg\nareas:\n  1: [0, 0, 10]\n", "the area of `1` is not four whole numbers", 6),
        ("scan: a.jpg\nareas:\n  1: [0, 0, -3, 10]\n", "the area of `1` is not four whole numbers", 6),
        ("scan: a.jpg\nareas:\n  头条: [0, 0, 0, 10]\n", "the area of `头条` has no width or height", 6),
    ],
)
def test_front_matter_mistakes_are_errors_naming_their_line(front, message, line):
    source, problems = load.parse(
        f"---\ndate: 2025-03-18\npage: A5\n{front}---\n\n# 标题\n\n正文。\n".encode(), "p.md", "content/p.md", ""
    )
    assert source is None
    assert [(p.line, p.message) for p in problems if p.level == "error"] == [(line, message)]


def test_a_scan_and_its_areas_are_read_with_their_lines():
    source, problems = parse("scan: a5.png\nareas:\n  1: [10, 20, 300, 400]\n  标题: [0, 0, 5, 5]\n")
    assert not problems and source is not None
    assert (source.scan, source.scan_line) == ("a5.png", 4)
    assert [(m.article, m.box, m.line) for m in source.areas] == [
        ("1", (10, 20, 300, 400), 6),
        ("标题", (0, 0, 5, 5), 7),
    ]


def build(project: Path, output: Path) -> pipeline.Result:
    return pipeline.build(
        pipeline.Options(
            content=project / "content", output=output, config=project / "site.yaml", theme=project / "theme"
        )
    )


def problems_of(project: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(pipeline.BuildFailed) as failed:
        build(project, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    return [d.format() for d in failed.value.diagnostics if d.level == "error"]


def with_areas(project: Path, areas: str) -> Path:
    page = project / "content/2025/03/2025-03-18-a5.md"
    text = SAMPLE_PAGE.read_text(encoding="utf-8")
    start, end = text.index("areas:"), text.index("\n---", text.index("areas:"))
    page.write_text(text[:start] + "areas:\n" + areas + text[end:], encoding="utf-8")
    return page


@pytest.mark.parametrize(
    "areas, message",
    [
        ("  7: [0, 0, 10, 10]", "8: error: the area `7` names no article of this page"),
        ("  宁波: [0, 0, 10, 10]", "8: error: the area `宁波` names more than one article of this page"),
        ("  1: [1000, 0, 201, 10]", "8: error: the area `1` reaches outside the scan (1200×1700 pixels)"),
    ],
)
def test_an_area_that_names_no_one_article_or_leaves_the_scan_is_an_error(project, tmp_path, areas, message):
    with_areas(project, areas)
    [problem] = problems_of(project, tmp_path)
    assert f"/content/2025/03/2025-03-18-a5.md:{message}" in problem  # the area's own line


def test_a_missing_scan_is_an_error_at_its_line(project, tmp_path):
    (project / "content/2025/03/2025-03-18-a5.jpg").unlink()
    [problem] = problems_of(project, tmp_path)
    assert "/content/2025/03/2025-03-18-a5.md:6: error: the image `2025-03-18-a5.jpg` is missing" in problem


def test_a_pdf_scan_is_published_as_it_is_and_linked_without_a_map(project, tmp_path):
    pdf = b"%PDF-1.4\n% a printed page\n%%EOF\n"
    page = project / "content/2025/03/2025-03-18-a5.md"
    (project / "content/2025/03/a5.pdf").write_bytes(pdf)
    page.write_text(page.read_text(encoding="utf-8").replace("scan: 2025-03-18-a5.jpg", "scan: a5.pdf"), "utf-8")
    result = build(project, tmp_path / "out")
    assert result.ok
    warnings = [d.message for d in result.diagnostics if d.level == "warning" and "PDF" in d.message]
    assert len(warnings) == 6  # the areas: drawn on images only
    html = (tmp_path / "out/2025/03/18/a5/index.html").read_text(encoding="utf-8")
    [name] = [p.name for p in (tmp_path / "out/media").glob("*.pdf")]
    assert (tmp_path / "out/media" / name).read_bytes() == pdf
    assert f'<a href="/media/{name}" type="application/pdf">版面 PDF</a>' in html
    assert "<svg" not in html and "版面图" not in html


def test_a_scan_without_areas_is_shown_but_is_no_map(project, tmp_path):
    page = project / "content/2025/03/2025-03-18-a5.md"
    lines = SAMPLE_PAGE.read_text(encoding="utf-8").split("\n")
    page.write_text("\n".join(x for x in lines if not x.startswith(("areas:", "  "))), encoding="utf-8")
    assert build(project, tmp_path / "out").ok
    html = (tmp_path / "out/2025/03/18/a5/index.html").read_text(encoding="utf-8")
    assert 'alt="2025年3月18日 第A5版 经济 版面图"' in html and "<svg" not in html


def test_the_areas_are_in_the_scan_s_own_pixels_even_when_it_is_published_smaller(project, tmp_path):
    big = io.BytesIO()
    Image.new("RGB", (2400, 3400), "white").save(big, "JPEG")
    (project / "content/2025/03/2025-03-18-a5.jpg").write_bytes(big.getvalue())
    with_areas(project, "  1: [2000, 3000, 400, 400]")
    assert build(project, tmp_path / "out").ok
    html = (tmp_path / "out/2025/03/18/a5/index.html").read_text(encoding="utf-8")
    assert 'viewBox="0 0 2400 3400"' in html and 'width="1600" height="2267"' in html
    assert '<rect x="2000" y="3000" width="400" height="400"/>' in html


def site_of(project: Path, tmp_path: Path):
    options = pipeline.Options(
        content=project / "content", output=tmp_path / "out", config=project / "site.yaml", theme=project / "theme"
    )
    result = pipeline.Result()
    return pipeline.index_site(options, pipeline.analyse(options, result), result)[0]


def test_printed_pages_link_their_neighbours_across_days_and_the_front_page_leads(project, tmp_path):
    """Three days: 3-18 (A5), 3-19 (03 and the pages added here, 01 and 02), 3-20 (B1 only: no 第1版)."""
    content = project / "content"
    (content / "2025/03/2025-03-18-a5.md").write_text(sample_page_without_scan(), encoding="utf-8")
    for page, title in (("01", "要闻"), ("02", "综合")):
        (content / f"2025-03-19-{page}.md").write_text(FRONT.format(page=page, title=title), "utf-8")
    (content / "2025-03-20-b1.md").write_text(
        FRONT.format(page="B1", title="副刊").replace("2025-03-19", "2025-03-20"), "utf-8"
    )
    pages, _ = records(site_of(project, tmp_path))
    printed = [p for p in pages if isinstance(p, EditionPage)]
    order = [(p.edition.date.day, p.edition.page) for p in printed]
    assert order == [(18, "A5"), (19, "01"), (19, "02"), (19, "03"), (20, "B1")]
    links = {(p.edition.date.day, p.edition.page): p for p in printed}
    second = links[19, "02"]
    assert (second.previous.page, second.next.page) == ("01", "03")
    assert [e.page for e in second.day] == ["01", "02", "03"]
    assert (second.previous_day, second.next_day) == (dt.date(2025, 3, 18), dt.date(2025, 3, 20))
    assert links[19, "01"].previous.page == "A5" and links[19, "03"].next.page == "B1"  # across days
    assert links[18, "A5"].previous is None and links[20, "B1"].next is None
    [home] = [p for p in pages if isinstance(p, HomePage)]
    assert home.front is not None and home.front.page == "B1"  # no 第1版 that day: its first page
    assert [c.title for c in home.leads] == ["B1版头条", "B1版二条"] and home.pages == ()


@pytest.mark.parametrize(
    "labels, front", [(("02", "01"), "01"), (("A2", "A1"), "A1"), (("3", "1"), "1"), (("B2",), "B2")]
)
def test_the_front_page_is_page_one_however_it_is_labelled(project, tmp_path, labels, front):
    content = project / "content"
    for label in labels:
        text = FRONT.format(page=label, title="版")
        (content / f"2025-04-01-{label}.md").write_text(text.replace("2025-03-19", "2025-04-01"), "utf-8")
    pages, _ = records(site_of(project, tmp_path))
    [home] = [p for p in pages if isinstance(p, HomePage)]
    assert home.front is not None and home.front.page == front
    assert [link.page for link, _ in home.pages] == [x for x in sorted(labels) if x != front]
    assert all(lead is not None for _, lead in home.pages)  # each other page with its lead story
