"""Page scans: a printed page's picture, as front matter names it, and each article's area on it.

    scan: 2025-03-18-a5.jpg        # beside the page (or in its `images:` folder): JPG, PNG or PDF
    areas:                         # optional: each article's box on the scan, in its pixels
      1: [40, 150, 1120, 560]      # by the article's number in printed order: x, y, width, height
      新质生产力: [40, 730, 540, 600]  # or by words of its headline

`front_matter` reads and checks the two keys (load step); `publish` publishes each scan (an image
through the photo pipeline, a PDF as it is, named by its hash) and matches the areas to articles
(after the split, before the index step). A PDF is linked, not drawn: rendering one would need a
PDF engine (pdfium or poppler) at build time, a heavy install for a page the reader's browser shows
well by itself.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from . import yamlfile
from .images import Publisher, upright_size
from .model import AreaMark, Article, Diagnostic, Scan, Source

KINDS = (".jpg", ".jpeg", ".png", ".pdf")
AREA_HINT = "write each as `number or headline: [x, y, width, height]`, e.g. `1: [40, 150, 1120, 560]`"


def front_matter(meta: yamlfile.LineDict, shown: str) -> tuple[str, tuple[AreaMark, ...], list[Diagnostic]]:
    """`scan:` and `areas:` of a page's front matter, checked: (scan, areas, problems); `scan:`'s line
    is meta.lines["scan"]."""
    scan, areas = meta.get("scan"), meta.get("areas")
    problems: list[Diagnostic] = []
    if scan is not None and (not isinstance(scan, str) or not scan.lower().endswith(KINDS)):
        problems.append(
            Diagnostic(
                shown,
                meta.lines["scan"],
                f"`scan: {scan}` is not the name of a JPG, PNG or PDF file",
                "write the scan's file name, e.g. `scan: 2025-03-18-a5.jpg`, and put the file beside the page",
            )
        )
        scan = None
    if areas is None:
        return scan or "", (), problems
    if not scan:
        problems.append(Diagnostic(shown, meta.lines["areas"], "`areas:` needs a `scan:`", "add `scan: FILE`"))
    if not isinstance(areas, yamlfile.LineDict):
        return "", (), [*problems, Diagnostic(shown, meta.lines["areas"], "`areas:` must be a mapping", AREA_HINT)]
    marks = []
    for key, box in areas.items():
        line = areas.lines[key]
        if not (isinstance(box, list) and len(box) == 4 and all(type(n) is int and n >= 0 for n in box)):
            problems.append(Diagnostic(shown, line, f"the area of `{key}` is not four whole numbers", AREA_HINT))
        elif box[2] == 0 or box[3] == 0:
            problems.append(Diagnostic(shown, line, f"the area of `{key}` has no width or height", AREA_HINT))
        else:
            marks.append(AreaMark(str(key).strip(), (box[0], box[1], box[2], box[3]), line))
    return scan or "", tuple(marks), problems


Areas = tuple[tuple[str, tuple[int, int, int, int]], ...]  # (article path, (x, y, width, height))


def publish(
    sources: list[Source], articles: list[Article], publisher: Publisher
) -> tuple[dict[str, Scan], dict[str, Areas], dict[str, bytes], list[Diagnostic]]:
    """Each page's scan -> ({Source.path: Scan}, {Source.path: its areas' articles and boxes}, the
    PDFs' files, problems)."""
    on_page: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        on_page[article.source.path].append(article)
    scans: dict[str, Scan] = {}
    mapped: dict[str, Areas] = {}
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    for source in (s for s in sources if s.scan):
        data = publisher.read(source, source.scan, source.scan_line)
        if isinstance(data, Diagnostic):
            problems.append(data)
        elif source.scan.lower().endswith(".pdf"):
            name = f"media/{hashlib.sha256(data).hexdigest()[:16]}.pdf"
            files[name] = data
            scans[source.path] = Scan(None, name, 0, 0)
            problems += [
                Diagnostic(source.path, m.line, "areas are drawn on an image scan, not on a PDF", level="warning")
                for m in source.areas
            ]
        else:
            photo = publisher.publish(data, source, source.scan, source.scan_line)
            if isinstance(photo, Diagnostic):
                problems.append(photo)
                continue
            width, height = upright_size(data)
            mapped[source.path], found = _areas(source, on_page[source.path], width, height)
            problems += found
            scans[source.path] = Scan(photo, "", width, height)
    return scans, mapped, files, problems


def _areas(source: Source, articles: list[Article], width: int, height: int) -> tuple[Areas, list[Diagnostic]]:
    """Each area mark -> (article path, box), by number or headline; problems for a mark that names no
    article or more than one, or a box outside the scan."""
    out, problems = [], []
    for mark in source.areas:
        if mark.article.isdigit():
            number = int(mark.article)
            named = [articles[number - 1]] if 1 <= number <= len(articles) else []
        else:
            named = [a for a in articles if mark.article in a.title]
        x, y, w, h = mark.box
        if len(named) != 1:
            titles = "；".join(f"{n}. {a.title}" for n, a in enumerate(articles, 1))
            problems.append(
                Diagnostic(
                    source.path,
                    mark.line,
                    f"the area `{mark.article}` names {'no article' if not named else 'more than one article'} "
                    "of this page",
                    f"use an article's number or words of its headline: {titles}",
                )
            )
        elif x + w > width or y + h > height:
            problems.append(
                Diagnostic(
                    source.path,
                    mark.line,
                    f"the area `{mark.article}` reaches outside the scan ({width}×{height} pixels)",
                    "measure x, y, width and height on the scan itself",
                )
            )
        else:
            out.append((named[0].path, mark.box))
    return tuple(out), problems
