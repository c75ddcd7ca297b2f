"""``statements eval --claims``: ingest a gold corpus, then score the claims it formed.

Each corpus is ingested by the real pipeline into a scratch SQLite database (the seeds
as a folder; PolNeAR dev as one article record per text, in publication order, written
to a temporary folder and removed afterwards), so the claims scored are exactly those
ingestion forms. A stored statement is placed back in its file on disk by finding its
text there, which is how it is compared with the gold spans.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.evaluation.brat import read_split
from api.evaluation.claim_clusters import GoldCorpus, GoldStatement, Scores, bcubed, pairwise
from api.evaluation.spans import CharSpan
from api.pipeline.run import ingest_paths
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import ArticleRow, ClaimStatementRow, StatementRow

# PolNeAR file names start with the publisher's slug.
OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "HuffPost",
    "nyt": "The New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "The Washington Post",
    "west-journal": "Western Journalism",
}
_POLNEAR_NAME = re.compile(r"^(?P<outlet>[a-z-]+?)_(?P<date>\d{4}-\d{2}-\d{2})_")
MIN_OVERLAP = 0.5  # of the shorter of a gold and a predicted span


class Placed(msgspec.Struct, frozen=True, kw_only=True):
    """A stored statement, placed in its file on disk, and its claim."""

    doc: str
    span: CharSpan
    claim_id: int
    statement_id: int


class CorpusResult(msgspec.Struct, kw_only=True):
    corpus: str
    articles: int
    statements: int  # gold statements scored
    clusters: int  # gold clusters, singletons included
    found: int  # gold statements the extractor found
    bcubed: Scores
    pairwise: Scores
    bcubed_found: Scores  # over the found gold statements only
    pairwise_found: Scores
    false_merges: list[tuple[str, str]]  # gold statements put together wrongly
    missed_merges: list[tuple[str, str]]
    seconds: float


def ingest_seeds(session: Session, root: Path, *, progress: bool) -> dict[str, str]:
    """Ingest the seed folder; returns each file's text by name."""
    ingest_paths(session, [root], progress=progress)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(root.glob("*.txt"))}


def ingest_polnear(session: Session, root: Path, *, progress: bool) -> dict[str, str]:
    """Ingest every PolNeAR dev article, oldest first; returns each text by article name."""
    texts = {article.name: article.text for article in read_split(root, "dev")}
    with tempfile.TemporaryDirectory(prefix="statements-claims-") as folder:
        feed = Path(folder) / "polnear-dev.ndjson"
        with feed.open("wb") as handle:
            for name in sorted(texts, key=lambda n: (_published(n), n)):
                record = {
                    "text": texts[name],
                    "outlet": OUTLETS.get(name.split("_", 1)[0], name.split("_", 1)[0]),
                    "published": _published(name),
                    "title": None,
                    "url": _polnear_url(name),
                }
                handle.write(msgspec.json.encode(record) + b"\n")
        ingest_paths(session, [feed], progress=progress)
    return texts


def _polnear_url(name: str) -> str:
    # A stand-in address: it gives each article an identity and names its file.
    return f"https://polnear.invalid/dev/{name}"


def _published(name: str) -> str:
    match = _POLNEAR_NAME.match(name)
    return match.group("date") if match else "1970-01-01"


def placed_statements(session: Session, texts: dict[str, str]) -> list[Placed]:
    """Every stored statement whose article is one of ``texts``, placed in that text."""
    by_url = {_polnear_url(name): name for name in texts}
    rows = session.execute(
        select(ArticleRow.url, ArticleRow.origin, StatementRow, ClaimStatementRow.claim_id)
        .join(StatementRow, StatementRow.article_id == ArticleRow.id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .order_by(StatementRow.id)
    ).all()
    placed: list[Placed] = []
    for url, origin, statement, claim_id in rows:
        doc = by_url.get(url or "") or Path(origin or "").name
        if doc not in texts:
            continue
        span = locate(texts[doc], statement.text, statement.content_start)
        if span is not None:
            placed.append(Placed(doc=doc, span=span, claim_id=claim_id, statement_id=statement.id))
    return placed


def locate(raw: str, text: str, near: int) -> CharSpan | None:
    """Where ``text`` is in ``raw``: the occurrence nearest ``near`` (cleaning only moves
    text a little), allowing for whitespace the cleaner normalised."""
    starts = [m.start() for m in re.finditer(re.escape(text), raw)]
    if starts:
        start = min(starts, key=lambda s: abs(s - near))
        return start, start + len(text)
    words = text.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(word) for word in words)
    matches = list(re.finditer(pattern, raw))
    if not matches:
        return None
    best = min(matches, key=lambda m: abs(m.start() - near))
    return best.start(), best.end()


def predicted_labels(gold: GoldCorpus, placed: list[Placed]) -> dict[GoldStatement, Hashable]:
    """Each gold statement's predicted claim: that of the stored statement overlapping it
    most, or a claim of its own when the extractor did not find it."""
    matched = match_gold(gold, placed)
    return {
        item: matched[item].claim_id if item in matched else ("missed", number)
        for number, item in enumerate(gold.statements)
    }


def match_gold(gold: GoldCorpus, placed: list[Placed]) -> dict[GoldStatement, Placed]:
    """The stored statement standing for each gold statement the extractor found."""
    by_doc: dict[str, list[Placed]] = {}
    for statement in placed:
        by_doc.setdefault(statement.doc, []).append(statement)
    matched: dict[GoldStatement, Placed] = {}
    for item in gold.statements:
        best: tuple[int, Placed] | None = None
        for candidate in by_doc.get(item.doc, []):
            start, end = candidate.span
            shared = sum(max(0, min(end, e) - max(start, s)) for s, e in item.spans)
            enough = shared > 0 and shared >= MIN_OVERLAP * min(item.length, end - start)
            if enough and (best is None or shared > best[0]):
                best = (shared, candidate)
        if best is not None:
            matched[item] = best[1]
    return matched


def score_corpus(gold: GoldCorpus, ingest: Callable[[Session], dict[str, str]]) -> CorpusResult:
    """Ingest into a scratch database, then score the claims against ``gold``."""
    with _scratch_session() as session:
        started = time.perf_counter()
        texts = ingest(session)
        seconds = time.perf_counter() - started
        predicted = predicted_labels(gold, placed_statements(session, texts))
    truth = gold.labels()
    found = {item for item, label in predicted.items() if not isinstance(label, tuple)}
    truth_found = {item: truth[item] for item in found}
    return CorpusResult(
        corpus=gold.name,
        articles=len(texts),
        statements=len(truth),
        clusters=len(gold.clusters),
        found=len(found),
        bcubed=bcubed(truth, predicted),
        pairwise=pairwise(truth, predicted),
        bcubed_found=bcubed(truth_found, predicted),
        pairwise_found=pairwise(truth_found, predicted),
        false_merges=_pairs(truth, predicted, wrong=True),
        missed_merges=_pairs(truth, predicted, wrong=False),
        seconds=seconds,
    )


def _pairs(
    truth: dict[GoldStatement, int], predicted: dict[GoldStatement, Hashable], *, wrong: bool
) -> list[tuple[str, str]]:
    """Pairs merged against the gold (``wrong``) or left apart against it."""
    items = list(truth)
    found: list[tuple[str, str]] = []
    for i, first in enumerate(items):
        for second in items[i + 1 :]:
            same_gold = truth[first] == truth[second]
            same_predicted = predicted[first] == predicted[second]
            if (wrong and same_predicted and not same_gold) or (
                not wrong and same_gold and not same_predicted
            ):
                found.append((_name(first), _name(second)))
    return found


def _name(item: GoldStatement) -> str:
    return item.doc + "@" + ",".join(f"{s}-{e}" for s, e in item.spans)


@contextmanager
def _scratch_session() -> Iterator[Session]:
    """A session on a fresh, migrated SQLite database that is deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="statements-claims-db-") as folder:
        url = f"sqlite:///{Path(folder) / 'claims.db'}"
        migrate.upgrade(url)
        engine = make_engine(url)
        try:
            with Session(engine) as session:
                yield session
        finally:
            engine.dispose()
