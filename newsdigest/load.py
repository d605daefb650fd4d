"""Step 1, load: content files -> Sources (decoded text, front matter, date)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path

from . import editors, scans, yamlfile
from .hashes import digest
from .model import Diagnostic, Source, shown_path

FRONT_MATTER_KEYS = {"date", "publication", "page", "title", "draft", "images", "paragraphs", "scan", "areas"}
PARAGRAPH_FORMS = {"auto": "", "blank": "blank", "line": "line", "lines": "line"}  # `paragraphs:` -> Source.form
DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
DATE_IN_FOLDERS = re.compile(r"(?<!\d)(\d{4})/(\d{2})/(\d{2})(?=/)")


def entries(folder: str) -> list[tuple[str, os.DirEntry]]:
    """Everything under `folder`: (path relative to it, its os.DirEntry), in the order of their sorted
    paths (a folder before what it holds), as Path.rglob finds them: links are not followed, a
    folder that cannot be listed is skipped."""
    found: list[tuple[str, os.DirEntry]] = []

    def visit(path: str, prefix: str) -> None:
        try:
            with os.scandir(path) as listing:
                items = sorted(listing, key=_name)
        except OSError:
            return
        for entry in items:
            found.append((prefix + entry.name, entry))
            try:
                inside = entry.is_dir(follow_symlinks=False)
            except OSError:
                inside = False
            if inside:
                visit(entry.path, f"{prefix}{entry.name}/")

    visit(folder, "")
    return found


def _name(entry: os.DirEntry) -> str:
    return entry.name


def digest_files(content: Path) -> list[tuple[str, os.DirEntry]]:
    """The digest files under `content`: every *.md (a link too, whatever it points to), as (its path
    relative to `content`, its entry), in the order of their sorted paths."""
    found = entries(str(content))
    return [(rel, entry) for rel, entry in found if rel.endswith(".md") and (entry.is_symlink() or entry.is_file())]


def find_files(content: Path) -> list[Path]:
    """The digest files under `content`: every *.md, in a stable order."""
    return [content / rel for rel, _ in digest_files(content)]


def to_read(content: Path, given: tuple[Path, ...] = ()) -> list[tuple[Path | str, str, str]]:
    """(path, rel, shown) of each digest file a build reads: those `given`, or all under `content`.
    `rel` is its path under `content` (a link's target's when that is inside, else its name),
    `shown` its name in messages (shown_path). Computed by string work for the files found here
    that are not links (a build reads thousands): the folder's path and name joined with rel (the
    working folder inside `content` excepted: a file there is named from it)."""
    real = content.resolve()
    if given:
        return [_named(path, real) for path in given]
    base, shown, here = str(content).rstrip("/"), shown_path(content), os.path.abspath(content)
    joined = os.path.commonpath([here, os.getcwd()]) != here
    return [
        (f"{base}/{rel}", rel, f"{shown}/{rel}") if joined and not entry.is_symlink() else _named(content / rel, real)
        for rel, entry in digest_files(content)
    ]


def _named(path: Path, content: Path) -> tuple[Path, str, str]:
    try:
        rel = path.resolve().relative_to(content).as_posix()
    except (ValueError, RuntimeError):  # a link to outside the content folder, a link loop
        rel = path.name
    return path, rel, shown_path(path)


def decode(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """Bytes -> text. UTF-8 (with or without BOM) and UTF-16 with BOM are read; anything else is an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            what, hint = (
                "this file is GBK/GB18030-encoded, not UTF-8",
                "re-save it as UTF-8 (e.g. `iconv -f GB18030 -t UTF-8`)",
            )
        except UnicodeDecodeError:
            what, hint = "this file is not UTF-8 text", "save it as UTF-8; is it a text file at all?"
        return None, [Diagnostic(shown, line, what, hint)]


def _front_matter(lines: list[str], shown: str) -> tuple[yamlfile.LineDict, int, list[Diagnostic]]:
    """Split `---` front matter off. Returns (values, index of the first body line, diagnostics).

    Front matter a word processor or input method mistyped (fenced by `——`, values in `“”`, a
    full-width colon) is an error saying what to retype, never text of the page nor a YAML message."""
    mistyped = editors.opens_front_matter(lines)
    if not lines or (lines[0].strip() != "---" and not mistyped):
        return yamlfile.LineDict(), 0, []
    problems = [editors.fence_problem(shown, 1, lines[0], "starts")] if mistyped else []
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
        if editors.is_fence_like(lines[end]):
            problems.append(editors.fence_problem(shown, end + 1, lines[end], "ends"))
            break
    else:
        opened = f"`{lines[0].strip()}`"
        return (
            yamlfile.LineDict(),
            0,
            [
                *problems,
                Diagnostic(shown, 1, f"the front matter opened by {opened} is never closed", _CLOSE_HINT),
            ],
        )
    problems += editors.line_problems(lines[1:end], 2, shown)
    if problems:
        return yamlfile.LineDict(), end + 1, problems
    try:
        data = yamlfile.parse("\n".join(lines[1:end]), shown, first_line=2)
    except yamlfile.YamlError as exc:
        return yamlfile.LineDict(), end + 1, [exc.diagnostic]
    if data is None:
        return yamlfile.LineDict(), end + 1, []
    if not isinstance(data, yamlfile.LineDict):
        return (
            yamlfile.LineDict(),
            end + 1,
            [
                Diagnostic(
                    shown, 2, "front matter must be `key: value` lines", "write e.g. `date: 2025-03-18` and `page: A5`"
                )
            ],
        )
    return data, end + 1, []


_CLOSE_HINT = "add a line `---` after the last front matter line"


def _scalar(meta: yamlfile.LineDict, key: str) -> str:
    """A front matter value as text; a number, date or yes/no as it is written (`page: 01` -> "01")."""
    value = meta.get(key)
    if value is None or isinstance(value, str):
        return (value or "").strip()
    return meta.texts.get(key, str(value)).strip()


def _date(meta: yamlfile.LineDict, rel: str, shown: str) -> tuple[dt.date | None, list[Diagnostic]]:
    value = meta.get("date")
    if value is not None:
        line = meta.lines["date"]
        if isinstance(value, dt.datetime):
            return value.date(), []
        if isinstance(value, dt.date):
            return value, []
        return None, [
            Diagnostic(shown, line, f"`date: {value}` is not a date", "write it as YYYY-MM-DD, e.g. `date: 2025-03-18`")
        ]
    match = DATE_IN_NAME.search(Path(rel).name) or DATE_IN_FOLDERS.search(rel)
    if match:
        try:
            return dt.date(*map(int, match.groups())), []
        except ValueError:
            return None, [
                Diagnostic(
                    shown,
                    0,
                    f"`{match.group(0)}` in the file name is not a date",
                    "fix the file name, or add `date: YYYY-MM-DD` to the front matter",
                )
            ]
    return None, [
        Diagnostic(
            shown,
            1,
            "this page has no date",
            "add front matter `date: YYYY-MM-DD` at the top (between `---` lines), "
            "or put the date in the file name, e.g. 2025-03-18-a5.md",
        )
    ]


def parse(data: bytes, rel: str, shown: str, default_publication: str) -> tuple[Source | None, list[Diagnostic]]:
    """One file's bytes -> a Source. `rel` is its path under content/, `shown` its name in messages."""
    lines, problems = text_lines(data, shown)
    if lines is None:
        return None, problems
    meta, body_start, problems = _front_matter(lines, shown)
    if problems:
        return None, problems
    scan, areas, scan_problems = scans.front_matter(meta, shown)
    problems = _unknown_keys(meta, shown) + _value_problems(meta, shown) + scan_problems
    date, date_problems = _date(meta, rel, shown)
    problems += date_problems
    if date is None or any(p.level == "error" for p in problems):
        return None, problems
    source = Source(
        path=shown,
        date=date,
        publication=_scalar(meta, "publication") or default_publication,
        page=_scalar(meta, "page") or editors.label_from_name(rel),
        title=_scalar(meta, "title"),
        lines=tuple(lines),
        body_start=body_start,
        draft=bool(meta.get("draft", False)),
        rel=rel,
        images=_scalar(meta, "images"),
        form=PARAGRAPH_FORMS[meta.get("paragraphs", "auto")],  # a valid form: else an error above
        scan=scan,
        scan_line=meta.lines.get("scan", 0),
        areas=areas,
        digest=digest(data),
    )
    return source, problems + editors.pasted_twice(lines, body_start, shown)


def reread(path: Path | str, source: Source | None, sha: str) -> Source | None:
    """The Source parsed from the file at `path`, with its lines (the file's text) read again (a
    build lets them go once parsed); None when the file's bytes are no longer those of digest `sha`."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    if source is None or digest(data) != sha:
        return None
    return dataclasses.replace(source, lines=tuple(text_lines(data, source.path)[0] or ()))


def text_lines(data: bytes, shown: str) -> tuple[list[str] | None, list[Diagnostic]]:
    """The file's lines (a Source's, front matter included); None, with the problem, when it is not text."""
    text, problems = _text(data, shown)
    return (None if text is None else text.splitlines()), problems  # splits \n, \r\n and a lone \r


def _text(data: bytes, shown: str) -> tuple[str | None, list[Diagnostic]]:
    """The file's text (decode()); None, with the problem, when it is not text."""
    text, problems = decode(data, shown)
    if text is None or "\x00" not in text:
        return text, problems
    line = text[: text.index("\x00")].count("\n") + 1
    return None, [
        Diagnostic(
            shown,
            line,
            "this file holds NUL bytes: it is binary, not text",
            "remove it from content/, or save it as plain UTF-8 text",
        )
    ]


def _unknown_keys(meta: yamlfile.LineDict, shown: str) -> list[Diagnostic]:
    """A warning for each front matter key the build does not know (the page is built all the same)."""
    return [
        Diagnostic(
            shown,
            meta.lines[key],
            f"unknown front matter key `{key}` (ignored)",
            f"known keys: {', '.join(sorted(FRONT_MATTER_KEYS))}",
            level="warning",
        )
        for key in meta
        if key not in FRONT_MATTER_KEYS
    ]


def _value_problems(meta: yamlfile.LineDict, shown: str) -> list[Diagnostic]:
    """An error for each known front matter value of the wrong kind (the date is _date's)."""
    problems = []
    for key in ("publication", "page", "title", "images"):
        value = meta.get(key)
        if isinstance(value, (list, dict)):
            problems.append(
                Diagnostic(
                    shown,
                    meta.lines[key],
                    f"`{key}` must be text, not a {yamlfile.kind_name(value)}",
                    f"write e.g. `{key}: A5` on one line",
                )
            )
    if not isinstance(meta.get("draft", False), bool):
        problems.append(Diagnostic(shown, meta.lines["draft"], "`draft` must be true or false"))
    form = meta.get("paragraphs", "auto")
    if not isinstance(form, str) or form not in PARAGRAPH_FORMS:
        problems.append(
            Diagnostic(
                shown,
                meta.lines["paragraphs"],
                f"`paragraphs: {form}` is not a paragraph form",
                "write `paragraphs: line` (one paragraph a line), `paragraphs: blank` (blank "
                "lines between paragraphs) or leave it out to let the text decide",
            )
        )
    return problems
