"""Whether this server can paint pictures and scenes: asked once per process, shown in
``/capabilities`` and enforced on ``POST /generate`` with the same reason."""

from __future__ import annotations

from typing import Any

from adcraft.api.schemas import GenerateIn
from adcraft.container import Container
from adcraft.errors import GenerationUnavailable
from adcraft.wiring.diffusion import GenerationStatus, generation_status

_KEY = "generation_status"


def status_of(c: Container) -> GenerationStatus:
    """The installation's generation status (CUDA is probed once: importing torch is slow)."""
    found = c.extras.get(_KEY)
    if not isinstance(found, GenerationStatus):
        found = generation_status(c.settings.diffusion)
        c.extras[_KEY] = found
    return found


def check_generation(c: Container, body: GenerateIn) -> None:
    """422 naming why, when the request asks for painting that this server cannot do."""
    wanted = [
        what
        for what, asked in (
            ("a generated picture (image_source=generate)", body.image_source == "generate"),
            ("a painted scene (background=scene)", body.background == "scene"),
        )
        if asked
    ]
    if not wanted:
        return
    status = status_of(c)
    if not status.available:
        raise GenerationUnavailable(
            f"{' and '.join(wanted)} cannot be made on this server: {status.reason}"
        )


def generation_request(body: GenerateIn) -> dict[str, Any]:
    """The task request fields that tell the worker what to paint."""
    out: dict[str, Any] = {}
    if body.image_source == "generate":
        out["image_source"] = "generate"
        if body.image_description:
            out["image_description"] = body.image_description
    if body.background == "scene":
        out["background"] = "scene"
        if body.scene:
            out["scene"] = body.scene
    return out
