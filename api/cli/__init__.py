"""The ``statements`` command: migrate, ingest, worker, serve, export, openapi, eval, keys,
actors, corrections, claims and index.

Each module registers its commands on the one group in api/cli/base.py.
"""

from api.cli import actors, claims, commands, evaluate, ingest, keys, search_index
from api.cli.base import main

__all__ = ["actors", "claims", "commands", "evaluate", "ingest", "keys", "main", "search_index"]
