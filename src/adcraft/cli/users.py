"""`adcraft user …`: the people of a tenant (the first admin is invited from here).

Every change writes an audit record with ``cli:<os user>`` as the actor.
"""

from __future__ import annotations

from typing import Annotated

import typer

from adcraft.cli.options import ConfigOpt
from adcraft.cli.tenants import _actor, _session, _when

user_app = typer.Typer(
    help="Manage people of a tenant: invite, list, role, remove.", no_args_is_help=True
)


@user_app.command("invite")
def user_invite(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")],
    email: Annotated[str, typer.Argument(help="The person's email")],
    role: Annotated[str, typer.Option(help="admin, editor, reviewer or viewer")] = "editor",
    config: ConfigOpt = None,
) -> None:
    """Create an invitation and print its link path (shown once): open it on the server's URL."""
    from adcraft.accounts import service
    from adcraft.admin import audit
    from adcraft.db.tenants import find_tenant

    with _session(config) as (c, s):
        t = find_tenant(s, tenant)
        inv, token = service.invite(
            s, t.id, email, role, _actor(), c.secret, c.settings.security.invitation_ttl_s
        )
        audit(s, _actor(), "user.invite", inv.email, t.id, role=inv.role)
        until = _when(inv.expires_at)
    typer.echo(f"invitation for {inv.email} as {inv.role}, valid until {until}:")
    typer.echo(f"/#/join/{token}")


@user_app.command("list")
def user_list(
    tenant: Annotated[str, typer.Argument(help="Tenant id or name")], config: ConfigOpt = None
) -> None:
    """A tenant's people: id, role, email, name."""
    from adcraft.accounts import service
    from adcraft.db.tenants import find_tenant

    with _session(config) as (_c, s):
        rows = [service.user_info(u) for u in service.list_users(s, find_tenant(s, tenant).id)]
    for u in rows:
        typer.echo(f"{u.id}  {u.role:8}  {u.email}  {u.name}")


@user_app.command("role")
def user_role(
    email: Annotated[str, typer.Argument(help="The person's email")],
    role: Annotated[str, typer.Argument(help="admin, editor, reviewer or viewer")],
    config: ConfigOpt = None,
) -> None:
    """Give a person another role (applies to their next request)."""
    from adcraft.accounts import service
    from adcraft.admin import audit

    with _session(config) as (_c, s):
        user = service.find_user(s, email)
        before = user.role
        service.change_role(s, user, role)
        audit(s, _actor(), "user.role", user.email, user.tenant_id, before=before, after=role)
    typer.echo(f"{email} is now {role}")


@user_app.command("remove")
def user_remove(
    email: Annotated[str, typer.Argument(help="The person's email")], config: ConfigOpt = None
) -> None:
    """Remove a person; their sessions end at once."""
    from adcraft.accounts import service
    from adcraft.admin import audit

    with _session(config) as (_c, s):
        user = service.find_user(s, email)
        tenant_id, address = user.tenant_id, user.email
        service.remove_user(s, user)
        audit(s, _actor(), "user.remove", address, tenant_id)
    typer.echo(f"{email} removed")


def register(app: typer.Typer) -> None:
    """Add ``user``."""
    app.add_typer(user_app, name="user")
