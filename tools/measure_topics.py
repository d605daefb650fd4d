"""How often the classifier gives a story the topic an editor would: the default topics on a fixture.

    python tools/measure_topics.py [--topics FILE] [--fixture FILE] [--all]

The topics are read by newsdigest's own loader and matched as the build matches them
(enrich.Taxonomy's topic_matcher, classify.topics over the headline and the text). An item agrees
when the editor's topic is the first topic the classifier gives; also shown: the editor's topic
among those given, and the items given no topic. Then every disagreement, grouped by confusion.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsdigest import classify, enrich, yamlfile  # noqa: E402
from newsdigest import config as config_module  # noqa: E402
from newsdigest.model import Diagnostic  # noqa: E402

TOPICS = ROOT / "newsdigest" / "data" / "topics.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "topics-general.yaml"


@dataclass(frozen=True)
class Item:
    line: int
    title: str
    text: str
    expected: str  # the editor's topic, a slug
    given: tuple[str, ...]  # the classifier's, best first


@dataclass(frozen=True)
class Measure:
    items: tuple[Item, ...]
    names: dict  # slug -> name

    @property
    def first(self) -> float:
        return sum(1 for i in self.items if i.given[:1] == (i.expected,)) / len(self.items)

    @property
    def among(self) -> float:
        return sum(1 for i in self.items if i.expected in i.given) / len(self.items)

    @property
    def none(self) -> int:
        return sum(1 for i in self.items if not i.given)


def load_topics(path: Path = TOPICS):
    """The topics, through the loader site.yaml's `topics` goes through. Raises ConfigError."""
    errors: list[Diagnostic] = []
    terms = config_module._load_terms(path, "topic", errors)
    if errors:
        raise config_module.ConfigError(errors)
    if not terms:
        raise config_module.ConfigError([Diagnostic(str(path), 0, "no topics here")])
    return tuple(terms)


def measure(topics: Path = TOPICS, fixture: Path = FIXTURE) -> Measure:
    terms = load_topics(topics)
    taxonomy = enrich.Taxonomy(config_module.Config(topics=terms))  # the matcher the build uses
    slug_of = {t.name: t.slug for t in terms} | {t.slug: t.slug for t in terms}
    data = yamlfile.parse(fixture.read_text(encoding="utf-8"), str(fixture))
    items = []
    for entry, line in zip(data, data.lines):
        title, text, topic = entry["title"], entry["text"], entry["topic"]
        if topic not in slug_of:
            raise ValueError(f"{fixture}:{line}: the topic «{topic}» is not in {topics}")
        given = classify.topics(taxonomy.topic_matcher, title, text)
        items.append(Item(line, title, text, slug_of[topic], given))
    return Measure(tuple(items), {t.slug: t.name for t in terms})


def report(result: Measure, show_all: bool = False, out=sys.stdout) -> None:
    n, names = len(result.items), result.names

    def shown(slugs) -> str:
        return "、".join(names[s] for s in slugs) or "(none)"

    print(f"{n} items, {len(names)} topics", file=out)
    print(f"first topic is the editor's:   {result.first:.1%}  ({round(result.first * n)}/{n})", file=out)
    print(f"editor's topic among given:    {result.among:.1%}  ({round(result.among * n)}/{n})", file=out)
    print(f"no topic given:                {result.none}", file=out)
    print("\nper topic (first topic agrees / items):", file=out)
    per = Counter(i.expected for i in result.items)
    good = Counter(i.expected for i in result.items if i.given[:1] == (i.expected,))
    print("  " + "  ".join(f"{names[s]} {good[s]}/{per[s]}" for s in names if per[s]), file=out)
    wrong = [i for i in result.items if i.given[:1] != (i.expected,)]
    confusions = Counter((i.expected, i.given[0] if i.given else "") for i in wrong)
    if confusions:
        print("\nconfusions (editor -> classifier's first), most first:", file=out)
        for (expected, got), count in confusions.most_common():
            print(f"  {names[expected]} -> {names.get(got, '(none)')}: {count}", file=out)
    if wrong:
        print("\ndisagreements:", file=out)
    for item in wrong:
        print(f"  line {item.line}: {item.title}", file=out)
        print(f"    editor {names[item.expected]}, given {shown(item.given)}", file=out)
    if show_all:
        print("\nall items:", file=out)
        for item in result.items:
            mark = "ok" if item.given[:1] == (item.expected,) else "--"
            print(f"  {mark} {names[item.expected]} <- {shown(item.given)}  {item.title}", file=out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=Path, default=TOPICS, help="the topics file (default: %(default)s)")
    parser.add_argument("--fixture", type=Path, default=FIXTURE, help="the labelled stories (default: %(default)s)")
    parser.add_argument("--all", action="store_true", help="also list every item with the topics given")
    args = parser.parse_args(argv)
    try:
        result = measure(args.topics, args.fixture)
    except config_module.ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    report(result, args.all)
    return 0


if __name__ == "__main__":
    sys.exit(main())
