"""People, invitations and browser sessions of a tenant, shared by the API and the CLI.

Secrets (session tokens, invitation tokens) are random, shown once, and stored only as
HMAC-SHA256 digests under the server pepper, like API keys. A session is checked against its
user's current row on every request, so a removed or demoted person loses access at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from adcraft.accounts import passwords
from adcraft.accounts.roles import ROLES
from adcraft.db.models import ApiKey, Invitation, Tenant, User, WebSession, as_utc, utcnow
from adcraft.db.tenants import Principal, digest, key_state
from adcraft.errors import Conflict, InputError, NotFound


def _secret_digest(pepper: str, kind: str, token: str) -> str:
    return digest(pepper, f"{kind}:{token}")


def csrf_token(pepper: str, session_token: str) -> str:
    """The CSRF token of a session: derived from it, so it needs no storage and dies with it."""
    return hmac.new(pepper.encode(), f"csrf:{session_token}".encode(), hashlib.sha256).hexdigest()


def check_role(role: str) -> str:
    """The role, or InputError naming the roles there are."""
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


def normalise_email(email: str) -> str:
    """The email as stored (trimmed, lower case), or InputError when it cannot be one."""
    value = email.strip().lower()
    local, at, domain = value.partition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(value) > 254
        or any(c.isspace() for c in value)
    ):
        raise InputError(f"{email.strip()[:100]!r} is not an email address")
    return value


@dataclass(frozen=True)
class UserInfo:
    """What may be shown about a person: never the password hash."""

    id: str
    email: str
    name: str
    role: str
    created_at: datetime


def user_info(user: User) -> UserInfo:
    return UserInfo(user.id, user.email, user.name, user.role, as_utc(user.created_at))


# --- invitations ------------------------------------------------------------------------------


def invite(
    session: Session, tenant_id: str, email: str, role: str, by: str, pepper: str, ttl_s: int
) -> tuple[Invitation, str]:
    """An invitation for ``email`` with ``role``; returns it and its token (shown once).

    Refused only for a member of this very team (whom its admins see anyway). An email with an
    account in another team is invited exactly like a new one: emails are unique across teams
    (sign-in needs no team name), and refusing would tell any admin which emails have accounts
    elsewhere. Such an invitation waits: ``accept`` turns it down while the other account exists
    and works once that account is removed, until it expires.
    """
    email = normalise_email(email)
    check_role(role)
    member = select(User.id).where(User.email == email, User.tenant_id == tenant_id)
    if session.scalar(member) is not None:
        raise Conflict(f"{email} is already a member of this team")
    token = secrets.token_urlsafe(32)
    inv = Invitation(
        tenant_id=tenant_id,
        digest=_secret_digest(pepper, "invite", token),
        email=email,
        role=role,
        invited_by=by[:200],
        expires_at=utcnow() + timedelta(seconds=ttl_s),
    )
    session.add(inv)
    session.flush()
    return inv, token


def open_invitation(session: Session, token: str, pepper: str) -> tuple[Invitation, Tenant]:
    """The unused, unexpired invitation of a token and its tenant; NotFound otherwise."""
    row = session.execute(
        select(Invitation, Tenant)
        .join(Tenant, Tenant.id == Invitation.tenant_id)
        .where(Invitation.digest == _secret_digest(pepper, "invite", token.strip()))
    ).first()
    if row is None or row[0].accepted_at is not None or as_utc(row[0].expires_at) <= utcnow():
        raise NotFound("this invitation link is unknown, used or expired: ask for a new one")
    return row[0], row[1]


def accept(session: Session, token: str, pepper: str, name: str, password: str) -> User:
    """Create the invited person's account with the password they chose."""
    inv, _ = open_invitation(session, token, pepper)
    if session.scalar(select(User.id).where(User.email == inv.email)) is not None:
        raise Conflict(f"{inv.email} already has an account: sign in instead")
    user = User(
        tenant_id=inv.tenant_id,
        email=inv.email,
        name=name.strip()[:100],
        role=inv.role,
        password_hash=passwords.hash_password(password),
    )
    inv.accepted_at = utcnow()
    session.add(user)
    session.flush()
    return user


def pending_invitations(session: Session, tenant_id: str) -> list[Invitation]:
    """A tenant's invitations not yet used nor expired, oldest first."""
    rows = session.scalars(
        select(Invitation)
        .where(Invitation.tenant_id == tenant_id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at)
    ).all()
    now = utcnow()
    return [r for r in rows if as_utc(r.expires_at) > now]


def cancel_invitation(session: Session, tenant_id: str, invitation_id: str) -> Invitation:
    """Delete a pending invitation (its link stops working)."""
    inv = session.scalar(
        select(Invitation).where(Invitation.id == invitation_id, Invitation.tenant_id == tenant_id)
    )
    if inv is None or inv.accepted_at is not None:
        raise NotFound(f"no pending invitation with id {invitation_id!r}")
    session.delete(inv)
    session.flush()
    return inv


# --- people -----------------------------------------------------------------------------------


def list_users(session: Session, tenant_id: str) -> list[User]:
    """A tenant's people, oldest first."""
    return list(
        session.scalars(
            select(User).where(User.tenant_id == tenant_id).order_by(User.created_at, User.email)
        ).all()
    )


def get_user(session: Session, tenant_id: str, user_id: str) -> User:
    """A person of this tenant by id (another tenant's id is NotFound too)."""
    user = session.scalar(select(User).where(User.id == user_id, User.tenant_id == tenant_id))
    if user is None:
        raise NotFound(f"no user with id {user_id!r}")
    return user


def tenant_of_email(session: Session, email: str) -> str | None:
    """The tenant of the account with this email; None when there is none or it is malformed."""
    try:
        email = normalise_email(email)
    except InputError:
        return None
    return session.scalar(select(User.tenant_id).where(User.email == email))


def find_user(session: Session, email: str) -> User:
    """A person by email (any tenant: emails are unique), NotFound naming it otherwise."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise NotFound(f"no user with email {email.strip()!r}")
    return user


def _admins(session: Session, tenant_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.tenant_id == tenant_id, User.role == "admin")
        )
        or 0
    )


def change_role(session: Session, user: User, role: str) -> User:
    """Give a person another role (effective on their next request)."""
    check_role(role)
    if user.role == "admin" and role != "admin" and _admins(session, user.tenant_id) <= 1:
        raise Conflict("this is the team's last admin: make someone else admin first")
    user.role = role
    session.flush()
    return user


def remove_user(session: Session, user: User) -> None:
    """Delete a person and end their sessions (their next request answers 401)."""
    if user.role == "admin" and _admins(session, user.tenant_id) <= 1:
        raise Conflict("this is the team's last admin: make someone else admin first")
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.delete(user)
    session.flush()


def create_user(
    session: Session, tenant_id: str, email: str, role: str, password: str, name: str = ""
) -> User:
    """An account with a password set directly (the CLI's first admin; tests)."""
    email = normalise_email(email)
    check_role(role)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"{email} already has an account")
    user = User(
        tenant_id=tenant_id,
        email=email,
        name=name.strip()[:100],
        role=role,
        password_hash=passwords.hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def sso_user(session: Session, email: str, name: str) -> User | None:
    """The account of a verified single-sign-on email: the existing one, else one made from a
    pending invitation for it (with the invited role, and no password: SSO only), else None."""
    email = normalise_email(email)
    user = session.scalar(select(User).where(User.email == email))
    if user is not None:
        return user
    now = utcnow()
    invitations = session.scalars(
        select(Invitation)
        .where(Invitation.email == email, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc())
    ).all()
    inv = next((i for i in invitations if as_utc(i.expires_at) > now), None)
    if inv is None:
        return None
    user = User(
        tenant_id=inv.tenant_id,
        email=email,
        name=name.strip()[:100],
        role=inv.role,
        password_hash=passwords.NO_PASSWORD,
    )
    inv.accepted_at = now
    session.add(user)
    session.flush()
    return user


def sign_in(session: Session, email: str, password: str) -> User | None:
    """The person with this email and password, or None (same time for an unknown email)."""
    try:
        email = normalise_email(email)
    except InputError:
        passwords.verify(None, password)
        return None
    user = session.scalar(select(User).where(User.email == email))
    if not passwords.verify(user.password_hash if user else None, password) or user is None:
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return user


# --- sessions ---------------------------------------------------------------------------------


def open_session(
    session: Session,
    pepper: str,
    ttl_s: int,
    *,
    tenant_id: str,
    user_id: str | None = None,
    api_key_id: str | None = None,
) -> str:
    """A new browser session; returns its token (goes only into the cookie)."""
    now = utcnow()
    # Expired rows are dead weight: sweep them whenever someone signs in.
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            digest=_secret_digest(pepper, "session", token),
            tenant_id=tenant_id,
            user_id=user_id,
            api_key_id=api_key_id,
            expires_at=now + timedelta(seconds=ttl_s),
        )
    )
    session.flush()
    return token


def end_session(session: Session, token: str, pepper: str) -> None:
    """Sign out: the token stops working everywhere it was copied to."""
    session.execute(
        delete(WebSession).where(WebSession.digest == _secret_digest(pepper, "session", token))
    )
    session.flush()


def person(user: User, tenant: Tenant) -> Principal:
    """The principal of a signed-in person (what a request made with their session acts as)."""
    return Principal(
        tenant.id,
        tenant.name,
        f"user:{user.id}",
        "",
        role=user.role,
        user_id=user.id,
        user_name=user.name or user.email,
        session=True,
    )


def authenticate_session(session: Session, token: str, pepper: str) -> Principal | None:
    """The principal of a session token, read fresh (role, key state) on every call."""
    if not token or len(token) > 100:
        return None
    row = session.execute(
        select(WebSession, Tenant)
        .join(Tenant, Tenant.id == WebSession.tenant_id)
        .where(WebSession.digest == _secret_digest(pepper, "session", token))
    ).first()
    if row is None or as_utc(row[0].expires_at) <= utcnow():
        return None
    ws, tenant = row
    if ws.user_id is not None:
        user = session.get(User, ws.user_id)
        if user is None or user.tenant_id != tenant.id:
            return None
        return person(user, tenant)
    key = session.get(ApiKey, ws.api_key_id) if ws.api_key_id else None
    if key is None or key_state(key) not in ("active", "expiring"):
        return None
    return Principal(tenant.id, tenant.name, key.id, key.prefix, session=True)
