"""`adcraft events …` and `adcraft report`: the analytics commands."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from adcraft.errors import AdcraftError

events_app = typer.Typer(no_args_is_help=True, help="Analytics events: consume, retention, delete.")
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="TOML settings file (else ADCRAFT_CONFIG)")
]


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@events_app.command("consume")
def consume_cmd(
    config: ConfigOpt = None,
    batch_size: Annotated[int, typer.Option(min=1, max=100_000, help="Events per insert")] = 20_000,
    idle_exit: Annotated[
        float | None, typer.Option(help="Stop after this many idle seconds (default: never)")
    ] = None,
) -> None:
    """Store events from Kafka (consumer group; offsets committed after each insert)."""
    from adcraft.analytics.kafka import consume
    from adcraft.analytics.service import open_store
    from adcraft.config import load_settings

    try:
        settings = load_settings(config)
        ev = settings.events
        if not ev.kafka_bootstrap:
            _fail("set ADCRAFT_EVENTS__KAFKA_BOOTSTRAP (host:port) to consume events from Kafka")
        store = open_store(settings)
        try:
            total = consume(
                store,
                ev.kafka_bootstrap,
                ev.kafka_topic,
                ev.kafka_group,
                batch_size=batch_size,
                instance_id=ev.kafka_instance_id,
                idle_exit_s=idle_exit,
                on_batch=lambda read, new: typer.echo(f"stored {new} new of {read}"),
                before_commit=_crash_hook(),
            )
        finally:
            store.close()
    except AdcraftError as exc:
        _fail(str(exc))
        return
    typer.echo(f"consumed {total} events")


def _crash_hook() -> Callable[[int], None] | None:
    """For crash tests: ADCRAFT_CRASH_BEFORE_COMMIT=N kills this process (SIGKILL) after the
    N-th insert, before its offsets are committed — the worst moment to die."""
    value = os.environ.get("ADCRAFT_CRASH_BEFORE_COMMIT", "")
    if not value.isdigit():
        return None

    def hook(batch: int) -> None:
        if batch >= int(value):
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


@events_app.command("retention")
def retention_cmd(config: ConfigOpt = None) -> None:
    """Apply per-tenant retention (events.tenant_retention_days) now."""
    from adcraft.analytics.service import open_store
    from adcraft.config import load_settings

    try:
        settings = load_settings(config)
        store = open_store(settings)
        try:
            for tenant, days in sorted(settings.events.tenant_retention_days.items()):
                store.apply_retention(tenant, days)
                typer.echo(f"{tenant}: kept the last {days} days")
        finally:
            store.close()
    except AdcraftError as exc:
        _fail(str(exc))


@events_app.command("delete")
def delete_cmd(
    tenant: Annotated[str, typer.Option(help="Tenant id")],
    user_hash: Annotated[str | None, typer.Option(help="Delete only this viewer's events")] = None,
    config: ConfigOpt = None,
) -> None:
    """Delete a tenant's events, or one viewer's (by user hash)."""
    from adcraft.analytics.service import open_store
    from adcraft.config import load_settings

    try:
        settings = load_settings(config)
        store = open_store(settings)
        try:
            if user_hash:
                store.delete_user(tenant, user_hash)
            else:
                store.delete_tenant(tenant)
        finally:
            store.close()
    except AdcraftError as exc:
        _fail(str(exc))
        return
    typer.echo("deleted")


@events_app.command("dashboards")
def dashboards_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for the dashboard JSON files")] = Path(
        "deploy/grafana/dashboards"
    ),
) -> None:
    """Write the Grafana dashboards (provisioning JSON) from their definitions in code."""
    from adcraft.analytics.dashboards import write_dashboards

    try:
        for path in write_dashboards(out):
            typer.echo(str(path))
    except OSError as exc:
        _fail(f"cannot write dashboards to {out}: {exc}")


def report_cmd(
    campaign: Annotated[str, typer.Option("--campaign", help="Campaign id")],
    out: Annotated[Path, typer.Option("--out", help="HTML file to write (PNG charts beside it)")],
    tenant: Annotated[
        str | None, typer.Option(help="Tenant id (default: the campaign's tenant)")
    ] = None,
    days: Annotated[int, typer.Option(min=1, max=3650, help="Days back from now")] = 30,
    config: ConfigOpt = None,
) -> None:
    """Write a campaign report (HTML + PNG charts) from the analytics store."""
    from adcraft.analytics.report import write_report
    from adcraft.analytics.service import open_store
    from adcraft.config import load_settings

    try:
        settings = load_settings(config)
        store = open_store(settings)
        try:
            path = write_report(store, campaign_id=campaign, out=out, tenant_id=tenant, days=days)
        finally:
            store.close()
    except AdcraftError as exc:
        _fail(str(exc))
        return
    typer.echo(f"report: {path}")


def register(app: typer.Typer) -> None:
    """Add the analytics commands to the `adcraft` app."""
    app.add_typer(events_app, name="events")
    app.command("report")(report_cmd)
