"""Each splitting rule on the seed's own lines (see newsdigest/split.py)."""

import re

from helpers import SAMPLE_TITLES, drafts_of

from newsdigest.split import accounted_lines, split


def bare(text):
    """Text without brackets and spaces: a credit's brackets are layout."""
    return re.sub(r"[()（）\s]", "", text)


def kinds(draft):
    return [b.kind for b in draft.blocks]


def test_headings_of_level_1_to_3_start_articles():
    drafts, _ = drafts_of("# 一\n\n正文一。\n\n## 二\n\n正文二。\n\n### 三\n\n正文三。\n\n#### 小标题\n\n正文四。")
    assert [d.title.text for d in drafts] == ["一", "二", "三"]
    assert [b.text for b in drafts[2].blocks] == ["正文三。", "#### 小标题", "正文四。"]


def test_byline_on_its_own_line_under_the_headline():
    drafts, _ = drafts_of(
        "# 产业丛林集群攀高\n\n见习记者 金宇涵\n\n近期，一项关于征集2025宁波市独角兽榜单的启事，引发关注。"
    )
    assert kinds(drafts[0]) == ["byline", "para"]
    assert drafts[0].blocks[0].text == "见习记者 金宇涵"


def test_dateline_paragraph_is_kept_as_printed():
    line = "本报讯(记者孙肖)近日，旭升集团25名技术骨干组成的先锋队奔赴墨西哥萨尔蒂约。"
    drafts, _ = drafts_of(f"## 旭升集团\n\n{line}")
    assert [(b.kind, b.text) for b in drafts[0].blocks] == [("para", line)]


def test_caption_with_credit_in_brackets_keeps_the_credit_apart():
    drafts, _ = drafts_of("## 标题\n\n国家级重点“小巨人”企业源钻科技生产现场(资料图片)。(企业供图)\n\n正文。")
    caption = drafts[0].blocks[0]
    assert (caption.kind, caption.text, caption.credit) == (
        "caption",
        "国家级重点“小巨人”企业源钻科技生产现场(资料图片)。",
        "企业供图",
    )


def test_caption_followed_by_a_credit_on_its_own_line():
    drafts, _ = drafts_of(
        "## 甬企联合牵头\n\n\n\n凯福莱生产的负压救护车内部。\n\n(受访者供图)\n\n本报讯(记者王佳辉)近日，标准正式发布。"
    )
    caption = drafts[0].blocks[0]
    assert (caption.kind, caption.text, caption.credit) == ("caption", "凯福莱生产的负压救护车内部。", "受访者供图")
    assert caption.lines == (5,) and caption.credit_lines == (7,)
    assert kinds(drafts[0]) == ["caption", "para"]


def test_caption_starting_with_tu_wei():
    drafts, _ = drafts_of(
        "## 标题\n\n正文。\n\n图为宁波援建的位于该街区的库车农特产品展销中心。\n\n(廖业强 王晨辉 周鼎立 文/摄)"
    )
    assert kinds(drafts[0]) == ["para", "caption"]
    assert drafts[0].blocks[1].credit == "廖业强 王晨辉 周鼎立 文/摄"


def test_caption_after_a_wide_gap_before_a_headline_belongs_to_the_next_article(sample_source):
    drafts, _ = split(sample_source)
    caption = "国家级重点“小巨人”企业源钻科技生产现场(资料图片)。"
    assert all(b.text != caption for b in drafts[0].blocks)
    assert drafts[1].blocks[0].text == caption and drafts[1].blocks[0].credit == "企业供图"


def test_caption_after_a_single_blank_line_stays():
    drafts, _ = drafts_of("## 一\n\n正文。\n\n工厂一角。(企业供图)\n\n## 二\n\n正文二。")
    assert kinds(drafts[0]) == ["para", "caption"]
    assert kinds(drafts[1]) == ["para"]


def test_paragraph_cut_mid_sentence_is_joined():
    drafts, _ = drafts_of(
        "## 标题\n\n国内首家生产制造CVD大单晶金刚石的头部企业——晶钻科技，\n\n就是受益者之一。规划用地123亩。"
    )
    assert [(b.text, b.lines) for b in drafts[0].blocks] == [
        ("国内首家生产制造CVD大单晶金刚石的头部企业——晶钻科技，就是受益者之一。规划用地123亩。", (3, 5))
    ]


def test_every_continuation_mark_joins():
    for mark in "，、；：" + "——":
        drafts, _ = drafts_of(f"## 标题\n\n前半句{mark}\n\n后半句。")
        assert len(drafts[0].blocks) == 1, mark


def test_short_line_without_punctuation_stays_a_line_in_the_same_article():
    drafts, _ = drafts_of("## 标题\n\n第一段。\n\n春耕进行时\n\n第二段。")
    assert len(drafts) == 1
    assert [(b.kind, b.text) for b in drafts[0].blocks] == [
        ("para", "第一段。"),
        ("line", "春耕进行时"),
        ("para", "第二段。"),
    ]


def test_headline_after_its_text_takes_the_text_back_to_the_wide_gap(sample_source):
    drafts, _ = split(sample_source)
    last = drafts[-1]
    assert last.title.text == "宁波援建，“亚克西”!"
    assert last.blocks[0].text.startswith("日前，文旅部公布第四批国家级旅游休闲街区名单")
    assert last.blocks[-1].credit == "廖业强 王晨辉 周鼎立 文/摄"
    assert drafts[-2].blocks[-1].text.startswith("目前，我市已启动春耕备耕")


def test_headline_with_no_text_anywhere_near_is_kept_and_warned():
    drafts, problems = drafts_of("## 一\n\n正文。\n## 二\n")
    assert [d.title.text for d in drafts] == ["一", "二"]
    assert [(p.line, p.level) for p in problems] == [(4, "warning")]
    assert "no text" in problems[0].message


def test_text_before_the_first_headline_is_kept_and_warned():
    drafts, problems = drafts_of("（上接第一版）前文。\n\n## 标题\n\n正文。")
    assert [b.text for b in drafts[0].blocks] == ["（上接第一版）前文。", "正文。"]
    assert problems[0].line == 1 and problems[0].level == "warning"


def test_page_without_headline_is_one_article_and_warned():
    drafts, problems = drafts_of("第一段。\n\n第二段。")
    assert len(drafts) == 1 and len(drafts[0].blocks) == 2
    assert problems[0].level == "warning" and problems[0].line == 1


def test_empty_page_gives_no_article_and_a_warning():
    drafts, problems = drafts_of("\n\n")
    assert drafts == [] and problems[0].level == "warning"


def test_headline_overrides():
    drafts, problems = drafts_of("## 标题 {topics=科技创新,产业经济 regions=镇海 slug=my-slug}\n\n正文。")
    assert drafts[0].title.text == "标题"
    assert dict(drafts[0].overrides) == {"topics": ("科技创新", "产业经济"), "regions": ("镇海",), "slug": ("my-slug",)}
    assert problems == []
    _, problems = drafts_of("## 标题 {tags=x}\n\n正文。")
    assert problems[0].level == "error" and "tags" in problems[0].message


def test_the_seed_gives_exactly_six_articles_in_order(sample_source):
    drafts, problems = split(sample_source)
    assert [d.title.text for d in drafts] == list(SAMPLE_TITLES)
    assert problems == []
    assert [sum(b.kind == "caption" for b in d.blocks) for d in drafts] == [0, 1, 1, 1, 0, 1]


def test_nothing_lost_in_the_seed(sample_source):
    drafts, _ = split(sample_source)
    body = range(sample_source.body_start, len(sample_source.lines))
    non_blank = [i + 1 for i in body if sample_source.lines[i].strip()]
    held = accounted_lines(drafts)
    assert sorted(held) == non_blank  # every line once: none lost, none twice
    for draft in drafts:  # and each line's text is in the block that claims it
        assert sample_source.lines[draft.title.lines[0] - 1].lstrip("# ") == draft.title.text
        for block in draft.blocks:
            held_text = bare(block.text + block.credit)
            for n in block.lines + block.credit_lines:
                assert bare(sample_source.lines[n - 1]) in held_text, n


def test_quick_checks_agree_with_the_patterns_they_stand_for():
    """_continues and credit_of's quick refusal say what the regular expressions they replace say."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from newsdigest.split import TRAILING_CREDIT_RE, _continues, credit_of

    continues_re = re.compile(r"([，、；：,;:]|——|—)\s*$")
    pieces = st.sampled_from(list("，、；：,;:—-()（）。 \t\u3000\n\x85") + ["文字", "供图", "摄", "记者 王珂"])

    @settings(max_examples=1000, deadline=None)
    @given(st.lists(pieces, max_size=8).map("".join))
    def check(text):
        assert _continues(text) == bool(continues_re.search(text))
        if not text.rstrip().endswith((")", "）")):  # credit_of's quick refusal is right to refuse
            assert TRAILING_CREDIT_RE.match(text) is None and credit_of(text) is None

    check()


# Headline parts, paragraph forms, bylines on lines of their own and signoffs (e-paper text as pasted).


def test_kicker_above_and_subtitle_below_the_headline_belong_to_it():
    drafts, _ = drafts_of(
        "上文最后一段。\n\n全省大会召开——\n# 以科技创新引领产业升级\n——写在新春开工之际\n"
        "　　正文第一段。\n　　正文第二段。"
    )
    draft = drafts[0]
    assert (draft.kicker.text, draft.kicker.lines) == ("全省大会召开——", (3,))
    assert (draft.title.text, draft.subtitle.text, draft.subtitle.lines) == (
        "以科技创新引领产业升级",
        "——写在新春开工之际",
        (5,),
    )
    assert [b.text for b in draft.blocks] == ["上文最后一段。", "正文第一段。", "正文第二段。"]


def test_a_subtitle_without_a_dash_stands_apart_from_the_text_under_it():
    drafts, _ = drafts_of("# 主标题\n宁波如何孵出更多独角兽\n本报记者 林晓峰\n　　正文。")
    assert drafts[0].subtitle.text == "宁波如何孵出更多独角兽" and kinds(drafts[0]) == ["byline", "para"]
    # a short first line of a wrapped paragraph is no subtitle
    drafts, _ = drafts_of("# 主标题\n正文第一行，被排版\n折到了第二行。")
    assert drafts[0].subtitle is None and [b.text for b in drafts[0].blocks] == ["正文第一行，被排版折到了第二行。"]


def test_lines_that_end_a_sentence_or_are_bylines_are_no_kicker():
    drafts, _ = drafts_of("# 一\n\n正文。\n上一篇的结尾。\n# 二\n\n正文二。")
    assert drafts[1].kicker is None and drafts[0].blocks[-1].text.endswith("上一篇的结尾。")
    drafts, _ = drafts_of("# 一\n　　正文。\n（本报记者 周文静整理）\n# 二\n　　正文二。")
    assert drafts[1].kicker is None and kinds(drafts[0]) == ["para", "signoff"]


def test_a_headline_with_its_subtitle_on_one_line_splits_at_the_dash():
    drafts, _ = drafts_of("# 奋进新征程 ——写在新春开工之际\n\n正文。\n\n# 中关村论坛——全球独角兽企业大会\n\n正文。")
    assert (drafts[0].title.text, drafts[0].subtitle.text) == ("奋进新征程", "——写在新春开工之际")
    assert (drafts[1].title.text, drafts[1].subtitle) == ("中关村论坛——全球独角兽企业大会", None)


def test_column_tags_stay_in_the_headline():
    drafts, _ = drafts_of("# 让更多孩子爱上阅读（今日谈）\n　　正文。")
    assert drafts[0].title.text == "让更多孩子爱上阅读（今日谈）"


def test_one_paragraph_a_line_when_the_lines_are_indented_or_end_sentences():
    text = "# 标题\n　　第一段。\n　　第二段，\n　　接着第二段。\n　　小标题\n　　第三段。"
    drafts, _ = drafts_of(text)
    assert drafts[0].form == "line"
    assert [(b.kind, b.text) for b in drafts[0].blocks] == [
        ("para", "第一段。"),
        ("para", "第二段，接着第二段。"),
        ("line", "小标题"),
        ("para", "第三段。"),
    ]
    drafts, _ = drafts_of(text.replace("　　", ""))  # not indented: the sentence ends decide
    assert drafts[0].form == "line" and len(drafts[0].blocks) == 4


def test_a_wrapped_paragraph_stays_one_paragraph():
    drafts, _ = drafts_of("# 标题\n\n近期，一项关于征集2025宁波\n市独角兽榜单的启事，引发\n关注。\n\n第二段。")
    assert drafts[0].form == "blank" and [b.text for b in drafts[0].blocks] == [
        "近期，一项关于征集2025宁波市独角兽榜单的启事，引发关注。",
        "第二段。",
    ]


def test_both_forms_on_one_page_are_decided_per_article():
    drafts, _ = drafts_of(
        "# 一\n\n近期，一项关于征集2025宁波\n市独角兽榜单的启事。\n\n# 二\n　　第一段。\n　　第二段。"
    )
    assert [d.form for d in drafts] == ["blank", "line"]
    assert [len(d.blocks) for d in drafts] == [1, 2]


def test_the_front_matter_forces_the_form():
    from dataclasses import replace

    from helpers import source

    page = source("# 标题\n近期，一项关于征集\n2025宁波市独角兽榜单的启事。")
    assert [len(d.blocks) for d in split(page)[0]] == [1]
    assert [len(d.blocks) for d in split(replace(page, form="line"))[0]] == [2]
    page = source("# 标题\n第一段。\n第二段。")
    assert [len(d.blocks) for d in split(replace(page, form="blank"))[0]] == [1]


def test_a_photo_credit_on_its_own_line_closes_the_caption_above_it():
    drafts, _ = drafts_of(
        "# 一\n　　正文。\n\n\n3月17日，游客在古镇老街参观非遗展示。\n新华社记者  林晓峰摄\n\n"
        "# 古镇春来早\n\n# 三\n　　正文。"
    )
    caption = drafts[1].blocks[0]
    assert (caption.kind, caption.text, caption.credit, caption.lines, caption.credit_lines) == (
        "caption",
        "3月17日，游客在古镇老街参观非遗展示。",
        "新华社记者  林晓峰摄",
        (5,),
        (6,),
    )


def test_several_byline_lines_under_the_headline():
    drafts, _ = drafts_of("# 标题\n本报记者 林晓峰\n本报通讯员 周文静\n　　正文。")
    assert kinds(drafts[0]) == ["byline", "byline", "para"]


def test_a_bracketed_byline_closing_the_story_is_its_signoff_and_a_note_is_not():
    drafts, _ = drafts_of("# 标题\n\n正文。\n\n（本报记者林晓峰、周文静）")
    assert kinds(drafts[0]) == ["para", "signoff"]
    drafts, _ = drafts_of("# 标题\n\n正文。\n\n（相关报道见第四版）")
    assert [(b.kind, b.text) for b in drafts[0].blocks] == [("para", "正文。"), ("para", "（相关报道见第四版）")]


def test_numbered_captions_stand_apart_with_credits_after_a_wide_space():
    drafts, _ = drafts_of(
        "# 秋色宜人\n\n图①：湖北恩施大峡谷景区风光。　　　　杨　顺摄（人民视觉）\n"
        "图②：新疆阿勒泰地区喀纳斯湖景区。  李　明摄\n# 秋日胜景\n　　金秋时节，各地景区迎来游客。"
    )
    assert [(b.kind, b.text, b.credit) for b in drafts[0].blocks] == [
        ("caption", "图①：湖北恩施大峡谷景区风光。", "杨　顺摄（人民视觉）"),
        ("caption", "图②：新疆阿勒泰地区喀纳斯湖景区。", "李　明摄"),
    ]
    assert drafts[1].kicker is None  # a caption right above a headline is no kicker
    # a wide space before words that credit nobody splits nothing
    drafts, _ = drafts_of("# 一\n\n会议强调。　　各地要抓住机遇。")
    assert [(b.kind, b.credit) for b in drafts[0].blocks] == [("para", "")]
