"""The claim clustering scorer, the gold file and ``statements eval --claims``."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from api.evaluation.claim_clusters import (
    GoldCorpus,
    GoldFormatError,
    GoldStatement,
    Scores,
    bcubed,
    default_gold_path,
    pairwise,
    read_gold,
)
from api.evaluation.claim_runner import Placed, locate, predicted_labels
from api.evaluation.command import DEFAULT_POLNEAR
from tests.ingest.conftest import SEEDS


def read_gold_text(folder: Path, text: str) -> dict[str, GoldCorpus]:
    path = folder / "gold.toml"
    path.write_text(text, encoding="utf-8")
    return read_gold(path)


# Gold: {a, b, c} and {d, e}; predicted: {a, b} and {c, d, e}.
GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PREDICTED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_bcubed_on_a_hand_made_example() -> None:
    # Precision per item: a 2/2, b 2/2, c 1/3, d 2/3, e 2/3 -> 11/15.
    # Recall per item: a 2/3, b 2/3, c 1/3, d 2/2, e 2/2 -> 11/15.
    scores = bcubed(GOLD, PREDICTED)
    assert scores.precision == pytest.approx(11 / 15)
    assert scores.recall == pytest.approx(11 / 15)
    assert scores.f1 == pytest.approx(11 / 15)


def test_bcubed_of_one_big_cluster_and_of_singletons() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2}
    lumped = bcubed(gold, dict.fromkeys(gold, "all"))
    # Precision: a, b, c 3/4 each, d 1/4 -> 10/16; recall 1.
    assert (lumped.precision, lumped.recall) == (pytest.approx(10 / 16), 1.0)
    assert lumped.f1 == pytest.approx(2 * 0.625 / 1.625)
    split = bcubed(gold, {item: item for item in gold})
    assert (split.precision, split.recall) == (1.0, pytest.approx((1 / 3 * 3 + 1) / 4))
    assert bcubed({}, {}) == Scores(precision=0.0, recall=0.0)


def test_pairwise_on_the_same_example() -> None:
    # Gold pairs ab ac bc de; predicted pairs ab cd ce de; both: ab de.
    scores = pairwise(GOLD, PREDICTED)
    assert (scores.precision, scores.recall) == (0.5, 0.5)
    # Only the gold items count: a predicted cluster's other members are not scored.
    assert pairwise({"a": 1, "b": 2}, {"a": "x", "b": "y", "z": "x"}) == Scores(
        precision=1.0, recall=1.0
    )


def test_a_gold_statement_takes_the_claim_of_the_statement_overlapping_it_most(
    tmp_path: Path,
) -> None:
    item = GoldStatement(doc="d.txt", spans=((10, 20), (30, 40)))
    missed = GoldStatement(doc="d.txt", spans=((100, 120),))
    gold = read_gold_text(
        tmp_path,
        """
        [[corpus]]
        name = "t"
        [[corpus.cluster]]
        statements = [
          { doc = "d.txt", spans = [[10, 20], [30, 40]] },
          { doc = "d.txt", spans = [[100, 120]] },
        ]
        """,
    )["t"]
    placed = [
        Placed(doc="d.txt", span=(12, 19), claim_id=1, statement_id=1),
        Placed(doc="d.txt", span=(28, 45), claim_id=2, statement_id=2),
        Placed(doc="d.txt", span=(95, 101), claim_id=3, statement_id=3),  # too little overlap
    ]
    labels = predicted_labels(gold, placed)
    assert labels[item] == 2
    assert labels[missed] == ("missed", 1)


def test_locate_finds_the_occurrence_nearest_the_stored_offset() -> None:
    raw = "Title\n\nSaid it. Noise\nmore. Said it."
    assert locate(raw, "Said it.", 25) == (28, 36)
    assert locate(raw, "Noise more.", 10) == (16, 27)  # the cleaner joined the lines
    assert locate(raw, "absent", 0) is None


def test_malformed_gold_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="twice"):
        read_gold_text(
            tmp_path,
            """
            [[corpus]]
            name = "t"
            [[corpus.singletons]]
            doc = "d.txt"
            statements = [{ spans = [[1, 5]] }, { spans = [[1, 5]] }]
            """,
        )
    with pytest.raises(GoldFormatError, match="inverted"):
        read_gold_text(
            tmp_path,
            '[[corpus]]\nname = "t"\n[[corpus.cluster]]\n'
            'statements = [{ doc = "d", spans = [[5, 1]] }]\n',
        )
    with pytest.raises(GoldFormatError):
        read_gold_text(tmp_path, "[[corpus]]\n")  # no name


def test_the_shipped_gold_matches_the_seed_files() -> None:
    gold = read_gold(default_gold_path())
    seeds = gold["seeds"]
    assert len(seeds.statements) == 52
    assert sum(len(cluster) > 1 for cluster in seeds.clusters) == 8
    for item in [*seeds.statements, *seeds.excluded]:
        text = (SEEDS / item.doc).read_text(encoding="utf-8")
        start = item.spans[0][0]
        assert item.prefix is not None
        assert text[start : start + len(item.prefix)] == item.prefix, item


def test_the_shipped_gold_points_into_polnear_dev() -> None:
    polnear = read_gold(default_gold_path())["polnear-dev"]
    assert len(polnear.statements) == 53
    assert all(item.prefix is None for item in polnear.statements)  # no PolNeAR text here
    folder = DEFAULT_POLNEAR / "dev" / "text"
    if not folder.is_dir():
        pytest.skip("PolNeAR is not beside the repository")
    for item in [*polnear.statements, *polnear.excluded]:
        with (folder / f"{item.doc}.txt").open(encoding="utf-8", newline="") as handle:
            length = len(handle.read())
        assert item.spans[-1][1] <= length, item


def test_claims_eval_refuses_the_test_split() -> None:
    result = CliRunner().invoke(main, ["eval", "--claims", "--split", "test"])
    assert result.exit_code == 2
    assert "dev gold clusters only" in result.stderr


def test_claims_eval_names_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "--claims", "--seeds", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "seed folder not found" in result.stderr


TINY_GOLD = """
[[corpus]]
name = "seeds"

[[corpus.cluster]]
claim = "the mayor's bridge quote"
statements = [
  { doc = "a.txt", spans = [[$a_start, $a_end]] },
  { doc = "b.txt", spans = [[$b_start, $b_end]] },
]

[[corpus.singletons]]
doc = "b.txt"
statements = [{ spans = [[$c_start, $c_end]] }]
"""
QUOTE = "We will reopen the bridge in May"
A = f"Bridge to reopen\n\n“{QUOTE},” Mayor Ana Ruiz said on Monday.\n"
B = (
    f"Council backs repairs\n\nMayor Ana Ruiz told reporters: “{QUOTE}.”\n\n"
    "Engineers said the budget for the repairs had doubled since March.\n"
)


@pytest.mark.nlp
def test_claims_eval_prints_the_table_and_writes_the_report(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(A, encoding="utf-8")
    (seeds / "b.txt").write_text(B, encoding="utf-8")
    budget = "the budget for the repairs had doubled since March"
    spans = {
        "a_start": A.index(QUOTE),
        "a_end": A.index(QUOTE) + len(QUOTE),
        "b_start": B.index(QUOTE),
        "b_end": B.index(QUOTE) + len(QUOTE),
        "c_start": B.index(budget),
        "c_end": B.index(budget) + len(budget),
    }
    gold = tmp_path / "gold.toml"
    gold.write_text(string.Template(TINY_GOLD).substitute(spans), encoding="utf-8")
    report_path = tmp_path / "claims.json"
    report = str(report_path)
    result = CliRunner().invoke(
        main,
        ["eval", "--claims", "--claims-gold", str(gold), "--seeds", str(seeds), "--json", report],
    )
    assert result.exit_code == 0, result.output
    assert "Claim clustering" in result.stdout
    written = json.loads(report_path.read_text(encoding="utf-8"))
    seeds_report = written["corpora"]["seeds"]
    assert (seeds_report["statements"], seeds_report["clusters"], seeds_report["found"]) == (
        3,
        2,
        3,
    )
    assert seeds_report["bcubed"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert seeds_report["false_merges"] == []
    assert "polnear-dev" not in written["corpora"]
