"""The ``statements`` command: migrate, ingest, worker, serve, export, openapi, eval, keys,
actors, corrections and claims.

Each module registers its commands on the one group in api/cli/base.py.
"""

from api.cli import actors, claims, commands, evaluate, ingest, keys
from api.cli.base import main

__all__ = ["actors", "claims", "commands", "evaluate", "ingest", "keys", "main"]
