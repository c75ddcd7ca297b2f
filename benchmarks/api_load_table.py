"""The API load report (benchmarks/api_load.py --json) as Markdown tables.

    python benchmarks/api_load_table.py REPORT.json

One row per database and corpus size: each endpoint's requests per second with its
ratio to the framework ceiling measured in the same run, p50/p99 latency at the load's
connections, search latency at one connection (with the tantivy index, and ranked by
the database's index alone when the run measured both), and the API's resident memory. Then,
when the run compared servers, one row per server and worker count.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ENDPOINTS = (
    ("statement_hot", "`/statements/{id}` popular"),
    ("statement", "`/statements/{id}` uniform"),
    ("search", "search"),
    ("actor_statements", "actor's statements"),
    ("provenance_hot", "provenance popular"),
    ("provenance", "provenance uniform"),
)


def cell(result: dict[str, Any]) -> str:
    ratio = result.get("ratio_to_ceiling")
    share = f" ({ratio:.2f})" if ratio is not None else ""
    return f"{result['rps']:,.0f}/s{share}<br>{result['p50_ms']:.0f} / {result['p99_ms']:.0f} ms"


def size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 else f"{n // 1000}k"


def load_table(runs: list[dict[str, Any]]) -> list[str]:
    header = ["Database, size", "Ceiling", *(label for _, label in ENDPOINTS)]
    header += ["Search, 1 connection p50 / p99", "Same, database index only", "API RSS"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for run in runs:
        single = run["search_one_connection"]
        row = [f"{run['database']} {size(run['statements'])}", f"{run['ceiling']['rps']:,.0f}/s"]
        row += [cell(run[key]) for key, _ in ENDPOINTS]
        database = run.get("search_one_connection_database_index")
        row += [
            f"{single['p50_ms']:.1f} / {single['p99_ms']:.1f} ms",
            f"{database['p50_ms']:.1f} / {database['p99_ms']:.1f} ms" if database else "-",
            f"{run['api_rss_mb']} MB"
            + (
                f" ({run['api_rss_anon_mb']} own + {run['api_rss_file_mb']} mapped)"
                if "api_rss_anon_mb" in run
                else ""
            ),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def serving_table(runs: list[dict[str, Any]]) -> list[str]:
    lines = []
    for run in runs:
        compared = run.get("serving")
        if not compared:
            continue
        lines += ["", f"Servers, {run['database']} {size(run['statements'])}:", ""]
        lines += ["| Server:workers | Ceiling | Popular statement | Search | Provenance |"]
        lines += ["|---|---|---|---|---|"]
        for name, row in compared.items():
            cells = [
                f"{row[key]['rps']:,.0f}/s ({row[key]['rps'] / row['ceiling_rps']:.2f})"
                for key in ("statement_hot", "search", "provenance")
            ]
            lines.append(f"| {name} | {row['ceiling_rps']:,.0f}/s | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    report = json.loads(parser.parse_args().report.read_text())
    runs = report["runs"]
    print(f"{report['cpus']} CPUs, {report['connections']} connections, {runs[0]['server']}.")
    print()
    print("\n".join(load_table(runs) + serving_table(runs)))


if __name__ == "__main__":
    main()
