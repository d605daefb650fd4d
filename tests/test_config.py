import pytest

from newsdigest import config


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
