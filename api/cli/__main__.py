"""``python -m api.cli``: the same command as ``statements``."""

from api.cli import main

main()
