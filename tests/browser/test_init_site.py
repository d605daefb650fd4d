"""A site made by `python build.py init` builds, reads clean in `check`, and passes the browser
suite's checks: no console error or failed request, no request to another host, no serious axe
violation, no Nu HTML Checker error."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SUB_PATH, serve

from .conftest import Visitor
from .reader_support import AXE, PHONE, nu_errors, require

BUILD = ROOT / "build.py"


def run(*args, cwd):
    return subprocess.run([sys.executable, str(BUILD), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def init_site(tmp_path_factory):
    """(site folder, served base URL) of a new site made by init, built from inside its folder."""
    folder = tmp_path_factory.mktemp("init") / "paper"
    made = run("init", str(folder), "--title", "山城晚报", "--base-url", f"https://example.org{SUB_PATH}", cwd=ROOT)
    assert made.returncode == 0, made.stderr
    built = run(cwd=folder)
    assert built.returncode == 0 and not built.stderr, built.stderr
    server, url = serve(folder / "site")
    yield folder, url
    server.shutdown()


@pytest.fixture(scope="module")
def visitor(browser, init_site):
    origin = init_site[1].split(SUB_PATH)[0]
    context = browser.new_context(viewport={"width": PHONE, "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    context.route(lambda url: not url.startswith(origin + "/"), lambda route: route.abort())
    visitor = Visitor(context, origin)
    yield visitor
    visitor.close()
    context.close()


def html_files(folder):
    return sorted(p.relative_to(folder / "site").as_posix() for p in (folder / "site").rglob("*.html"))


def url_of(base: str, rel: str) -> str:
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def test_check_finds_no_doubt(init_site):
    checked = run("check", "--strict", "--format", "json", cwd=init_site[0])
    assert checked.returncode == 0, checked.stdout + checked.stderr
    report = json.loads(checked.stdout)
    assert report["doubts"] == [] and len(report["pages"]) == 1


def test_every_page_loads_clean_and_only_from_its_own_server(init_site, visitor):
    folder, base = init_site
    files = html_files(folder)
    assert "index.html" in files and any(f.startswith("regions/") for f in files), files
    problems = []
    for rel in files:
        seen = visitor.visit(url_of(base, rel), allow_404=(rel == "404.html"))
        problems += [f"{rel}: {p}" for p in seen.console_errors + seen.failed + seen.foreign]
        if seen.lang != "zh-CN" or seen.h1_count != 1:
            problems.append(f"{rel}: lang {seen.lang}, {seen.h1_count} h1")
    assert not problems, "\n".join(problems)


def test_axe_finds_no_serious_violation(init_site, visitor):
    require(AXE, "axe-core")
    folder, base = init_site
    files = html_files(folder)
    article = next(f for f in files if '"@type":"NewsArticle"' in (folder / "site" / f).read_text(encoding="utf-8"))
    region = next(f for f in files if f.startswith("regions/") and f != "regions/index.html")
    page = visitor.page
    bad = []
    for rel in ("index.html", article, region, "topics/index.html"):
        page.goto(url_of(base, rel))
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("() => axe.run()")
        assert results["passes"], "axe ran no rule"
        bad += [
            f"{rel}: {v['id']} ({v['impact']})" for v in results["violations"] if v["impact"] in ("serious", "critical")
        ]
    assert not bad, "\n".join(bad)


def test_nu_html_checker_finds_no_error(init_site):
    folder = init_site[0] / "site"
    errors = nu_errors([str(folder / rel) for rel in html_files(init_site[0])], folder)
    assert not errors, "\n".join(errors)
