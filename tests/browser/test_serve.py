"""`build.py serve` in a real browser: an edit shows up in the open page by itself, a broken edit
shows its error over the last good page, and the reload script never reaches a built site."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .reader_support import ROOT

ARTICLE = "2025/03/18/chanye-conglin-jiqun-pangao/"
SOURCE = "content/2025/03/2025-03-18-a5.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(project):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "serve",
            "--port",
            str(port),
            "--base-url",
            "https://example.org/repo/",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/repo/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"serve did not start: {process.communicate()[1]}")
    yield project, base
    process.terminate()
    process.wait(5)


def edit(project, old: str, new: str) -> None:
    path = project / SOURCE
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_an_edited_headline_appears_in_the_open_page_within_two_seconds(server, browser):
    project, base = server
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + ARTICLE)
    assert page.inner_text("h1") == "产业丛林集群攀高 宁波如何 孵出更多“独角兽”"
    page.wait_for_timeout(300)  # let the event stream connect
    # the slug comes from the headline's first words: an edit further on keeps the page's URL
    edit(project, "宁波如何 孵出更多“独角兽”", "宁波怎样孵化更多独角兽")
    page.wait_for_function("document.querySelector('h1').textContent.endsWith('宁波怎样孵化更多独角兽')", timeout=2000)

    edit(project, "date: 2025-03-18", "date: 2025-02-30")  # a broken edit
    page.wait_for_selector("#newsdigest-error", timeout=2000)
    assert "`date: 2025-02-30` is not a date" in page.inner_text("#newsdigest-error")
    assert page.inner_text("h1").endswith("宁波怎样孵化更多独角兽")  # the last good page stays
    with urllib.request.urlopen(base + ARTICLE) as response:  # and is still what the server serves
        assert "宁波怎样孵化更多独角兽" in response.read().decode()

    edit(project, "date: 2025-02-30", "date: 2025-03-18")  # fixed: the page reloads, the error goes
    page.wait_for_function("!document.getElementById('newsdigest-error')", timeout=2000)
    assert errors == []
    page.close()


def test_the_reload_script_is_only_in_serve_mode(sample_site):
    for path in sample_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "__reload" not in text and "EventSource" not in text, path
