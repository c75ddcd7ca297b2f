"""Articles per minute through the database queue, with one and with two workers.

    python benchmarks/worker_throughput.py [--database postgresql] [--workers 1 2]
        [--articles 84] [--texts DIR]

For each worker count, in the same run: a fresh scratch database (PostgreSQL database
``statements_bench_workers`` on the local server, or a SQLite file) is migrated, the
workers are started (``statements worker``) and given time to load spaCy, then every
article is queued in one transaction, as a burst of ``POST /v1/articles`` would queue
them. The figure is articles per minute from the first job taken to the last job done,
read from the jobs' own timestamps, so worker start-up is not counted.

Texts: every ``*.txt`` under ``--texts`` (default: the PolNeAR dev articles read in place
from ../shared/corpora, never copied; else the seed articles).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from scratch import scratch_database  # benchmarks/scratch.py, beside this script
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import IngestJobRow, StatementRow

REPO = Path(__file__).resolve().parents[1]
POLNEAR_DEV = REPO.parent / "shared" / "corpora" / "polnear" / "dev" / "text"
SCRATCH = "statements_bench_workers"


def start_workers(url: str, count: int) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "STATEMENTS_DATABASE_URL": url, "STATEMENTS_LOG_LEVEL": "info"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "api.cli", "worker", "--poll", "0.05"],
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(count)
    ]
    for worker in workers:  # "worker.started" is logged once spaCy is loaded
        assert worker.stderr is not None
        for line in worker.stderr:
            if "worker.started" in line:
                break
        # Keep reading the log so a full pipe never blocks the worker.
        threading.Thread(target=worker.stderr.read, daemon=True).start()
    return workers


def measure(backend: str, texts: list[str], workers: int) -> dict[str, float]:
    with scratch_database(backend, SCRATCH) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        processes = start_workers(url, workers)
        try:
            with Session(engine) as session:
                session.add_all(IngestJobRow(payload={"text": t}) for t in texts)
                session.commit()
                while session.scalar(
                    select(func.count())
                    .select_from(IngestJobRow)
                    .where(IngestJobRow.status.in_(["queued", "running"]))
                ):
                    session.rollback()
                    time.sleep(0.2)
                first, last = session.execute(
                    select(func.min(IngestJobRow.started_at), func.max(IngestJobRow.finished_at))
                ).one()
                failed = session.scalar(
                    select(func.count())
                    .select_from(IngestJobRow)
                    .where(IngestJobRow.status == "failed")
                )
                statements = session.scalar(select(func.count()).select_from(StatementRow))
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=60)
            engine.dispose()
    seconds = (last - first).total_seconds()
    words = sum(len(t.split()) for t in texts)
    return {
        "workers": workers,
        "articles": len(texts),
        "failed": int(failed or 0),
        "statements": int(statements or 0),
        "seconds": round(seconds, 2),
        "articles_per_minute": round(len(texts) / seconds * 60, 1),
        "words_per_second": round(words / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--texts", type=Path, default=None)
    args = parser.parse_args()
    folder = args.texts or (POLNEAR_DEV if POLNEAR_DEV.is_dir() else REPO / "seeds")
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
    texts = texts[: args.articles] if args.articles else texts
    print(f"{len(texts)} articles from {folder}, {os.cpu_count()} CPUs", file=sys.stderr)
    results = [measure(args.database, texts, count) for count in args.workers]
    base = results[0]["articles_per_minute"]
    for result in results:
        result["speedup"] = round(result["articles_per_minute"] / base, 2)
        print(
            f"{args.database}: {result['workers']} worker(s): "
            f"{result['articles_per_minute']} articles/min "
            f"({result['words_per_second']} words/s, x{result['speedup']}), "
            f"{result['failed']} failed",
            file=sys.stderr,
        )
    print(json.dumps({"database": args.database, "results": results}, indent=2))


if __name__ == "__main__":
    main()
