"""Two builds at once, a full disk, a read-only or forbidden output folder: plain errors, whole sites."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from test_robustness import build
from test_site import digest

from newsdigest import lock, write


def command(project, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), *args]


def test_two_builds_at_once_wait_for_each_other(project):
    """A save hook and a hand build started together: both succeed, one after the other."""
    (project / "content" / "2025" / "03" / "2025-03-18-a5.md").write_text(
        (ROOT / "content/2025/03/2025-03-18-a5.md").read_text(encoding="utf-8").replace("宁波", "甬城"),
        encoding="utf-8",
    )
    runs = [
        subprocess.Popen(command(project, "--no-cache"), cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outcomes = [(run.wait(timeout=120), run.stdout.read().decode(), run.stderr.read().decode()) for run in runs]
    for code, out, err in outcomes:
        assert code == 0, err
        assert "Traceback" not in err and "internal error" not in err and "journal" not in err
        assert out.startswith("built ")
    waited = [err for _, _, err in outcomes if "waiting for another build of site to finish (pid " in err]
    assert len(waited) <= 1 and all(", running since " in err for err in waited)
    assert build(project, "--output", "cold", "--cache-dir", "cold-cache") == 0
    assert digest(project / "site") == digest(project / "cold")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []  # no staging left


def test_a_build_waits_then_refuses_clearly(project, capsys, monkeypatch):
    assert build(project) == 0
    before = digest(project / "site")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.5)
    os.chdir(project)  # the lock is named after the output folder's absolute path
    try:
        with lock.hold(project / "site", project / ".cache" / "newsdigest"):
            started = time.monotonic()
            assert build(project, "--no-cache") == 1
            assert time.monotonic() - started >= 0.5
    finally:
        os.chdir(ROOT)
    err = capsys.readouterr().err
    assert f"waiting for another build of site to finish (pid {os.getpid()}, running since " in err
    assert f"error: another build of site (pid {os.getpid()}, running since " in err
    assert "hint: wait for that build to end (or stop it), then build again" in err
    assert "Traceback" not in err and "internal error" not in err
    assert digest(project / "site") == before
    assert build(project, "--no-cache") == 0  # the lock went with its holder


def _change(project) -> None:
    page = project / "content" / "2025" / "03" / "2025-03-18-a5.md"
    page.write_text(page.read_text(encoding="utf-8").replace("宁波", "甬城"), encoding="utf-8")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_a_plain_error_and_the_site_is_unchanged(project, capsys, monkeypatch, jobs):
    """ENOSPC from write(), as a full disk gives it (in the parent or in a worker process)."""
    assert build(project) == 0
    before = digest(project / "site")
    _change(project)
    real_open = open

    def full(path, mode="r", *args, **kwargs):
        file = real_open(path, mode, *args, **kwargs)
        if "w" in mode and str(path).endswith(".html"):
            file.close()
            raise OSError(errno.ENOSPC, "No space left on device")
        return file

    monkeypatch.setattr(write, "open", full, raising=False)
    assert build(project, "--jobs", jobs) == 1
    err = capsys.readouterr().err
    assert "error: the disk is full while writing site/" in err and ".html: free some space and build again" in err
    assert "hint: site was left as it was" in err
    assert "Traceback" not in err and "internal error" not in err and "Errno" not in err
    assert digest(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_a_forbidden_output_folder_is_a_plain_error(project, capsys, monkeypatch):
    assert build(project) == 0
    before = digest(project / "site")
    _change(project)

    def forbidden(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self.staging))

    monkeypatch.setattr(write.Writer, "start", forbidden)
    assert build(project) == 1
    err = capsys.readouterr().err
    assert "error: permission denied while writing site/: make its folder writable for you" in err
    assert "Traceback" not in err and "internal error" not in err
    assert digest(project / "site") == before


@pytest.fixture
def tmpfs(tmp_path):
    """A tiny tmpfs of 2 MB mounted in a temporary folder (as root, as in CI); skipped where impossible."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_really_full_disk(project, tmpfs):
    site = tmpfs / "site"
    assert subprocess.run(command(project, "--output", str(site)), cwd=project, capture_output=True).returncode == 0
    before = digest(site)
    free = os.statvfs(tmpfs).f_bavail * os.statvfs(tmpfs).f_frsize
    (tmpfs / "filler").write_bytes(b"\0" * max(0, free - 16 * 1024))
    _change(project)
    done = subprocess.run(command(project, "--output", str(site)), cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    assert "error: the disk is full while writing mnt/site/" in done.stderr
    assert ": free some space and build again" in done.stderr and "hint: mnt/site was left as it was" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert digest(site) == before
    assert sorted(p.name for p in tmpfs.iterdir()) == ["filler", "site"]


def test_a_read_only_output_folder(project, tmpfs):
    site = tmpfs / "site"
    assert subprocess.run(command(project, "--output", str(site)), cwd=project, capture_output=True).returncode == 0
    before = digest(site)
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    _change(project)
    done = subprocess.run(command(project, "--output", str(site)), cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    assert "error: cannot write mnt/site" in done.stderr and "its file system is read-only" in done.stderr
    assert "make it writable, or build into another folder with --output" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert digest(site) == before
