"""The `adcraft` command line: one module per command group, sharing ``options``.

``adcraft.cli:main`` is the console entry point; ``app`` is the Typer application.
"""

from adcraft.cli.app import app, main

__all__ = ["app", "main"]
