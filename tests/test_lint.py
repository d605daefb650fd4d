"""The code's habits, checked with every test run (and so by CI): ruff's lint and format, and mypy.

Settings in pyproject.toml: line length 120, complexity at most 15, rules E F W I C90 B; mypy over
the package. The sizes the project keeps (no module over 400 lines, no function over 60) are
checked here too."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from conftest import ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("command", [("ruff", "check", "."), ("ruff", "format", "--check", "."), ("mypy",)])
def test_the_code_passes(command):
    done = run(*command)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_or_function_is_too_long():
    too_long = []
    for path in sorted((ROOT / "newsdigest").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}(): {length} lines")
    assert not too_long, "\n".join(too_long)
