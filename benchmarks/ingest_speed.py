"""Whole ingestion against bare spaCy, with 1 and 2 processes, side by side in one run.

    python benchmarks/ingest_speed.py [--texts DIR] [--repeat 3] [--articles N]
        [--database sqlite postgresql] [--json PATH]

Texts: every ``*.txt`` under ``--texts`` (default: the PolNeAR dev articles read in place
from ../shared/corpora, never copied; else the seed articles). Each round runs, on the
same texts:

- ``bare``: ``nlp.pipe`` of the English model loaded as api/pipeline/nlp.py loads it,
  without the product's components, at the batch size ``statements ingest`` uses;
- ``ingest``: what ``statements ingest FILE...`` runs (api/pipeline/run.py:
  ``ingest_paths``: read, clean, place, spaCy with the statement components, resolve,
  date, write one transaction per article) into a fresh, migrated scratch database
  (benchmarks/scratch.py), SQLite and PostgreSQL.

Each is run with 1 and with 2 OS processes; with 2, each process takes half of the
texts (split to balance words), which is how the product runs in parallel: two ingest
jobs (or two ``statements worker``) on one database. The bare side gets the same two
processes rather than ``nlp.pipe(n_process=2)``, whose pickling of Docs back to the
parent would handicap it. Every process loads its pipeline before the clock starts (a
long-running worker loads it once), then all start together; the time is from the start
signal to the last process done. Rounds alternate their order so neither side always
runs on a warm cache; figures are medians over rounds. Words are whitespace words of
the input files. Peak memory is each process's own ``ru_maxrss``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POLNEAR_DEV = REPO.parent / "shared" / "corpora" / "polnear" / "dev" / "text"
SCRATCH = "statements_bench_ingest"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(mode: str, files: list[Path], url: str | None, batch_size: int) -> None:
    """One measured process: load, say ready, wait for the start line, run, report."""
    texts = [f.read_text(encoding="utf-8") for f in files]
    outcome: dict[str, object] = {}
    if mode == "bare":
        import spacy

        from api.pipeline.nlp import model_package

        nlp = spacy.load(model_package())
        run = lambda: sum(1 for _ in nlp.pipe(texts, batch_size=batch_size))  # noqa: E731
    else:
        from sqlalchemy.orm import Session

        from api.logs import configure_logging
        from api.pipeline.nlp import load_pipeline
        from api.pipeline.run import ingest_paths
        from api.storage.engine import make_engine

        assert url is not None
        configure_logging("warning")
        load_pipeline()  # cached: ingest_paths finds it loaded, as a warm worker would
        engine = make_engine(url)

        def run() -> int:
            with Session(engine, expire_on_commit=False) as session:
                report = ingest_paths(session, list(files), batch_size=batch_size, progress=False)
            outcome.update(failed=report.failed, statements=report.statements)
            return report.ingested

    print("READY", flush=True)
    sys.stdin.readline()
    started = time.perf_counter()
    try:
        done = run()
    except Exception as exc:  # reported, and the round not counted (see run_processes)
        outcome.update(error=f"{type(exc).__name__}: {exc}"[:300], failed=len(files))
        done = 0
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "texts": done, "rss_mb": peak_rss_mb(), **outcome}
    print("RESULT " + json.dumps(result), flush=True)


def split(files: list[Path], parts: int) -> list[list[Path]]:
    """``parts`` shares of about the same number of words (largest first, to the lightest)."""
    shares: list[list[Path]] = [[] for _ in range(parts)]
    weights = [0] * parts
    for file in sorted(files, key=lambda f: -len(f.read_text(encoding="utf-8").split())):
        lightest = weights.index(min(weights))
        shares[lightest].append(file)
        weights[lightest] += len(file.read_text(encoding="utf-8").split())
    return [sorted(share) for share in shares]


def run_processes(mode: str, shares: list[list[Path]], url: str | None, batch: int) -> dict:
    """Start one child per share, wait until all are loaded, start them together, time it."""
    processes = []
    with tempfile.TemporaryDirectory() as folder:
        for number, share in enumerate(shares):
            listing = Path(folder) / f"files{number}.txt"
            listing.write_text("\n".join(str(f) for f in share))
            command = [sys.executable, __file__, "--child", mode, "--files", str(listing)]
            command += ["--batch-size", str(batch)] + (["--url", url] if url else [])
            processes.append(
                subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
                )
            )
        for process in processes:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "READY":
                raise RuntimeError(f"{mode} child failed to start")
        started = time.perf_counter()
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = []
        for process in processes:
            out, _ = process.communicate()
            results.append(json.loads(out.split("RESULT ", 1)[1]))
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rss_mb": max(r["rss_mb"] for r in results),
        "failed": sum(r.get("failed", 0) for r in results),
        "statements": sum(r.get("statements", 0) for r in results),
        "errors": [r["error"] for r in results if "error" in r],
    }


def measure(name: str, shares: list[list[Path]], batch: int) -> dict:
    if name == "bare":
        return run_processes("bare", shares, None, batch)
    from scratch import scratch_database  # benchmarks/scratch.py, beside this script

    from api.storage import migrate

    with scratch_database(name, SCRATCH) as url:
        migrate.upgrade(url)
        return run_processes("ingest", shares, url, batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=None)
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--child", choices=["bare", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()
    if args.child:
        files = [Path(line) for line in args.files.read_text().splitlines()]
        child(args.child, files, args.url, args.batch_size)
        return

    from api.pipeline.nlp import model_package
    from api.settings import Settings

    batch = args.batch_size or Settings().spacy_batch_size  # what `statements ingest` uses
    folder = args.texts or (POLNEAR_DEV if POLNEAR_DEV.is_dir() else REPO / "seeds")
    files = sorted(folder.rglob("*.txt"))[: args.articles]
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    print(f"{len(files)} texts, {words} words, {os.cpu_count()} CPUs", file=sys.stderr)
    configs = [(name, n) for name in ["bare", *args.database] for n in args.processes]
    samples: dict[tuple[str, int], list[dict]] = {config: [] for config in configs}
    for round_ in range(args.repeat):
        for name, n in configs if round_ % 2 == 0 else reversed(configs):
            sample = measure(name, split(files, n), batch)
            samples[(name, n)].append(sample)
            note = f" CRASHED: {sample['errors']}" if sample["errors"] else ""
            print(f"round {round_ + 1}: {name} x{n}: {sample['seconds']:.2f} s{note}",
                  file=sys.stderr)  # fmt: skip

    rows = []
    for name, n in configs:
        runs = samples[(name, n)]
        # A round whose process crashed stopped early: its time says nothing of speed.
        timed = [r["seconds"] for r in runs if not r["errors"]] or [float("nan")]
        seconds = statistics.median(timed)
        rows.append(
            {
                "pipeline": "bare nlp.pipe" if name == "bare" else f"ingest {name}",
                "processes": n,
                "seconds": round(seconds, 2),
                "words_per_second": round(words / seconds) if seconds == seconds else 0,
                "peak_rss_mb": round(max(r["rss_mb"] for r in runs), 1),
                "statements": runs[-1]["statements"],
                "failed": max(r["failed"] for r in runs),
                "crashed_rounds": sum(bool(r["errors"]) for r in runs),
            }
        )
    wps = {(r["pipeline"], r["processes"]): r["words_per_second"] for r in rows}
    for row in rows:
        key = (row["pipeline"], row["processes"])
        row["ratio_to_bare"] = round(wps[key] / max(wps[("bare nlp.pipe", key[1])], 1), 3)
        row["speedup"] = round(wps[key] / max(wps[(key[0], args.processes[0])], 1), 2)

    header = f"{'pipeline':<18}{'procs':>6}{'words/s':>10}{'/bare':>8}{'speedup':>9}{'RSS MB':>9}"
    print(header + f"{'stmts':>7}{'failed':>7}{'crashed':>8}")
    for r in rows:
        print(
            f"{r['pipeline']:<18}{r['processes']:>6}{r['words_per_second']:>10}"
            f"{r['ratio_to_bare']:>8.3f}{r['speedup']:>9.2f}{r['peak_rss_mb']:>9.1f}"
            f"{r['statements']:>7}{r['failed']:>7}{r['crashed_rounds']:>8}"
        )
    report = {
        "texts": len(files),
        "words": words,
        "source": str(folder),
        "model": model_package(),
        "batch_size": batch,
        "cpus": os.cpu_count(),
        "rounds": args.repeat,
        "results": rows,
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
