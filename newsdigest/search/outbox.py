"""The outbox: each file of the index handed on as soon as it is made, in the order made, DEFLATEd
in two threads; an update's outbox hands on only the files whose bytes changed."""

from __future__ import annotations

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..hashes import digest
from .codec import deflate


class _Outbox:
    """Hands each file on to `out(path, bytes)` in the order made, and forgets it: a big site's index
    is never held whole, only each file's digest. DEFLATE runs in two threads (zlib lets go of the
    GIL), up to AHEAD files behind the files being made."""

    AHEAD = 256  # files; some 4 MB before DEFLATE

    def __init__(self, out, shas: dict[str, str] | None = None) -> None:
        self.out, self.pool, self.shas = out, ThreadPoolExecutor(2), dict(shas or {})
        self.queue: deque[tuple[str, Any]] = deque()  # (name, bytes or a Future of them)

    def deflate(self, name: str, data: bytes) -> None:
        self.put(name, self.pool.submit(deflate, data))

    def put(self, name: str, job) -> None:
        """A file's bytes, or a Future of them."""
        self.queue.append((name, job))
        while self.queue and (
            len(self.queue) > self.AHEAD or isinstance(self.queue[0][1], bytes) or self.queue[0][1].done()
        ):
            self._send()

    def _send(self) -> None:
        name, job = self.queue.popleft()
        data = job if isinstance(job, bytes) else job.result()
        sha = digest(data)
        if self.shas.get(name) != sha:  # an update sends only what changed
            self.shas[name] = sha
            self.out(name, data)

    def close(self) -> dict[str, str]:
        """Sends what is left; the digest of every file, by name."""
        while self.queue:
            self._send()
        self.pool.shutdown()
        return dict(sorted(self.shas.items()))
