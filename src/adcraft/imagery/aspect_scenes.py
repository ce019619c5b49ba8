"""Scenes painted per aspect group: one composed background for each shape a set needs.

A scene painted once and cropped to every format loses most of itself in a 728x90 banner or a
9:16 story; painting the scene around the product once per aspect group (square, portrait,
landscape, tall, wide banner) gives each format a background composed for its shape. Works over
the ``BackgroundPainter`` port: nothing here imports torch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PIL import Image

from adcraft.domain.aspect import ASPECT_GROUPS, AspectGroup, aspect_group, group_size
from adcraft.imagery.diffusion import BackgroundPainter, GeneratedImage, SceneRequest

SCENE_CENTER = (0.5, 0.55)
"""Where the painter puts the product's centre: the scene's focus when it is cropped."""


def groups_for(sizes: Iterable[tuple[int, int]]) -> list[AspectGroup]:
    """The aspect groups a set of format sizes falls in, in a fixed order."""
    wanted = {aspect_group(w, h) for w, h in sizes}
    return [g for g in ASPECT_GROUPS if g in wanted]


@dataclass(frozen=True)
class GroupScene:
    """The scene painted for one aspect group."""

    group: AspectGroup
    image: Image.Image
    """RGB; the product's opaque pixels are its own, bit for bit (``keep_mask``)."""
    seed: int
    keep_mask: Image.Image | None
    focus: tuple[float, float] = SCENE_CENTER


@dataclass
class GroupScenePainter:
    """Paints ``scene`` around a product cut-out once per aspect group a set needs."""

    painter: BackgroundPainter
    scene: str
    seed: int
    side: int = 1024
    steps: int = 30
    painted: dict[AspectGroup, GroupScene] = field(default_factory=dict)
    """What the last ``paint`` made, for the caller to keep (the service stores them)."""

    def groups_for(self, sizes: Iterable[tuple[int, int]]) -> list[AspectGroup]:
        """The groups a set of format sizes needs, in a fixed order."""
        return groups_for(sizes)

    def seed_of(self, group: AspectGroup) -> int:
        """Each group its own seed, derived from the set's: a new seed repaints every group."""
        return (self.seed * 7 + ASPECT_GROUPS.index(group) + 1) % 2**63

    def paint(
        self, product: Image.Image, groups: Iterable[AspectGroup]
    ) -> dict[AspectGroup, GroupScene]:
        """One scene per group around the RGBA ``product``; its opaque pixels are kept."""
        self.painted = {}
        for group in groups:
            width, height = group_size(group, self.side)
            result: GeneratedImage = self.painter.paint_background(
                product.convert("RGBA"),
                SceneRequest(
                    scene=self.scene,
                    seed=self.seed_of(group),
                    steps=self.steps,
                    width=width,
                    height=height,
                    center=SCENE_CENTER,
                ),
            )
            self.painted[group] = GroupScene(
                group=group,
                image=result.image.convert("RGB"),
                seed=result.seed,
                keep_mask=result.keep_mask,
            )
        return dict(self.painted)
