"""One product of a feed, whatever the feed's dialect, and its content hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from adcraft.domain.brief import Price

CUSTOM_LABELS = 5


class FeedProduct(BaseModel):
    """A product as Merchant Center names its attributes; other dialects map onto these."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    description: str = ""
    link: str | None = None
    image_link: str | None = None
    additional_image_links: tuple[str, ...] = ()
    price: Price | None = None
    sale_price: Price | None = None
    sale_start: datetime | None = None
    sale_end: datetime | None = None
    brand: str | None = None
    product_type: str | None = None
    google_product_category: str | None = None
    availability: str | None = None
    custom_labels: tuple[str, ...] = Field(default=("",) * CUSTOM_LABELS)
    language: str = "en"
    row: int = 0
    """Where the product starts in the feed (1-based item or line number), for reports."""

    def content_hash(self) -> str:
        """SHA-256 of everything that can change a creative (not the row number)."""
        data = self.model_dump(mode="json", exclude={"row"})
        blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def field(self, name: str) -> str:
        """A field as text for rules: custom_label_0..4 included, '' when absent."""
        if name.startswith("custom_label_") and name[-1].isdigit():
            i = int(name[-1])
            return self.custom_labels[i] if i < len(self.custom_labels) else ""
        value = getattr(self, name, None)
        if value is None:
            return ""
        if isinstance(value, Price):
            return f"{value.amount:.2f} {value.currency}"
        return str(value)

    def sale_active(self, now: datetime | None) -> bool:
        """A sale price applies: given, and ``now`` inside its effective dates when they exist."""
        if self.sale_price is None:
            return False
        if now is None:
            return True
        if self.sale_start is not None and now < self.sale_start:
            return False
        return not (self.sale_end is not None and now >= self.sale_end)
