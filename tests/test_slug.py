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
