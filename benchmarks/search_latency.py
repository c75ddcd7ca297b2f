"""Search latency at one connection on databases already filled, with and without the index.

    python benchmarks/search_latency.py URL[=INDEX_FOLDER] ... [--duration 10] [--warmup 3]
        [--json PATH]

For each database (filled with ``statements synth``; an ``=FOLDER`` suffix names its
tantivy index, built with ``statements index``): the API is served by granian with one
worker, and wrk sends the searches of benchmarks/api_load.py (1-3 words drawn by Zipf
from the vocabulary) one at a time, first ranked by the index, then by a server without
it (the database's own full-text index). The same as api_load.py's one-connection
search, without filling a scratch database for every run: a quiet machine can then be
given to the measurement alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from api_load import API_PORT, request_paths, serve, statement_count, wrk  # beside this script


def measure(url: str, folder: str | None, args: argparse.Namespace) -> dict[str, object]:
    size = statement_count(url)
    paths = request_paths(url, size, random.Random(size))["search"]
    env = {
        "STATEMENTS_DATABASE_URL": url,
        "STATEMENTS_RATE_LIMIT_PER_MINUTE": "0",
        "STATEMENTS_LOG_LEVEL": "warning",
    }
    result: dict[str, object] = {"database": url.split(":", 1)[0], "statements": size}
    base = f"http://127.0.0.1:{API_PORT}"
    ranked_by = (("text_index", {"STATEMENTS_SEARCH_INDEX_PATH": folder}), ("database_index", {}))
    for name, extra in ranked_by:
        if name == "text_index" and folder is None:
            continue
        with serve("api.http.app:app_from_env", API_PORT, {**env, **extra}, "granian", 1):
            wrk(base, paths, 1, args.warmup)
            result[name] = wrk(base, paths, 1, args.duration)
        print(f"{url} ({size}): {name} {result[name]}", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", help="URL, or URL=INDEX_FOLDER")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    runs = []
    for spec in args.databases:
        url, _, folder = spec.partition("=")
        runs.append(measure(url, folder or None, args))
    report = json.dumps({"runs": runs}, indent=2)
    if args.json:
        args.json.write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
