"""Time to assign claims to a new article's statements, by corpus size: indexed vs linear.

    python benchmarks/claim_clusters.py [--database sqlite|postgresql]
        [--sizes 1000 10000 100000] [--articles 20] [--per-article 10] [--seed 7]

For each size, a scratch database (SQLite file, or PostgreSQL database
``statements_bench_claims`` on the local server) is filled with that many synthetic
statements (Zipf-distributed words; one in ten carries a quote from a shared pool, so
matches happen), each in a claim of its own, with their ``claim_keys``. Then the same
new articles are stored twice, each time rolled back: with the indexed lookup of
api/pipeline/claim_store.py, and with the linear scan it replaced (every statement of
the other articles read and compared once per article; kept below as ``linear_*``). The
figure is milliseconds per article, as api/pipeline/store.py calls the two functions.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
import unicodedata
from collections.abc import Callable
from typing import Any, NamedTuple

from rapidfuzz import fuzz
from scratch import scratch_database  # benchmarks/scratch.py, beside this script
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from api.pipeline.claim_store import assign_claim, known_claims
from api.pipeline.claim_words import STOPWORDS
from api.pipeline.claims import claim_keys
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import (
    ActorRow,
    ArticleRow,
    ClaimKeyRow,
    ClaimRow,
    ClaimStatementRow,
    StatementRow,
)

SCRATCH = "statements_bench_claims"
VOCABULARY = 5000
ACTORS = 300
QUOTES = 2000
BATCH = 5000


class Words:
    """Synthetic sentences: Zipf-distributed made-up words, some quoting a shared pool."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = [self._word() for _ in range(VOCABULARY)]
        self.weights = [1 / rank for rank in range(1, VOCABULARY + 1)]
        self.quotes = [self.sentence(6, 12) for _ in range(QUOTES)]

    def _word(self) -> str:
        return "".join(
            self.rng.choice("bcdfghklmnprstvz") + self.rng.choice("aeiou")
            for _ in range(self.rng.randint(2, 4))
        )

    def sentence(self, low: int = 12, high: int = 25) -> str:
        return " ".join(self.rng.choices(self.words, self.weights, k=self.rng.randint(low, high)))

    def statement(self) -> tuple[str, list[dict[str, Any]]]:
        if self.rng.random() < 0.1:
            quote = self.rng.choice(self.quotes)
            return quote, [{"start": 0, "end": len(quote), "text": quote}]
        return self.sentence(), []


def fill(session: Session, words: Words, size: int, per_article: int) -> None:
    """``size`` statements in articles of ``per_article``, one claim each, keys indexed."""
    actors = [ActorRow(key=f"person:a{i}", name=f"A{i}", kind="person") for i in range(ACTORS)]
    session.add_all(actors)
    session.flush()
    actor_ids = [actor.id for actor in actors]
    for first in range(0, size, BATCH):
        count = min(BATCH, size - first)
        articles = session.scalars(
            insert(ArticleRow).returning(ArticleRow.id),
            [
                {"text": "-", "content_hash": f"h{first + i}", "origin": "bench"}
                for i in range(0, count, per_article)
            ],
        ).all()
        rows = []
        for i in range(count):
            said, quotes = words.statement()
            rows.append(_statement(articles[i // per_article], said, quotes, actor_ids, words))
        ids = session.scalars(insert(StatementRow).returning(StatementRow.id), rows).all()
        claims = session.scalars(
            insert(ClaimRow).returning(ClaimRow.id), [{"text": row["text"]} for row in rows]
        ).all()
        session.execute(
            insert(ClaimStatementRow),
            [{"claim_id": c, "statement_id": s} for c, s in zip(claims, ids, strict=True)],
        )
        keys = [
            {"key": key, "statement_id": sid}
            for sid, row in zip(ids, rows, strict=True)
            for key in claim_keys(row["text"])
        ]
        session.execute(insert(ClaimKeyRow), keys)
    session.commit()


def _statement(
    article_id: int, said: str, quotes: list[dict[str, Any]], actors: list[int], words: Words
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "speaker_id": words.rng.choice(actors),
        "kind": "direct" if quotes else "reported",
        "text": said,
        "content_start": 0,
        "content_end": len(said),
        "quotes": quotes,
        "confidence": 0.9,
    }


Known = Any
Strategy = tuple[Callable[[Session, int], Known], Callable[[Session, StatementRow, Known], Any]]


def time_articles(
    session: Session, words: Words, strategy: Strategy, articles: int, per_article: int
) -> float:
    """Milliseconds per new article, stored as api/pipeline/store.py does; rolled back."""
    find, assign = strategy
    actor_ids = list(session.scalars(select(ActorRow.id)))
    state = words.rng.getstate()
    elapsed = 0.0
    nested = session.begin_nested()
    for number in range(articles):
        article = ArticleRow(text="-", content_hash=f"new{number}", origin="bench")
        session.add(article)
        session.flush()
        started = time.perf_counter()
        known = find(session, article.id)
        for _ in range(per_article):
            said, quotes = words.statement()
            statement = StatementRow(**_statement(article.id, said, quotes, actor_ids, words))
            session.add(statement)
            session.flush()
            assign(session, statement, known)
        session.flush()
        elapsed += time.perf_counter() - started
    nested.rollback()
    words.rng.setstate(state)  # both strategies see the same new statements
    return 1000 * elapsed / articles


# The linear scan this index replaced, as it was: every statement of the other articles
# loaded and featurised once per article, then compared in id order until one matches.
_WORD = re.compile(r"[\w%]+(?:[’'][\w]+)?", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")


class _Old(NamedTuple):
    words: frozenset[str]
    numbers: frozenset[str]
    quotes: tuple[str, ...]
    normalized: str
    speaker_id: int | None


def _old_features(statement: StatementRow) -> _Old:
    normalized = " ".join(_WORD.findall(unicodedata.normalize("NFKC", statement.text).casefold()))
    content = [w for w in normalized.split() if w not in STOPWORDS]
    quotes = tuple(
        q
        for q in (" ".join(_WORD.findall(quote["text"].casefold())) for quote in statement.quotes)
        if len(q.split()) >= 2
    )
    return _Old(
        frozenset(content),
        frozenset(_NUMBER.findall(statement.text)),
        quotes,
        " ".join(content),
        statement.speaker_id,
    )


def _old_same(a: _Old, b: _Old) -> bool:
    if a.speaker_id is not None and b.speaker_id is not None and a.speaker_id != b.speaker_id:
        return False
    if a.speaker_id is not None and a.speaker_id == b.speaker_id:
        for quote in a.quotes:
            if any(quote in other or other in quote for other in b.quotes):
                return True
    if not a.words or not b.words or a.numbers != b.numbers:
        return False
    if len(a.words & b.words) / len(a.words | b.words) < 0.5:
        return False
    return fuzz.token_set_ratio(a.normalized, b.normalized) >= 85.0


def linear_known(session: Session, article_id: int) -> list[tuple[_Old, int]]:
    rows = session.execute(
        select(StatementRow, ClaimStatementRow.claim_id)
        .join(ClaimStatementRow, ClaimStatementRow.statement_id == StatementRow.id)
        .where(StatementRow.article_id != article_id)
        .order_by(StatementRow.id)
    ).all()
    return [(_old_features(other), claim_id) for other, claim_id in rows]


def linear_assign(session: Session, statement: StatementRow, known: list[tuple[_Old, int]]) -> int:
    features = _old_features(statement)
    claim_id = next((cid for other, cid in known if _old_same(features, other)), None)
    if claim_id is None:
        claim = ClaimRow(text=statement.text, speaker_id=statement.speaker_id)
        session.add(claim)
        session.flush()
        claim_id = claim.id
    session.add(ClaimStatementRow(claim_id=claim_id, statement_id=statement.id))
    return claim_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        with scratch_database(args.database, SCRATCH) as url:
            migrate.upgrade(url)
            engine = make_engine(url)
            with Session(engine) as session:
                words = Words(random.Random(args.seed))
                started = time.perf_counter()
                fill(session, words, size, args.per_article)
                filled = time.perf_counter() - started
                row: dict[str, Any] = {"statements": size, "fill_s": round(filled, 1)}
                for name, strategy in (
                    ("indexed", (known_claims, assign_claim)),
                    ("linear", (linear_known, linear_assign)),
                ):
                    per = time_articles(session, words, strategy, args.articles, args.per_article)
                    row[f"{name}_ms_per_article"] = round(per, 1)
            engine.dispose()
        results.append(row)
        print(json.dumps(row), flush=True)
    print(json.dumps({"database": args.database, "results": results}, indent=2))


if __name__ == "__main__":
    main()
