"""The ``statements`` command: migrate, ingest, worker, serve, export, openapi, eval, keys,
actors and corrections.

Each module registers its commands on the one group in api/cli/base.py.
"""

from api.cli import actors, commands, evaluate, ingest, keys
from api.cli.base import main

__all__ = ["actors", "commands", "evaluate", "ingest", "keys", "main"]
