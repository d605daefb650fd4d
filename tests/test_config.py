import os
import time

import pytest

from newsdigest import cache, config
from newsdigest import write as wr


def write(tmp_path, site="", regions=None, topics=None):
    (tmp_path / "site.yaml").write_text(site, encoding="utf-8")
    if regions is not None:
        (tmp_path / "content").mkdir(exist_ok=True)
        (tmp_path / "content" / "regions.yaml").write_text(regions, encoding="utf-8")
    if topics is not None:
        (tmp_path / "content").mkdir(exist_ok=True)
        (tmp_path / "content" / "topics.yaml").write_text(topics, encoding="utf-8")
    return tmp_path / "site.yaml"


def errors(path):
    with pytest.raises(config.ConfigError) as caught:
        config.load(path)
    return [(d.line, d.message) for d in caught.value.diagnostics]


def test_defaults_and_base_path(tmp_path):
    cfg, notes = config.load(write(tmp_path, "base_url: https://org.github.io/repo\n"))
    assert notes == [] and cfg.page_size == 20 and cfg.publication == cfg.title
    assert cfg.base_path == "/repo/" and cfg.site_url == "https://org.github.io/repo/"


def test_wrong_types(tmp_path):
    assert errors(write(tmp_path, "title: [a]\npage_size: 0\n")) == [
        (1, "`title` must be text, not list"),
        (2, "`page_size` must be a whole number of 1 or more, not 0"),
    ]


def test_region_tree_is_read_with_parents(sample_config):
    regions = {t.slug: t for t in sample_config.regions}
    assert regions["zhenhai"].parent == "ningbo" and regions["ningbo"].parent == "zhejiang"
    assert "甬" in regions["ningbo"].keywords and regions["zhongguo"].match is False


def test_gazetteer_covers_ningbo_zhejiang_and_china(sample_config):
    names = {t.name for t in sample_config.regions}
    assert {"海曙", "江北", "镇海", "北仑", "鄞州", "奉化", "余姚", "慈溪", "宁海", "象山"} <= names
    assert {"杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"} <= names
    provinces = [t for t in sample_config.regions if t.parent == "zhongguo"]
    assert len(provinces) == 34
    assert {"墨西哥", "萨尔蒂约", "库车", "阿克苏", "新疆"} <= names


def test_region_problems(tmp_path):
    regions = (
        "- name: 甲\n  slug: jia\n  children:\n    - name: 乙\n      slug: jia\n"
        "- name: 丙\n- name: 丁\n  slug: ding\n  aliases: [甲]\n"
    )
    found = errors(write(tmp_path, "", regions=regions))
    assert found == [
        (4, "two regions have the slug `jia`"),
        (6, "region «丙» has no valid `slug`"),
        (7, "«甲» names two regions"),
    ]


def test_topic_without_slug(tmp_path):
    assert errors(write(tmp_path, "", topics="- name: 科技\n  keywords: [科技]\n")) == [
        (1, "topic «科技» has no valid `slug`")
    ]


def test_base_path_and_domain_are_computed_once_and_stay_read_only():
    import dataclasses

    from newsdigest.config import Config

    config = Config(base_url="https://org.github.io/repo/")
    assert (config.base_path, config.domain) == ("/repo/", "org.github.io")
    assert config.base_path is config.base_path
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.base_path = "/other/"
    moved = dataclasses.replace(config, base_url="/")
    assert (moved.base_path, moved.domain, config.base_path) == ("/", "localhost", "/repo/")
    assert config == Config(base_url="https://org.github.io/repo/")


def test_the_kept_configuration_is_read_again_only_when_a_file_it_was_read_from_changed(tmp_path, monkeypatch):
    """config.load with the build cache (cache.by_stamps); the taxonomy files count, missing or not."""
    path, shelf, reads = write(tmp_path, "title: 甲\n"), cache.Store(tmp_path / "cache", "salt"), []
    real = config._load
    monkeypatch.setattr(config, "_load", lambda *args: reads.append(args[0]) or real(*args))
    settle(path)
    assert [config.load(path, kept=shelf)[0].title for _ in range(2)] == ["甲", "甲"] and len(reads) == 1
    (tmp_path / "content").mkdir()
    topics = tmp_path / "content" / "topics.yaml"  # was missing
    topics.write_text("- name: 三农\n  slug: sannong\n", encoding="utf-8")
    settle(topics)
    for _ in range(2):
        assert [t.slug for t in config.load(path, kept=shelf)[0].topics] == ["sannong"] and len(reads) == 2
    assert [config.load(path, kept=shelf, overrides={"title": "乙"})[0].title] == ["乙"] and len(reads) == 3


def test_a_configuration_file_saved_just_before_or_while_it_was_read_is_not_trusted(tmp_path, monkeypatch):
    path, shelf, reads = write(tmp_path, "title: 甲\n"), cache.Store(tmp_path / "cache", "salt"), []
    real = config._load

    def read(*args):  # site.yaml saved again once read, when reads holds None
        reads.append(args[0])
        loaded = real(*args)
        if None in reads:
            os.utime(path)
        return loaded

    monkeypatch.setattr(config, "_load", read)
    monkeypatch.setattr(wr, "RACY_NS", 60 * 10**9)  # saved less than a minute ago: just now
    assert [config.load(path, kept=shelf)[0].title for _ in range(2)] == ["甲", "甲"] and len(reads) == 2
    monkeypatch.setattr(wr, "RACY_NS", 0)  # however long before its stamp is taken
    reads[:] = [None]
    assert [config.load(path, kept=shelf)[0].title for _ in range(2)] == ["甲", "甲"] and len(reads) == 3


def settle(path):
    """The file as if saved a minute ago."""
    then = time.time_ns() - 60 * 10**9
    os.utime(path, ns=(then, then))
