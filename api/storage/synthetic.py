"""A synthetic corpus for benchmarks: N realistic statements written in bulk.

Shape, chosen to look like a newsroom corpus rather than uniform noise:
- a vocabulary of pronounceable words whose frequencies follow Zipf's law (exponent
  1.1), so that a few terms match a large share of the statements, as "said" or
  "Ukraine" do in real news;
- about ten statements per article, whose text is the article's text (offsets are real);
- speakers drawn by Zipf over the actors (a few people speak very often), outlets by
  Zipf over 200 outlets, one statement in ten credited to one of 20 agencies;
- claims: 60% of statements join a claim of 2 to 20 statements, the rest stand alone.

Rows go in through Core ``executemany`` in batches with explicit ids (no RETURNING);
the full-text index is filled by the same triggers that serve the ingestion job.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate, islice

from sqlalchemy import Engine, Table, func, insert, select, text

from api.storage.models import Base

STATEMENTS_PER_ARTICLE = 10
STATEMENTS_PER_ACTOR = 50
OUTLETS, AGENCIES = 200, 20
VOCABULARY = 20_000
ZIPF_EXPONENT = 1.1
WORDS_PER_STATEMENT = (15, 35)
KINDS = ("direct", "partial", "reported", "according_to")
ACTOR_KINDS = ("person",) * 6 + ("organisation", "government", "document", "group")
# Syllable parts of the pronounceable pseudo-words.
_ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v")
_CLUSTERS = ("br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr", "w", "z")
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ee", "io", "ou"]


@dataclass(frozen=True)
class SynthReport:
    statements: int
    articles: int
    actors: int
    claims: int


class Zipf:
    """Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, n: int, rng: random.Random, exponent: float = ZIPF_EXPONENT) -> None:
        self._cumulative = list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))
        self._rng = rng

    def draw(self, k: int = 1) -> list[int]:
        return [
            rank
            for rank in self._rng.choices(
                range(len(self._cumulative)), cum_weights=self._cumulative, k=k
            )
        ]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """Distinct pronounceable words, most frequent first (and mostly shortest)."""
    words: dict[str, None] = {}
    while len(words) < size:
        # Two syllables give 90,000 words; the rarer half of the list gets three.
        syllables = 2 + (len(words) * 2 >= size)
        word = "".join(
            rng.choice(_ONSETS + _CLUSTERS) + rng.choice(_VOWELS) for _ in range(syllables)
        )
        words.setdefault(word)
    return list(words)


def _next_id(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1


def _write(engine: Engine, table: Table, rows: Iterator[dict[str, object]], batch: int) -> int:
    written = 0
    while chunk := list(islice(rows, batch)):
        with engine.begin() as conn:
            conn.execute(insert(table), chunk)
        written += len(chunk)
    return written


def _reset_sequences(engine: Engine, tables: list[Table]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind: move them past the new rows."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"
                )
            )


def fill(
    engine: Engine,
    statements: int,
    *,
    seed: int = 7,
    batch: int = 5_000,
    on_progress: Callable[[int], None] | None = None,
) -> SynthReport:
    """Append ``statements`` synthetic statements (and their articles, actors, claims)."""
    rng = random.Random(seed)
    words = vocabulary(VOCABULARY, rng)
    word_zipf = Zipf(len(words), rng)
    tables = {
        name: Base.metadata.tables[name]
        for name in ("sources", "actors", "actor_aliases", "articles", "statements", "claims")
    }
    first = {name: _next_id(engine, table) for name, table in tables.items()}
    n_articles = max(1, statements // STATEMENTS_PER_ARTICLE)
    n_actors = max(1, statements // STATEMENTS_PER_ACTOR)
    source_ids = range(first["sources"], first["sources"] + OUTLETS + AGENCIES)
    actor_ids = range(first["actors"], first["actors"] + n_actors)

    def sentence(lo: int, hi: int) -> str:
        return " ".join(words[r] for r in word_zipf.draw(rng.randint(lo, hi)))

    def sources() -> Iterator[dict[str, object]]:
        for n, source_id in enumerate(source_ids):
            kind = "outlet" if n < OUTLETS else "agency"
            name = f"{sentence(1, 2).title()} {'News' if kind == 'outlet' else 'Press'} {n}"
            yield {"id": source_id, "key": f"synth:{seed}:{source_id}", "name": name, "kind": kind}

    actor_names = {actor_id: sentence(2, 2).title() for actor_id in actor_ids}

    def actors() -> Iterator[dict[str, object]]:
        for actor_id, name in actor_names.items():
            kind = rng.choice(ACTOR_KINDS)
            yield {"id": actor_id, "key": f"synth:{seed}:{actor_id}", "name": name, "kind": kind}

    def aliases() -> Iterator[dict[str, object]]:
        alias_id = first["actor_aliases"]
        for actor_id, name in actor_names.items():
            for alias in {name, name.split()[-1]}:
                yield {"id": alias_id, "actor_id": actor_id, "alias": alias, "key": alias.lower()}
                alias_id += 1

    _write(engine, tables["sources"], sources(), batch)
    _write(engine, tables["actors"], actors(), batch)
    _write(engine, tables["actor_aliases"], aliases(), batch)
    actor_zipf, outlet_zipf = Zipf(n_actors, rng), Zipf(OUTLETS, rng)
    start_day = dt.date(2025, 1, 1)
    claim_id, claim_left = first["claims"], 0
    pending: dict[str, list[dict[str, object]]] = {
        name: [] for name in ("articles", "statements", "claims", "links", "credits")
    }
    statement_id = first["statements"]
    written = 0
    for article_n in range(n_articles):
        article_id = first["articles"] + article_n
        day = start_day + dt.timedelta(days=rng.randrange(730))
        last = article_n == n_articles - 1
        count = statements - written if last else STATEMENTS_PER_ARTICLE
        texts = [sentence(*WORDS_PER_STATEMENT) + "." for _ in range(count)]
        pending["articles"].append(
            {
                "id": article_id,
                "source_id": source_ids[outlet_zipf.draw()[0]],
                "url": f"https://synthetic.example/{seed}/{article_id}",
                "title": sentence(4, 9).capitalize(),
                "published_date": day,
                "text": "\n\n".join(texts),
                "content_hash": f"synth-{seed}-{article_id}",
            }
        )
        offset = 0
        for statement_text in texts:
            speaker = actor_ids[actor_zipf.draw()[0]]
            pending["statements"].append(
                {
                    "id": statement_id,
                    "article_id": article_id,
                    "speaker_id": speaker,
                    "kind": rng.choice(KINDS),
                    "text": statement_text,
                    "content_start": offset,
                    "content_end": offset + len(statement_text),
                    "quotes": [],
                    "cue_text": "said",
                    "speaker_text": actor_names[speaker],
                    "confidence": round(rng.uniform(0.5, 1.0), 2),
                    "statement_date": day,
                }
            )
            if rng.random() < 0.1:
                agency = source_ids[OUTLETS + rng.randrange(AGENCIES)]
                pending["credits"].append({"statement_id": statement_id, "source_id": agency})
            if claim_left == 0:
                claim_left = rng.randint(2, 20) if rng.random() < 0.6 else 1
                pending["claims"].append(
                    {"id": claim_id, "text": statement_text, "speaker_id": speaker}
                )
                claim_id += 1
            pending["links"].append({"claim_id": claim_id - 1, "statement_id": statement_id})
            claim_left -= 1
            offset += len(statement_text) + 2
            statement_id += 1
        written += count
        if len(pending["statements"]) >= batch or last:
            _flush(engine, pending)
            if on_progress is not None:
                on_progress(written)
    _reset_sequences(engine, list(tables.values()))
    _analyze(engine)
    return SynthReport(
        statements=written,
        articles=n_articles,
        actors=n_actors,
        claims=claim_id - first["claims"],
    )


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics: a bulk load leaves none (PostgreSQL's autovacuum would
    gather them minutes later), and without them a search for a common word is planned
    as a scan of every match instead of a walk down the primary key. On PostgreSQL a
    vacuum too: until one sets the visibility map, an index-only scan (an actor's
    statements by ``ix_statements_speaker_id_id``) still visits the table for each row."""
    command = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(command)


def _flush(engine: Engine, pending: dict[str, list[dict[str, object]]]) -> None:
    """One transaction per batch, parents before children."""
    order = (
        ("articles", "articles"),
        ("statements", "statements"),
        ("claims", "claims"),
        ("links", "claim_statements"),
        ("credits", "statement_credits"),
    )
    with engine.begin() as conn:
        for name, table in order:
            if pending[name]:
                conn.execute(insert(Base.metadata.tables[table]), pending[name])
                pending[name].clear()
