"""`python build.py`: exit codes, messages, the summary line."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run(*args, cwd):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True)


def test_build_with_no_arguments_builds_content_into_site(project):
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "index.html").exists()
    assert done.stdout.startswith("built 2 digest(s) → 10 article(s) → ")
    assert done.stdout.rstrip().endswith(" s") and "in site/" in done.stdout
    assert "Traceback" not in done.stderr


def test_options(project, tmp_path):
    done = run(
        "build",
        "--content",
        "content",
        "--output",
        str(tmp_path / "out"),
        "--config",
        "site.yaml",
        "--base-url",
        "https://org.github.io/repo/",
        cwd=project,
    )
    assert done.returncode == 0, done.stderr
    assert 'href="/repo/topics/"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def test_bad_usage_exits_2(project):
    assert run("--no-such-option", cwd=project).returncode == 2
    assert run("frobnicate", cwd=project).returncode == 2


def test_bad_content_lists_every_problem_with_file_and_line_and_changes_nothing(project):
    assert run(cwd=project).returncode == 0
    before = (project / "site" / "index.html").read_bytes()
    (project / "content" / "a.md").write_text("# 没有日期\n", encoding="utf-8")
    (project / "content" / "2025-03-19-b.md").write_text(
        "---\npage: A1\ntitle: [x, y]\n---\n# 标题\n", encoding="utf-8"
    )
    done = run(cwd=project)
    assert done.returncode == 1
    assert "content/a.md:1: error: this page has no date" in done.stderr
    assert "content/2025-03-19-b.md:3: error: `title` must be text, not a list" in done.stderr
    assert "build failed: 2 error(s); site was not changed" in done.stderr
    assert "Traceback" not in done.stderr
    assert (project / "site" / "index.html").read_bytes() == before


def test_bad_config_says_did_you_mean(project):
    (project / "site.yaml").write_text("title: 测试\npage_sise: 5\n", encoding="utf-8")
    done = run(cwd=project)
    assert done.returncode == 1
    assert "site.yaml:2: error: unknown key `page_sise`\n  hint: did you mean `page_size`?" in done.stderr


def test_missing_site_yaml_uses_defaults_and_says_so(project):
    (project / "site.yaml").unlink()
    done = run(cwd=project)
    assert done.returncode == 0, done.stderr
    assert "site.yaml: warning: no site.yaml here: the defaults apply" in done.stderr


def test_template_syntax_error_names_the_template_and_line(project):
    (project / "theme/templates/404.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n", encoding="utf-8"
    )
    done = run(cwd=project)
    assert done.returncode == 1
    assert "404.html:3: error: template syntax error" in done.stderr
    assert "Traceback" not in done.stderr


def test_refuses_to_write_over_the_content_folder(project):
    done = run("--output", "content", cwd=project)
    assert done.returncode == 1 and "refusing to write the site to content" in done.stderr
    assert (project / "content" / "topics.yaml").exists()
