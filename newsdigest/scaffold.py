"""`python build.py init DIR`: a new, working site in DIR, as `hugo new site` makes one.

DIR gets `site.yaml` (every key, with its default and what it does, written from config.KEYS so the
two cannot drift), `content/` with one example page, the default topics (a copy, to edit) and a
regions file that extends the shipped gazetteer, the theme (a copy: the site owns its look), a
`.gitignore` and a GitHub Pages workflow that builds and publishes the site.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from . import gazetteer
from .config import KEYS

PACKAGE = Path(__file__).parent


def _shipped(installed: str, in_clone: str) -> Path:
    """A file newsdigest ships: in an installed copy, package data (pyproject.toml maps it in); in a
    clone, where it lives at the top of the repository."""
    path = PACKAGE / installed
    return path if path.exists() else PACKAGE.parent / in_clone


THEME = _shipped("theme", "theme")  # `init` copies it; a build in a folder without its own theme/ uses it
WORKFLOW = _shipped("workflows/pages.yml", ".github/workflows/pages.yml")
ENGINE_PLACEHOLDER = "git+https://github.com/OWNER/newsdigest"
ACTIVE = ("title", "publication", "base_url")  # written as settings; every other key commented out


class InitError(Exception):
    """DIR cannot be made into a site; the message says why, the hint what to do."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


def _scalar(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).split("\n...")[0].strip()


def site_yaml(values: dict[str, str]) -> str:
    """site.yaml: every key of config.KEYS with its description; `values` set, the rest commented out."""
    lines = [
        "# The site's configuration. Every key is optional: a commented-out key shows its default.",
        "# README.md (## Configuration) says more about each.",
    ]
    for key, (_kind, default, what) in KEYS.items():
        lines.append("")
        lines.append(f"# {what}")
        if key in values:
            lines.append(f"{key}: {_scalar(values[key])}")
        else:
            lines.append(f"# {key}: {_scalar(default)}")
    return "\n".join(lines) + "\n"


REGIONS = """\
# The site's own regions. They EXTEND the shipped gazetteer (China down to its counties, and every
# country: newsdigest/data/regions.yaml); `default_regions: false` in site.yaml uses this file alone.
#
# - An entry with the name (or slug) of a shipped place is that place: its aliases are added, its
#   `match`, `slug` and children are merged in, and `rename: …` changes the name shown (the old name
#   stays an alias).
# - Any other entry is a new place, under the entry it is written under.
#
# For example (a city paper's own words for its city, and a new district):
#
# - name: 亚洲
#   children:
#     - name: 中国
#       children:
#         - name: 浙江
#           children:
#             - name: 宁波
#               aliases: [甬, 我市, 本市]
#               children:
#                 - name: 前湾新区
#                   slug: qianwan
"""

GITIGNORE = "site/\n.cache/\n__pycache__/\n"


def example_page(day: dt.date, publication: str) -> str:
    """A page as an editor pastes it from an e-paper: kicker, headline, subtitle, byline, dateline,
    indented paragraphs; a second story with a signoff."""
    before = day - dt.timedelta(days=1)
    when = f"{before.month}月{before.day}日"
    return f"""\
---
date: {day.isoformat()}
publication: {publication}
page: "01"
title: 要闻
---

乡村振兴一线——
# 恩施茶山上飞来了无人机
——科技助力茶园管护提速增效
本报记者  林晓峰  周文静
　　本报恩施{when}电　{when}，在湖北恩施的茶园里，几架植保无人机掠过茶山，为茶树喷洒生物农药。
　　“过去一个人背着药桶一天打不了十亩，现在无人机一小时就能作业上百亩。”茶农王大伯说。
　　今年，恩施推广农业机械化和数字化管理，全州茶园面积稳定在一百多万亩，
　　茶叶产量预计同比增长百分之五。
　　当地农业部门还组织农技人员走进田间，指导茶农科学施肥、绿色防控，保障茶叶品质。

## 乌鲁木齐国际陆港区中欧班列开行量创新高
　　本报乌鲁木齐{when}电　今年以来，经这里开行的中欧班列已超过一千列，
　　货物通达欧洲和中亚多个国家，带动外贸进出口稳步增长。
　　乌鲁木齐海关介绍，通关时间进一步压缩，企业物流成本明显下降。
　　（本报记者  周文静）
"""


def workflow(engine: str) -> str:
    """The repository's Pages workflow without its `test` job (a new site has no tests): it installs
    newsdigest from `engine` (a pip requirement), builds the site and deploys it."""
    text = WORKFLOW.read_text(encoding="utf-8")
    start, end = text.index("  test:"), text.index("  build:")
    text = text[:start] + text[end:]
    text = text.replace("    needs: test\n", "").replace("          cache: pip\n", "")  # no requirements file
    text = text.replace("# Test, build the site", "# Build the site")
    text = text.replace("      - run: pip install -r requirements.txt\n", f'      - run: pip install "{engine}"\n')
    text = text.replace("python build.py --base-url", "python -m newsdigest --base-url")
    head = f"# newsdigest is installed from {engine}: change it to the engine's repository or a pinned version.\n"
    return head + text


def engine_source() -> str:
    """The engine to install in the workflow: its git repository's address when it is a clone (an
    installed copy's folder may sit in some other repository: the site's own, with its .venv)."""
    if not (PACKAGE.parent / ".git").exists():
        return ENGINE_PLACEHOLDER
    try:
        url = subprocess.run(
            ["git", "-C", str(PACKAGE.parent), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        url = ""
    return f"git+{url}" if url.startswith("https://") else ENGINE_PLACEHOLDER


def make(folder: Path, title: str, publication: str, base_url: str, day: dt.date) -> list[Path]:
    """Write a new site into `folder` (missing or empty); the files written. Raises InitError."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(
            f"{folder} is not empty: init makes a new site in an empty folder only, and overwrites nothing",
            "name a new folder, e.g. `python build.py init mypaper`",
        )
    values = {"title": title, "publication": publication or title, "base_url": base_url}
    page = folder / "content" / f"{day:%Y}" / f"{day:%m}" / f"{day.isoformat()}-01.md"
    files = {
        folder / "site.yaml": site_yaml(values),
        page: example_page(day, values["publication"]),
        folder / "content" / "topics.yaml": gazetteer.DEFAULT_TOPICS.read_text(encoding="utf-8"),
        folder / "content" / "regions.yaml": REGIONS,
        folder / ".gitignore": GITIGNORE,
        folder / ".github" / "workflows" / "pages.yml": workflow(engine_source()),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copytree(THEME, folder / "theme", ignore=shutil.ignore_patterns("__pycache__"))
    return [*files, folder / "theme"]


def run(folder: Path, title: str, publication: str, base_url: str, day: dt.date) -> int:
    """The `init` command: 0 when the site was made, 1 (with a message) when not."""
    try:
        written = make(folder, title, publication, base_url, day)
    except InitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"  hint: {exc.hint}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the new site: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    build = Path(sys.argv[0]).resolve() if sys.argv[0].endswith("build.py") else "-m newsdigest"
    print(f"\na new site is in {folder}: edit site.yaml, add pages under content/, then\n")
    print(f"    cd {folder} && python {build}          # build it into site/")
    print(f"    python {build} serve                    # see it at http://127.0.0.1:8000/")
    if ENGINE_PLACEHOLDER in (folder / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"):
        print(
            "\nbefore publishing: set where the Pages workflow installs newsdigest from (.github/workflows/pages.yml)"
        )
    return 0
