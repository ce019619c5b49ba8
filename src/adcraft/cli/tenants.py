"""`adcraft tenant …`, `adcraft key …` and `adcraft audit`: tenant and key management.

Every command that changes something writes an audit record with ``cli:<os user>`` as the actor.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from adcraft.cli.options import ConfigOpt, fail, warn
from adcraft.errors import AdcraftError

tenant_app = typer.Typer(help="Manage tenants (and see `adcraft key`).", no_args_is_help=True)
key_app = typer.Typer(help="Manage API keys: list, create, revoke, rotate.", no_args_is_help=True)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry for this uid (containers)
        return "cli:unknown"


@contextmanager
def _session(config: Any) -> Iterator[tuple[Any, Any]]:
    """(container, session) committed on success; adcraft errors end as `error: …`."""
    from adcraft.config import load_settings
    from adcraft.container import build
    from adcraft.db.engine import unit_of_work

    try:
        container = build(load_settings(config), with_runner=False)
    except AdcraftError as exc:
        fail(str(exc))
    try:
        with unit_of_work(container.sessions) as s:
            yield container, s
    except AdcraftError as exc:
        fail(str(exc))
    finally:
        container.engine.dispose()


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%SZ") if value is not None else "-"


@tenant_app.command("create")
def tenant_create(
    name: Annotated[str, typer.Argument(help="Tenant name")], config: ConfigOpt = None
) -> None:
    """Create a tenant and print its API key (shown once)."""
    from adcraft import admin

    with _session(config) as (c, s):
        tenant, key = admin.create_tenant(s, name, c.secret, _actor())
    typer.echo(f"tenant {tenant.name} ({tenant.id})")
    typer.echo(key)


@tenant_app.command("list")
def tenant_list(config: ConfigOpt = None) -> None:
    """Every tenant: id, name, working keys, created."""
    from adcraft import admin

    with _session(config) as (_c, s):
        rows = admin.list_tenants(s)
    for r in rows:
        typer.echo(f"{r.id}  {r.name:30}  keys={r.active_keys}  created {_when(r.created_at)}")


@tenant_app.command("delete")
def tenant_delete(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    config: ConfigOpt = None,
) -> None:
    """Delete a tenant with all its data: rows, stored files and local analytics events."""
    from adcraft import admin

    if not yes:
        typer.confirm(f"Delete tenant {tenant!r} and everything it owns, for good?", abort=True)
    with _session(config) as (c, s):
        done = admin.delete_tenant(
            s, c.store, tenant, _actor(), analytics=_analytics_deleter(c.settings)
        )
    rows = sum(done.rows.values())
    typer.echo(
        f"deleted tenant {done.tenant_name} ({done.tenant_id}): {rows} rows, {done.files} files, "
        f"analytics {done.analytics}"
    )
    for note in done.notes:
        warn(note)


def _analytics_deleter(settings: Any) -> Callable[[str], None] | None:
    """Deletes events in the embedded or ClickHouse store, when analytics are on."""
    if not settings.events.enabled:
        return None

    def delete(tenant_id: str) -> None:
        from adcraft.analytics.service import open_store

        store = open_store(settings)
        try:
            store.delete_tenant(tenant_id)
        finally:
            store.close()

    return delete


@key_app.command("list")
def key_list(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")], config: ConfigOpt = None
) -> None:
    """A tenant's keys by prefix (never the secret) with state and dates."""
    from adcraft.db.tenants import find_tenant, list_keys

    with _session(config) as (_c, s):
        keys = list_keys(s, find_tenant(s, tenant).id)
    for k in keys:
        until = f"  until {_when(k.expires_at)}" if k.expires_at and k.state != "revoked" else ""
        typer.echo(
            f"adc_{k.prefix}_…  {k.state:8}  {k.name:20}  created {_when(k.created_at)}{until}"
        )


@key_app.command("create")
def key_create(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")],
    name: Annotated[str, typer.Option(help="A label for the key")] = "default",
    config: ConfigOpt = None,
) -> None:
    """Issue another key for a tenant and print it (shown once)."""
    from adcraft import admin

    with _session(config) as (c, s):
        _info, key = admin.issue_key(s, tenant, name, c.secret, _actor())
    typer.echo(key)


@key_app.command("revoke")
def key_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (adc_<prefix>_…)")],
    config: ConfigOpt = None,
) -> None:
    """Refuse a key from now on."""
    from adcraft import admin

    with _session(config) as (_c, s):
        info = admin.revoke_key(s, prefix, _actor())
    typer.echo(f"revoked adc_{info.prefix}_… ({info.name})")


@key_app.command("rotate")
def key_rotate(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (adc_<prefix>_…)")],
    overlap: Annotated[
        int | None,
        typer.Option(
            help="Seconds the old key keeps working (default security.key_rotation_overlap_s)"
        ),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Issue a replacement key (printed once); the old key works until the overlap ends."""
    from adcraft import admin

    if overlap is not None and not 0 <= overlap <= 30 * 86_400:
        fail("--overlap must be between 0 and 2592000 seconds (30 days)")
    with _session(config) as (c, s):
        seconds = c.settings.security.key_rotation_overlap_s if overlap is None else overlap
        _new, key, old = admin.rotate_key(s, prefix, c.secret, seconds, _actor())
    typer.echo(f"old key adc_{old.prefix}_… works until {_when(old.expires_at)}")
    typer.echo(key)


def audit_command(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many records")] = 50,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant id")] = None,
    config: ConfigOpt = None,
) -> None:
    """The admin audit log, newest first: time, actor, action, target."""
    from adcraft import admin

    with _session(config) as (_c, s):
        rows = admin.audit_log(s, limit=limit, tenant_id=tenant)
    for e in rows:
        typer.echo(f"{_when(e.at)}  {e.actor:30}  {e.action:14}  {e.target}  {e.tenant_id or ''}")


def register(app: typer.Typer) -> None:
    """Add ``tenant``, ``key`` and ``audit``."""
    app.add_typer(tenant_app, name="tenant")
    app.add_typer(key_app, name="key")
    app.command("audit")(audit_command)
