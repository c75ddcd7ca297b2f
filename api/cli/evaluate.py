"""eval: score the extractor against gold-annotated corpora."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api.cli.base import main


@main.command("eval")
@click.option(
    "--polnear",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="PolNeAR folder (default: ../shared/corpora/polnear beside the repository).",
)
@click.option(
    "--cofenet",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="CofeNet's PolNeAR folder (default: ../shared/corpora/polnear-cofenet).",
)
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option(
    "--metric",
    type=click.Choice(["a", "b", "all"]),
    default="all",
    show_default=True,
    help="a: CofeNet exact token spans; b: article-level statements.",
)
@click.option(
    "--baseline",
    type=click.Choice(["textacy"]),
    default=None,
    help="Also score a baseline (textacy must be installed).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Only the first N segments (A) and articles (B).",
)
@click.option(
    "--claims",
    is_flag=True,
    help="Score claim clustering instead: B-cubed and pairwise against the gold clusters "
    "of the seeds and PolNeAR dev.",
)
@click.option(
    "--claims-gold",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Gold claim clusters (default: the file shipped in api/evaluation/data).",
)
@click.option(
    "--seeds",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Seed folder for --claims (default: seeds/ of the checkout).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the JSON report here.",
)
def evaluate(
    polnear: Path | None,
    cofenet: Path | None,
    split: str,
    metric: str,
    baseline: str | None,
    limit: int | None,
    claims: bool,
    claims_gold: Path | None,
    seeds: Path | None,
    json_path: Path | None,
) -> None:
    """Score the extractor against PolNeAR gold attributions (dev unless told otherwise),
    or with --claims the claims ingestion forms against gold clusters."""
    from api.evaluation.command import EvalError, run_eval

    if claims:
        _claims(claims_gold, seeds, polnear, split, json_path)
        return
    try:
        run_eval(
            polnear=polnear,
            cofenet=cofenet,
            split=split,
            metric=metric,
            baseline=baseline,
            limit=limit,
            json_path=json_path,
            echo=click.echo,
            warn=lambda message: click.echo(message, err=True),
            progress=sys.stderr.isatty(),
        )
    except EvalError as exc:
        raise click.ClickException(str(exc)) from exc


def _claims(
    gold: Path | None, seeds: Path | None, polnear: Path | None, split: str, json_path: Path | None
) -> None:
    from api.evaluation.claim_command import run_claims_eval
    from api.evaluation.command import EvalError

    if split != "dev":
        raise click.UsageError("--claims scores the dev gold clusters only; drop --split")
    try:
        run_claims_eval(
            gold_path=gold,
            seeds=seeds,
            polnear=polnear,
            json_path=json_path,
            echo=click.echo,
            warn=lambda message: click.echo(message, err=True),
            progress=sys.stderr.isatty(),
        )
    except EvalError as exc:
        raise click.ClickException(str(exc)) from exc
