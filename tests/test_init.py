"""`python build.py init DIR`: a new site that builds, from its own folder, with build.py elsewhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from newsdigest import config, gazetteer, scaffold

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build.py"


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BUILD), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_init_makes_a_site_that_builds_from_its_own_folder(tmp_path):
    folder = tmp_path / "paper"
    made = run("init", str(folder), "--title", "山城晚报", "--publication", "山城日报", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for name in ("site.yaml", "content/topics.yaml", "content/regions.yaml", ".gitignore", "theme/favicon.svg"):
        assert (folder / name).is_file(), name
    assert (folder / ".github/workflows/pages.yml").is_file()
    assert len(list((folder / "content").rglob("*.md"))) == 1
    built = run("-q", cwd=folder)  # build.py lives in the repository, the site elsewhere
    assert built.returncode == 0 and not built.stderr, built.stderr
    home = (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert "山城晚报" in home
    assert (folder / "site" / "regions" / "enshi" / "index.html").is_file()
    checked = run("check", "--strict", cwd=folder)
    assert checked.returncode == 0 and "0 doubt(s)" in checked.stdout, checked.stdout + checked.stderr


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    made = run("init", str(tmp_path), cwd=tmp_path)
    assert made.returncode == 1 and "is not empty" in made.stderr and "hint:" in made.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_options_go_into_site_yaml(tmp_path):
    folder = tmp_path / "p"
    assert (
        run("init", str(folder), "--title", "晚报", "--base-url", "https://org.github.io/p/", cwd=tmp_path).returncode
        == 0
    )
    cfg, notes = config.load(folder / "site.yaml")
    assert (cfg.title, cfg.publication, cfg.base_url) == ("晚报", "晚报", "https://org.github.io/p/")
    assert [t.slug for t in cfg.topics] == [t["slug"] for t in yaml.safe_load(gazetteer.DEFAULT_TOPICS.read_text())]


def test_site_yaml_names_every_key_with_its_default():
    text = scaffold.site_yaml({"title": "晚报"})
    for key, (_kind, _default, what) in config.KEYS.items():
        assert f"# {what}" in text and (f"# {key}: " in text or f"\n{key}: " in text), key
    keys = tuple(f"# {key}: " for key in config.KEYS)
    uncommented = "\n".join(line[2:] if line.startswith(keys) else line for line in text.splitlines())
    values = yaml.safe_load(uncommented)
    assert set(values) == set(config.KEYS)
    assert all(values[k] == d for k, (_t, d, _w) in config.KEYS.items() if k != "title")


def test_the_workflow_builds_and_deploys_without_the_test_job(tmp_path):
    scaffold.make(tmp_path / "p", "晚报", "", "/", __import__("datetime").date(2025, 3, 18))
    flow = yaml.safe_load((tmp_path / "p" / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    assert set(flow["jobs"]) == {"build", "deploy"}
    steps = [step.get("run", "") for step in flow["jobs"]["build"]["steps"]]
    assert any("pip install" in s and "newsdigest" in s for s in steps)
    assert any("python -m newsdigest --base-url" in s for s in steps)


def test_readme_configuration_table_lists_every_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") :]
    assert [key for key in config.KEYS if f"| `{key}` |" not in table] == []
