"""Photo resizing, cold and cached: builds a site of N photographed articles twice and prints the times.

    python bench/images/run.py [--photos 40] [--runs 3]

The first build of each run starts with an empty cache (every photo is turned upright, stripped and
resized to WebP and JPEG); the second finds every photo in .cache/newsdigest/images and resizes
nothing. The sample site's theme and taxonomies are used; photos are generated, 3000×2000 JPEGs.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from newsdigest import pipeline  # noqa: E402


def make_site(folder: Path, photos: int) -> None:
    shutil.copytree(ROOT / "content", folder / "content", ignore=shutil.ignore_patterns("2025"))
    shutil.copy(ROOT / "site.yaml", folder / "site.yaml")
    lines = ["---", "date: 2025-03-20", "page: P1", "---"]
    for n in range(photos):
        image = Image.new("RGB", (3000, 2000), (n * 5 % 256, 80, 160))
        image.paste((240, 240, 240), (n * 40 % 2800, 300, n * 40 % 2800 + 200, 900))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=90)
        (folder / "content" / f"photo{n}.jpg").write_bytes(out.getvalue())
        lines += [
            f"## 宁波港口新貌之{n}",
            "",
            "本报讯(记者王珂)宁波舟山港货物吞吐量再创新高。",
            "",
            f"![港口{n}](photo{n}.jpg)",
            "",
            "港口一角。(记者 王珂 摄)",
            "",
        ]
    (folder / "content" / "2025-03-20-p1.md").write_text("\n".join(lines), encoding="utf-8")


def build(folder: Path, output: Path) -> float:
    started = time.perf_counter()
    pipeline.build(pipeline.Options(folder / "content", output, folder / "site.yaml", ROOT / "theme"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        make_site(folder, args.photos)
        for run in range(args.runs):
            shutil.rmtree(folder / ".cache", ignore_errors=True)
            cold.append(build(folder, folder / f"out-cold-{run}"))
            warm.append(build(folder, folder / f"out-warm-{run}"))
    print(f"{args.photos} photos of 3000×2000 px, median of {args.runs} runs")
    print(f"  empty cache: {statistics.median(cold):.2f} s")
    print(
        f"  cached:      {statistics.median(warm):.2f} s  "
        f"({statistics.median(cold) / statistics.median(warm):.0f}× faster)"
    )


if __name__ == "__main__":
    main()
