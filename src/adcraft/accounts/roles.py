"""Roles and the permissions each grants, and the permission each API route needs.

The rule is central and default-deny for writes: a route added later that changes anything needs
``edit`` unless it is listed here, so no new endpoint is open to viewers by accident.

Routes under ``/shared`` take no principal at all: a review link's token is their credential
(adcraft.review_links), and they only read the link's creatives and add a guest comment.
"""

from __future__ import annotations

from typing import Literal, get_args

Role = Literal["admin", "editor", "reviewer", "viewer"]
Permission = Literal["read", "comment", "submit", "approve", "edit", "manage"]

ROLES: tuple[Role, ...] = get_args(Role)
GRANTS: dict[str, frozenset[Permission]] = {
    "viewer": frozenset({"read"}),
    "reviewer": frozenset({"read", "comment", "approve"}),
    # Editors make and submit work; approving it is someone else's call.
    "editor": frozenset({"read", "comment", "submit", "edit"}),
    "admin": frozenset(get_args(Permission)),
}

WHAT: dict[Permission, str] = {
    "read": "read this",
    "comment": "comment on creatives",
    "submit": "submit creatives for review",
    "approve": "approve or send back creatives",
    "edit": "generate, edit or change anything",
    "manage": "manage people and keys",
}

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_MANAGE_PREFIXES = ("/users", "/invitations", "/keys")


def allows(role: str, permission: Permission) -> bool:
    """Whether ``role`` grants ``permission`` (an unknown role grants nothing)."""
    return permission in GRANTS.get(role, frozenset())


def required(method: str, path: str) -> Permission:
    """The permission a request needs, from its method and route template under /api/v1."""
    if path.startswith(_MANAGE_PREFIXES):
        return "manage"
    if method.upper() in _SAFE:
        return "read"
    if path.startswith("/settings"):
        return "manage"  # the tenant's LLM key and provider choices
    if path == "/feedback":
        # Recording a download is what any role's download does; other kinds need edit (route).
        return "read"
    if path == "/creatives/upload":
        # Bringing in a finished ad adds a creative to the workspace, like generating one.
        return "edit"
    if path.startswith("/campaigns"):
        # Create, rename, archive, merge and delete campaigns: an editor's work.
        return "edit"
    if path.startswith("/shares"):
        # Sending work outside the team is an editor's call (reviewers and viewers only read).
        return "edit"
    if path.startswith("/creatives/{creative_id}/") and path.endswith(
        ("/comments", "/review", "/shortlist")
    ):
        # A review move needs submit or approve depending on the target state: the route checks.
        # Shortlisting is a reviewer's opinion as much as an editor's (viewers only read).
        return "comment"
    return "edit"


def review_permission(target_state: str) -> Permission:
    """Approving or sending back is a reviewer's move; submitting or withdrawing an editor's."""
    return "approve" if target_state in ("approved", "changes_requested") else "submit"
