"""Bad input gets a clear error and changes nothing; paths cannot escape; crashes leave the site whole;
builds are deterministic whatever the hash seed, locale or file order."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT
from helpers import sample_page_without_scan
from test_site import digest

from newsdigest import cli


def build(project: Path, *args: str) -> int:
    """Run the command line in-process in `project`; returns the exit code."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return cli.main(list(args))
    finally:
        os.chdir(cwd)


@pytest.fixture
def built(project):
    """The sample project, built once: returns (project, digest of its site)."""
    assert build(project) == 0
    return project, digest(project / "site")


def write(project: Path, name: str, data: str | bytes) -> Path:
    path = project / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


BAD_CONTENT = [
    (
        "front matter not YAML",
        "2025-03-19-a.md",
        "---\ndate: 2025-03-19\npage: [A1\n---\n# 题\n",
        "content/2025-03-19-a.md:3: error: this is not valid YAML",
    ),
    (
        "front matter not a mapping",
        "2025-03-19-a.md",
        "---\n- a\n- b\n---\n# 题\n",
        "content/2025-03-19-a.md:2: error: front matter must be `key: value` lines",
    ),
    (
        "unclosed front matter",
        "2025-03-19-a.md",
        "---\ndate: 2025-03-19\n# 题\n",
        "content/2025-03-19-a.md:1: error: the front matter opened by `---` is never closed\n"
        "  hint: add a line `---` after the last front matter line",
    ),
    (
        "date not a date",
        "a.md",
        "---\ndate: 2025-13-45\n---\n# 题\n",
        "content/a.md:2: error: `date: 2025-13-45` is not a date\n  hint: write it as YYYY-MM-DD",
    ),
    (
        "impossible date",
        "a.md",
        "---\ndate: 2025-02-30\n---\n# 题\n",
        "content/a.md:2: error: `date: 2025-02-30` is not a date",
    ),
    (
        "list where text belongs",
        "2025-03-19-a.md",
        "---\npublication: [甲, 乙]\n---\n# 题\n",
        "content/2025-03-19-a.md:2: error: `publication` must be text, not a list",
    ),
    (
        "GBK file",
        "2025-03-19-a.md",
        "# 宁波新闻\n\n正文。\n".encode("gb18030"),
        "content/2025-03-19-a.md:1: error: this file is GBK/GB18030-encoded, not UTF-8\n  hint: re-save it as UTF-8",
    ),
    (
        "NUL bytes",
        "2025-03-19-a.md",
        b"# a\n\nb\x00c\n",
        "content/2025-03-19-a.md:3: error: this file holds NUL bytes: it is binary, not text",
    ),
    (
        "binary file",
        "2025-03-19-a.md",
        bytes(range(128, 256)) * 40,
        "content/2025-03-19-a.md:1: error: this file is not UTF-8 text",
    ),
    (
        "YAML alias loop in front matter",
        "2025-03-19-a.md",
        "---\ntitle: &x [*x]\n---\n# 题\n",
        "content/2025-03-19-a.md:2: error: a YAML alias (*name) here refers to itself",
    ),
]


@pytest.mark.parametrize("what,name,data,message", BAD_CONTENT, ids=[c[0] for c in BAD_CONTENT])
def test_bad_content_is_a_clear_error_and_the_site_is_unchanged(built, capsys, what, name, data, message):
    project, before = built
    write(project, name, data)
    assert build(project) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and "build failed: 1 error(s); site was not changed" in err
    assert digest(project / "site") == before


def test_symlink_loop_is_an_error(built, capsys):
    project, before = built
    os.symlink("loop.md", project / "content" / "loop.md")
    os.symlink("..", project / "content" / "up")  # a folder loop: not followed
    assert build(project) == 1
    assert "content/loop.md: error: cannot read this file: Too many levels of symbolic links" in capsys.readouterr().err
    assert digest(project / "site") == before


WARNINGS = [
    ("empty file", "2025-03-19-a.md", "", "content/2025-03-19-a.md:1: warning: this page is empty"),
    (
        "only headlines",
        "2025-03-19-a.md",
        "# 一\n## 二\n",
        "content/2025-03-19-a.md:2: warning: this headline has no text",
    ),
    (
        "no headline",
        "2025-03-19-a.md",
        "一段话。\n\n又一段。\n",
        "content/2025-03-19-a.md:1: warning: this page has no headline",
    ),
    (
        "unknown front matter key",
        "2025-03-19-a.md",
        "---\nauthor: x\n---\n# 题\n\n文。\n",
        "content/2025-03-19-a.md:2: warning: unknown front matter key `author` (ignored)",
    ),
]


@pytest.mark.parametrize("what,name,data,message", WARNINGS, ids=[c[0] for c in WARNINGS])
def test_doubtful_content_builds_with_a_warning(project, capsys, what, name, data, message):
    write(project, name, data)
    assert build(project) == 0
    assert message in capsys.readouterr().err


def test_huge_inputs_build(project):
    paragraph = "宁波企业加快技术创新，推动产业升级。" * 20
    write(project, "2025-03-19-big.md", "# 大文件\n\n" + "\n\n".join([paragraph] * 7000))  # about 5 MB
    write(project, "2025-03-19-line.md", "# 长行\n\n" + "长" * 20_000 + "\n")
    assert (project / "content/2025-03-19-big.md").stat().st_size > 5_000_000
    assert build(project) == 0
    assert "长" * 20_000 in (project / "site/2025/03/19/zhangxing/index.html").read_text(encoding="utf-8")


BAD_CONFIG = [
    (
        "topic without slug",
        "content/topics.yaml",
        "- name: 科技\n  keywords: [科技]\n",
        "content/topics.yaml:1: error: topic «科技» has no valid `slug`",
    ),
    (
        "two regions with one slug",
        "content/regions.yaml",
        "- name: 甲\n  slug: a\n- name: 乙\n  slug: a\n",
        "content/regions.yaml:3: error: two regions have the slug `a`",
    ),
    (
        "a cycle in the region tree",
        "content/regions.yaml",
        "- &top\n  name: 甲\n  slug: a\n  children: [*top]\n",
        "content/regions.yaml:1: error: a YAML alias (*name) here refers to itself",
    ),
    (
        "missing template",
        "theme/templates/term.html",
        None,
        "theme/templates/term.html: error: template `term.html` is missing",
    ),
    (
        "template syntax error",
        "theme/templates/term.html",
        "{% if %}\n",
        "term.html:1: error: template syntax error: Expected an expression",
    ),
    (
        "template runtime error",
        "theme/templates/term.html",
        "{% extends 'base.html' %}\n{% block main %}\n{{ nothing.here }}\n{% endblock %}\n",
        "theme/templates/term.html:3: error: template error while rendering topics/",
    ),
    ("not YAML", "site.yaml", "title: [\n", "site.yaml:2: error: this is not valid YAML"),
]


@pytest.mark.parametrize("what,name,data,message", BAD_CONFIG, ids=[c[0] for c in BAD_CONFIG])
def test_bad_config_or_theme_is_a_clear_error(built, capsys, what, name, data, message):
    project, before = built
    if data is None:
        (project / name).unlink()
    else:
        (project / name).write_text(data, encoding="utf-8")
    assert build(project) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert digest(project / "site") == before


@pytest.mark.parametrize("target", ["/", "~", ".", "content", "theme", ".."])
def test_dangerous_output_folders_are_refused(project, capsys, target):
    output = str(Path(target).expanduser())
    assert build(project, "--output", output) == 1
    assert f"refusing to write the site to {output}" in capsys.readouterr().err
    assert (project / "content" / "topics.yaml").exists() and (project / "theme" / "templates").exists()


def test_a_folder_of_someone_elses_files_needs_force(project, capsys):
    (project / "notes").mkdir()
    (project / "notes" / "mine.txt").write_text("important", encoding="utf-8")
    assert build(project, "--output", "notes") == 1
    assert "holds files newsdigest did not write (pass --force" in capsys.readouterr().err
    assert (project / "notes" / "mine.txt").exists()
    assert build(project, "--output", "notes", "--force") == 0
    assert not (project / "notes" / "mine.txt").exists() and (project / "notes" / "index.html").exists()
    assert build(project, "--output", "notes") == 0  # its own site now: no --force needed


@pytest.mark.parametrize("override", ["../../etc", "/abs", "a\\\\b", "con", "x" * 200, "C:"])
def test_slugs_from_the_source_cannot_leave_the_site(project, capsys, override):
    write(project, "2025-03-19-a.md", f"# 标题 {{slug={override}}}\n\n正文。\n")
    code = build(project)
    site = (project / "site").resolve()
    written = [p.resolve() for p in site.rglob("*")]
    assert all(site in p.parents for p in written)
    if code == 0:  # rewritten to something safe
        assert override == "con" and (site / "2025/03/19/con-1/index.html").exists()
    else:
        assert "is not a slug" in capsys.readouterr().err


def test_sigkill_at_random_moments_leaves_the_previous_site_whole(tmp_path):
    """Kill builds of a 150-page site at random moments; the site stays the last good one."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    page = sample_page_without_scan()
    for n in range(150):
        day = f"2025-04-{n % 28 + 1:02d}"
        (content / f"{day}-p{n}.md").write_text(
            page.replace("page: A5", f"page: A{n}").replace("2025-03-18", day), encoding="utf-8"
        )
    command = [
        sys.executable,
        str(ROOT / "build.py"),
        "--content",
        str(content),
        "--output",
        str(tmp_path / "site"),
        "--config",
        str(ROOT / "site.yaml"),
        "--theme",
        str(ROOT / "theme"),
    ]
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    good = digest(tmp_path / "site")
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    full = time.perf_counter() - started
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
        time.sleep(rng.uniform(0.2, 1.0) * full)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert digest(tmp_path / "site") == good
    subprocess.run(command, check=True, capture_output=True, cwd=tmp_path)
    assert digest(tmp_path / "site") == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no staging folder left over


def test_builds_are_identical_across_hash_seeds_locales_and_file_order(tmp_path):
    outputs = []
    for n, (seed, locale, order) in enumerate([("1", "C.UTF-8", 1), ("4242", "C", -1)]):
        project = tmp_path / f"p{n}"
        for name in ("theme", "content")[::order]:
            files = sorted((ROOT / name).rglob("*"))[::order]
            for path in files:
                target = project / path.relative_to(ROOT)
                if path.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, target)
        shutil.copy(ROOT / "site.yaml", project / "site.yaml")
        env = dict(os.environ, PYTHONHASHSEED=seed, LC_ALL=locale, LANG=locale, TZ="America/New_York" if n else "UTC")
        subprocess.run([sys.executable, str(ROOT / "build.py")], check=True, capture_output=True, cwd=project, env=env)
        outputs.append(digest(project / "site"))
    assert outputs[0] == outputs[1]
