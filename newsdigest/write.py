"""Step 6, write: file bytes -> the output folder, replaced atomically.

The new site is written beside the old one, then swapped in with one atomic rename-exchange
(Linux renameat2), so a reader or a killed build never sees half a site.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

RENAME_EXCHANGE = 2
MARKER = ".newsdigest"  # written into every site: an output folder without it is someone else's
_AT_FDCWD = -100


class OutputError(Exception):
    pass


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths. False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def check_output(output: Path, protected: list[Path], force: bool = False) -> None:
    """Refuse an output folder whose replacement would destroy someone's work: /, the home folder,
    the project, content or theme folder (or one holding them), or a folder of files the generator
    did not write (unless forced)."""
    target = output.resolve()
    for danger in [Path("/"), Path.home(), *protected]:
        danger = danger.resolve()
        if target == danger or target in danger.parents:
            raise OutputError(f"refusing to write the site to {output}: it would replace {danger}")
    if target.exists() and not target.is_dir():
        raise OutputError(f"refusing to write the site to {output}: it is a file, not a folder")
    if not force and target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise OutputError(f"refusing to write the site to {output}: it holds files newsdigest did not write "
                          "(pass --force to replace them all)")


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write(files: dict[str, bytes], output: Path) -> list[str]:
    """Write `files` (relative path -> bytes) as the new content of `output`, and return the paths
    whose bytes changed. A file whose bytes are unchanged is hard-linked from the old site, not
    written again (files are never changed in place, so sharing them is safe)."""
    output = output.absolute()
    parent = output.parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{output.name}.*.tmp"):  # left by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    staging = parent / f".{output.name}.{os.getpid()}.tmp"
    files = dict(files, **{MARKER: b"This folder is written by newsdigest and replaced by every build.\n"})
    changed = []
    for rel in sorted(files):
        path, old = staging / rel, output / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if _same(old, files[rel]):
            try:
                os.link(old, path)
                continue
            except OSError:
                pass
        path.write_bytes(files[rel])
        if rel != MARKER:
            changed.append(rel)
    if output.exists() and _exchange(staging, output):
        shutil.rmtree(staging)  # now holds the old site
        return changed
    if output.exists():
        old = parent / f".{output.name}.{os.getpid()}.old.tmp"
        output.rename(old)
        staging.rename(output)
        shutil.rmtree(old)
    else:
        staging.rename(output)
    return changed
