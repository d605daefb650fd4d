"""Child process of run.py: builds newsdigest's search index from a JSON-lines file of docs.

    python bench/search/build_ours.py DOCS.jsonl OUTPUT_DIR

DOCS.jsonl: a first line {"count", "topics", "regions"}, then one doc a line, in id order (the
oldest first, as search.index_files numbers them), which write_index reads one at a time with ranked=True, writing
each file as it is made (as a build does). Prints one JSON line: {"index_seconds": ...} (reading
the docs, making the index and writing its files)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from newsdigest import search  # noqa: E402


def main(source: str, output: str) -> None:
    with open(source, encoding="utf-8") as lines:  # in id order: streamed through, not held
        head = json.loads(next(lines))
        terms = search.Terms(tuple(map(tuple, head["topics"])), tuple(map(tuple, head["regions"])))
        docs = (
            search.Doc(d["url"], d["title"], d["date"], tuple(d["topics"]), tuple(d["regions"]), tuple(d["text"]))
            for d in map(json.loads, lines)
        )
        root, names = Path(output), []

        def out(name: str, data: bytes) -> None:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
            names.append(name)

        started = time.perf_counter()
        search.write_index(docs, out, terms, ranked=True, count=head["count"])
        seconds = time.perf_counter() - started
    script = Path(__file__).resolve().parents[2] / "theme" / "search" / "search.js"
    (root / "search" / "search.js").write_bytes(search.files.lean(script.read_bytes()))  # as a build serves it
    print(json.dumps({"index_seconds": seconds, "files": len(names)}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
