"""Rebuilds: a rebuild after any change gives exactly the bytes of a cold build of the same input,
while rendering and writing only what changed; a killed rebuild is finished by the next one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import sample_page_without_scan

from newsdigest import cache, index, parallel, pipeline, rebuild, render, search, write
from newsdigest import pages as page_records
from newsdigest import split as split_module
from newsdigest.hashes import digest

ROOT = Path(__file__).resolve().parent.parent
PAGE = sample_page_without_scan()
COPIES = 35  # 216 articles, some 450 pages: more than one batch for each of two render processes


@pytest.fixture(autouse=True)
def newest_docs(monkeypatch):
    """The project's 216 articles are indexed as a big site's: the newest 24 in shards apart (past a
    multiple of 64), the others changed in place (a site of fewer than NEWEST_DOCS: made whole)."""
    monkeypatch.setattr(search.build, "NEWEST_DOCS", 64)


@pytest.fixture
def project(tmp_path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copy(ROOT / "site.yaml", project / "site.yaml")
    for n in range(COPIES):
        day = f"2025-04-{n % 20 + 1:02d}"
        text = PAGE.replace("page: A5", f"page: A{n // 20 + 1}").replace("2025-03-18", day)
        (project / "content" / f"{day}-p{n}.md").write_text(text, encoding="utf-8")
    an_hour_ago = time.time() - 3600  # saved well before the build, as an editor's files are
    for path in project.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))
    return project


def options(project: Path, output: str = "site", **extra) -> pipeline.Options:
    return pipeline.Options(
        project / "content",
        project / output,
        project / "site.yaml",
        project / "theme",
        now=pipeline.dt.date(2026, 1, 1),
        **extra,
    )


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes, and every folder (None), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(folder.rglob("*"))
    }


def cold(project: Path, **extra) -> dict[str, bytes | None]:
    """A build from nothing: no cache, a new output folder."""
    shutil.rmtree(project / "cold", ignore_errors=True)
    pipeline.build(options(project, "cold", cache=False, **extra))
    return tree(project / "cold")


def assert_same(rebuilt: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(rebuilt) == sorted(expected)
    differ = [name for name in expected if rebuilt[name] != expected[name]]
    assert not differ, f"{len(differ)} file(s) differ from a cold build, e.g. {differ[:5]}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "one sentence added": ("2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。"),
    "a headline reworded": ("2025-04-03-p2.md", "## 甬企联合牵头", "## 甬企共同牵头"),
    "a topic set by hand": ("2025-04-05-p4.md", "## 宁波援建，“亚克西”!", "## 宁波援建，“亚克西”! {topics=农业农村}"),
    "a byline changed": ("2025-04-05-p4.md", "本报讯(记者王佳辉", "本报讯(记者王小辉"),
    "a page deleted": ("2025-04-07-p6.md", None, None),
    "a page of a new day": ("2025-05-01-new.md", None, PAGE.replace("2025-03-18", "2025-05-01")),
    "the theme changed": ("../theme/templates/article.html", "</article>", "</article>\n<!-- 改 -->"),
    "the config changed": ("../site.yaml", "title:", "description: 又一句话\ntitle:"),
    "a topic renamed": ("topics.yaml", "name: 农业农村", "name: 三农"),  # a file the config is read from
}


@pytest.mark.parametrize("change", EDITS)
def test_a_rebuild_after_a_change_equals_a_cold_build(project, change):
    first = pipeline.build(options(project))
    assert first.changed == first.files
    name, old, new = EDITS[change]
    path = project / "content" / name
    if old is None and new is None:
        path.unlink()
    elif old is None:
        path.write_text(new, encoding="utf-8")
    else:
        edit(path, old, new)
    rebuilt = pipeline.build(options(project))
    assert_same(tree(project / "site"), cold(project))
    assert 0 < rebuilt.changed < rebuilt.files or change in ("the theme changed", "the config changed")


def test_a_new_day_leaves_the_pages_of_earlier_days_as_they_are(project):
    """Only the home page shows the newest date: a new day rewrites its own pages, the lists it
    joins and the pages whose related articles it changes (those of the days just before)."""
    pipeline.build(options(project))
    inode = (project / "site").stat().st_ino
    (project / "content" / "2025-05-01-new.md").write_text(PAGE.replace("2025-03-18", "2025-05-01"), encoding="utf-8")
    written = pipeline.build(options(project)).written
    assert (project / "site").stat().st_ino == inode  # written in place: under half the pages changed
    assert "index.html" in written and "2025/05/01/index.html" in written
    assert not [name for name in written if name[:10] < "2025/04/19"]  # 2025/03/18 and 2025/04/01-18


def test_a_new_day_rewrites_of_each_listing_only_its_front_page_and_its_newest_pages(project):
    """Numbered pages count from the oldest: the older pages of a listing a new day joins stay as they are."""
    pipeline.build(options(project))
    (project / "content" / "2025-05-01-new.md").write_text(PAGE.replace("2025-03-18", "2025-05-01"), encoding="utf-8")
    written = pipeline.build(options(project)).written
    site, listed = project / "site", 0
    for name in written:
        parts = name.split("/")
        if parts[0] in ("topics", "regions", "people") and "page" in parts:
            listing = site.joinpath(*parts[: parts.index("page")])
            newest = max(int(p.name) for p in (listing / "page").iterdir())
            assert int(parts[parts.index("page") + 1]) >= newest - 1, name
            listed += 1
    ningbo = len(list((site / "regions/ningbo/page").iterdir()))
    assert ningbo > 5 and listed  # listings long enough to have old pages, and new pages written
    assert "regions/ningbo/index.html" in written and "regions/ningbo/page/1/index.html" not in written
    assert_same(tree(site), cold(project))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_page_saved_while_the_site_is_built_is_an_error_not_a_mix_of_its_versions(project, monkeypatch, jobs):
    """A page is split from its file read again (read_sources lets its lines go): when its bytes are
    no longer those it was parsed from, the build stops with a clear error and the site is untouched."""
    pipeline.build(options(project))
    before = tree(project / "site")
    page = project / "content" / "2025-04-03-p2.md"
    edit(page, "励伟定说。", "励伟定说。他还补充了一句。")
    read_sources = pipeline.read_sources

    def then_saved_again(*args):
        found = read_sources(*args)
        edit(page, "他还补充了一句。", "他又补充了一句。")
        return found

    monkeypatch.setattr(pipeline, "read_sources", then_saved_again)
    with pytest.raises(pipeline.BuildFailed) as failed:
        pipeline.build(options(project, jobs=jobs))
    [problem] = failed.value.diagnostics
    assert problem.path.endswith("2025-04-03-p2.md") and "changed while the site was being built" in problem.message
    assert tree(project / "site") == before
    monkeypatch.undo()
    pipeline.build(options(project))
    assert_same(tree(project / "site"), cold(project))


def test_the_site_and_its_page_records_are_let_go_before_the_output_record_is_saved(project, monkeypatch):
    """Saving the output record takes memory of its own: by then the build holds neither the site
    (its articles) nor the page records, without waiting for the cycle collector (off in the command)."""
    import gc

    from newsdigest.model import ArticlePage, Feed, Site

    alive: list = []
    save_record = rebuild.save_record

    def saved(*args):
        alive.extend({type(o).__name__ for o in gc.get_objects() if type(o) in (Site, ArticlePage, Feed)})
        return save_record(*args)

    monkeypatch.setattr(rebuild, "save_record", saved)
    gc.disable()
    try:
        assert pipeline.build(options(project)).ok
        assert alive == []
        site, _ = pipeline.index_site(
            options(project), pipeline.analyse(options(project), pipeline.Result()), pipeline.Result()
        )
        assert any(type(o) is Site for o in gc.get_objects())  # the check sees one while it is held
    finally:
        gc.enable()


def test_a_draft_left_out_then_asked_for_is_split_from_its_file_read_again(project):
    """The cache keeps no page's lines (all at once, a large archive's text would fill the memory):
    a page it has not split (a draft, left out) is read again when a build with --drafts splits it."""
    edit(project / "content" / "2025-04-09-p8.md", "page: A", "draft: true\npage: A")
    pipeline.build(options(project))
    without = set(tree(project / "site"))
    parsed = cache.ShardedDict(pipeline.store(options(project)), pipeline.SOURCES).load()
    assert {entry.source.lines for entry in parsed.values()} == {()}
    assert parsed[next(k for k in parsed if k[0].endswith("p8.md"))].split is None
    pipeline.build(options(project, drafts=True))
    assert_same(tree(project / "site"), cold(project, drafts=True))
    assert any(name.startswith("2025/04/09/") for name in set(tree(project / "site")) - without)


def test_an_edit_rerenders_only_the_pages_that_show_the_article(project):
    pipeline.build(options(project))
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    result = pipeline.build(options(project))
    pages = [name for name in result.written if name.endswith(".html")]
    assert any(name.startswith("2025/04/03/") for name in pages)
    assert len(pages) < 20, pages  # the article, its printed page and day, feeds: not the whole site


def test_a_headline_edit_rerenders_the_pages_listing_it_but_not_the_archive(project, monkeypatch):
    """The archive links to every printed page and shows none of their articles: it is not made again."""
    pipeline.build(options(project))
    rendered = []
    real = render.Renderer.page
    monkeypatch.setattr(render.Renderer, "page", lambda self, page: rendered.append(page.path) or real(self, page))
    edit(project / "content" / "2025-04-03-p2.md", "## 甬企联合牵头", "## 甬企共同牵头")
    pipeline.build(options(project, jobs=1))
    assert "2025/04/03/" in rendered  # its day's page lists it
    assert "archive/" not in rendered
    assert_same(tree(project / "site"), cold(project))


def test_nothing_changed_means_nothing_read_rendered_or_written(project, monkeypatch):
    first = pipeline.build(options(project))
    site_inode = (project / "site").stat().st_ino
    monkeypatch.setattr(pipeline, "analyse", lambda *a, **k: pytest.fail("the content was analysed again"))
    again = pipeline.build(options(project))
    assert (again.changed, again.files, again.articles) == (0, first.files, first.articles)
    assert [d.format() for d in again.diagnostics] == [d.format() for d in first.diagnostics]
    assert (project / "site").stat().st_ino == site_inode


def test_a_build_without_a_search_index_does_not_load_numpy(project):
    """numpy (about 0.2 s and 30 MB) is loaded only to build a search index: not for a rebuild with
    nothing changed, nor for one with --no-search."""
    code = (
        "import sys; from pathlib import Path; from newsdigest import pipeline; p = Path(sys.argv[1]); "
        "pipeline.build(pipeline.Options(p / 'content', p / 'site', p / 'site.yaml', p / 'theme', search=False)); "
        "print('numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(project)], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_a_small_change_is_written_in_place_and_a_large_one_swaps_the_folder(project):
    pipeline.build(options(project))
    inode = (project / "site").stat().st_ino
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    pipeline.build(options(project))
    assert (project / "site").stat().st_ino == inode  # the same folder, a few files renamed into it
    edit(project / "theme" / "templates" / "base.html", "</body>", "<!-- 全站 -->\n</body>")
    pipeline.build(options(project))
    assert (project / "site").stat().st_ino != inode  # every page changed: a new folder swapped in
    assert not any(p.name.startswith(".site") for p in project.iterdir())


def test_a_file_changed_or_removed_in_the_output_is_put_back(project):
    pipeline.build(options(project))
    (project / "site" / "index.html").write_text("vandalised", encoding="utf-8")
    (project / "site" / "topics" / "index.html").unlink()
    result = pipeline.build(options(project))
    assert {"index.html", "topics/index.html"} <= set(result.written)
    assert_same(tree(project / "site"), cold(project))


def test_a_file_added_to_the_output_by_hand_is_removed_by_any_rebuild(project, tmp_path):
    """By a rebuild with nothing else to do, and by one that renames a few changed files in."""
    pipeline.build(options(project))
    site = project / "site"
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("not ours", encoding="utf-8")

    def add_strays():
        (site / "stray.html").write_text("added by hand", encoding="utf-8")
        (site / "topics" / "new" / "deep").mkdir(parents=True, exist_ok=True)
        (site / "topics" / "new" / "deep" / "index.html").write_text("added by hand", encoding="utf-8")
        (site / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
        (site / "empty" / "inside").mkdir(parents=True, exist_ok=True)
        (site / "2025" / "04" / "empty").mkdir(exist_ok=True)

    add_strays()
    result = pipeline.build(options(project))
    assert result.written == []  # nothing of the site changed: only the strays went
    assert_same(tree(site), cold(project))  # folders too: the empty ones went
    assert not (site / "topics" / "new").exists() and (tmp_path / "elsewhere" / "keep.txt").exists()
    add_strays()
    edit(project / "content" / "2025-04-05-p4.md", "本报讯(记者王佳辉", "本报讯(记者王小辉")
    inode = site.stat().st_ino
    pipeline.build(options(project))
    assert site.stat().st_ino == inode  # in place, not a new folder swapped in
    assert_same(tree(site), cold(project))


def test_the_inputs_change_with_any_file_or_folder_and_prove_nothing_just_after_a_save(tmp_path):
    """rebuild.inputs: every file (not only pages) and folder counts, however deep; a file saved
    just now (or a dangling link) leaves them unknown (None): a build then compares bytes."""
    folder, settings = tmp_path / "content", ("settings",)
    (folder / "a" / "b").mkdir(parents=True)
    page = folder / "a" / "b" / "p.md"
    page.write_text("一", encoding="utf-8")

    def an_hour_ago(extra: int = 0) -> None:
        when = time.time_ns() - 3600 * 10**9 + extra
        for path in [folder, *folder.rglob("*")]:
            os.utime(path, ns=(when, when), follow_symlinks=False)

    an_hour_ago()
    first = rebuild.inputs((folder,), settings)
    assert first is not None and first == rebuild.inputs((folder,), settings)
    assert first != rebuild.inputs((folder,), ("other settings",))
    (folder / "a" / "b" / "photo.jpg").write_bytes(b"\xff")
    an_hour_ago()
    second = rebuild.inputs((folder,), settings)
    assert second not in (None, first)
    page.write_text("二", encoding="utf-8")  # the same size, just now
    assert rebuild.inputs((folder,), settings) is None
    an_hour_ago(1)
    assert rebuild.inputs((folder,), settings) not in (None, first, second)
    (folder / "gone.md").symlink_to(folder / "nowhere.md")
    an_hour_ago()
    assert rebuild.inputs((folder,), settings) is None


def test_a_build_with_nothing_to_do_reads_the_check_not_the_record(project, monkeypatch):
    """It reads the last build's rebuild.Check (a few strings and arrays), not its record (an object
    per file), even after an update in place, whose folders' stamps, taken just after, are not
    recorded (they are looked into, and found to hold nothing new)."""
    pipeline.build(options(project))
    page = project / "content" / "2025-04-03-p2.md"
    edit(page, "励伟定说。", "励伟定说。他还补充了一句。")
    os.utime(page, (time.time() - 1800, time.time() - 1800))  # saved well before: its stamp is recorded
    pipeline.build(options(project))
    check = cache.Store(project / ".cache" / "newsdigest", cache.code_salt()).load(
        rebuild._check_name(project / "site")
    )
    assert rebuild.NO_STAMP[1] in check.folder_numbers[1::3]  # a folder without a stamp
    monkeypatch.setattr(cache.BuildRecord, "load", lambda *a: pytest.fail("the build record was read"))
    monkeypatch.setattr(pipeline, "analyse", lambda *a, **k: pytest.fail("the content was analysed again"))
    assert pipeline.build(options(project)).changed == 0


def test_a_build_from_another_working_folder_redoes_only_what_changed(project, monkeypatch):
    """Messages name a content file from the working folder (model.shown_path: `content/…` from
    the project folder, its whole path from outside); the cache of parses and the pages'
    fingerprints do not hold that name. After an edit, a build from another working folder splits
    and renders again what the edit changed, as one from the same folder does, and its messages,
    the cached ones too, name the files from where it runs."""
    doubtful = project / "content" / "2025-04-07-p6.md"
    doubtful.write_text("---\ncolour: red\n---\n#\n\n正文一段。\n\n# 标题二\n\n正文二段。\n", encoding="utf-8")
    os.utime(doubtful, (time.time() - 3600, time.time() - 3600))
    monkeypatch.chdir(project)
    first = pipeline.build(options(project, jobs=1))
    assert [(d.path, d.line) for d in first.diagnostics if d.path.endswith("p6.md")] == [
        ("content/2025-04-07-p6.md", 2),  # the unknown key: load's warning
        ("content/2025-04-07-p6.md", 4),  # the empty headline: split's
    ]
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    split_again: list[str] = []
    split = split_module.split
    monkeypatch.setattr(split_module, "split", lambda source: split_again.append(source.rel) or split(source))
    rendered: list[str] = []
    render_pages = render.render_pages
    monkeypatch.setattr(
        render, "render_pages", lambda r, todo, *a: rendered.extend(p.path for p in todo) or render_pages(r, todo, *a)
    )
    (project.parent / "elsewhere").mkdir()
    monkeypatch.chdir(project.parent / "elsewhere")  # outside the project: files are named by their whole path
    again = pipeline.build(options(project, jobs=1))
    assert split_again == ["2025-04-03-p2.md"]
    assert again.written and 0 < len(rendered) < 20, rendered  # of some 150 pages
    whole = str(project / "content" / "2025-04-07-p6.md")
    assert [(d.path, d.line) for d in again.diagnostics if d.path.endswith("p6.md")] == [(whole, 2), (whole, 4)]
    assert_same(tree(project / "site"), cold(project))


def test_the_site_is_the_same_from_any_working_folder(project, monkeypatch):
    """From inside the content folder, messages name the files below it from there and the others
    by their whole path (model.shown_path): the order of a day's pages and articles is the files'
    order in the content folder (`rel`), never that of those names."""
    page = project / "content" / "2025-04-03-a" / "2025-04-03-a0.md"  # first by `rel`, last by its name from there
    page.parent.mkdir(parents=True)
    page.write_text(PAGE.replace("page: A5", "page: B1").replace("2025-03-18", "2025-04-03"), encoding="utf-8")
    monkeypatch.chdir(project)
    expected = cold(project)
    monkeypatch.chdir(page.parent)
    assert_same(cold(project), expected)


def test_a_link_to_a_digest_inside_the_content_folder_is_read_as_a_file_of_its_own(project):
    """The cache keeps a parse per file the build lists (a link and its target, which have one
    `rel`, are two): the same page twice is the user's error naming both, never an internal one."""
    os.symlink("2025-04-03-p2.md", project / "content" / "2025-04-03-p2-link.md")
    for _ in range(2):  # without the cache's parses, then with them
        with pytest.raises(pipeline.BuildFailed) as failed:
            pipeline.build(options(project))
        folder = project / "content"
        assert [(d.path, d.message) for d in failed.value.diagnostics if d.level == "error"] == [
            (
                f"{folder}/2025-04-03-p2.md",
                f"this file and {folder}/2025-04-03-p2-link.md are both page A1 of 宁波日报 of 2025-04-03: "
                "the same page twice",
            )
        ]


def test_after_a_change_the_output_folder_is_looked_at_beside_the_analysis(project, monkeypatch):
    """When the inputs changed, the look at the output folder (every file's stamp) is made by a
    process of its own, begun before the analysis, and waited for before the plan: it finds what a
    look made in the build's own process finds. A build that fails meanwhile waits for it too."""
    pipeline.build(options(project, jobs=2))
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    shelf = pipeline.store(options(project))
    beside = rebuild.Previous.read(shelf, project / "site", ("other inputs",), True, jobs=2)
    child = beside.looking[1].pid
    assert child != os.getpid() and not beside.old  # looking still
    beside.settle()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # it ended, and was waited for
    here = rebuild.Previous.read(shelf, project / "site", ("other inputs",), True, jobs=1).settle()
    assert len(beside.old) > 100 and beside.old == here.old and beside.same == here.same
    assert beside.strays == here.strays == [] and beside.record.prints == here.record.prints

    children = []
    background = parallel.background

    def noted(work, jobs):
        waits = background(work, jobs)
        children.append(waits.pid)
        return waits

    def fails(options, analysis, result):
        raise pipeline.BuildFailed([])

    monkeypatch.setattr(parallel, "background", noted)
    monkeypatch.setattr(pipeline, "index_site", fails)
    with pytest.raises(pipeline.BuildFailed):
        pipeline.build(options(project, jobs=2))
    assert len(children) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)


@pytest.mark.parametrize("shared", [False, True], ids=["stats in one process", "stats shared by two"])
def test_a_file_changed_or_added_by_hand_in_any_folder_is_seen_by_the_check(project, monkeypatch, shared):
    """The Check of a build with nothing to do sees what its record would: a file added to a folder
    whose stamp it holds, changed in place (same size, same inode), or deleted; its files and
    folders stat'ed by one process, or (a big site's) by two."""
    monkeypatch.setattr(write, "RACY_NS", 0)  # every folder's stamp recorded, however recent
    monkeypatch.setattr(write, "SHARED_STATS", 1 if shared else 10**9)
    pipeline.build(options(project, jobs=2))
    site = project / "site"
    page = site / "2025/04/03/yongqi-lianhe-qiantou-tianbu/index.html"
    (page.parent / "stray.html").write_text("added by hand", encoding="utf-8")
    assert pipeline.build(options(project, jobs=2)).written == []
    assert not (page.parent / "stray.html").exists()
    before = page.read_bytes()
    with open(page, "r+b") as file:
        file.write(b"X")
    assert pipeline.build(options(project, jobs=2)).written == ["2025/04/03/yongqi-lianhe-qiantou-tianbu/index.html"]
    assert page.read_bytes() == before
    page.unlink()
    assert pipeline.build(options(project, jobs=2)).written == ["2025/04/03/yongqi-lianhe-qiantou-tianbu/index.html"]
    assert_same(tree(site), cold(project))


def test_many_stats_are_shared_between_processes(tmp_path, monkeypatch):
    """write.numbers with jobs: the same numbers, the work of two processes; a file gone is an OSError."""
    names = [f"{n // 10}/{n}.html" for n in range(40)]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    root = f"{tmp_path}/"
    alone = write.numbers(root, names)
    monkeypatch.setattr(write, "SHARED_STATS", 10)
    maps: list = []
    real = parallel.batched_map
    monkeypatch.setattr(parallel, "batched_map", lambda *a: maps.append(a[2:]) or real(*a))
    assert write.numbers(root, names, 2) == alone and len(alone) == 3 * len(names)
    assert maps == [(2, 20)]  # two chunks of 20, for two processes
    (tmp_path / names[-1]).unlink()  # in the worker's chunk
    with pytest.raises(OSError):
        write.numbers(root, names, 2)


def test_the_record_describes_the_folder_as_an_update_in_place_left_it(project, monkeypatch):
    """Each file's digest and stamp, and each folder's stamp (those taken just now excepted), as they
    are on disk: those of the files and folders the update did not touch are the last record's."""
    monkeypatch.setattr(write, "RACY_NS", 0)
    pipeline.build(options(project))
    edit(project / "content" / "2025-04-05-p4.md", "本报讯(记者王佳辉", "本报讯(记者王小辉")
    inode = (project / "site").stat().st_ino
    pipeline.build(options(project))
    assert (project / "site").stat().st_ino == inode  # in place
    record = cache.BuildRecord.load(cache.Store(project / ".cache" / "newsdigest", cache.code_salt()), project / "site")
    site = project / "site"
    on_disk = {name: data for name, data in tree(site).items() if data is not None}
    assert record.files == {name: (digest(data), write.stamp(site / name)) for name, data in on_disk.items()}
    assert record.folders == {name: write.stamp(site / name) for name in sorted(write.parents(on_disk))}


def test_the_record_takes_the_stamp_of_each_file_written_as_it_is_written_not_by_looking_it_up(project, monkeypatch):
    """At a million articles, stat'ing every file of a new site again took longer than writing it
    (its folders no longer in the memory's caches): a file's stamp is taken from the open file."""
    looked_up: list[str] = []
    stamp = write.stamp

    def counted(path, *args, **kwargs):
        if str(path).startswith(str(project / "site-")) and os.path.isfile(path):  # a file of the site
            looked_up.append(str(path))
        return stamp(path, *args, **kwargs)

    monkeypatch.setattr(write, "stamp", counted)
    for jobs in (1, 2):
        pipeline.build(options(project, f"site-{jobs}", jobs=jobs))
        record = cache.BuildRecord.load(pipeline.store(options(project)), project / f"site-{jobs}")
        assert len(record.files) > 400 and looked_up == []
        assert all(stamp(project / f"site-{jobs}" / name) == then for name, (_, then) in record.files.items())


def test_two_processes_give_the_same_bytes_as_one(project, monkeypatch):
    """Splitting, related articles and rendering, each shared with a worker process; the
    search index made by a process of its own, started before the pages are rendered, beside them."""
    monkeypatch.setattr(pipeline, "SPLIT_BATCH", 4)  # batches small enough for this site to fill two
    monkeypatch.setattr(index, "RELATED_BATCH", 25)
    pipeline.build(options(project, "one", jobs=1, cache=False))
    forks, fork = [], parallel._fork
    monkeypatch.setattr(parallel, "_fork", lambda work, chunks: forks.append(work.__qualname__) or fork(work, chunks))
    pipeline.build(options(project, "two", jobs=2, cache=False))
    assert {
        "_split_and_find.<locals>.work",
        "_related.<locals>.<lambda>",
        "render_pages.<locals>.work",
        "background.<locals>.<lambda>",
    } <= set(forks)
    assert forks.index("background.<locals>.<lambda>") < forks.index("render_pages.<locals>.work")
    assert_same(tree(project / "two"), tree(project / "one"))


def test_serve_holds_in_memory_the_files_a_build_writes(project):
    """`serve` assembles the site on a path of its own (build_files, no writer, no fingerprints)."""
    pipeline.build(options(project))
    files, result = pipeline.build_files(options(project, "unused"))
    assert result.ok and not (project / "unused").exists()
    on_disk = {name: data for name, data in tree(project / "site").items() if data is not None}
    del on_disk[write.MARKER]  # the writer's mark on a folder it owns
    assert any(name.startswith("search/") for name in files) and "feed.xml" in files and "sitemap.xml" in files
    assert_same(files, on_disk)


def test_a_template_error_in_a_worker_process_is_reported_and_nothing_is_written(project):
    pipeline.build(options(project))
    before = tree(project / "site")
    edit(project / "theme" / "templates" / "edition.html", "{% block main %}", "{% block main %}{{ no_such_thing }}")
    with pytest.raises(pipeline.BuildFailed) as failed:
        pipeline.build(options(project, jobs=2))
    message = failed.value.diagnostics[-1].format()
    assert "edition.html" in message and "no_such_thing" in message
    assert tree(project / "site") == before
    assert not any(p.name.startswith(".site.") for p in project.iterdir())


def test_a_rebuild_killed_while_renaming_is_finished_by_the_next_build(project, monkeypatch):
    pipeline.build(options(project))
    edit(project / "content" / "2025-04-05-p4.md", "本报讯(记者王佳辉", "本报讯(记者王小辉")  # a few pages
    real_replace, moved = write.os.replace, []

    def dies_after_two(source, target):
        if str(target).startswith(str(project / "site")):
            if len(moved) == 2:
                raise KeyboardInterrupt  # the build is killed here
            moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", dies_after_two)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(options(project))
    assert (project / ".site.journal").exists()
    monkeypatch.setattr(write.os, "replace", real_replace)
    write.recover(project / "site")  # what the next build does first
    assert not (project / ".site.journal").exists()
    assert not any(p.name.startswith(".site.") for p in project.iterdir())
    expected = cold(project)
    assert_same(tree(project / "site"), expected)
    pipeline.build(options(project))
    assert_same(tree(project / "site"), expected)


def test_a_rebuild_that_cannot_be_finished_is_replaced_by_a_whole_one(project, monkeypatch):
    """Killed while renaming, and then a file of the journal can no longer be put in place (a folder
    now stands where it goes): the next build says so and swaps in a whole new site."""
    pipeline.build(options(project))
    edit(project / "content" / "2025-04-05-p4.md", "本报讯(记者王佳辉", "本报讯(记者王小辉")
    real_replace = write.os.replace

    def dies(source, target):
        if str(target).startswith(str(project / "site")):
            raise KeyboardInterrupt  # the build is killed before its first rename
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", dies)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(options(project))
    monkeypatch.setattr(write.os, "replace", real_replace)
    journal = project / ".site.journal"
    blocked = project / "site" / json.loads(journal.read_text(encoding="utf-8"))["moved"][0]
    blocked.unlink()
    (blocked / "in-the-way").mkdir(parents=True)
    result = pipeline.build(options(project))
    warning = [d.format() for d in result.diagnostics if "could not be finished" in d.message]
    assert len(warning) == 1 and "site" in warning[0]
    assert not journal.exists() and not any(p.name.startswith(".site.") for p in project.iterdir())
    assert_same(tree(project / "site"), cold(project))
    again = pipeline.build(options(project))
    assert again.changed == 0 and not any("could not be finished" in d.message for d in again.diagnostics)


def test_the_cache_is_only_a_shortcut(project):
    pipeline.build(options(project))
    shutil.rmtree(project / ".cache")
    (project / ".cache").mkdir()
    (project / ".cache" / "newsdigest").write_text("not a folder", encoding="utf-8")  # unusable cache
    result = pipeline.build(options(project))
    assert result.changed == 0
    assert_same(tree(project / "site"), cold(project))


def test_the_search_index_is_made_again_only_when_what_it_indexes_changed(project, monkeypatch):
    pipeline.build(options(project))
    real = search.search_files
    monkeypatch.setattr(search, "search_files", lambda *a: pytest.fail("the search index was made again"))
    edit(project / "theme" / "templates" / "article.html", "</article>", "</article>\n<!-- 改 -->")
    pipeline.build(options(project))  # every article page changed, no article did
    monkeypatch.setattr(search, "search_files", real)
    assert_same(tree(project / "site"), cold(project))
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    whole = search.files.write_index
    monkeypatch.setattr(search.files, "write_index", lambda *a, **k: pytest.fail("the index was made whole"))
    result = pipeline.build(options(project))  # changed in place, from the last build's index
    index = {name for name in tree(project / "site") if name.startswith("search/") and name.endswith(".bin")}
    rewritten = {name for name in result.written if name.startswith("search/")}
    assert "search/meta.bin" in rewritten and any(name.startswith("search/t/") for name in rewritten)
    assert len(rewritten) < len(index) / 4, "only the index files whose bytes changed are written"
    (project / "content" / "2025-05-01-new.md").write_text(PAGE.replace("2025-03-18", "2025-05-01"), encoding="utf-8")
    pipeline.build(options(project))  # a new day, in place too
    monkeypatch.setattr(search.files, "write_index", whole)
    assert_same(tree(project / "site"), cold(project))


@pytest.mark.parametrize("jobs", [1, 2])
def test_what_the_search_index_keeps_before_the_build_knows_it_swaps_is_in_the_new_site(project, jobs):
    """The index is begun before the build knows whether it updates the site in place: the index
    files it finds unchanged (its stored text, here) are linked into the new folder once the build
    knows it swaps (a topic renamed: every page changes, and the index is made whole)."""
    pipeline.build(options(project, jobs=jobs))
    edit(project / "content" / "topics.yaml", "name: 农业农村", "name: 三农")
    inode = (project / "site").stat().st_ino
    result = pipeline.build(options(project, jobs=jobs))
    assert (project / "site").stat().st_ino != inode  # swapped
    assert "search/t/0.bin" not in result.written
    assert_same(tree(project / "site"), cold(project, jobs=jobs))


def test_the_search_index_is_begun_before_the_page_records(project, monkeypatch):
    """Its process works beside the page records, their fingerprints and the rendering: both cores."""
    order: list[str] = []
    start, records = rebuild._search_files, page_records.records
    monkeypatch.setattr(rebuild, "_search_files", lambda *a: order.append("search index") or start(*a))
    monkeypatch.setattr(page_records, "records", lambda site: order.append("page records") or records(site))
    pipeline.build(options(project, jobs=2))
    assert order == ["search index", "page records"]


def test_an_index_the_site_no_longer_holds_is_made_whole(project, monkeypatch):
    """The cache's account of the index (search.pickle) is trusted only while the site holds the
    files it names: one left by a build whose site is gone (here: an older copy put back) is not."""
    pipeline.build(options(project))
    kept = project / ".cache" / "newsdigest" / rebuild.SEARCH_KEPT
    older = kept.read_bytes()
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    pipeline.build(options(project))
    kept.write_bytes(older)  # it describes the index before the edit; the site holds the one after
    edit(project / "content" / "2025-04-05-p4.md", "本报讯(记者王佳辉", "本报讯(记者王小辉")
    whole, marker = search.files.write_index, project / "made whole"  # a file: the index is made in a child process
    monkeypatch.setattr(search.files, "write_index", lambda *a, **k: marker.touch() or whole(*a, **k))
    pipeline.build(options(project))
    assert marker.exists()
    assert_same(tree(project / "site"), cold(project))


def test_a_page_saved_twice_in_one_clock_tick_is_not_missed(project, monkeypatch):
    """A file changed just before a build read it is compared by its bytes at the next build, not
    trusted by its (inode, size, time): a second same-size save in the same tick keeps all three.
    ("Just before" is write.RACY_NS, 0.1 s; widened here to 60 s so that a slow machine, reading the
    page later than 0.1 s after its save, still tests the rule.)"""
    page = project / "content" / "2025-04-03-p2.md"
    pipeline.build(options(project))
    monkeypatch.setattr(write, "RACY_NS", 60_000_000_000)
    edit(page, "本报讯(记者王佳辉", "本报讯(记者王小辉")
    when = page.stat().st_mtime_ns
    pipeline.build(options(project))  # reads the page within the clock tick of its save
    edit(page, "本报讯(记者王小辉", "本报讯(记者王大辉")  # same size, in place
    os.utime(page, ns=(when, when))  # and, as in the same tick, the same time
    pipeline.build(options(project))
    assert "王大辉" in (project / "site" / "2025/04/03/yongqi-lianhe-qiantou-tianbu/index.html").read_text(
        encoding="utf-8"
    )
    assert_same(tree(project / "site"), cold(project))


def test_a_photographer_renamed_to_a_name_of_the_same_pinyin_gets_a_new_feed_title(project):
    """Only their page and feed show a photographer's name (cards show authors): the feed, whose
    path and entries stay the same, must still be made again."""
    page = project / "content" / "2025-04-03-p2.md"
    edit(page, "(受访者供图)", "(记者 张伟 摄)")
    pipeline.build(options(project))
    assert "<title>张伟 - " in (project / "site" / "people" / "zhang-wei" / "feed.xml").read_text(encoding="utf-8")
    edit(page, "(记者 张伟 摄)", "(记者 章伟 摄)")
    pipeline.build(options(project))
    assert "<title>章伟 - " in (project / "site" / "people" / "zhang-wei" / "feed.xml").read_text(encoding="utf-8")
    assert_same(tree(project / "site"), cold(project))


def test_once_split_the_articles_hold_no_copy_of_their_page_text(project):
    """A build keeps its articles, not the lines of the files they came from (`check` asks for them)."""
    analysis = pipeline.analyse(options(project, cache=False), pipeline.Result())
    assert analysis.articles and not any(a.source.lines for a in analysis.articles)
    assert not any(source.lines for source in analysis.sources)
    kept = pipeline.analyse(options(project, cache=False), pipeline.Result(), lines=True)
    assert all(source.lines for source in kept.sources)


def test_a_rebuild_reads_the_text_of_the_articles_it_renders_again_not_the_others(project, monkeypatch):
    """The cache gives each article's text as bytes (model.Blocks), read when a page shows it."""
    from newsdigest.model import Blocks

    pipeline.build(options(project))
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    read: list[Blocks] = []
    unpickled = Blocks._read

    def counted(blocks: Blocks):
        if blocks._items is None:
            read.append(blocks)
        return unpickled(blocks)

    analysed: list[pipeline.Analysis] = []
    index_site = pipeline.index_site

    def kept(options, analysis, result):
        analysed.append(analysis)
        return index_site(options, analysis, result)

    monkeypatch.setattr(Blocks, "_read", counted)
    monkeypatch.setattr(pipeline, "index_site", kept)
    pipeline.build(options(project, jobs=1))
    distinct = len({id(blocks) for blocks in read})
    assert len(analysed[0].articles) > 100 and 0 < distinct < 20, distinct  # the edited page's, what feeds show
    assert_same(tree(project / "site"), cold(project))


def test_a_build_holds_no_article_text_it_saved_in_the_cache(project):
    """Once saved, each article's text is read again from the cache where a page shows it, and not
    kept; without the cache, from the build's own file (cache.Spill)."""
    analysis = pipeline.analyse(options(project), pipeline.Result(), shelf=pipeline.store(options(project)))
    again = pipeline.analyse(options(project, cache=False), pipeline.Result())
    for articles in (analysis.articles, again.articles):
        assert articles and all(a.blocks._items is None for a in articles)
        assert not any(isinstance(a.blocks._data, bytes) for a in articles)  # nor their bytes
    assert [list(a.blocks) for a in again.articles] == [list(a.blocks) for a in analysis.articles]


def test_a_cold_build_lets_go_of_each_page_s_text_once_it_is_split(project, monkeypatch):
    """A cold build never holds the whole archive's text: by the time a page is split, the pages
    split before it hold their text in a file (cache.Spill), not in memory."""
    from newsdigest import split

    done: list = []
    real = split.split

    def watched(source):
        held = [d for drafts, _ in done for d in drafts if d.blocks._items is not None]
        assert not held, f"{len(held)} articles split before this page still hold their text"
        done.append(real(source))
        return done[-1]

    monkeypatch.setattr(split, "split", watched)
    result = pipeline.build(options(project, jobs=1))
    assert result.ok and len(done) > 10
    assert_same(tree(project / "site"), cold(project))


def test_the_check_keeps_any_stamp_a_file_system_gives_and_trusts_only_the_record_it_was_made_of(project):
    """Inodes beyond 2**63 (some file systems) fit the Check's arrays; a record of other files than
    the Check's (one saved without the other) is not used: the build is whole, and right."""
    record = cache.BuildRecord(("inputs",), {"index.html": ("sha", (2**63 + 5, 10, 1))}, {"": (2**64 - 2, 4096, 1)})
    check = rebuild.Check.of(record)
    assert check is not None and check.file_numbers[0] == 2**63 + 5
    pipeline.build(options(project))
    shelf = pipeline.store(options(project))
    kept = cache.BuildRecord.load(shelf, project / "site")
    fewer = dict(list(kept.files.items())[:-1])
    cache.BuildRecord(kept.inputs, fewer, kept.folders, kept.prints, kept.result).save(shelf, project / "site")
    edit(project / "content" / "2025-04-03-p2.md", "励伟定说。", "励伟定说。他还补充了一句。")
    previous = rebuild.Previous.read(shelf, project / "site", ("other inputs",), True, jobs=2).settle()
    assert not previous.old and not previous.idle  # the record does not describe the folder the Check saw
    pipeline.build(options(project))
    assert_same(tree(project / "site"), cold(project))
