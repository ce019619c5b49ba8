"""People of the caller's tenant, for its admins: invite with a role, change a role, remove.

Every action is written to the audit log (docs/operations.md). A role change or a removal takes
effect on the person's next request: sessions are checked against the user row every time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from adcraft.accounts import service
from adcraft.accounts.roles import Role
from adcraft.admin import audit
from adcraft.api.deps import ContainerDep, PrincipalDep, SessionDep
from adcraft.api.schemas import _In
from adcraft.db.tenants import Principal

router = APIRouter(tags=["people"])


class UserOut(BaseModel):
    id: str
    email: str
    name: str
    role: str
    created_at: datetime


class InvitationOut(BaseModel):
    id: str
    email: str
    role: str
    invited_by: str
    expires_at: datetime


class TeamOut(BaseModel):
    users: list[UserOut]
    invitations: list[InvitationOut]
    """Pending invitations (not used, not expired)."""


class InviteIn(_In):
    email: Annotated[str, Field(min_length=3, max_length=254)]
    role: Role


class NewInvitationOut(InvitationOut):
    token: str
    """Shown this once: the invitee opens ``/#/join/<token>`` and chooses a password."""
    link: str


class RoleIn(_In):
    role: Role


def actor_of(p: Principal) -> str:
    """Who acted, for the audit log: the person, or the API key by its prefix."""
    return f"user:{p.user_name}" if p.user_id else f"key:{p.key_prefix}"


def _user_out(u: service.UserInfo) -> UserOut:
    return UserOut(id=u.id, email=u.email, name=u.name, role=u.role, created_at=u.created_at)


@router.get("/users")
def list_team(p: PrincipalDep, s: SessionDep) -> TeamOut:
    """The tenant's people and pending invitations."""
    return TeamOut(
        users=[_user_out(service.user_info(u)) for u in service.list_users(s, p.tenant_id)],
        invitations=[
            InvitationOut(
                id=i.id,
                email=i.email,
                role=i.role,
                invited_by=i.invited_by,
                expires_at=i.expires_at,
            )
            for i in service.pending_invitations(s, p.tenant_id)
        ],
    )


@router.post("/invitations", status_code=201)
def invite(body: InviteIn, p: PrincipalDep, s: SessionDep, c: ContainerDep) -> NewInvitationOut:
    """Invite a person with a role; the answer carries the link (shown once)."""
    by = actor_of(p)
    inv, token = service.invite(
        s, p.tenant_id, body.email, body.role, by, c.secret, c.settings.security.invitation_ttl_s
    )
    audit(s, by, "user.invite", inv.email, p.tenant_id, role=inv.role)
    s.commit()
    return NewInvitationOut(
        id=inv.id,
        email=inv.email,
        role=inv.role,
        invited_by=inv.invited_by,
        expires_at=inv.expires_at,
        token=token,
        link=f"/#/join/{token}",
    )


@router.delete("/invitations/{invitation_id}", status_code=204, response_class=Response)
def cancel(invitation_id: str, p: PrincipalDep, s: SessionDep) -> Response:
    """Withdraw a pending invitation: its link stops working."""
    inv = service.cancel_invitation(s, p.tenant_id, invitation_id)
    audit(s, actor_of(p), "user.invite_cancel", inv.email, p.tenant_id)
    s.commit()
    return Response(status_code=204)


@router.patch("/users/{user_id}")
def change_role(user_id: str, body: RoleIn, p: PrincipalDep, s: SessionDep) -> UserOut:
    """Give a person another role (409 for the team's last admin)."""
    user = service.get_user(s, p.tenant_id, user_id)
    before = user.role
    service.change_role(s, user, body.role)
    audit(s, actor_of(p), "user.role", user.email, p.tenant_id, before=before, after=body.role)
    s.commit()
    return _user_out(service.user_info(user))


@router.delete("/users/{user_id}", status_code=204, response_class=Response)
def remove(user_id: str, p: PrincipalDep, s: SessionDep) -> Response:
    """Remove a person: their sessions end at once (409 for the team's last admin)."""
    user = service.get_user(s, p.tenant_id, user_id)
    email = user.email
    service.remove_user(s, user)
    audit(s, actor_of(p), "user.remove", email, p.tenant_id)
    s.commit()
    return Response(status_code=204)
