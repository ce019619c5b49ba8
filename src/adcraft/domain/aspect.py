"""Aspect groups: the five shapes a scene is painted in, so each format gets a composed
background of about its own shape instead of one crop of a square (pure, no I/O)."""

from __future__ import annotations

from typing import Literal, get_args

AspectGroup = Literal["square", "portrait", "landscape", "tall", "wide"]
ASPECT_GROUPS: tuple[AspectGroup, ...] = get_args(AspectGroup)

GROUP_RATIO: dict[AspectGroup, float] = {
    "tall": 9 / 16,  # stories, reels, skyscrapers
    "portrait": 4 / 5,  # 4:5 and 2:3 feeds, pins
    "square": 1.0,  # 1:1 feeds, 300x250-ish boxes
    "landscape": 1.91,  # 1.91:1 and 16:9 links and video covers
    "wide": 4.0,  # leaderboards and billboards (728x90, 970x250)
}
"""The width/height each group's scene is painted at."""

# Group boundaries: geometric means of neighbouring ratios, so a format goes to the group
# whose painted shape needs the smallest crop.
_BOUNDS: tuple[tuple[float, AspectGroup], ...] = (
    ((GROUP_RATIO["tall"] * GROUP_RATIO["portrait"]) ** 0.5, "tall"),
    ((GROUP_RATIO["portrait"] * GROUP_RATIO["square"]) ** 0.5, "portrait"),
    ((GROUP_RATIO["square"] * GROUP_RATIO["landscape"]) ** 0.5, "square"),
    ((GROUP_RATIO["landscape"] * GROUP_RATIO["wide"]) ** 0.5, "landscape"),
)


def aspect_group(width: int, height: int) -> AspectGroup:
    """The group of a width x height format."""
    ratio = width / max(1, height)
    for bound, group in _BOUNDS:
        if ratio < bound:
            return group
    return "wide"


def group_size(group: AspectGroup, side: int, multiple: int = 8) -> tuple[int, int]:
    """The canvas of a group's scene: about ``side``² pixels at the group's ratio, each side a
    multiple of ``multiple`` (what diffusion pipelines paint)."""
    ratio = GROUP_RATIO[group]
    width = side * ratio**0.5
    height = side / ratio**0.5

    def snap(v: float) -> int:
        return max(multiple, round(v / multiple) * multiple)

    return snap(width), snap(height)
