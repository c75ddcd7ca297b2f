"""Schemathesis against the running app's own OpenAPI document, and what it found.

``run_schemathesis`` runs the ``schemathesis`` command (all its phases: the spec's
examples, coverage of each parameter's edges, random fuzzing, and stateful sequences) with
a fixed seed and a bounded number of cases per operation, then reads its JSON and NDJSON
reports into a ``Run``: how many cases were generated and every failed check, with the
request that made it. Nothing is written to the working tree: reports and caches go to
the given folder.

Run it by hand against a fresh seeded server, with more cases than the test suite uses:

    .venv/bin/python -m tests.contract.fuzz --max-examples 200
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.contract.live import LiveServer, seeded_database

SPEC_PATH = "/docs/openapi.json"
SEED = 20260107
MAX_EXAMPLES = 50
TIMEOUT = 600

# Every check that fits a read-only API whose pagination cursors are opaque. Left out:
# positive_data_acceptance (any string is a schema-valid `cursor`, yet only cursors the
# API issued are accepted: a 400 there is the documented behaviour) and the checks about
# creating and deleting resources (use_after_free, ensure_resource_availability).
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
)


@dataclass(frozen=True)
class Failure:
    operation: str
    check: str
    code: str
    title: str
    message: str
    request: str
    status: int | None
    body: str

    def describe(self) -> str:
        return (
            f"{self.code} {self.title} [{self.check}] {self.operation}\n"
            f"  request:  {self.request}\n"
            f"  response: {self.status} {self.body[:300]}\n"
            f"  {self.message.strip()[:1200]}"
        )


@dataclass(frozen=True)
class Run:
    exit_code: int
    operations_selected: int
    operations_tested: int
    cases: int
    failures: list[Failure]
    errors: list[Any]
    output: str


def schemathesis_command() -> str | None:
    beside = Path(sys.executable).parent / "schemathesis"
    if beside.exists():
        return str(beside)
    return shutil.which("schemathesis")


def _body(response: dict[str, Any] | None) -> str:
    content = (response or {}).get("content") or {}
    if "$base64" in content:
        return base64.b64decode(content["$base64"]).decode("utf-8", errors="replace")
    return str(content.get("string", ""))


def _failures(events: Path) -> list[Failure]:
    found: dict[tuple[str, str, str, str], Failure] = {}
    for line in events.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        interactions = recorder.get("interactions") or {}
        for case_id, checks in (recorder.get("checks") or {}).items():
            for check in checks:
                if check.get("status") != "failure":
                    continue
                info = (check.get("failure_info") or {}).get("failure") or {}
                interaction = interactions.get(case_id) or {}
                request = interaction.get("request") or {}
                response = interaction.get("response") or {}
                failure = Failure(
                    operation=info.get("operation") or recorder.get("label", ""),
                    check=check.get("name", ""),
                    code=info.get("code", ""),
                    title=info.get("title", ""),
                    message=info.get("message", ""),
                    request=f"{request.get('method', '?')} {request.get('uri', '?')}",
                    status=response.get("status_code"),
                    body=_body(response),
                )
                # One of each kind: the same failure is reported for many cases.
                key = (failure.operation, failure.check, failure.code, _first_line(failure))
                found.setdefault(key, failure)
    return list(found.values())


def _first_line(failure: Failure) -> str:
    return re.sub(r'"[^"]*"', '"…"', failure.message.split("\n", 1)[0])


def run_schemathesis(
    base_url: str, workdir: Path, *, max_examples: int = MAX_EXAMPLES, seed: int = SEED
) -> Run:
    command = schemathesis_command()
    if command is None:
        raise FileNotFoundError("schemathesis is not installed")
    report = workdir / "report.json"
    events = workdir / "events.ndjson"
    args = [
        command,
        "run",
        f"{base_url}{SPEC_PATH}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "10",
        "--no-color",
        "--report",
        "json,ndjson",
        "--report-json-path",
        str(report),
        "--report-ndjson-path",
        str(events),
    ]
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    result = subprocess.run(
        args, cwd=workdir, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    output = result.stdout + result.stderr
    if not report.exists():
        raise RuntimeError(f"schemathesis wrote no report (exit {result.returncode}):\n{output}")
    summary = json.loads(report.read_text(encoding="utf-8"))
    return Run(
        exit_code=result.returncode,
        operations_selected=summary["operations"]["selected"],
        operations_tested=summary["operations"]["tested"],
        cases=summary["test_cases"]["generated"],
        failures=_failures(events),
        errors=summary.get("errors") or [],
        output=output,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statements-fuzz-") as folder:
        workdir = Path(folder)
        database_url, _ = seeded_database(workdir)
        with LiveServer(database_url, workdir / "server.log") as server:
            run = run_schemathesis(
                server.base_url, workdir, max_examples=options.max_examples, seed=options.seed
            )
        print(run.output)
        print(f"{run.cases} cases over {run.operations_tested} operations")
        for failure in run.failures:
            print(failure.describe(), end="\n\n")
    return 1 if run.failures or run.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
