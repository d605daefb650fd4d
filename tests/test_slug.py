from newsdigest.slug import slugify, unique


def test_pinyin_two_characters_to_a_word():
    assert slugify("产业丛林集群攀高 宁波如何 孵出更多“独角兽”") == "chanye-conglin-jiqun-pangao"


def test_odd_character_joins_the_last_word_and_punctuation_goes():
    assert slugify("宁波援建，“亚克西”!") == "ningbo-yuanjian-yakexi"


def test_latin_and_digits_are_kept_lowercase():
    assert slugify("ISO标准发布") == "iso-biaozhun-fabu"
    assert slugify("A5") == "a5"


def test_slugs_are_ascii_and_bounded():
    for title in ["../../etc/passwd", "C:\\Windows\\con", "“”！？", "a" * 500, "长" * 100]:
        slug = slugify(title)
        assert slug and len(slug) <= 60 and all(c.islower() or c.isdigit() or c == "-" for c in slug), slug


def test_unique_adds_a_number():
    taken = {"a"}
    assert [unique("a", taken), unique("a", taken), unique("b", taken)] == ["a-2", "a-3", "b"]


def test_fast_pinyin_is_pypinyin_lazy_pinyin():
    """slug.pinyin converts tones by a table made from pypinyin itself: the same syllables."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PINYIN_DICT

    from newsdigest.slug import pinyin

    texts = [
        "产业丛林集群攀高",
        "重庆重要",
        "长大长城",
        "行长银行",
        "绿色旅行",
        "女儿",
        "嗯呣",
        "了不得",
        "朝阳朝代",
        "亚克西",
        "欧阳修",
        "金宇涵",
        "〇",
        "㐀㐁",
        "ǎ",
        "A5宁波",
        "宁波 如何",
        "“独角兽”",
        "",
    ]
    hanzi = [chr(code) for code in sorted(PINYIN_DICT) if 0x3400 <= code <= 0x9FFF]
    texts += ["".join(hanzi[i : i + 7]) for i in range(0, len(hanzi), 7)]  # every character once, in runs
    for text in texts:
        assert pinyin(text) == lazy_pinyin(text, style=Style.NORMAL), text
