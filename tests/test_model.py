"""model: the records' own behaviour (Blocks: an article's text, kept as bytes until read)."""

from __future__ import annotations

import pickle

from newsdigest.model import Article, Block, Blocks, Draft

PARA = Block("para", "正文第一段。", (3,))
PHOTO = Block("caption", "图说。", (5,), image="photo.jpg")


def test_blocks_from_a_pickle_stay_bytes_until_read_and_equal_the_blocks_they_were():
    blocks = Blocks([PARA, PHOTO])
    again = pickle.loads(pickle.dumps(blocks))
    assert again._items is None and again.photos  # what every build reads is there without the text
    assert again == blocks and again == (PARA, PHOTO) and hash(again) == hash(blocks)
    assert again._items == (PARA, PHOTO)  # read once, then kept
    assert list(again) == [PARA, PHOTO] and again[-1] is again._items[-1] and len(again) == 2
    assert not pickle.loads(pickle.dumps(Blocks([PARA]))).photos


def test_records_given_a_tuple_of_blocks_hold_blocks():
    draft = Draft(Block("title", "标题", (1,)), (PARA,))
    assert isinstance(draft.blocks, Blocks) and draft.blocks == (PARA,)
    assert Blocks([PARA]) != Blocks([PHOTO]) and Blocks([PARA]) != (PHOTO,)
    assert Article.__dataclass_fields__["blocks"].metadata.get("from_source")  # the file's digest stands for it


def test_blocks_once_stored_are_read_again_where_iterated_not_kept():
    blocks = Blocks([PARA, PHOTO])
    data = blocks.pickled()
    reads: list[int] = []
    blocks.stored(lambda: reads.append(1) or data)  # saved in the cache: neither the blocks nor their bytes kept
    assert blocks._items is None and blocks._data is not data and len(blocks) == 2 and blocks.photos == (PHOTO,)
    assert list(blocks) == [PARA, PHOTO] and blocks._items is None and len(reads) == 1
    joined = Blocks.joined([blocks, Blocks([PARA])])
    assert list(joined) == [PARA, PHOTO, PARA] and joined.photos == (PHOTO,) and joined._items is None
    assert pickle.loads(pickle.dumps(joined)) == (PARA, PHOTO, PARA) and len(reads) == 3
