"""The shipped gazetteer as the default: loading it (quickly, and the same with either YAML
parser), a site's regions file extending it, and real sentences filed under the right place."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from newsdigest import classify, config, gazetteer

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def default_config(tmp_path_factory) -> config.Config:
    """A site with no site.yaml and no regions file: the defaults alone."""
    cfg, _ = config.load(tmp_path_factory.mktemp("empty") / "site.yaml")
    return cfg


def ancestors(cfg: config.Config, slug: str) -> list[str]:
    out = [slug]
    while cfg.parents.get(out[-1]):
        out.append(cfg.parents[out[-1]])
    return out


def filed(cfg: config.Config, title: str, text: str) -> set[str]:
    """The names of the regions a story is listed under: its own and their ancestors."""
    matcher = classify.Matcher.build(cfg.regions, include_name=True)
    chosen = classify.regions(matcher, cfg.parents, title, text)
    return {cfg.region[a].name for slug in chosen for a in ancestors(cfg, slug)}


def test_the_c_parser_and_the_python_parser_read_the_shipped_file_alike():
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml: the pure-Python parser is used anyway")
    text = gazetteer.DEFAULT_REGIONS.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.load(text, Loader=yaml.SafeLoader)


def test_the_default_gazetteer_is_used_with_no_regions_file(default_config):
    names = {t.name for t in default_config.regions}
    assert len(default_config.regions) > 3000
    assert {"湖北", "恩施", "尼泊尔", "乌鲁木齐", "亚洲"} <= names


def test_loading_it_again_is_quick(tmp_path):
    config.load(tmp_path / "site.yaml")  # parsed (or read from its kept copy) once
    started = time.perf_counter()
    config.load(tmp_path / "site.yaml")
    assert time.perf_counter() - started < 0.5


def test_the_matcher_builds_and_scans_quickly_with_every_name(default_config):
    started = time.perf_counter()
    matcher = classify.Matcher.build(default_config.regions, include_name=True)
    built = time.perf_counter() - started
    assert len(matcher.owner) > 5000
    text = "新华社北京3月5日电 湖北恩施、新疆阿克苏和尼泊尔的代表出席会议。" * 100
    started = time.perf_counter()
    matcher.scores("", text)
    assert built < 0.5 and time.perf_counter() - started < 0.2


@pytest.mark.parametrize("case", yaml.safe_load((FIXTURES / "regions-news.yaml").read_text(encoding="utf-8")))
def test_real_sentences_are_filed_under_the_place_they_name(default_config, case):
    assert case["region"] in filed(default_config, case["title"], case["text"]), case


@pytest.mark.parametrize("case", yaml.safe_load((FIXTURES / "regions-not-places.yaml").read_text(encoding="utf-8")))
def test_ordinary_words_that_are_also_place_names_file_nothing(default_config, case):
    assert filed(default_config, case["title"], case["text"]) == set(), case


def test_the_fixture_is_big_enough():
    assert len(yaml.safe_load((FIXTURES / "regions-news.yaml").read_text(encoding="utf-8"))) >= 40


def count(nodes) -> int:
    return sum(1 + count(node.get("children", [])) for node in nodes)


def site(tmp_path: Path, regions: str, settings: str = "") -> config.Config:
    (tmp_path / "site.yaml").write_text(settings, encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "content" / "regions.yaml").write_text(regions, encoding="utf-8")
    return config.load(tmp_path / "site.yaml")[0]


def test_a_sites_node_of_a_default_name_merges_into_it(tmp_path):
    cfg = site(
        tmp_path,
        """
- name: 浙江
  children:
    - name: 宁波
      slug: ningbo
      aliases: [甬, 我市]
      children:
        - name: 前湾新区
          slug: qianwan
        - name: 镇海
""",
    )
    by_name = {t.name: t for t in cfg.regions}
    assert by_name["宁波"].slug == "ningbo" and {"宁波市", "甬", "我市"} <= set(by_name["宁波"].keywords)
    assert by_name["前湾新区"].parent == "ningbo"
    assert by_name["镇海"].parent == "ningbo" and list(by_name).count("镇海") == 1
    assert by_name["浙江"].parent == "zhongguo"  # the default's place, though written at the top
    assert len(cfg.regions) == count(gazetteer.load_plain()) + 1


def test_match_false_rename_and_a_new_slug(tmp_path):
    cfg = site(
        tmp_path,
        """
- name: 恩施
  match: false
- name: 湖北
  rename: 湖北省
- name: 鄞州
  slug: yinzhou
""",
    )
    by_name = {t.name: t for t in cfg.regions}
    assert by_name["恩施"].match is False
    assert "湖北" not in by_name and "湖北" in by_name["湖北省"].keywords
    assert by_name["鄞州"].slug == "yinzhou" and by_name["银州"].slug == "yinzhou-tieling"


def test_a_sites_alias_of_a_default_name_merges_into_it(tmp_path):
    cfg = site(tmp_path, "- name: 蒙古\n  slug: menggu\n  aliases: [蒙古国]\n")
    by_slug = cfg.region
    assert by_slug["menggu"].name == "蒙古" and "蒙古国" in by_slug["menggu"].keywords
    assert "mengguguo" not in by_slug


def test_two_new_entries_of_one_slug_are_still_an_error(tmp_path):
    with pytest.raises(config.ConfigError, match="two regions have the slug `wodecheng`"):
        site(tmp_path, "- name: 我的城\n  slug: wodecheng\n- name: 你的城\n  slug: wodecheng\n")


def test_default_regions_false_uses_the_sites_file_alone(tmp_path):
    cfg = site(tmp_path, "- name: 宁波\n  slug: ningbo\n", "default_regions: false\n")
    assert [t.name for t in cfg.regions] == ["宁波"]
