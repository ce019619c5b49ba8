"""What the CTR model and the simulator know about a creative: one flat, typed record.

The numeric keys are the layout and product metrics adcraft already computes for every
creative (scoring/metrics.py), so the same record comes from a manifest or from the simulator.
"""

from __future__ import annotations

from collections.abc import Mapping

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
COPY_FIELDS: tuple[str, ...] = ("headline", "body", "cta")
"""The copy fields whose wording the CTR model embeds (with the configured text encoder)."""


def copy_text(fields: Mapping[str, object]) -> str:
    """The creative's headline, body and call to action, one per line (empty ones left out)."""
    parts = (str(fields.get(k) or "").strip() for k in COPY_FIELDS)
    return "\n".join(p for p in parts if p)[:2000]


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
    copy_text: str = Field(default="", max_length=2000)
    """Headline, body and call to action (``copy_text``); their wording becomes the
    ``copy_emb_*`` features when a text encoder is configured."""
    metrics: dict[str, float] = Field(default_factory=dict)

    @property
    def cell(self) -> tuple[str, str, str]:
        """The smoothing cell: format × style × category."""
        return (self.format_id, self.style, self.category)
