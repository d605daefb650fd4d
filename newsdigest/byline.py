"""Bylines, datelines and photo credits: who wrote or shot a story, and where it came from.

Chinese papers print these in a few families, each read here by one function:
- a byline on its own line under the headline: role words, each followed by names
  (`本报记者  林晓峰  周文静`, `记者 林晓峰 通讯员 周文静`, `文/林晓峰  图/周文静`): parse_byline_line;
- a dateline opening the first paragraph: an agency, a place and a date, `电` or `讯`, then the
  people in brackets (`本报讯（记者…）`, `新华社北京3月5日电（记者…）`, `据新华社电`): parse_dateline;
- a byline in brackets closing the story (`（本报记者甲、乙）`, `（记者甲整理）`, `（执笔：甲）`,
  `（新华社北京3月5日电  记者甲）`): parse_signoff;
- a photo credit under a caption or closing a photo story (`新华社记者  甲摄`, `甲  乙摄影报道`,
  `甲图  乙文`, `(甲 乙 文/摄)`, `新华社发`): parse_credit.
All share one reader of "role words and names": a role before names applies to them until the
next role; a role after names (`摄`, `整理`, `文/摄`) says what those names did and wins. A name
is 2 to 4 Chinese characters (a minority name with `·` may be longer), spaces inside it being
layout (`王  珂`); a name with no role word at all must start with a Chinese surname, and so must
a 2- or 3-character name after a role (`记者手记` is not 记者 手记).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Byline, Person

# Full-width forms (（）：／ and digits) and the ideographic space as their ASCII twins, one character
# for one, so that offsets found in the translated text hold in the original.
WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# Titles printed before names: a rank and a job (见习记者, 特约通讯员, 评论员), maybe after 本报 and a
# posting (本报驻美国记者). The role shown is the rank and job.
TITLE_RE = re.compile(
    r"(?:本报)?(?:驻[\u4e00-\u9fff]{1,8}?)?"
    r"(?P<role>(?:首席|摄影|见习|特约|特派|实习|驻站)?(?:记者|评论员)|(?:特约)?通讯员|实习生)"
)
# Roles printed before names with `/` or `:` after them (文/甲  图/乙  执笔：甲  参与采写：乙).
LABELS = (
    "参与采写",
    "责任编辑",
    "摄影",
    "执笔",
    "整理",
    "采写",
    "撰文",
    "撰稿",
    "编辑",
    "编译",
    "翻译",
    "制图",
    "视频",
    "统筹",
    "策划",
    "口述",
    "文",
    "图",
    "摄",
)
# Roles printed after names, and the role each gives (报道 keeps the title: 综合本报记者甲报道).
DEEDS = {
    "摄影报道": "摄影",
    "文/摄": "文/摄",
    "文/图": "文/图",
    "图/文": "图/文",
    "摄影": "摄影",
    "摄": "摄影",
    "整理": "整理",
    "执笔": "执笔",
    "采写": "采写",
    "报道": "",
    "图": "图",
    "文": "文",
}
DEED_RE = re.compile("(?:" + "|".join(map(re.escape, sorted(DEEDS, key=len, reverse=True))) + ")$")
LABEL_RE = re.compile("(?:" + "|".join(LABELS) + r")\s*[/:]\s*")

# News agencies and papers that datelines and credits name; another "…社/…报/…网" is read too.
AGENCIES = (
    "本报",
    "新华社",
    "中新社",
    "中国新闻社",
    "人民日报",
    "光明日报",
    "经济日报",
    "人民网",
    "新华网",
    "中新网",
    "央视网",
    "央广网",
    "央视新闻",
    "央视",
    "央广",
    "总台",
)
AGENCY = "(?:" + "|".join(AGENCIES) + r"|[\u4e00-\u9fff]{2,8}?(?:日报|晚报|社|网))"
# 本报讯  据新华社电  新华社北京3月5日电  本报杭州3月5日专电  中新社上海5日电
DATELINE_RE = re.compile(
    rf"^(?:据)?(?:(?P<agency>{AGENCY})(?:(?P<place>[^\s()\d,.:;!?，。：；、“”]{{0,12}}?)"
    r"(?P<date>(?:\d{1,2}月)?\d{1,2}日))?(?:专|综合|快|特)?电(?![视话影脑力子网梯商池站价线器动量])|(?P<xun>"
    + AGENCY
    + r")讯)"
)
BRACKETED_RE = re.compile(r"\s*\((?P<inner>[^()]{1,80})\)")
# 新华社记者甲  新华社发 (本报记者 is a title: the paper itself is no agency to credit)
AGENCY_BY_RE = re.compile(rf"^(?!本报)(?P<agency>{AGENCY})(?=(?:{TITLE_RE.pattern.replace('?P<role>', '')})|发)")
SOURCE_WORDS = re.compile(r"供图|提供|图片来源|资料图|资料照片|截图|来源[:：]")
MARKS = "■□◎●○▲△◆◇★☆▶►◀|｜"
SENTENCE_RE = re.compile(r"[。！？!?；;，,]")  # punctuation no byline line holds
SEPARATORS = re.compile(r"[\s、,;]+")
CJK = r"\u3400-\u9fff\uf900-\ufaff"
NAME_RE = re.compile(rf"^[{CJK}]{{2,4}}$|^[{CJK}]{{1,8}}(?:[·•][{CJK}]{{1,8}}){{1,3}}$")

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "呼延",
    "轩辕",
    "闻人",
    "申屠",
    "澹台",
    "公羊",
    "赫连",
    "钟离",
    "太史",
    "完颜",
    "万俟",
    "东郭",
    "百里",
    "左丘",
)
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简"
    "车项连芦卢麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛"
    "仲虞敖巩佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜阚花"
    "权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄计索宣晋云容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇哈湛宾戎勾茅利於居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由庹昌"
    "詹续晏寿闻黑琚铁逄蹇郗郦谯阿买热艾吐木努古"
)


def _translate(text: str) -> str:
    return text.translate(WIDE)


def is_name(name: str, titled: bool) -> bool:
    """A person's name: 2-4 Chinese characters, or a minority name with `·`. Without a title before it
    (or when short after one) it starts with a surname: `手记`, `资料图片` and `相关报道` are no names."""
    if not NAME_RE.match(name):
        return False
    if "·" in name or "•" in name or (titled and len(name) == 4):
        return True
    return name[0] in SURNAMES or name.startswith(COMPOUND_SURNAMES)


@dataclass
class _Reading:
    people: list[Person]
    agency: str = ""
    roles: int = 0  # role words read (titles, labels, deeds)
    place: str = ""  # where the people wrote from (记者甲 发自北京)


def _tokens(text: str) -> list[tuple[str, str]]:
    """'本报记者林晓峰、周  亮摄'
    -> [('title','记者'), ('name','林晓峰'), ('name','周'), ('name','亮'), ('deed','摄影')]."""
    out: list[tuple[str, str]] = []
    for piece in SEPARATORS.split(text):
        while piece:
            if piece.startswith("发自") and any(kind == "name" for kind, _ in out):  # 记者甲 发自北京
                out.append(("from", piece[2:].removesuffix("报道")))
                break
            agency = AGENCY_BY_RE.match(piece)
            if agency:  # 新华社记者甲, 光明日报记者甲 光明日报通讯员乙
                out.append(("agency", agency.group("agency")))
                piece = piece[agency.end() :]
                if piece.startswith("发"):
                    piece = piece[1:]
                continue
            if piece in DEEDS:  # a role standing apart: after names (甲 乙 文/摄), or before them (摄影 甲)
                named = any(kind == "name" for kind, _ in out)
                if not named and piece in LABELS and len(piece) > 1:
                    out.append(("title", DEEDS[piece] or piece))
                else:
                    out.append(("deed", DEEDS[piece]))
                break
            title = TITLE_RE.match(piece)
            if title:
                out.append(("title", title.group("role")))
                piece = piece[title.end() :].lstrip("/:")
                continue
            label = LABEL_RE.match(piece)
            if label:
                word = label.group(0).rstrip(" /:")
                out.append(("title", DEEDS.get(word, word) or word))
                piece = piece[label.end() :]
                continue
            deed = DEED_RE.search(piece)
            rest = piece[: deed.start()] if deed else piece
            # A one-character 文 or 图 ends a name only where what is left is a name, or the end of a
            # run of single characters (周  亮文): 王文 is a name.
            if (
                deed
                and rest
                and (
                    len(deed.group(0)) > 1
                    or deed.group(0) == "摄"
                    or len(rest) >= 2
                    or (out and out[-1][0] == "name" and len(out[-1][1]) == 1)
                )
            ):
                out.append(("name", rest))
                out.append(("deed", DEEDS[deed.group(0)]))
            else:
                out.append(("name", piece))
            break
    return out


def read_people(text: str) -> _Reading | None:
    """Role words and names -> who did what. None when a piece is neither (a sentence, a cross-head)."""
    text = _translate(text).strip().lstrip(MARKS).strip()
    if text.startswith("综合"):
        text = text[2:]
    reading = _Reading([])
    title, titled = "", False
    group: list[int] = []  # the people since the last role word, whom a deed after them names
    tokens = _tokens(text)
    index = 0
    while index < len(tokens):
        kind, value = tokens[index]
        index += 1
        if kind == "agency":
            reading.agency = reading.agency or value
        elif kind == "from":
            reading.place = value
        elif kind == "title":
            title, titled, group = value, True, []
            reading.roles += 1
        elif kind == "deed":
            if not group:
                return None
            reading.roles += 1
            for i in group:
                if value:
                    reading.people[i] = Person(reading.people[i].name, value)
            group = []
        else:
            while (
                value
                and len(value) == 1
                and index < len(tokens)
                and tokens[index][0] == "name"
                and len(tokens[index][1]) == 1
            ):  # 王  珂: spaces inside a name are layout
                value += tokens[index][1]
                index += 1
            deeded = index < len(tokens) and tokens[index][0] == "deed"
            if not is_name(value, titled or deeded):
                return None
            group.append(len(reading.people))
            reading.people.append(Person(value, title))
    return reading


def _byline(reading: _Reading | None, **where) -> Byline | None:
    if reading is None:
        return None
    return Byline(tuple(reading.people), reading.agency, **({"place": reading.place} | where))


def parse_people(text: str) -> tuple[Person, ...] | None:
    """The people of a byline: '见习记者 金宇涵', '记者沈孙晖 通讯员张超梁 顾伟'. None for other text."""
    reading = read_people(text)
    return tuple(reading.people) if reading else None


def parse_byline_line(text: str) -> Byline | None:
    """A byline standing on its own line: short, no sentence punctuation, at least one role word."""
    if len(text) > 60 or SENTENCE_RE.search(text):
        return None
    reading = read_people(text)
    if reading is None or not reading.people or not reading.roles:
        return None
    return _byline(reading)


def _dateline(text: str) -> tuple[re.Match, Byline] | None:
    """The agency, place and date opening `text` (translated), without the people after them."""
    match = DATELINE_RE.match(text)
    if not match:
        return None
    agency = match.group("agency") or match.group("xun")
    return match, Byline((), agency, match.group("place") or "", match.group("date") or "")


def parse_dateline(text: str) -> Byline | None:
    """The dateline opening a story's first paragraph, with `end`: where the story itself starts."""
    wide = _translate(text)
    found = _dateline(wide)
    if not found:
        return None
    match, dateline = found
    end = match.end()
    bracket = BRACKETED_RE.match(wide, end)
    people: tuple[Person, ...] = ()
    if bracket:
        reading = read_people(bracket.group("inner"))
        if reading is not None:
            people, end = tuple(reading.people), bracket.end()
    while end < len(wide) and wide[end] in " :":
        end += 1
    return Byline(people, dateline.agency, dateline.place, dateline.date, end)


def _unbracket(text: str) -> str | None:
    text = _translate(text).strip()
    if len(text) < 3 or text[0] != "(" or text[-1] != ")" or "(" in text[1:-1] or ")" in text[1:-1]:
        return None
    return text[1:-1].strip()


def parse_signoff(text: str) -> Byline | None:
    """A byline in brackets closing a story: '（本报记者林晓峰、周文静）', '（执笔：林晓峰）',
    '（新华社北京3月5日电  记者林晓峰）', '（本报莫斯科3月4日电）'. None for '（相关报道见第四版）'."""
    inner = _unbracket(text)
    if not inner:
        return None
    found = _dateline(inner)
    if found:
        match, dateline = found
        rest = inner[match.end() :].strip(" :")
        reading = read_people(rest) if rest else _Reading([])
        if reading is None:
            return None
        return Byline(tuple(reading.people), dateline.agency, dateline.place, dateline.date)
    reading = read_people(inner)
    return _byline(reading) if reading and reading.people else None


def parse_credit(text: str) -> Byline | None:
    """A photo credit: '新华社记者  林晓峰摄', '林晓峰  周文静摄影报道', '(记者 王珂 摄)', '新华社发',
    '林晓峰摄（视觉中国）'. Names nobody for a source ('企业供图', '本版图片来源：视觉中国'). None when
    the text is not a credit."""
    text = _translate(text).strip()
    inner = _unbracket(text)
    if inner is not None:
        text = inner
    elif text.endswith(")") and "(" in text:  # 林晓峰摄（视觉中国）: the picture agency after the credit
        text = text[: text.rindex("(")].strip()
    if not text or len(text) > 40 or SENTENCE_RE.search(text):
        return None
    if SOURCE_WORDS.search(text):
        return Byline(())
    reading = read_people(text)
    if reading is None:
        return None
    if not reading.people:
        return _byline(reading) if reading.agency and text.endswith("发") else None
    if not any(p.role in ("摄影", "文/摄", "文/图", "图/文", "图", "文") for p in reading.people):
        return None
    return _byline(reading)
