"""The brat standoff reader, on invented annotation files."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.evaluation.brat import BratFormatError, parse_ann, read_split, split_annotator
from tests.evaluation.corpus import ARTICLE, write_polnear

ANN = "\n".join(
    [
        "T1\tContent 0 10;20 30\tfirst part second bit",
        "T2\tCue 11 15\tsaid",
        "T3\tSource 16 19\tshe",
        "T4\tAttribution 11 15\tsaid",
        "E1\tAttribution:T4 Content:T1 Cue:T2 Source:T3",
        "T5\tContent 40 60\ta covered text that runs",
        "over a line break",
        "T6\tCue 61 70\tis feared",
        "T7\tAttribution-no-source 61 70\tis feared",
        "E2\tAttribution-no-source:T7 Cue:T6 Content:T5",
        "T8\tContent 80 90\tmore",
        "T9\tCue 91 95\tsaid",
        "T10\tAttribution 91 95\tsaid",
        "T11\tContent 100 110\tand more",
        "E3\tAttribution:T10 Cue:T9 Source:T3 Content:T8 Content2:T11",
        "T12\tAttribution-no-source 120 125\tnoted",
        "E4\tAttribution-no-source:T12 ",
        "T13\tDiscuss 130 140\tnot a relation",
        "#1\tAnnotatorNotes T13\tunsure",
    ]
)


def test_relations_with_discontinuous_content_and_missing_source() -> None:
    document = parse_ann(ANN)
    first, second, _ = document.relations
    assert first.content == ((0, 10), (20, 30))
    assert first.discontinuous
    assert (first.cue, first.source) == (((11, 15),), ((16, 19),))
    assert second.content == ((40, 60),)
    assert second.source == ()
    assert not second.discontinuous


def test_a_second_content_joins_the_first_and_sources_can_be_shared() -> None:
    third = parse_ann(ANN).relations[2]
    assert third.content == ((80, 90), (100, 110))
    assert third.source == ((16, 19),)


def test_event_without_content_is_counted_not_scored() -> None:
    document = parse_ann(ANN)
    assert len(document.relations) == 3
    assert document.skipped == 1


def test_unknown_argument_is_an_error() -> None:
    with pytest.raises(BratFormatError, match="T9"):
        parse_ann("T1\tContent 0 4\tsome\nE1\tAttribution:T9 Content:T1")


def test_article_and_annotator_names() -> None:
    assert split_annotator("nyt_2016-09-16_tax-plan_d473") == ("nyt_2016-09-16_tax-plan", "d473")
    with pytest.raises(BratFormatError):
        split_annotator("noannotator")


def test_read_split_takes_the_first_annotator_and_honours_limit(tmp_path: Path) -> None:
    root = write_polnear(tmp_path / "polnear")
    articles = list(read_split(root, "dev"))
    assert [(a.name, a.annotator, a.annotators) for a in articles] == [
        ("news_2020-01-01_bridge", "a111", 2),
        ("news_2020-01-02_other", "c333", 1),
    ]
    bridge = articles[0]
    assert bridge.text == ARTICLE
    quote, reported = bridge.relations
    assert ARTICLE[slice(*quote.content[0])] == "“We will reopen the bridge in May,”"
    assert ARTICLE[slice(*quote.source[0])] == "Mayor Ana Ruiz"
    assert [ARTICLE[s:e] for s, e in reported.content] == ["that the repairs", "were finished"]
    assert len(list(read_split(root, "dev", limit=1))) == 1


def test_read_split_rejects_spans_past_the_text(tmp_path: Path) -> None:
    root = tmp_path / "polnear"
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir(parents=True)
    (root / "dev" / "text" / "a_b.txt").write_text("short", encoding="utf-8")
    (root / "dev" / "attributions" / "a_b_x1.ann").write_text(
        "T1\tContent 0 99\tshort\nE1\tAttribution:T1 Content:T1\n", encoding="utf-8"
    )
    with pytest.raises(BratFormatError, match="past the text"):
        list(read_split(root, "dev"))


def test_read_split_without_annotations_fails(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_split(tmp_path, "dev"))
