"""Signed download links for the local store: the signature is the credential."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from adcraft.api.deps import ContainerDep
from adcraft.store.disposition import content_disposition
from adcraft.store.signing import verify

router = APIRouter(tags=["files"])


@router.get(
    "/files/{token}",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}, "image/png": {}, "application/octet-stream": {}}},
        403: {"description": "Expired or forged link"},
    },
)
def signed_file(token: Annotated[str, Path(max_length=4096)], c: ContainerDep) -> Response:
    """A file behind an HMAC-signed, expiring link (for <img src> and downloads)."""
    key, filename, content_type = verify(c.secret, token)
    return Response(
        c.store.get(key),
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(filename, inline=True),
            "Cache-Control": "private, max-age=300",
        },
    )
