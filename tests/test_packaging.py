"""An installed newsdigest, with no clone beside it, makes a new site with `init` and builds it (#18):
the theme and the Pages workflow travel in the package (pyproject.toml maps them in)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "requirements.txt", "newsdigest", "theme", ".github/workflows/pages.yml")


def can_make_wheels() -> bool:
    """setuptools makes wheels by itself from 70.1 on; before, with the `wheel` package."""
    return any(importlib.util.find_spec(name) for name in ("wheel", "setuptools.command.bdist_wheel"))


def install(work: Path) -> Path:
    """The working tree installed into work/installed, as its wheel lays it out, with nothing fetched:
    by pip when this setuptools makes wheels, else by setuptools' build step (what a wheel holds)."""
    source, target = work / "source", work / "installed"
    for name in SOURCES:  # a copy: building writes build/ and *.egg-info beside the sources
        path, copy = ROOT / name, source / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            shutil.copytree(path, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, copy)
    if can_make_wheels():
        pip = ["-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
        command = [*pip, "--target", str(target), str(source)]
    else:
        build = ["build", "--build-base", str(work / "build"), "--build-lib", str(target)]
        command = ["-c", "from setuptools import setup; setup()", "-q", *build]
    made = subprocess.run([sys.executable, *command], cwd=source, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stdout + made.stderr
    return target


def files(folder: Path) -> list[str]:
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def test_an_installed_newsdigest_makes_a_site_that_builds(tmp_path):
    installed = install(tmp_path)
    modules = [name for name in files(ROOT / "newsdigest") if name.endswith(".py")]
    assert [name for name in files(installed / "newsdigest") if name.endswith(".py")] == modules

    def python(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(installed)}  # the installed copy only: not the repository
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)

    where = python("-c", "import newsdigest; print(newsdigest.__file__)", cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout + where.stderr

    site = tmp_path / "paper"
    made = python("-m", "newsdigest", "init", str(site), "--title", "山城晚报", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert files(site / "theme") == files(ROOT / "theme")  # the site owns a copy of the shipped theme
    assert "python -m newsdigest --base-url" in (site / ".github/workflows/pages.yml").read_text(encoding="utf-8")

    built = python("-m", "newsdigest", "-q", cwd=site)
    assert built.returncode == 0 and not built.stderr, built.stderr
    home = (site / "site" / "index.html").read_bytes()
    assert "山城晚报" in home.decode("utf-8")

    shutil.rmtree(site / "theme")  # a site without a theme/ of its own builds with the shipped one, silently
    rebuilt = python("-m", "newsdigest", "--no-cache", cwd=site)
    assert rebuilt.returncode == 0 and not rebuilt.stderr, rebuilt.stderr
    assert rebuilt.stdout.startswith("built ") and rebuilt.stdout.count("\n") == 1, rebuilt.stdout
    assert (site / "site" / "index.html").read_bytes() == home
