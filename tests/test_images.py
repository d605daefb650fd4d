"""Photos: found beside their page, captions attached, upright, resized, stripped of metadata, cached."""

from __future__ import annotations

import io

import pytest
from helpers import drafts_of, sample_page_without_scan
from PIL import Image
from test_publish import build, head

from newsdigest import pipeline

GPS, ORIENTATION = 0x8825, 0x0112


def camera_jpeg() -> bytes:
    """2000×1000 as stored, EXIF orientation 6 (shown turned 90°: 1000×2000), with a GPS position.
    The blue block is at the stored top-left, so upright it is at the top-right."""
    image = Image.new("RGB", (2000, 1000), (200, 30, 30))
    image.paste((0, 0, 255), (0, 0, 200, 100))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "Camera maker"
    gps = exif.get_ifd(GPS)
    gps.update({1: "N", 2: (29.0, 52.0, 0.0), 3: "E", 4: (121.0, 33.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 0, 255)).save(out, "PNG")
    return out.getvalue()


PAGE = """---
date: 2025-03-20
page: B2
---
# 宁波港口新貌

本报讯(记者王珂)宁波舟山港今年货物吞吐量再创新高。

![港口全景](port.jpg)

宁波舟山港穿山港区一角。(记者 王珂 摄)

码头上一片繁忙景象。

![](logo.png)
"""


@pytest.fixture
def photo_project(project):
    """The sample project with a page of photos, and without the sample's scan (tests/test_scans.py's)."""
    (project / "content/2025/03/2025-03-18-a5.md").write_text(sample_page_without_scan(), encoding="utf-8")
    (project / "content/2025/03/2025-03-18-a5.jpg").unlink()
    (project / "content/2025-03-20-b2.md").write_text(PAGE, encoding="utf-8")
    (project / "content/port.jpg").write_bytes(camera_jpeg())
    (project / "content/logo.png").write_bytes(small_png())
    return project


def test_an_image_line_and_the_caption_under_it_are_one_figure():
    drafts, _ = drafts_of("# 标题\n\n正文。\n\n![港口](a.jpg)\n\n港口一角。(企业供图)\n\n![](b.png)\n\n正文二。")
    figures = [(b.kind, b.image, b.alt, b.text, b.credit, b.lines) for b in drafts[0].blocks if b.kind == "caption"]
    assert figures == [
        ("caption", "a.jpg", "港口", "港口一角。", "企业供图", (5, 7)),
        ("caption", "b.png", "", "", "", (9,)),
    ]


def test_a_caption_with_no_image_stays_a_figure_without_a_picture(sample_site):
    html = (sample_site / "2025/03/18/yongqi-lianhe-qiantou-tianbu/index.html").read_text(encoding="utf-8")
    figure = html[html.index("<figure>") : html.index("</figure>")]
    assert "<img" not in figure and "凯福莱生产的负压救护车内部。" in figure


def test_photos_are_upright_resized_stripped_and_sized(photo_project, tmp_path):
    build(photo_project, tmp_path / "out")
    out = tmp_path / "out"
    media = sorted(p.name for p in (out / "media").iterdir())
    port = [m for m in media if m.endswith(".jpg")]
    assert sorted(int(m.rsplit("-", 1)[1].split(".")[0]) for m in port) == [480, 960, 1000]  # never upscaled
    assert len([m for m in media if m.endswith(".webp")]) == 4 and len([m for m in media if m.endswith(".png")]) == 1
    for name in media:
        with Image.open(out / "media" / name) as image:
            width = int(name.rsplit("-", 1)[1].split(".")[0])
            if name.endswith((".jpg", ".webp")) and width > 300:
                assert image.size == (width, width * 2)  # upright: taller than wide
                assert image.getpixel((width - 5, 5))[2] > 200  # the blue corner is top-right
            assert not image.getexif() and GPS not in image.getexif(), name  # no EXIF, no GPS
            assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp"} & set(image.info), (name, image.info.keys())
            assert b"Camera maker" not in (out / "media" / name).read_bytes()
    html = next(p for p in (out / "2025/03/20").glob("*/index.html") if p.parent.name != "b2").read_text(
        encoding="utf-8"
    )
    assert 'width="1000" height="2000"' in html and 'loading="eager"' in html  # the first photo
    assert 'width="300" height="200"' in html and 'loading="lazy"' in html  # a photo further down
    assert "480w" in html and "960w" in html and "1000w" in html and 'type="image/webp"' in html
    assert '<figcaption>宁波舟山港穿山港区一角。 <span class="credit">（记者 王珂 摄）</span></figcaption>' in html


def test_first_photo_is_the_share_image_and_the_lead_photo(photo_project, tmp_path):
    build(photo_project, tmp_path / "out")
    out = tmp_path / "out"
    article = next(p for p in (out / "2025/03/20").glob("*/index.html") if p.parent.name != "b2")
    page = head(article)
    [image] = page.meta["og:image"]
    assert image.startswith("https://example.org/media/") and image.endswith("-1000.jpg")
    assert page.json_ld()[0]["image"] == image
    assert 'class="lead-photo"' in (out / "2025/03/20/b2/index.html").read_text(encoding="utf-8")
    assert 'class="lead-photo"' in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "case,message",
    [
        ("missing", "2025-03-20-b2.md:9: error: the image `port.jpg` is missing"),
        ("unreadable", "2025-03-20-b2.md:9: error: the image `port.jpg` cannot be read"),
        ("too big", "2025-03-20-b2.md:9: error: the image `port.jpg` is 0.0 MB, over the limit of 0.001 MB"),
        ("outside", "2025-03-20-b2.md:9: error: the image `../site.yaml` is not a file beside this page"),
    ],
)
def test_bad_images_are_errors_and_nothing_is_written(photo_project, tmp_path, case, message):
    if case == "missing":
        (photo_project / "content/port.jpg").unlink()
    elif case == "unreadable":
        (photo_project / "content/port.jpg").write_bytes(b"not a photo at all")
    elif case == "too big":
        (photo_project / "site.yaml").write_text(
            (photo_project / "site.yaml").read_text(encoding="utf-8") + "image_max_mb: 0.001\n", encoding="utf-8"
        )
    else:
        page = photo_project / "content/2025-03-20-b2.md"
        page.write_text(PAGE.replace("port.jpg", "../site.yaml"), encoding="utf-8")
    with pytest.raises(pipeline.BuildFailed) as failed:
        build(photo_project, tmp_path / "out")
    assert any(message in d.format() for d in failed.value.diagnostics), failed.value.diagnostics
    assert not (tmp_path / "out").exists()


def test_resizing_is_cached_by_content(photo_project, tmp_path, monkeypatch):
    build(photo_project, tmp_path / "one")
    cache = photo_project / ".cache/newsdigest/images"
    assert len(list(cache.glob("*.index"))) == 2

    def no_resizing(*args, **kwargs):
        raise AssertionError("an unchanged image was processed again")

    monkeypatch.setattr(Image, "open", no_resizing)
    build(photo_project, tmp_path / "two")
    first = {p.name: p.read_bytes() for p in (tmp_path / "one/media").iterdir()}
    assert first == {p.name: p.read_bytes() for p in (tmp_path / "two/media").iterdir()}
