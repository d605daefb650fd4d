"""cache: the build cache's sharded parses, with the articles' text kept apart in a file per shard."""

from __future__ import annotations

import pickle
from pathlib import Path

from newsdigest import cache
from newsdigest.model import Block, Draft

PARA = Block("para", "正文第一段。", (3,))
PHOTO = Block("caption", "图说。", (5,), image="photo.jpg")


def drafts(text: str) -> list[Draft]:
    return [Draft(Block("title", "标题", (1,)), (Block("para", text, (2,)), PHOTO))]


def shards(tmp_path: Path) -> cache.ShardedDict:
    return cache.ShardedDict(cache.Store(tmp_path / "cache", "salt"), "sources")


def texts(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "cache" / "sources").glob("*.text"))


def test_saved_blocks_are_read_from_the_text_file_not_kept_and_loaded_as_places_in_it(tmp_path):
    saved = {f"page-{n}.md": drafts(f"第{n}篇的正文。") for n in range(40)}
    shards(tmp_path).save(saved, {})
    for n, page in enumerate(saved.values()):
        blocks = page[0].blocks
        assert blocks._items is None and not isinstance(blocks._data, bytes)  # neither text nor bytes held
        assert list(blocks) == [Block("para", f"第{n}篇的正文。", (2,)), PHOTO] and blocks._items is None
    loaded = shards(tmp_path).load()
    assert loaded.keys() == saved.keys() and len(texts(tmp_path)) == len(list((tmp_path / "cache").rglob("*.pickle")))
    for key, page in loaded.items():
        blocks = page[0].blocks
        assert not isinstance(blocks._data, bytes) and len(blocks) == 2 and blocks.photos == (PHOTO,)
        assert blocks == saved[key][0].blocks and pickle.loads(pickle.dumps(blocks)) == blocks


def test_a_saved_again_shard_gets_a_new_text_file_and_blocks_read_from_the_old_one_still_read(tmp_path):
    first = {"a.md": drafts("甲的正文。"), "b.md": drafts("乙的正文。")}
    shards(tmp_path).save(first, {})
    before = texts(tmp_path)
    loaded = shards(tmp_path).load()
    changed = {**loaded, "a.md": drafts("甲改过的正文。")}
    shards(tmp_path).save(changed, loaded)  # rewrites a.md's shard, with b.md's text if it is there
    assert texts(tmp_path) != before and len(texts(tmp_path)) == len(before)  # the old file deleted
    assert list(loaded["a.md"][0].blocks)[0].text == "甲的正文。"  # read from the file it was loaded from
    again = shards(tmp_path).load()
    assert [list(again[k][0].blocks)[0].text for k in ("a.md", "b.md")] == ["甲改过的正文。", "乙的正文。"]


def test_a_shard_whose_text_file_is_gone_or_salted_otherwise_is_not_used(tmp_path):
    shards(tmp_path).save({"a.md": drafts("甲的正文。")}, {})
    assert shards(tmp_path).load()
    assert cache.ShardedDict(cache.Store(tmp_path / "cache", "another version"), "sources").load() == {}
    for text in (tmp_path / "cache" / "sources").glob("*.text"):
        text.unlink()
    assert shards(tmp_path).load() == {}  # parsed again, not a traceback


def test_saving_into_a_read_only_cache_keeps_the_text_in_memory(tmp_path):
    (tmp_path / "cache").write_text("not a folder")  # the shards cannot be written
    page = drafts("甲的正文。")
    shards(tmp_path).save({"a.md": page}, {})
    assert list(page[0].blocks)[0].text == "甲的正文。"


def test_a_shard_that_cannot_be_saved_leaves_no_file_behind(tmp_path, monkeypatch):
    """A full disk met while saving: the build goes on without the shortcut, and nothing half
    written is left in the cache."""
    (tmp_path / "cache" / "sources").mkdir(parents=True)

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full)
    page = drafts("甲的正文。")
    shards(tmp_path).save({"a.md": page}, {})
    assert list((tmp_path / "cache" / "sources").iterdir()) == []
    assert list(page[0].blocks)[0].text == "甲的正文。"
