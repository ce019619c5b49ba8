"""`adcraft migrate`: bring the metadata database to the latest schema, then say where it is.

For deployments that start the API and workers with ``DATABASE__MIGRATE_ON_START=false``: run
this once per release before starting them (they refuse to start on an old schema).
"""

from __future__ import annotations

import typer

from adcraft.cli.options import ConfigOpt, fail
from adcraft.errors import AdcraftError


def migrate_command(config: ConfigOpt = None) -> None:
    """Create or upgrade the database schema to this version of adcraft."""
    from adcraft.config import load_settings
    from adcraft.db.engine import make_engine, migrate, schema_revision

    try:
        settings = load_settings(config)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.database_url)
        before, _ = schema_revision(engine)
        migrate(engine)
        after, _ = schema_revision(engine)
        where = engine.url.render_as_string(hide_password=True)
        engine.dispose()
    except AdcraftError as exc:
        fail(str(exc))
        return
    if before == after:
        typer.echo(f"{where}: already at revision {after}")
    else:
        typer.echo(f"{where}: migrated from {before or 'an empty database'} to {after}")


def register(app: typer.Typer) -> None:
    """Add ``adcraft migrate``."""
    app.command("migrate")(migrate_command)
