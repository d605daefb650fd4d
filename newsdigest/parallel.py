"""Work shared among the build's processes (--jobs, one per core by default): a map over batches
shared with forked worker processes.

A forked worker starts with everything the parent holds (the site, the presenter's caches), so
nothing but results travels, pickled, back through a pipe. The parent takes part: it does every
jobs-th batch itself (every other one with jobs=2), the jobs - 1 workers the rest. Work functions
report their own failures as values; an exception escaping one, or a worker dying, fails the whole map.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import BinaryIO, Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class WorkerFailed(Exception):
    pass


def batched_map(
    work: Callable[[list[T]], list[R]],
    items: list[T],
    jobs: int,
    batch: int,
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """work(chunk) for consecutive chunks of `batch` items, concatenated in item order.

    With jobs > 1, worker k (k = 1 … jobs-1) takes chunks k, k+jobs, …; `progress(done)` is called as
    the parent's own chunks are done (items done, all processes together, roughly)."""
    chunks = [items[i : i + batch] for i in range(0, len(items), batch)]
    jobs = max(1, min(jobs, len(chunks)))
    workers = [_fork(work, chunks[k::jobs]) for k in range(1, jobs)]
    results: list = [None] * len(chunks)
    failure: BaseException | None = None
    try:
        for n in range(0, len(chunks), jobs):
            results[n] = work(chunks[n])
            if progress:
                progress(min(len(items), (n + jobs) * batch))
    except BaseException as exc:  # the workers are reaped first
        failure = exc
    for k, (pid, reader) in enumerate(workers, 1):
        outcome = _reap(pid, _read_all(reader))
        if isinstance(outcome, WorkerFailed):
            failure = failure or outcome
            continue
        for n, result in zip(range(k, len(chunks), jobs), outcome):
            results[n] = result
    if failure:
        raise failure
    return [result for chunk in results for result in chunk]


def background(work: Callable[[], R], jobs: int) -> Callable[[], R]:
    """work() in a forked child beside what the parent does next (with jobs > 1; else here, now):
    returns the function that waits for it and gives its result. A thread of the parent reads the
    result as it comes, so the child ends (and gives its memory back) as soon as it is done, not
    when the parent asks (a result is often bigger than the pipe's buffer)."""
    if jobs <= 1:
        result = work()
        return lambda: result
    pid, reader = _fork(lambda chunk: work(), [[]])
    received: list[bytes] = []
    drain = threading.Thread(target=lambda: received.append(_read_all(reader)), daemon=True)
    drain.start()

    def wait() -> R:
        drain.join()
        outcome = _reap(pid, received[0] if received else b"")  # none: reading the pipe failed
        if isinstance(outcome, WorkerFailed):
            raise outcome
        return outcome[0]

    wait.pid = pid  # type: ignore[attr-defined]  # for the tests
    return wait


def _read_all(reader: BinaryIO) -> bytes:
    with reader:
        return reader.read()


def _reap(pid: int, data: bytes) -> list | WorkerFailed:
    """A child's results (one per chunk, pickled in `data`, all it sent), once it has ended; its
    failure, as a WorkerFailed, if it failed."""
    _, status = os.waitpid(pid, 0)
    try:
        outcome = pickle.loads(data) if status == 0 else None
    except Exception:  # cut short
        outcome = None
    if not isinstance(outcome, list):
        return WorkerFailed(f"a worker process failed: {outcome or f'exit status {status}'}")
    return outcome


def _fork(work: Callable[[list[T]], R], chunks: list[list[T]]) -> tuple[int, BinaryIO]:
    """Start a child doing `work` on each chunk; returns (pid, the pipe its results come back on)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, os.fdopen(read_end, "rb")
    os.close(read_end)  # the child, from here on: it never returns
    outcome: list[R] | str
    try:
        try:
            outcome = [work(chunk) for chunk in chunks]
        except BaseException as exc:  # said by the parent (as text: an exception may not pickle)
            outcome = f"{type(exc).__name__}: {exc}"
        with os.fdopen(write_end, "wb") as out:
            out.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os._exit(0)  # nothing of the parent's (atexit handlers, buffers) runs twice
