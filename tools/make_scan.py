"""Draw the sample site's page scan: a picture of a printed page (版面图), made with Pillow.

The sample page (content/2025/03/2025-03-18-a5.md) has no real scan we may publish, so this draws
one as a paper lays a page out: the page's header, then each article's block (headline, grey lines
for its text) in printed order, lead story across the top. It writes the image beside the page and
prints the `areas:` front matter that maps each article to its block. Run it again after changing
the layout, and paste what it prints into the page's front matter:

    python tools/make_scan.py [--out content/2025/03/2025-03-18-a5.jpg]

The headlines need a CJK font (fonts-noto-cjk on Debian); without one the blocks are drawn bare.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WIDTH, HEIGHT, MARGIN, GAP, HEADER = 1200, 1700, 48, 24, 150
INK, GREY, RULE = (30, 30, 30), (170, 170, 165), (164, 22, 26)
FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")


def font(size: int):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def layout(count: int) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, width, height) for `count` articles: the lead across the page, the rest in two
    columns below it, filling the page."""
    inner = WIDTH - 2 * MARGIN
    top = HEADER + GAP
    lead = (MARGIN, top, inner, 460)
    rest = count - 1
    rows = (rest + 1) // 2
    row_height = (HEIGHT - MARGIN - (top + 460 + GAP) - GAP * (rows - 1)) // max(rows, 1)
    column = (inner - GAP) // 2
    boxes = [lead]
    for n in range(rest):
        row, col = divmod(n, 2)
        wide = n == rest - 1 and rest % 2 == 1  # the last one alone spans both columns
        boxes.append(
            (
                MARGIN + col * (column + GAP),
                top + 460 + GAP + row * (row_height + GAP),
                inner if wide else column,
                row_height,
            )
        )
    return boxes


def wrap(text: str, size: int, width: int) -> list[str]:
    per_line = max(1, width // size)
    return [text[i : i + per_line] for i in range(0, len(text), per_line)]


def draw(titles: list[str], header: str) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    image = Image.new("RGB", (WIDTH, HEIGHT), (250, 248, 240))
    pen = ImageDraw.Draw(image)
    big, small = font(64), font(30)
    pen.text((MARGIN, 40), "宁波日报" if big else "", fill=RULE, font=big)
    pen.text((MARGIN + 320, 70), header if small else "", fill=INK, font=small)
    pen.rectangle((MARGIN, HEADER, WIDTH - MARGIN, HEADER + 6), fill=RULE)
    boxes = layout(len(titles))
    for n, (title, (x, y, w, h)) in enumerate(zip(titles, boxes)):
        size = 48 if n == 0 else 32
        head = font(size)
        lines = wrap(title, size, w - 24)[:2]
        for k, line in enumerate(lines):
            if head:
                pen.text((x + 12, y + 8 + k * (size + 10)), line, fill=INK, font=head)
        body_top = y + 24 + len(lines) * (size + 10)
        for line_y in range(body_top, y + h - 12, 22):
            pen.rectangle((x + 12, line_y, x + w - 12, line_y + 8), fill=GREY)
        pen.rectangle((x, y, x + w, y + h), outline=(210, 208, 200), width=2)
    return image, boxes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", type=Path, default=ROOT / "content/2025/03/2025-03-18-a5.md")
    parser.add_argument("--out", type=Path, default=None, help="the image (default: beside the page, .jpg)")
    args = parser.parse_args()
    from newsdigest import load, split

    source, _ = load.parse(args.page.read_bytes(), args.page.name, args.page.name, "")
    assert source is not None, "the page cannot be read: run `python build.py check` on it"
    titles = [draft.title.text for draft in split.split(source)[0]]
    image, boxes = draw(titles, f"{source.date:%Y年%m月%d日}  第{source.page}版  {source.title}")
    out = args.out or args.page.with_suffix(".jpg")
    image.save(out, "JPEG", quality=70, optimize=True, progressive=True)
    print(f"scan: {out.name}")
    print("areas:                # each article's box on the scan: x, y, width, height (pixels)")
    for n, (x, y, w, h) in enumerate(boxes, 1):
        print(f"  {n}: [{x}, {y}, {w}, {h}]")


if __name__ == "__main__":
    main()
