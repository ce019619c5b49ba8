"""What the CTR model and the simulator know about a creative: one flat, typed record.

The numeric keys are the layout and product metrics adcraft already computes for every
creative (scoring/metrics.py), so the same record comes from a manifest or from the simulator.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Metrics the CTR model reads (missing ones are NaN, which LightGBM handles natively).
NUMERIC_METRICS: tuple[str, ...] = (
    "text_share",
    "min_contrast",
    "alignment_per_element",
    "readability_rea",
    "whitespace_balance",
    "occlusion",
    "utility",
    "product_share",
    "product_sharpness",
    "product_exposure",
    "colorfulness",
    "brightness",
)
CATEGORICAL: tuple[str, ...] = ("format_id", "style", "category", "template", "language")
CLAIM_KINDS: tuple[str, ...] = ("discount", "price", "free_shipping", "new", "rating")


class CreativeFeatures(BaseModel):
    """A creative as the CTR model sees it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    creative_id: str = Field(min_length=1, max_length=128)
    format_id: str = Field(min_length=1, max_length=96)
    style: str = Field(min_length=1, max_length=64)
    category: str = Field(default="general", max_length=64)
    template: str = Field(default="default", max_length=64)
    language: str = Field(default="en", max_length=16)
    claim_kinds: tuple[str, ...] = ()
    headline_chars: int = Field(default=0, ge=0)
    body_chars: int = Field(default=0, ge=0)
    metrics: dict[str, float] = Field(default_factory=dict)

    @property
    def cell(self) -> tuple[str, str, str]:
        """The smoothing cell: format × style × category."""
        return (self.format_id, self.style, self.category)
