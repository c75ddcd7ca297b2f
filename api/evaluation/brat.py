"""PolNeAR's brat standoff: ``text/<article>.txt`` and ``attributions/<article>_<ann>.ann``.

Only ``T`` (text-bound) and ``E`` (event) lines matter. A ``T`` line is
``id<TAB>Label start end[;start end...]<TAB>covered text``; the covered text may run over
a newline, so lines that are neither ``T`` nor ``E`` (continuations, ``#`` notes) are
skipped. An ``E`` line ties one relation: ``Attribution:T8 Source:T7 Cue:T6 Content:T5``,
with ``Source`` absent for agentless attributions (type ``Attribution-no-source``) and a
few relations carrying a second content (``Content2``), which joins the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import msgspec

from api.evaluation.spans import CharSpan

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


class BratFormatError(ValueError):
    """An annotation file that cannot be read as brat standoff."""


class GoldRelation(msgspec.Struct, frozen=True, kw_only=True):
    """One attribution relation; every span tuple is sorted, ``source`` may be empty."""

    id: str
    content: tuple[CharSpan, ...]
    cue: tuple[CharSpan, ...] = ()
    source: tuple[CharSpan, ...] = ()

    @property
    def discontinuous(self) -> bool:
        return len(self.content) > 1


class BratDocument(msgspec.Struct, frozen=True, kw_only=True):
    relations: tuple[GoldRelation, ...]
    skipped: int  # E lines without a Content argument: nothing to score against


class BratArticle(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    annotator: str
    annotators: int  # how many .ann files the article has (one is scored)
    text: str
    relations: tuple[GoldRelation, ...]
    skipped: int


def parse_ann(source: str) -> BratDocument:
    """The relations of one ``.ann`` file's text."""
    spans: dict[str, tuple[CharSpan, ...]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(source.split("\n"), start=1):
        if match := _T_LINE.match(line):
            spans[match.group(1)] = _fragments(match.group(3), number)
        elif match := _E_LINE.match(line):
            arguments = [_argument(part, number) for part in match.group(2).split()]
            events.append((match.group(1), arguments))
    relations: list[GoldRelation] = []
    skipped = 0
    for event_id, arguments in events:
        roles: dict[str, list[CharSpan]] = {"content": [], "cue": [], "source": []}
        for role, target in arguments:
            if target not in spans:
                raise BratFormatError(f"{event_id} points at unknown {target}")
            key = _role_key(role)
            if key is not None:  # None: the Attribution anchor, which repeats the cue
                roles[key].extend(spans[target])
        if not roles["content"]:
            skipped += 1
            continue
        relations.append(
            GoldRelation(
                id=event_id,
                content=tuple(sorted(set(roles["content"]))),
                cue=tuple(sorted(set(roles["cue"]))),
                source=tuple(sorted(set(roles["source"]))),
            )
        )
    return BratDocument(relations=tuple(relations), skipped=skipped)


def _fragments(offsets: str, line: int) -> tuple[CharSpan, ...]:
    fragments: list[CharSpan] = []
    for part in offsets.split(";"):
        start, end = (int(n) for n in part.split())
        if end < start:
            raise BratFormatError(f"line {line}: span {start} {end} ends before it starts")
        fragments.append((start, end))
    return tuple(fragments)


def _argument(part: str, line: int) -> tuple[str, str]:
    role, sep, target = part.partition(":")
    if not sep:
        raise BratFormatError(f"line {line}: event argument {part!r} has no role")
    return role, target


def _role_key(role: str) -> str | None:
    if role.startswith("Content"):  # Content, Content2
        return "content"
    if role in {"Cue", "Source"}:
        return role.lower()
    return None


def split_annotator(stem: str) -> tuple[str, str]:
    """``nyt_2016-09-16_slug_d473`` -> (``nyt_2016-09-16_slug``, ``d473``)."""
    article, sep, annotator = stem.rpartition("_")
    if not sep or not article:
        raise BratFormatError(f"{stem}.ann is not named <article>_<annotator>.ann")
    return article, annotator


def read_split(root: Path, split: str, limit: int | None = None) -> Iterator[BratArticle]:
    """Articles of ``root/split`` in name order, each with its alphabetically first .ann.

    Several articles were annotated by all six annotators; scoring each of them once keeps
    every article's weight equal. The first annotator by name is an arbitrary but fixed
    choice (the one PolNeAR's README counts with).
    """
    folder = root / split
    by_article: dict[str, list[Path]] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        article, _ = split_annotator(ann.stem)
        by_article.setdefault(article, []).append(ann)
    if not by_article:
        raise FileNotFoundError(f"no .ann files under {folder / 'attributions'}")
    names = sorted(by_article)
    for name in names if limit is None else names[:limit]:
        first = by_article[name][0]
        text = _read_exactly(folder / "text" / f"{name}.txt")
        document = parse_ann(_read_exactly(first))
        for relation in document.relations:
            _check_bounds(relation, len(text), first)
        yield BratArticle(
            name=name,
            annotator=split_annotator(first.stem)[1],
            annotators=len(by_article[name]),
            text=text,
            relations=document.relations,
            skipped=document.skipped,
        )


def _read_exactly(path: Path) -> str:
    # newline="" keeps any "\r": brat offsets count every code point of the file.
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _check_bounds(relation: GoldRelation, length: int, path: Path) -> None:
    for _, end in (*relation.content, *relation.cue, *relation.source):
        if end > length:
            raise BratFormatError(f"{path.name}: {relation.id} ends at {end}, past the text")
