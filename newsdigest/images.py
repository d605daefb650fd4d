"""Photos: the images an article shows, checked, turned upright, stripped of metadata and resized.

An image is found beside its digest in content/ (or in the folder the digest's `images:` names).
Each published version is named by the image's content hash, so a changed photo gets a new URL.
Resizing is the slow part: its results are cached under `.cache/newsdigest/images/`, keyed by the
image's bytes and the resizing settings, so an unchanged photo is not processed again.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path, PurePosixPath

from .model import Article, Diagnostic, Photo, Source, Version

WIDTHS = (480, 960, 1600)  # srcset widths; never above the original's
SETTINGS = "v1 webp q80 m4, jpeg q82 progressive, png optimize"  # part of the cache key
FALLBACK = {"PNG": ("png", "PNG"), "GIF": ("png", "PNG")}  # else JPEG


def _processed(data: bytes, digest: str, cache: Path | None) -> tuple[list[Version], dict[str, bytes]]:
    """Resize one image (or read its versions from the cache)."""
    found = _cached(digest, cache) if cache else None
    if found is not None:
        return found
    versions, files = _resized(data, digest)
    if cache:
        _store(cache, digest, versions, files)
    return versions, files


def _header(data: bytes) -> tuple[list[Version], dict[str, bytes]]:
    """An image's size from its header, as one version with no files (for `check`)."""
    return [Version(*upright_size(data), "", "")], {}


def upright_size(data: bytes) -> tuple[int, int]:
    """An image's (width, height) from its header, upright as the photo pipeline turns it (EXIF
    orientation)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        turned = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # a quarter turn
        return (image.height, image.width) if turned else image.size


def _cached(digest: str, cache: Path) -> tuple[list[Version], dict[str, bytes]] | None:
    """An image's versions and files as an earlier build left them in the cache; None when any is missing."""
    index = cache / f"{digest}.index"
    if not index.exists():
        return None
    versions: list[Version] = []
    files: dict[str, bytes] = {}
    for row in index.read_text().split():
        width, height, webp, fallback = row.split(",")
        versions.append(Version(int(width), int(height), webp, fallback))
        for name in (webp, fallback):
            cached = cache / PurePosixPath(name).name
            if not cached.exists():
                break
            files[name] = cached.read_bytes()
    return (versions, files) if len(files) == 2 * len(versions) else None


def _resized(data: bytes, digest: str) -> tuple[list[Version], dict[str, bytes]]:
    """An image upright, at each width, as WebP and as its fallback (JPEG, or PNG for a PNG or GIF)."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as opened:
        kind = opened.format or "JPEG"
        image = ImageOps.exif_transpose(opened)  # upright, as the camera was held
        image.load()
    ext, fmt = FALLBACK.get(kind, ("jpg", "JPEG"))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    widths = sorted({w for w in WIDTHS if w < image.width} | {min(image.width, WIDTHS[-1])})
    versions: list[Version] = []
    files: dict[str, bytes] = {}
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        version = Version(width, height, f"media/{digest}-{width}.webp", f"media/{digest}-{width}.{ext}")
        webp, fallback = io.BytesIO(), io.BytesIO()
        # Saving without exif=, icc_profile= or pnginfo= writes no metadata: GPS position, camera, dates go.
        resized.save(webp, "WEBP", quality=80, method=4)
        if fmt == "JPEG":
            resized.save(fallback, "JPEG", quality=82, progressive=True, optimize=True)
        else:
            resized.save(fallback, "PNG", optimize=True)
        files[version.webp], files[version.fallback] = webp.getvalue(), fallback.getvalue()
        versions.append(version)
    return versions, files


def _store(cache: Path, digest: str, versions: list[Version], files: dict[str, bytes]) -> None:
    """Keep an image's versions in the cache for the next build: the files, then the index naming them.
    The cache only saves time: when it cannot be written (a full disk, no permission), the build goes
    on without it, and resizes the image again next time."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            _atomic_write(cache / PurePosixPath(name).name, content)
        index = " ".join(f"{v.width},{v.height},{v.webp},{v.fallback}" for v in versions)
        _atomic_write(cache / f"{digest}.index", index.encode())
    except OSError:
        pass


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def locate(source: Source, src: str, content: Path) -> Path:
    """Where an image written as `src` in a digest is: beside the digest, or in its `images:` folder."""
    folder = PurePosixPath(source.rel).parent / source.images
    return content / folder / src


class Publisher:
    """Images of the site's pages -> Photos and their files, each distinct image resized once. With
    `check_only` (for `check`), an image is only found and its header read: its Photo has no versions."""

    def __init__(self, content: Path, max_mb: float, cache: Path | None, check_only: bool = False):
        self.content, self.root, self.max_mb, self.cache = content, content.resolve(), max_mb, cache
        self.check_only = check_only
        self.files: dict[str, bytes] = {}
        self.done: dict[str, Photo] = {}  # the image's digest -> its Photo

    def photo(self, source: Source, src: str, line: int) -> Photo | Diagnostic:
        """The Photo of the image `src` of a page (`line` for messages), or the problem with it."""
        data = self.read(source, src, line)
        return data if isinstance(data, Diagnostic) else self.publish(data, source, src, line)

    def publish(self, data: bytes, source: Source, src: str, line: int) -> Photo | Diagnostic:
        """An image's bytes -> its Photo, its versions made (or taken from the cache) and kept in files."""
        digest = hashlib.sha256(data + SETTINGS.encode()).hexdigest()[:16]
        if digest not in self.done:
            try:
                versions, made = _header(data) if self.check_only else _processed(data, digest, self.cache)
            except Exception as exc:  # Pillow raises many kinds for a broken or hostile file
                return Diagnostic(
                    source.path,
                    line,
                    f"the image `{src}` cannot be read: {type(exc).__name__}",
                    "is it a JPEG, PNG, GIF or WebP file?",
                )
            self.files.update(made)
            self.done[digest] = Photo(digest, versions[-1].width, versions[-1].height, tuple(versions))
        return self.done[digest]

    def read(self, source: Source, src: str, line: int) -> bytes | Diagnostic:
        return _image_bytes(source, src, line, self.content, self.root, self.max_mb)


def process(articles: list[Article], publisher: Publisher) -> tuple[dict[tuple[str, str], Photo], list[Diagnostic]]:
    """Every photo the articles show -> ({(digest path, src): Photo}, problems); the files are the
    publisher's."""
    photos: dict[tuple[str, str], Photo] = {}
    problems: list[Diagnostic] = []
    for article in articles:
        for block, source in article.sourced_photos():
            key = (source.path, block.image)
            if key in photos:
                continue
            found = publisher.photo(source, block.image, block.lines[0])
            if isinstance(found, Diagnostic):
                problems.append(found)
            else:
                photos[key] = found
    return photos, problems


def _image_bytes(source: Source, src: str, line: int, content: Path, root: Path, max_mb: float) -> bytes | Diagnostic:
    """The bytes of the image an article shows as `src`, or the problem that keeps it out: not a file
    beside the page (a URL, an absolute path, or a way out of content/), missing, or too big."""
    if "://" in src or src.startswith(("/", "\\")) or ".." in PurePosixPath(src).parts:
        return Diagnostic(
            source.path,
            line,
            f"the image `{src}` is not a file beside this page",
            "put the photo in content/ next to the page (or in its "
            "`images:` folder) and write its name, e.g. ![图说](photo.jpg)",
        )
    path = locate(source, src, content)
    try:
        resolved = path.resolve()
        if root not in resolved.parents:
            raise FileNotFoundError
        data = resolved.read_bytes()
    except (OSError, RuntimeError):
        return Diagnostic(
            source.path, line, f"the image `{src}` is missing", f"put it at {path.as_posix()}, or fix its name"
        )
    if len(data) > max_mb * 1024 * 1024:
        return Diagnostic(
            source.path,
            line,
            f"the image `{src}` is {len(data) / 1024 / 1024:.1f} MB, over the limit of {max_mb:g} MB",
            "export a smaller file, or raise image_max_mb in site.yaml",
        )
    return data
