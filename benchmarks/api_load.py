"""API load against the framework ceiling, per corpus size and database, in one run.

    python benchmarks/api_load.py [--database sqlite postgresql] [--sizes 10000 100000]
        [--connections 64] [--duration 10] [--warmup 3] [--serving uvicorn:1 [granian:1 ...]]
        [--no-search-index] [--endpoints statement provenance ...] [--json PATH]
    python benchmarks/api_load.py --filled URL[=INDEX_DIR] ... [same options]

For each database and corpus size: a scratch database is migrated and filled with
``statements synth`` (Zipf vocabulary, seed 7), the API is served (by the first
``--serving`` choice, default uvicorn with one worker; rate limit off, log level
warning, loopback) next to the bare Litestar app of benchmarks/ceiling_app.py under the
same server settings, and wrk (Debian package ``wrk``) drives each endpoint for
``--duration`` seconds at ``--connections`` connections: requests per second, p50 and
p99 latency, non-2xx count, and the ratio of requests per second to the ceiling's,
measured in the same run. Also reported: search latency at one connection (what one
search costs, without the queue of 63 others), and the API's resident memory after the
load. Searches are ranked by the tantivy index (``statements index``, built after the
fill) unless ``--no-search-index``; the one-connection search is then measured again
on a server without it, ranked by the database's own full-text index. With several
``--serving`` choices, each is compared on the ceiling and three endpoints (the figures
that choose the production server and worker count).

With ``--filled``, databases already filled by ``statements synth`` (and indexed by
``statements index`` into INDEX_DIR) are measured instead: a 1M-statement database takes
minutes to fill and render, and one fill can serve many runs.

Endpoints: GET /v1/statements/{id} with uniformly random ids (almost every request a
response-cache miss) and with Zipf-popular ids (``statement_hot``, as readers ask),
GET /v1/statements?q= (1-3 terms drawn by Zipf from the corpus vocabulary),
GET /v1/actors/{id}/statements (actor ids drawn by the same Zipf law as the speakers),
GET /v1/claims/{id}/provenance (random claims, and Zipf-popular ones).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from scratch import scratch_database  # benchmarks/scratch.py, beside this script
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from api.cli.commands import render_documents
from api.services.text_index_sync import sync_text_index
from api.storage import migrate
from api.storage.engine import make_engine
from api.storage.models import ActorRow, ClaimRow, StatementRow
from api.storage.synthetic import VOCABULARY, Zipf, fill, vocabulary

REPO = Path(__file__).resolve().parents[1]
SCRATCH = "statements_bench_load"
SEED = 7
API_PORT, CEILING_PORT = 18080, 18081
ENDPOINTS = (
    "statement",
    "statement_hot",
    "search",
    "actor_statements",
    "provenance",
    "provenance_hot",
)
WRK_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT {\\"requests\\": %d, \\"seconds\\": %f, \\"p50_ms\\": %f, \\"p99_ms\\": %f, "
    .. "\\"non_2xx\\": %d, \\"errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def server_command(server: str, target: str, port: int, workers: int) -> list[str]:
    factory = target.endswith("app_from_env")
    if server == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1"]
        command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
        return [*command, *(["--factory"] if factory else []), target]
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    return [*command, *(["--factory"] if factory else [])]


@contextmanager
def serve(
    target: str, port: int, env: dict[str, str], server: str = "uvicorn", workers: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    command = server_command(server, target, port, workers)
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env})
    try:
        for _ in range(300):
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def rss_mb(pid: int) -> dict[str, float]:
    """Resident memory of the server's largest process (the worker, under a parent): in
    all (VmRSS), its own (anonymous) and file pages mapped into it (the search index's
    files, the libraries), which are the kernel's page cache."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    sizes = []
    for each in pids:
        status = Path(f"/proc/{each}/status").read_text()
        fields = {}
        for name in ("VmRSS", "RssAnon", "RssFile"):
            match = re.search(rf"{name}:\s+(\d+) kB", status)
            fields[name] = round(int(match.group(1)) / 1024, 1) if match else 0.0
        sizes.append(fields)
    largest = max(sizes, key=lambda fields: fields["VmRSS"])
    return {"rss": largest["VmRSS"], "anon": largest["RssAnon"], "file": largest["RssFile"]}


def wrk(url_base: str, paths: list[str], connections: int, duration: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        script, listing = Path(folder) / "paths.lua", Path(folder) / "paths.txt"
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        out = subprocess.run(
            [
                *("wrk", "-t", str(min(2, connections)), "-c", str(connections)),
                *("-d", f"{duration}s"),
                *("--timeout", "5s", "-s", str(script), url_base),
            ],
            env={**os.environ, "PATHS_FILE": str(listing)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    line = next(row for row in out.splitlines() if row.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def request_paths(url: str, size: int, rng: random.Random) -> dict[str, list[str]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        max_statement = conn.scalar(select(func.max(StatementRow.id))) or 1
        first_actor = conn.scalar(select(func.min(ActorRow.id))) or 1
        actors = conn.scalar(select(func.count()).select_from(ActorRow)) or 1
        max_claim = conn.scalar(select(func.max(ClaimRow.id))) or 1
    engine.dispose()
    words = vocabulary(VOCABULARY, random.Random(SEED))
    word_zipf, actor_zipf = Zipf(len(words), rng), Zipf(actors, rng)
    # Enough distinct uniform ids that the response cache (8 MB by default) cannot hold
    # them all after the warm-up: a uniform read is then a miss, as on a large archive.
    n = 50_000
    # Readers do not ask for statements uniformly: a few stories are most of the traffic.
    # "_hot" draws ids by a Zipf law (rank 1 the newest), the others uniformly.
    popular = Zipf(max_statement, rng)
    claim_popular = Zipf(max_claim, rng)
    return {
        "statement": [f"/v1/statements/{rng.randint(1, max_statement)}" for _ in range(n)],
        "statement_hot": [f"/v1/statements/{max_statement - popular.draw()[0]}" for _ in range(n)],
        "search": [
            "/v1/statements?q=" + "+".join(words[r] for r in word_zipf.draw(rng.randint(1, 3)))
            for _ in range(n)
        ],
        "actor_statements": [
            f"/v1/actors/{first_actor + actor_zipf.draw()[0]}/statements" for _ in range(n)
        ],
        "provenance": [f"/v1/claims/{rng.randint(1, max_claim)}/provenance" for _ in range(n)],
        "provenance_hot": [
            f"/v1/claims/{max_claim - claim_popular.draw()[0]}/provenance" for _ in range(n)
        ],
    }


def measure(backend: str, size: int, args: argparse.Namespace) -> dict[str, object]:
    """A scratch database filled with ``size`` statements, then measured."""
    with scratch_database(backend, SCRATCH) as url, tempfile.TemporaryDirectory() as folder:
        migrate.upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        fill(engine, size, seed=SEED)
        fill_seconds = round(time.perf_counter() - started, 1)
        engine.dispose()
        # As `statements synth` does: every statement's JSON encoded once and stored.
        started = time.perf_counter()
        render_documents(url)
        render_seconds = round(time.perf_counter() - started, 1)
        index: Path | None = None
        index_seconds = None
        if args.search_index:
            # As `statements index` does; the API then ranks searches with it.
            engine = make_engine(url)
            started = time.perf_counter()
            index = Path(folder) / "index"
            sync_text_index(engine, index)
            index_seconds = round(time.perf_counter() - started, 1)
            engine.dispose()
        results = measure_filled(backend, size, url, index, args)
        results.update(fill_seconds=fill_seconds, render_seconds=render_seconds)
        if index_seconds is not None:
            results["index_seconds"] = index_seconds
        return results


def measure_filled(
    backend: str, size: int, url: str, index: Path | None, args: argparse.Namespace
) -> dict[str, object]:
    """The ceiling and the endpoints on a database already filled (and indexed when
    ``index`` is given)."""
    rng = random.Random(size)
    paths = request_paths(url, size, rng)
    paths = {name: listed for name, listed in paths.items() if name in args.endpoints}
    env = {
        "STATEMENTS_DATABASE_URL": url,
        "STATEMENTS_RATE_LIMIT_PER_MINUTE": "0",
        "STATEMENTS_LOG_LEVEL": "warning",
    }
    results: dict[str, object] = {"database": backend, "statements": size}
    database_env = dict(env)
    if index is not None:
        env["STATEMENTS_SEARCH_INDEX_PATH"] = str(index)
    server, workers = args.serving[0]
    results["server"] = f"{server}, {workers} worker(s)"
    # The ceiling before and after the product's endpoints: on a shared machine the
    # load of other work drifts, and the mean of both brackets the product's run.
    before = ceiling_run(server, workers, args)
    api_base = f"http://127.0.0.1:{API_PORT}"
    endpoints: dict[str, dict[str, float]] = {}
    with serve("api.http.app:app_from_env", API_PORT, env, server, workers) as api:
        for name, endpoint_paths in paths.items():
            # Steady state, as a server that has been up a while: the first request
            # for each path renders it, the next ones may be served from memory.
            wrk(api_base, endpoint_paths, args.connections, args.warmup)
            endpoints[name] = wrk(api_base, endpoint_paths, args.connections, args.duration)
            print(f"{backend} {size}: {name} {endpoints[name]}", file=sys.stderr)
        if "search" in paths:
            # The latency of one search on its own: at 64 connections a request mostly
            # waits for the 63 ahead of it, so that p99 measures the queue, not the
            # search. Unmeasured first: the server is still working off the requests
            # the last run left queued, and the first searches would wait on them.
            wrk(api_base, paths["search"], 1, args.warmup)
            single = wrk(api_base, paths["search"], 1, args.duration)
            results["search_one_connection"] = single
            print(f"{backend} {size}: search, one connection {single}", file=sys.stderr)
        memory = rss_mb(api.pid)
        results["api_rss_mb"] = memory["rss"]
        results["api_rss_anon_mb"], results["api_rss_file_mb"] = memory["anon"], memory["file"]
    if index is not None and "search" in paths:
        # The same searches ranked by the database's own index, side by side.
        with serve("api.http.app:app_from_env", API_PORT, database_env, server, workers):
            wrk(api_base, paths["search"], 1, args.warmup)
            database = wrk(api_base, paths["search"], 1, args.duration)
            results["search_one_connection_database_index"] = database
            print(
                f"{backend} {size}: search by the database, one connection {database}",
                file=sys.stderr,
            )
    after = ceiling_run(server, workers, args)
    ceiling = {"rps": round((before["rps"] + after["rps"]) / 2, 1)}
    results["ceiling"] = {**ceiling, "before_rps": before["rps"], "after_rps": after["rps"]}
    for name, result in endpoints.items():
        result["ratio_to_ceiling"] = round(result["rps"] / ceiling["rps"], 3)
        results[name] = result
    if len(args.serving) > 1 and size == args.compare_at:
        results["serving"] = compare_serving(env, paths, args)
    return results


def filled_database(text: str) -> tuple[str, Path | None]:
    url, _, index = text.partition("=")
    return url, Path(index) if index else None


def statement_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(StatementRow)) or 0)
    finally:
        engine.dispose()


def ceiling_run(server: str, workers: int, args: argparse.Namespace) -> dict[str, float]:
    with serve("benchmarks.ceiling_app:app", CEILING_PORT, {}, server, workers):
        base = f"http://127.0.0.1:{CEILING_PORT}"
        return wrk(base, ["/hello"], args.connections, args.duration)


def compare_serving(
    env: dict[str, str], paths: dict[str, list[str]], args: argparse.Namespace
) -> dict[str, object]:
    """Ceiling and two product endpoints under each server and worker count asked for."""
    compared: dict[str, object] = {}
    for server, workers in args.serving:
        with serve("benchmarks.ceiling_app:app", CEILING_PORT, {}, server, workers):
            ceiling = wrk(f"http://127.0.0.1:{CEILING_PORT}", ["/hello"], args.connections,
                          args.duration)  # fmt: skip
        row: dict[str, object] = {"ceiling_rps": ceiling["rps"]}
        with serve("api.http.app:app_from_env", API_PORT, env, server, workers):
            for name in ("statement_hot", "search", "provenance"):
                result = wrk(f"http://127.0.0.1:{API_PORT}", paths[name], args.connections,
                             args.duration)  # fmt: skip
                row[name] = {key: result[key] for key in ("rps", "p50_ms", "p99_ms")}
        compared[f"{server}:{workers}"] = row
        print(f"serving {server}:{workers} {row}", file=sys.stderr)
    return compared


def serving_option(text: str) -> tuple[str, int]:
    server, _, workers = text.partition(":")
    if server not in ("uvicorn", "granian") or not workers.isdigit():
        raise argparse.ArgumentTypeError("SERVER:WORKERS, e.g. uvicorn:1 or granian:2")
    return server, int(workers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--compare-at", type=int, default=100_000, help="corpus size of the server comparison"
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds per endpoint, unmeasured")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--search-index",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="serve searches from the tantivy index (and measure the database's beside it)",
    )
    parser.add_argument(
        "--serving",
        type=serving_option,
        nargs="+",
        default=[("uvicorn", 1)],
        help="SERVER:WORKERS; the first serves every endpoint, each is compared when several",
    )
    parser.add_argument(
        "--filled",
        type=filled_database,
        nargs="+",
        default=[],
        metavar="URL[=INDEX]",
        help="measure these databases, already filled (statements synth) and indexed in "
        "INDEX (statements index), instead of scratch ones (--database, --sizes ignored)",
    )
    parser.add_argument(
        "--endpoints",
        nargs="+",
        choices=ENDPOINTS,
        default=list(ENDPOINTS),
        help="measure only these endpoints (default: all)",
    )
    args = parser.parse_args()
    if args.filled:
        runs = [
            measure_filled(make_url(url).get_backend_name(), statement_count(url), url, index, args)
            for url, index in args.filled
        ]
    else:
        runs = [measure(db, size, args) for db in args.database for size in args.sizes]
    report = {"cpus": os.cpu_count(), "connections": args.connections, "runs": runs}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
