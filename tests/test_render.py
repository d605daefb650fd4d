"""The render step's helpers: the plain-paragraph fast path, summaries, safe JSON, safe markdown."""
import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest.render import json_for_script, markdown, paragraph_html, summary

MD = markdown()
CHARACTERS = list("宁波企业创新，。、；：“”‘’（）()《》—…！？ \u3000abcXYZ019-+=.*_[]<>&!#|~:\"'/\\`$%^{}@\n\t")


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 2000)), deadline=None)
@given(st.text(st.sampled_from(CHARACTERS), min_size=1, max_size=40))
def test_the_fast_path_renders_exactly_what_markdown_it_renders(text):
    assert paragraph_html(MD, text) == MD.render(text)


def test_plain_news_text_takes_the_fast_path_and_markdown_still_works():
    assert paragraph_html(MD, "宁波“小巨人”企业43家。") == "<p>宁波“小巨人”企业43家。</p>\n"
    assert paragraph_html(MD, "**重点** [链接](https://example.org/)") == \
        '<p><strong>重点</strong> <a href="https://example.org/">链接</a></p>\n'


def test_raw_html_and_unsafe_links_are_text():
    html = MD.render('<script>alert(1)</script> [x](javascript:alert(1)) ![y](data:image/png;base64,AA)')
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html


def test_summary_cuts_at_a_sentence_end():
    text = "第一句话说的是宁波的企业。" * 3 + "第二句话更长一些，说的是镇海的小巨人企业发展。" * 3
    cut = summary(text, 40)
    assert cut.endswith("。") and len(cut) <= 40 and text.startswith(cut)
    assert summary("短句。") == "短句。"
    assert summary("没有句号的长文本" * 20, 30).endswith("…")


def test_json_cannot_close_its_script_element():
    markup = str(json_for_script({"headline": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in markup and ">" not in markup and "&" not in markup
    assert json.loads(markup) == {"headline": "</script><script>alert(1)</script> & <!--"}
