"""A seeded generator of realistic Chinese news articles, for the search benchmark and tests.

Words come from pypinyin's phrase dictionary (about 47,000 Chinese words and idioms, a dependency
the project already has), drawn with a Zipf-like law so that common words are common and most are
rare, as in real text; sentences mix them with function characters, numbers with units, Latin
acronyms, people's names and place names from the project's gazetteer, with Chinese punctuation.
Every article has a headline, a byline, paragraphs, sometimes photo captions with a credit, a date,
topics and regions. The same seed always gives the same corpus.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[2]

FUNCTION = list("的了在是和与对将为等也都中上及并从向把被由以而其这该已还就又再更最很")
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤励"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇涵佳辉冰越铭晨鼎立孙晖张梁建海国其定业浩然子轩思远欣怡梓萱雨泽博文天佑俊杰嘉怡"
)
ROLES = ["记者", "本报记者", "见习记者", "通讯员", "特约记者"]
LATIN = ["ISO", "AI", "5G", "GDP", "CVD", "GEI", "APP", "IPO", "ESG", "CEO", "LED", "PM2.5", "Wi-Fi", "OLED", "SaaS"]
UNITS = ["家", "个", "亿元", "万元", "吨", "亩", "台", "项", "年", "月", "日", "%", "名", "平方米", "公里", "辆"]
CREDITS = ["(企业供图)", "(受访者供图)", "(资料图片)", "(记者摄)"]
HOLE, APART = "\ue000", "\ue001"  # private-use characters: a dictionary word to come, a piece's end (article())
SEPARATORS = ["，", "，", "；", "、"]  # between a sentence's clauses
ENDS = "。。。。！？"


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    date: str
    topics: tuple[str, ...]
    regions: tuple[str, ...]
    byline: tuple[str, ...]  # names
    roles: tuple[str, ...]  # one per name
    paragraphs: tuple[str, ...]
    captions: tuple[tuple[str, str], ...]  # (text, credit)

    @property
    def text(self) -> tuple[str, ...]:
        """The searchable pieces of text beyond the title, in reading order."""
        return (*self.byline, *self.paragraphs, *(piece for caption in self.captions for piece in caption if piece))


def _terms(path: Path, kind: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(slug, name, parent, aliases) of every term in a topics or regions file."""
    out = []

    def walk(items, parent):
        for item in items or []:
            out.append((item["slug"], item["name"], parent, tuple(item.get("aliases", item.get("keywords", [])))))
            walk(item.get("children"), item["slug"])

    walk(yaml.safe_load(path.read_text(encoding="utf-8")), "")
    return out


def taxonomy():
    """(topics, regions) of the sample project: lists of (slug, name, parent)."""
    topics = [(s, n, p) for s, n, p, _ in _terms(ROOT / "content" / "topics.yaml", "topic")]
    regions = [(s, n, p) for s, n, p, _ in _terms(ROOT / "content" / "regions.yaml", "region")]
    return topics, regions


class Generator:
    def __init__(self, seed: int = 1):
        from pypinyin.phrases_dict import phrases_dict

        self.rng = rng = random.Random(seed)
        words = sorted(w for w in phrases_dict if 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w))
        rng.shuffle(words)
        # two-character words first among the frequent ones, as in real text
        words.sort(key=lambda w: (len(w) != 2) and rng.random() < 0.8)
        self.words = words
        weights = [1.0 / (rank + 20) ** 1.05 for rank in range(len(words))]
        self.cumulative = list(itertools.accumulate(weights))
        self.cumulative_array = np.array(self.cumulative)
        self.words_array = np.array(words, dtype=object)
        self.topic_terms = _terms(ROOT / "content" / "topics.yaml", "topic")
        self.region_terms = [t for t in _terms(ROOT / "content" / "regions.yaml", "region") if t[2]]
        self.keywords = [k for _, _, _, ks in self.topic_terms for k in ks]
        self.region_names = {t[0]: (t[1], *t[3]) for t in self.region_terms}  # a region's name and aliases

    def word(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.18:
            return rng.choice(FUNCTION)
        if roll < 0.20:
            number = rng.choice([rng.randint(2, 99), rng.randint(100, 9999), round(rng.random() * 100, 1)])
            return f"{number}{rng.choice(UNITS)}"
        if roll < 0.205:
            return rng.choice(LATIN)
        if roll < 0.22:
            return rng.choice(self.keywords)
        return self.words[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def name(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))

    def sentence(self, places: list[str], people: list[str]) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(2, 4)):
            clause = [self.word() for _ in range(rng.randint(3, 8))]
            if rng.random() < 0.25:
                clause.insert(rng.randrange(len(clause) + 1), rng.choice(places))
            if rng.random() < 0.1:
                clause.insert(0, rng.choice(people) + "说")
            if rng.random() < 0.08:
                i = rng.randrange(len(clause))
                clause[i] = "“" + clause[i] + "”"
            if rng.random() < 0.03:
                i = rng.randrange(len(clause))
                clause[i] = "《" + clause[i] + "》"
            parts.append("".join(clause))
        return rng.choice(["，", "，", "；", "、"]).join(parts) + rng.choice("。。。。！？")

    # article() and its helpers draw exactly what word(), name() and sentence() would, in the same order, so
    # the same seed gives the same articles; but with random's choice(), randint() and randrange() written
    # out (`r = getrandbits(k)` until `r < n`, with k = n.bit_length(), is its _randbelow(n)), and with the
    # dictionary words looked up for a whole article at once: this is where the corpus generators spend
    # their time.

    def _below(self, n: int) -> int:
        """random's _randbelow(n): what choice(), randint() and randrange() draw."""
        grb, k = self.rng.getrandbits, n.bit_length()
        r = grb(k)
        while r >= n:
            r = grb(k)
        return r

    def _rare_word(self, roll: float) -> str:
        """word() for a roll in [0.18, 0.22): a number and its unit, a Latin acronym or a topic keyword."""
        below = self._below
        if roll < 0.20:
            candidates = (2 + below(98), 100 + below(9900), round(self.rng.random() * 100, 1))
            return f"{candidates[below(3)]}{UNITS[below(len(UNITS))]}"
        if roll < 0.205:
            return LATIN[below(len(LATIN))]
        return self.keywords[below(len(self.keywords))]

    def _word(self, draw) -> str:
        """word(), but a dictionary word is HOLE, its draw given to `draw`."""
        roll = self.rng.random()
        if roll >= 0.22:
            draw(self.rng.random())
            return HOLE
        if roll < 0.18:
            return FUNCTION[self._below(len(FUNCTION))]
        return self._rare_word(roll)

    def _name(self) -> str:
        """name()."""
        below = self._below
        surname = SURNAMES[below(len(SURNAMES))]
        return surname + "".join([GIVEN[below(len(GIVEN))] for _ in range((1, 2, 2)[below(3)])])

    def _sentence(self, places: list[str], people: list[str], draw) -> str:
        """sentence(), dictionary words as HOLEs (see _word)."""
        random, grb, below, rare = self.rng.random, self.rng.getrandbits, self._below, self._rare_word
        function, nfunction, kfunction = FUNCTION, len(FUNCTION), len(FUNCTION).bit_length()
        r = grb(2)  # randint(2, 4) clauses
        while r >= 3:
            r = grb(2)
        parts = []
        for _ in range(2 + r):
            r = grb(3)  # randint(3, 8) words
            while r >= 6:
                r = grb(3)
            clause = [HOLE] * (3 + r)
            for j in range(3 + r):  # word(), its common cases first
                roll = random()
                if roll >= 0.22:
                    draw(random())
                elif roll < 0.18:
                    r = grb(kfunction)
                    while r >= nfunction:
                        r = grb(kfunction)
                    clause[j] = function[r]
                else:
                    clause[j] = rare(roll)
            if random() < 0.25:
                i = below(len(clause) + 1)
                clause.insert(i, places[below(len(places))])
            if random() < 0.1:
                clause.insert(0, people[below(len(people))] + "说")
            if random() < 0.08:
                i = below(len(clause))
                clause[i] = "“" + clause[i] + "”"
            if random() < 0.03:
                i = below(len(clause))
                clause[i] = "《" + clause[i] + "》"
            parts.append("".join(clause))
        return SEPARATORS[below(len(SEPARATORS))].join(parts) + ENDS[below(len(ENDS))]

    def article(self, number: int, date: dt.date) -> Article:
        """The next article: what the word(), name() and sentence() of the comment above would make."""
        rng, below, word, name, sentence = self.rng, self._below, self._word, self._name, self._sentence
        draws: list[float] = []  # the dictionary words' draws, in order: their words fill the HOLEs at the end
        draw = draws.append
        regions = tuple(sorted({t[0] for t in rng.sample(self.region_terms, (1, 1, 2, 3)[below(4)])}))
        places = [p for r in regions for p in self.region_names[r]]
        topics = tuple(sorted({t[0] for t in rng.sample(self.topic_terms, (1, 2, 2, 3)[below(4)])}))
        people = [name() for _ in range(1 + below(4))]
        title_words = [word(draw) for _ in range(3 + below(5))]
        title_words.insert(below(len(title_words)), places[below(len(places))])
        if rng.random() < 0.4:
            title_words.insert(below(len(title_words)), " ")
        title = "".join(title_words).strip()
        count = (1, 1, 2, 3)[below(4)]
        byline = tuple([name() for _ in range(count)])
        roles = tuple([ROLES[below(len(ROLES))] for _ in range(count)])
        paragraphs = [
            "".join([sentence(places, people, draw) for _ in range(1 + below(5))]) for _ in range(3 + below(8))
        ]
        captions, credits = [], []
        for _ in range((0, 0, 1, 1, 2)[below(5)]):
            captions.append("图为" + "".join([word(draw) for _ in range(4 + below(7))]) + "。")
            credits.append(CREDITS[below(len(CREDITS))])
        # the dictionary words, all at once: bisect.bisect(self.cumulative, x) for each draw (numpy's is the
        # same search on the same floats, and does not wait on memory 16 times a word as bisect on a list does)
        x = np.array(draws) * self.cumulative[-1]
        pieces = APART.join([title, *paragraphs, *captions]).split(HOLE)
        filled = [""] * (2 * len(pieces) - 1)
        filled[::2] = pieces
        filled[1::2] = self.words_array[np.searchsorted(self.cumulative_array, x, "right")].tolist()
        title, *texts = "".join(filled).split(APART)
        slug = f"a{number:06d}"
        return Article(
            f"{date:%Y/%m/%d}/{slug}/",
            title,
            date.isoformat(),
            topics,
            regions,
            byline,
            roles,
            tuple(texts[: len(paragraphs)]),
            tuple(zip(texts[len(paragraphs) :], credits)),
        )


def articles(count: int, seed: int = 1, per_day: int = 8):
    """`count` articles, oldest first, `per_day` to a day from 2020-01-01."""
    gen = Generator(seed)
    start = dt.date(2020, 1, 1)
    for n in range(count):
        yield gen.article(n, start + dt.timedelta(days=n // per_day))


def write_content(folder: Path, items) -> int:
    """Writes articles as markdown digests (one printed page per day) under `folder`; returns pages."""
    pages: dict = {}
    for article in items:
        pages.setdefault(article.date, []).append(article)
    for date, day in sorted(pages.items()):
        parts = [f"---\ndate: {date}\npage: A1\ntitle: 要闻\n---\n"]
        for a in day:
            parts.append(f"## {a.title}\n")
            parts.append(" ".join(f"{role} {name}" for role, name in zip(a.roles, a.byline)) + "\n")
            parts += [p + "\n" for p in a.paragraphs]
            parts += [f"{text}{credit}\n" for text, credit in a.captions]
        path = folder / date[:4] / f"{date}-a1.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(parts), encoding="utf-8")
    return len(pages)
