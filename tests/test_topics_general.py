"""The default topics for a general daily (newsdigest/data/topics.yaml), measured on labelled stories."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from newsdigest import config as config_module

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ROOT / "newsdigest" / "data" / "topics.yaml"


def _measure_tool():
    spec = importlib.util.spec_from_file_location("measure_topics", ROOT / "tools" / "measure_topics.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return _measure_tool()


def test_the_classifier_gives_the_editors_topic_first(tool):
    result = tool.measure()
    wrong = [
        f"line {i.line}: {i.title} (editor {result.names[i.expected]}, "
        f"given {'、'.join(result.names[s] for s in i.given) or 'none'})"
        for i in result.items
        if i.given[:1] != (i.expected,)
    ]
    assert result.first >= 0.9, f"{result.first:.1%} agree on the first topic; disagreements:\n" + "\n".join(wrong)


def test_the_default_topics_load_through_the_config_loader(tmp_path):
    errors: list = []
    terms = config_module._load_terms(TOPICS, "topic", errors)
    assert errors == []
    assert terms
    slugs = [t.slug for t in terms]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9-]+", s) for s in slugs)
    # as a site uses it: named by site.yaml
    (tmp_path / "site.yaml").write_text(f"title: 日报\ntopics: {TOPICS.as_posix()}\n", encoding="utf-8")
    cfg, _ = config_module.load(tmp_path / "site.yaml")
    assert [t.slug for t in cfg.topics] == slugs


def test_no_word_belongs_to_two_topics():
    # the matcher gives a repeated word to the first topic silently: keep each on one
    errors: list = []
    terms = config_module._load_terms(TOPICS, "topic", errors)
    words = Counter(w for t in terms for w in {t.name, *t.keywords})
    assert [w for w, n in words.items() if n > 1] == []


def test_the_fixture_covers_every_topic(tool):
    result = tool.measure()
    per = Counter(i.expected for i in result.items)
    assert len(result.items) >= 80
    assert {slug: per[slug] for slug in result.names if per[slug] < 5} == {}
