"""Extraction overhead against bare spaCy, measured side by side in one run.

    python benchmarks/extraction_speed.py [--texts DIR] [--repeat 3] [--batch-size 32]

Texts: every ``*.txt`` under ``--texts`` (default: the PolNeAR dev articles read in place
from ../shared/corpora, else the seed articles). Each round runs, on the same texts,
(1) the bare English pipeline's ``nlp.pipe`` and (2) the product's pipeline with the
statement components plus speaker resolution; rounds alternate the order so neither
side always runs on a warm cache. Reports words per second (whitespace words of the
input) as the median over rounds, and the extraction overhead in per cent of the bare
time. Cleaning and database writes are not part of this figure (see the ingestion
benchmark of the performance work).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from api.pipeline.nlp import load_pipeline, model_package
from api.pipeline.resolve import resolve_speakers

REPO = Path(__file__).resolve().parents[1]
POLNEAR_DEV = REPO.parent / "shared" / "corpora" / "polnear" / "dev" / "text"


def load_texts(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]


def timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    folder = args.texts or (POLNEAR_DEV if POLNEAR_DEV.is_dir() else REPO / "seeds")
    texts = load_texts(folder)
    words = sum(len(t.split()) for t in texts)

    bare = spacy.load(model_package())
    full = load_pipeline()

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size):
            pass

    def run_full() -> None:
        for doc in full.pipe(texts, batch_size=args.batch_size):
            resolve_speakers(doc, doc._.statements)

    run_bare()  # warm both pipelines once before measuring
    run_full()
    bare_times: list[float] = []
    full_times: list[float] = []
    for round_ in range(args.repeat):
        order = [(run_bare, bare_times), (run_full, full_times)]
        for run, times in order if round_ % 2 == 0 else reversed(order):
            times.append(timed(run))

    bare_wps = words / statistics.median(bare_times)
    full_wps = words / statistics.median(full_times)
    overhead = (statistics.median(full_times) / statistics.median(bare_times) - 1) * 100
    result = {
        "texts": len(texts),
        "words": words,
        "source": str(folder),
        "model": model_package(),
        "repeat": args.repeat,
        "bare_words_per_second": round(bare_wps),
        "pipeline_words_per_second": round(full_wps),
        "extraction_overhead_percent": round(overhead, 1),
    }
    print(f"texts {len(texts)}, words {words}, model {model_package()}, rounds {args.repeat}")
    print(f"bare nlp.pipe        {bare_wps:10.0f} words/s")
    print(f"pipeline + extract   {full_wps:10.0f} words/s")
    print(f"extraction overhead  {overhead:9.1f} %")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
