"""The render step: the plain-paragraph fast path, summaries, safe JSON, safe markdown, cached parts."""

import json
import os
import re
import shutil

import jinja2
import pytest
from conftest import ROOT, sample_options
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest import pipeline, render
from newsdigest import text as text_module
from newsdigest.pages import Parts
from newsdigest.text import markdown, paragraph_html, summary
from newsdigest.views import json_for_script

MD = markdown()
CHARACTERS = list("宁波企业创新，。、；：“”‘’（）()《》—…！？ \u3000abcXYZ019-+=.*_[]<>&!#|~:\"'/\\`$%^{}@\n\t")


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 2000)), deadline=None)
@given(st.text(st.sampled_from(CHARACTERS), min_size=1, max_size=40))
def test_the_fast_path_renders_exactly_what_markdown_it_renders(text):
    assert paragraph_html(MD, text) == MD.render(text)


def test_plain_news_text_takes_the_fast_path_and_markdown_still_works():
    assert paragraph_html(MD, "宁波“小巨人”企业43家。") == "<p>宁波“小巨人”企业43家。</p>\n"
    assert (
        paragraph_html(MD, "**重点** [链接](https://example.org/)")
        == '<p><strong>重点</strong> <a href="https://example.org/">链接</a></p>\n'
    )


def test_raw_html_and_unsafe_links_are_text():
    html = MD.render("<script>alert(1)</script> [x](javascript:alert(1)) ![y](data:image/png;base64,AA)")
    assert "<script" not in html and 'href="javascript' not in html and "<img" not in html


def test_summary_cuts_at_a_sentence_end():
    text = "第一句话说的是宁波的企业。" * 3 + "第二句话更长一些，说的是镇海的小巨人企业发展。" * 3
    cut = summary(text, 40)
    assert cut.endswith("。") and len(cut) <= 40 and text.startswith(cut)
    assert summary("短句。") == "短句。"
    assert summary("没有句号的长文本" * 20, 30).endswith("…")


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 2000)), deadline=None)
@given(
    st.lists(
        st.sampled_from(["宁波企业", "镇海", "。", "！", "？", "!", " ", "\n", "\u3000", "  \t ", "abc"]), max_size=120
    ),
    st.integers(min_value=1, max_value=120),
)
def test_a_summary_read_from_the_beginning_equals_one_read_from_the_whole_text(pieces, length):
    text = "".join(pieces)
    read_from_the_beginning = summary(text, length)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "SUMMARY_READ", len(text) + 1)  # the whole text, whatever the length
        assert read_from_the_beginning == summary(text, length)


def test_json_cannot_close_its_script_element():
    markup = str(json_for_script({"headline": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in markup and ">" not in markup and "&" not in markup
    assert json.loads(markup) == {"headline": "</script><script>alert(1)</script> & <!--"}


def test_a_cached_part_is_rendered_once_for_each_set_of_values_it_is_given(tmp_path, monkeypatch):
    """The head once; the masthead once with each of the sample's two dates (pages of that day) and
    once without (listings): no page renders either itself."""
    rendered = []
    template = render.Theme.template

    def counting(theme, name):
        rendered.append(name)
        return template(theme, name)

    monkeypatch.setattr(render.Theme, "template", counting)
    files, result = pipeline.build_files(sample_options(tmp_path / "site"))
    assert result.ok
    pages = {name: data.decode() for name, data in files.items() if name.endswith(".html")}
    assert len(pages) > 10 and rendered.count("_masthead.html") == 3 and rendered.count("_head.html") == 1
    mastheads = {re.search(r'<a class="skip".*?</header>\n', html, re.S).group() for html in pages.values()}
    assert len(mastheads) == 3 and all('<a class="brand"' in masthead for masthead in mastheads)


def test_a_cached_part_that_reads_a_page_of_its_own_is_a_theme_error(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    masthead = theme / "templates" / "_masthead.html"
    masthead.write_text(masthead.read_text(encoding="utf-8") + "{{ title }}\n", encoding="utf-8")
    options = sample_options(tmp_path / "site")
    options.theme = theme
    with pytest.raises(pipeline.BuildFailed) as failed:
        pipeline.build_files(options)
    problem = failed.value.diagnostics[-1]
    assert problem.path.endswith("_masthead.html") and "title" in problem.message


def test_cards_that_show_the_same_date_people_and_terms_share_those_views(tmp_path):
    """A card's view is made once per card; what many cards show alike (a date, a person, their
    topics and regions) once per build, not once per card (memory: 2 KB a card before)."""
    options = sample_options(tmp_path / "site")
    result = pipeline.Result()
    analysis = pipeline.analyse(options, result)
    site, _ = pipeline.index_site(options, analysis, result)
    presenter = render.Renderer(site.config, render.Theme(options.theme, site.config.language)).presenter
    cards = list(Parts(site).cards.values())
    views = [presenter.card(card) for card in cards]
    assert all(presenter.card(card) is view for card, view in zip(cards, views))
    for key in ("topics", "regions", "date"):
        shown = [repr(view[key]) for view in views]
        common = max(shown, key=shown.count)  # what most cards show alike
        alike = [view[key] for view, seen in zip(views, shown) if seen == common]
        assert len(alike) > 1 and all(value is alike[0] for value in alike), key
    people = {}
    for view in views:
        for group in view["byline"]:
            for person in group["people"]:
                assert people.setdefault(person["name"], person) is person
    assert len(people) > 1


def test_templates_compiled_by_one_build_are_read_by_the_next_not_compiled_again(tmp_path, monkeypatch):
    """Kept in the cache folder (jinja2's bytecode cache, named for the code's version); a template
    whose source changed is compiled again."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "theme", project / "theme")
    options = pipeline.Options(
        content=ROOT / "content",
        output=project / "site",
        config=ROOT / "site.yaml",
        theme=project / "theme",
        cache_dir=project / "cache",
    )
    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(env, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_(env, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    first = pipeline.build_files(options)[0]
    assert "article.html" in compiled and "base.html" in compiled
    compiled.clear()
    assert pipeline.build_files(options)[0] == first and compiled == []
    article = project / "theme" / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    pipeline.build_files(options)
    assert compiled == ["article.html"]
