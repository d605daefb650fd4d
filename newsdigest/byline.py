"""Bylines, datelines and photo credits: who wrote or shot a story, read from the printed text."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Person

# Longest first, so that 见习记者 wins over 记者. Value: the role as shown.
ROLES = {
    "本报见习记者": "见习记者", "本报特约记者": "特约记者", "本报记者": "记者", "本报通讯员": "通讯员",
    "摄影记者": "摄影记者", "见习记者": "见习记者", "特约记者": "特约记者", "记者": "记者",
    "通讯员": "通讯员", "实习生": "实习生", "摄影": "摄影", "编辑": "编辑", "撰稿": "撰稿",
}
ROLE_RE = re.compile("|".join(sorted(ROLES, key=len, reverse=True)))
CJK = r"\u3400-\u9fff\uf900-\ufaff"
NAME_RE = re.compile(rf"^[{CJK}][{CJK}·•]{{1,9}}$")
NAME_SEPARATORS = re.compile(r"[\s\u3000、,，]+")

# 本报讯(记者…)  本报北京2月2日电（记者…）  新华社杭州3月1日电(记者…)
DATELINE_RE = re.compile(
    r"^(?:本报讯|(?P<agency>本报|新华社|中新社|人民日报)(?P<place>[^\s(（，。\d]{0,12}?)"
    r"(?P<date>\d{1,2}月\d{1,2}日)电)\s*[(（](?P<inner>[^()（）]{1,80})[)）]"
)
# (廖业强 王晨辉 周鼎立 文/摄)  （记者 王珂 摄）  (张三/文 李四/摄) is left to the editor
CREDIT_PEOPLE_RE = re.compile(r"^(?P<names>.+?)\s*(?P<role>文/摄|图/文|文/图|摄影|摄|文)$")
SENTENCE_RE = re.compile(r"[。！？!?；;，]")  # punctuation no byline line holds


@dataclass(frozen=True)
class Dateline:
    place: str
    date: str
    people: tuple[Person, ...]


def split_names(text: str) -> list[str] | None:
    """'张超梁 顾伟' -> ['张超梁', '顾伟'];  '刘  毅' -> ['刘毅'] (spaces in a name are layout).

    Runs of single characters are one name. None when a piece is not a name.
    """
    pieces = [p for p in NAME_SEPARATORS.split(unicodedata.normalize("NFKC", text).strip()) if p]
    names: list[str] = []
    run = ""
    for piece in pieces:
        if len(piece) == 1:
            run += piece
            continue
        if run:
            names.append(run)
            run = ""
        names.append(piece)
    if run:
        names.append(run)
    if not names or not all(NAME_RE.match(n) and len(n) <= 10 for n in names):
        return None
    return names


def parse_people(text: str) -> tuple[Person, ...] | None:
    """A byline: role words each followed by names. '见习记者 金宇涵', '记者沈孙晖 通讯员张超梁 顾伟'.

    None when the text is anything else (a sentence, a cross-head).
    """
    text = text.strip().replace("\u3000", " ")
    matches = list(ROLE_RE.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    people: list[Person] = []
    for match, following in zip(matches, matches[1:] + [None]):
        chunk = text[match.end(): following.start() if following else len(text)].strip(" :：")
        names = split_names(chunk)
        if names is None:
            return None
        people += [Person(n, ROLES[match.group(0)]) for n in names]
    return tuple(people)


def parse_byline_line(text: str) -> tuple[Person, ...] | None:
    """A byline standing on its own line: short, no sentence punctuation."""
    if len(text) > 60 or SENTENCE_RE.search(text):
        return None
    return parse_people(text)


def parse_dateline(text: str) -> Dateline | None:
    """The dateline opening a story's first paragraph."""
    match = DATELINE_RE.match(text.strip())
    if not match:
        return None
    people = parse_people(match.group("inner"))
    if people is None:
        return None
    return Dateline(match.group("place") or "", match.group("date") or "", people)


def parse_credit(credit: str) -> tuple[Person, ...]:
    """People named in a photo credit: '廖业强 王晨辉 周鼎立 文/摄', '记者 王珂 摄'. () for '企业供图'."""
    match = CREDIT_PEOPLE_RE.match(credit.strip())
    if not match:
        return ()
    names_text = match.group("names").strip()
    role_match = ROLE_RE.match(names_text)
    if role_match:
        names_text = names_text[role_match.end():]
    names = split_names(names_text)
    if names is None:
        return ()
    role = match.group("role")
    return tuple(Person(n, "摄影" if role in ("摄", "摄影") else role) for n in names)
