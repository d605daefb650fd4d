"""Shared fixtures: the repository's paths, the sample source, a built sample site and a server for it."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from newsdigest import config as config_module
from newsdigest import load, pipeline

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "2025" / "03" / "2025-03-18-a5.md"
SUB_PATH = "/repo/"


def sample_options(output: Path, base_url: str | None = None) -> pipeline.Options:
    return pipeline.Options(
        content=ROOT / "content", output=output, config=ROOT / "site.yaml", theme=ROOT / "theme", base_url=base_url
    )


@pytest.fixture(scope="session")
def sample_config():
    cfg, _ = config_module.load(ROOT / "site.yaml")
    return cfg


@pytest.fixture(scope="session")
def sample_source():
    source, problems = load.parse(
        SAMPLE.read_bytes(), "2025/03/2025-03-18-a5.md", "content/2025/03/2025-03-18-a5.md", "宁波日报"
    )
    assert source is not None, problems
    return source


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site, built once for the session, published under a sub-path (/repo/)."""
    output = tmp_path_factory.mktemp("built") / "site"
    result = pipeline.build(sample_options(output, base_url=f"https://example.org{SUB_PATH}"))
    assert result.ok, [d.format() for d in result.diagnostics]
    return output


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's folder under SUB_PATH only, as GitHub Pages serves a project site."""

    def translate_path(self, path):
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SUB_PATH):
            return str(Path(self.directory) / "__outside_the_sub_path__")
        return super().translate_path("/" + clean[len(SUB_PATH) :])

    def send_error(self, code, message=None, explain=None):
        if code == 404:  # as GitHub Pages does: the site's 404.html, with status 404
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


def serve(folder: Path):
    handler = functools.partial(_SubPathHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"


@pytest.fixture(scope="session")
def served_site(sample_site):
    """(site folder, base URL) of the sample site served over HTTP at http://127.0.0.1:PORT/repo/."""
    server, url = serve(sample_site)
    yield sample_site, url
    server.shutdown()


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the sample project (site.yaml, content/, theme/) to break in a test."""
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "site.yaml", tmp_path / "site.yaml")
    return tmp_path
