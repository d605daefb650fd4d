"""parallel.py: the forked background process and the batched map."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsdigest import parallel


def state(pid: int) -> str:
    """A process's state letter (Z: ended, not yet waited for)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def test_a_background_child_ends_as_soon_as_its_work_is_done():
    """Its result (bigger than a pipe's buffer) is read as it comes: the child does not sit on its
    memory until the parent asks for the result."""
    wait = parallel.background(lambda: b"x" * 4_000_000, jobs=2)
    deadline = time.monotonic() + 20
    while state(wait.pid) != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert state(wait.pid) == "Z"
    assert wait() == b"x" * 4_000_000


def test_a_background_childs_failure_is_raised_by_the_wait():
    def fail():
        raise ValueError("no such page")

    wait = parallel.background(fail, jobs=2)
    with pytest.raises(parallel.WorkerFailed, match="no such page"):
        wait()


def test_the_batched_map_keeps_the_items_order():
    assert parallel.batched_map(lambda chunk: [x * 2 for x in chunk], list(range(25)), 2, 4) == [
        x * 2 for x in range(25)
    ]
