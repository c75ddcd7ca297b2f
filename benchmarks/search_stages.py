"""Where a search's time goes, in process: ranking and snippets, per query.

    python benchmarks/search_stages.py DATABASE_URL [--index FOLDER] [--queries 1000]

Runs the statement service's relevance search (no HTTP) for queries of 1-3 words drawn
by Zipf from the synthetic vocabulary (as benchmarks/api_load.py draws them), one after
another, and prints the p50/p90/p99 of the whole page and of its two costly stages:
ranking (``ranked_hits``) and snippets (the engine's ``page_snippets``, or the text's
``text_snippets`` on pages the index ranked), then the slowest queries.
With ``--index``, searches are ranked by the tantivy index in that folder (built with
``statements index``); without, by the database's own full-text index. Fill the
database first with ``statements synth``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker

from api.services import statements as statement_service
from api.services.filters import StatementFilters
from api.services.paging import Window
from api.services.statements import StatementService, StatementSort
from api.settings import Settings
from api.storage.engine import make_async_engine
from api.storage.synthetic import VOCABULARY, Zipf, vocabulary
from api.storage.text_index import TextIndexHandle

SEED = 7  # the vocabulary `statements synth` uses by default
PAGE = Settings().default_page_size  # as GET /v1/statements?q= without a limit


def percentiles(samples: list[float]) -> str:
    if not samples:
        return "-"
    ordered = sorted(samples)
    n = len(ordered)
    pick = [ordered[min(int(n * share), n - 1)] * 1000 for share in (0.5, 0.9, 0.99)]
    return "p50 {:.1f} / p90 {:.1f} / p99 {:.1f} ms".format(*pick)


def timed(
    stage: Callable[..., Awaitable[Any]], samples: list[float]
) -> Callable[..., Awaitable[Any]]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await stage(*args, **kwargs)
        finally:
            samples.append(time.perf_counter() - started)

    return wrapper


def timed_sync(stage: Callable[..., Any], samples: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return stage(*args, **kwargs)
        finally:
            samples.append(time.perf_counter() - started)

    return wrapper


async def run(url: str, folder: Path | None, count: int) -> None:
    rng = random.Random(1)
    words = vocabulary(VOCABULARY, random.Random(SEED))
    zipf = Zipf(len(words), rng)
    queries = [" ".join(words[r] for r in zipf.draw(rng.randint(1, 3))) for _ in range(count)]
    ranking: list[float] = []
    snippets: list[float] = []
    statement_service.ranked_hits = timed(statement_service.ranked_hits, ranking)
    statement_service.page_snippets = timed(statement_service.page_snippets, snippets)
    statement_service.text_snippets = timed_sync(statement_service.text_snippets, snippets)
    handle = TextIndexHandle(folder) if folder is not None else None
    engine = make_async_engine(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    pages: list[tuple[float, str]] = []
    try:
        for q in queries:
            async with sessions() as session:
                started = time.perf_counter()
                await StatementService(session, handle).page(
                    StatementFilters(q=q), Window(limit=PAGE), StatementSort.RELEVANCE
                )
                pages.append((time.perf_counter() - started, q))
    finally:
        await engine.dispose()
    print(f"{count} searches, ranked by {'the text index' if folder else 'the database'}")
    print(f"page:     {percentiles([seconds for seconds, _ in pages])}")
    print(f"ranking:  {percentiles(ranking)}")
    print(f"snippets: {percentiles(snippets)}")
    print("slowest:")
    for seconds, q in sorted(pages, reverse=True)[:10]:
        print(f"  {seconds * 1000:6.1f} ms  {q}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--index", type=Path, default=None, help="tantivy index folder")
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    asyncio.run(run(args.database_url, args.index, args.queries))


if __name__ == "__main__":
    main()
