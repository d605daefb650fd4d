"""One build at a time per output folder, and plain words for the system's refusals while writing.

Two builds of one output folder (a save hook and a hand build, say) would each recover, stage and
swap the other's files. A build therefore holds an advisory lock (fcntl.flock) on a small file in
the cache folder, named after the output folder, for as long as it reads and writes that folder. A
second build waits for it, saying whom it waits for (the holder writes its pid and start time
into the file), and gives up with a plain error after WAIT_SECONDS. The system releases the lock
when its holder ends, however it ends (killed too): a lock is never left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

WAIT_SECONDS = 600.0  # how long a build waits for another build of the same output folder
POLL_SECONDS = 0.1


class Busy(Exception):
    """Another build kept the output folder past WAIT_SECONDS."""


def _lock_path(output: Path, cache_folder: Path) -> Path:
    name = hashlib.blake2b(str(output.absolute()).encode(), digest_size=8).hexdigest()
    return cache_folder / "locks" / f"{name}.lock"


def _open(output: Path, cache_folder: Path) -> int:
    """The lock file's descriptor: in the cache folder, else (a read-only project) the temporary folder."""
    path = _lock_path(output, cache_folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"newsdigest-{os.getuid()}-{path.name}"
        return os.open(fallback, os.O_RDWR | os.O_CREAT, 0o600)


def _holder(fd: int) -> str:
    """Who holds the lock, as its holder wrote it: "pid N, running since HH:MM:SS"."""
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 200, 0).decode("utf-8")
        pid, since = text.split()[:2]
        return f"pid {int(pid)}, running since {since}"
    return "another process"


@contextlib.contextmanager
def hold(output: Path, cache_folder: Path, say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the block; waits for another build that holds it."""
    fd = _open(output, cache_folder)
    try:
        _acquire(fd, output, say)
        since = dt.datetime.now().astimezone().strftime("%Y-%m-%dT%H:%M:%S")
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {since}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int, output: Path, say: Callable[[str], None] | None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return  # a file system without locks: build unguarded, as before
        holder = _holder(fd)
        if time.monotonic() >= deadline:
            raise Busy(
                f"another build of {output} ({holder}) is still writing it after {WAIT_SECONDS:g} s; "
                "nothing was changed"
            )
        if not told and say:
            say(f"waiting for another build of {output} to finish ({holder})")
            told = True
        time.sleep(POLL_SECONDS)


PLAIN = {
    errno.ENOSPC: ("the disk is full while writing {path}", "free some space and build again"),
    errno.EDQUOT: ("the disk quota is used up while writing {path}", "free some space and build again"),
    errno.EROFS: (
        "cannot write {path}: its file system is read-only",
        "make it writable, or build into another folder with --output",
    ),
    errno.EACCES: (
        "permission denied while writing {path}",
        "make its folder writable for you, or build into another folder with --output",
    ),
    errno.EPERM: (
        "the system does not permit writing {path}",
        "make its folder writable for you, or build into another folder with --output",
    ),
}


def plain(exc: OSError, shown: Callable[[str], str] = str) -> tuple[str, str]:
    """(message, hint) for a refusal of the system met while writing; `shown` turns the path the
    system named into the one to show (a staging folder's path into the site's)."""
    path = shown(os.fsdecode(exc.filename)) if exc.filename else "the output folder"
    message, hint = PLAIN.get(exc.errno or 0, ("cannot write {path}: " + (exc.strerror or str(exc)), "fix it"))
    return message.format(path=path), hint if hint != "fix it" else "fix it and build again"


def refusal(exc: OSError, output: Path) -> tuple[str, str]:
    """(message, hint) for what the system refused while building into `output`, a path in its
    staging folder shown as the site's own."""
    from .model import shown_path

    staging = f"{output.absolute().parent}/.{output.name}."

    def shown(path: str) -> str:
        if path.startswith(staging):  # its staging folder, old folder or journal
            rest = path[len(staging) :].partition(".tmp")[2]
            return f"{shown_path(output)}{rest or '/'}"
        return shown_path(Path(path))

    message, hint = plain(exc, shown)
    if (output.absolute().parent / f".{output.name}.journal").exists():
        return f"{message}: {hint}", "the update of the site was cut short: the next build finishes it"
    return f"{message}: {hint}", f"{shown_path(output)} was left as it was"
