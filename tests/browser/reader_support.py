"""Paths and settings the browser fixtures and tests share (one module, imported by both)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "tests" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = ROOT / "test-artifacts"
INSTALL = "run `sh tests/install.sh` to install the test tools"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE, DESKTOP = 360, 1280
WIDTHS = (PHONE, DESKTOP)


def require(path: Path, what: str) -> Path:
    if not path.exists():
        pytest.fail(f"{what} is missing at {path}: {INSTALL}", pytrace=False)
    return path


def nu_errors(files: list[str], folder: Path) -> list[str]:
    """The Nu HTML Checker's errors (fatal ones included) in `files`, each as `path:line: message`
    with the path relative to `folder`; it fails the test when the checker cannot run."""
    require(VNU, "the Nu HTML Checker (vnu-jar)")
    try:
        run = subprocess.run(
            ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except FileNotFoundError:
        pytest.fail(f"java is missing: {INSTALL}", pytrace=False)
    report = json.loads(run.stderr or run.stdout)
    errors = [
        m for m in report["messages"] if m.get("type") in ("error", "non-document-error") or m.get("subType") == "fatal"
    ]
    found = [f"{m.get('url', '').rsplit(str(folder), 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in errors]
    if not found:
        assert run.returncode == 0, run.stderr[-2000:]
    return found
