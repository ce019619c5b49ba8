"""Search across creatives: words of their copy, product, language and review state.

The copy lives in JSON columns whose stored text differs between SQLite and PostgreSQL (and is
\\u-escaped for non-Latin scripts), so matching is done here, over the rows the SQL filters
(tenant, campaign, set, format, variant) already narrowed: case-insensitive in every script.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from adcraft.db.models import CreativeRow, Version


def fold(text: str) -> str:
    """Text as compared: compatibility-normalised and case-folded (ß = ss, Ё = ё)."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class CreativeQuery:
    """What to look for; empty fields match everything."""

    text: str = ""
    product: str = ""
    language: str = ""

    @property
    def empty(self) -> bool:
        return not (self.text.strip() or self.product.strip() or self.language.strip())

    def matches(
        self, row: CreativeRow, v: Version, brief: dict[str, Any], request: dict[str, Any]
    ) -> bool:
        """Whether a creative (current version, its brief and task request) matches."""
        name = str(brief.get("product_name") or "")
        if self.product.strip():
            wanted = fold(self.product.strip())
            if wanted not in fold(name) and wanted != fold(str(request.get("product_id") or "")):
                return False
        if self.language.strip():
            have = str(brief.get("language") or "en").lower()
            want = self.language.strip().lower().replace("_", "-")
            if have != want and have.split("-")[0] != want:
                return False
        words = fold(self.text).split()
        if words:
            hay = fold(
                " ".join(
                    [
                        *(str(x) for x in (v.copy_fields or {}).values() if x),
                        *(str(x) for x in (v.platform_text or {}).values() if x),
                        name,
                        row.format,
                        row.platform,
                    ]
                )
            )
            if not all(w in hay for w in words):
                return False
        return True
